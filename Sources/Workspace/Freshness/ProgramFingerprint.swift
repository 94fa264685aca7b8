import Compiler
import Crypto
import Foundation
import SourceDigest

/// What the running program was compiled from, by content: the `CompiledSources` build-tool
/// plugin compiles the digests into the `Fleet` target, and `oceanid-gen`'s entry point
/// passes them in. Content only, never a file time or a linker's build ID: a fresh clone or
/// a checkout of the same sources runs with a binary built elsewhere, on any platform.
public struct ProgramFingerprint: Equatable, Sendable {
    /// The SHA-256 of each `definitions/**/*.swift` file compiled in, by its path under the
    /// root; nil when the fleet is not compiled into the running program (tests run fixture
    /// fleets), and then no tree is compared with it.
    public var definitions: [String: String]?
    /// One digest of everything the program is compiled from (definitions, compiler sources,
    /// package manifest): the no-op shortcut's key. nil turns the shortcut off.
    public var program: String?

    /// A program compiled from these digests.
    public init(definitions: [String: String]? = nil, program: String? = nil) {
        self.definitions = definitions
        self.program = program
    }

    /// The same program running other definitions (the live fleet library, `LiveFleet` in
    /// OceanidGenKit): their per-file digests, and a program digest whose definitions part is
    /// theirs and whose compiler part is this one's (`program` is `<definitions>+<compiler>`, the
    /// form `oceanid-digest` writes), so the no-op shortcut keys on what really runs.
    public func live(definitions: [String: String]) -> ProgramFingerprint {
        let compiler = program.flatMap { id in id.firstIndex(of: "+").map { id[$0...] } }
        return ProgramFingerprint(
            definitions: definitions,
            program: compiler.map { SourceDigest(files: definitions).combined + $0 })
    }

    /// The per-file digests of the definitions under `root`, as the plugin compiles them in.
    public static func definitions(at root: String) -> [String: String] {
        SourceDigest.definitions(root: root, hash: hexSHA256).files
    }

    /// swift-crypto's SHA-256 as lowercase hex: the same digest the build tool computes with
    /// its own, at library speed (every run hashes the definitions).
    static func hexSHA256(_ data: Data) -> String {
        Hex.lowercase(Crypto.SHA256.hash(data: data))
    }

    /// What `oceanid-gen --version` prints: the digests compiled in, shortened.
    public var versionLine: String {
        guard let definitions, let program else { return "oceanid-gen" }
        return "oceanid-gen, compiled from sources \(program.prefix(12)) "
            + "(definitions \(SourceDigest(files: definitions).combined.prefix(12)))"
    }

    /// How the definitions under `root` differ from those compiled in, sorted by path: empty
    /// when they are the same bytes (whatever their file times), or when none are compiled in.
    /// Running on other definitions would write what the compiled-in ones say, silently
    /// undoing the edit.
    public func definitionChanges(root: String) -> [DefinitionChange] {
        guard definitions != nil else { return [] }
        return definitionChanges(tree: Self.definitions(at: root))
    }

    /// The same for the per-file digests of a tree already hashed (`definitions(at:)`), so a caller
    /// that also needs them (the live fleet library's check) hashes the definitions once.
    public func definitionChanges(tree: [String: String]) -> [DefinitionChange] {
        guard let definitions else { return [] }
        return SourceDigest(files: tree).changes(since: SourceDigest(files: definitions))
    }
}

/// A `definitions/` file that is not what was compiled in (`path`, and whether it was
/// `edited`, `added` or `removed`).
public typealias DefinitionChange = SourceDigest.Change
