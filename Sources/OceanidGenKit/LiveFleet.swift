import DSL
import Foundation
import Workspace

/// A fleet compiled into a shared library beside the executable (`live/libFleetLive.so` in the
/// executable's folder) by `scripts/build-tool` when only `definitions/` changed since the last
/// full `swift build`: the edit loop then compiles the edited definitions and links a small
/// library instead of running SwiftPM and relinking the whole program (docs/reference/development.md,
/// "The live fleet library").
///
/// The library is used only when all of these hold, and otherwise the program runs as if it did not
/// exist (the compiled-in fleet, or exit 4 when the definitions differ from it):
/// - it loads (`dlopen`; it resolves the DSL against this executable, linked with `--export-dynamic`),
/// - it was built for this very executable file: the `host` it records is `hostIdentity(of:)` of the
///   running executable, so a library built before any relink (a `swift build` of changed sources) is
///   never used against a program whose DSL may differ,
/// - its per-file definitions digests (the `CompiledSources` enum `oceanid-digest` generates, the one
///   the Fleet target compiles in) equal the working tree's: a stale library is never used.
///
/// The library's C entry points (`@_cdecl`, `scripts/live/FleetLiveEntry.swift`) initialize memory the
/// caller allocates with Swift values (`String`, `[String: String]`, `FleetDefinition`): both sides
/// run on the same Swift runtime and the single copy of the DSL in the executable, so the values'
/// layouts are the same.
public struct LiveFleet {
    /// The fleet built from the library's definitions.
    public var definition: FleetDefinition
    /// The SHA-256 of each `definitions/` file compiled into the library, by path under the root.
    public var definitions: [String: String]

    /// The C symbol that writes the library's host identity (`String`) and definitions digests
    /// (`[String: String]`) into the two pointers it is given.
    public static let sourcesSymbol = "oceanid_live_fleet_sources"
    /// The C symbol that writes the library's `FleetDefinition` into the pointer it is given.
    public static let definitionSymbol = "oceanid_live_fleet_definition"

    /// Where the executable at `executable` looks for its live library: `live/libFleetLive.so`
    /// in the folder of the executable's real path (`.build/debug/live/` for the debug build; a
    /// release build's folder has none).
    public static func libraryPath(executable: String) -> String {
        let real = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        return real.deletingLastPathComponent().appendingPathComponent("live/libFleetLive.so").path
    }

    /// The identity of the file at `path` (following links): `device:inode:size:mtime`, the
    /// fields and order of GNU `stat -c '%d:%i:%s:%Y'`, which `scripts/build-tool` records into
    /// the library. nil when there is no such file. A relink writes a new file, so a new identity.
    public static func hostIdentity(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let seconds = info.st_mtimespec.tv_sec
        #else
            let seconds = info.st_mtim.tv_sec
        #endif
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(seconds)"
    }

    /// Why a library was not used (`load` returns it instead of a fleet).
    public enum Refusal: Error, Equatable {
        /// There is no file at the library path.
        case missing
        /// `dlopen` or `dlsym` failed (the loader's message).
        case unloadable(String)
        /// Built for another executable file (its recorded identity, the running one's).
        case otherHost(recorded: String, running: String?)
        /// Compiled from other definitions than the working tree holds.
        case otherDefinitions
    }

    /// Loads the library at `library` when it was built for the executable whose identity is
    /// `host` from definitions whose per-file digests are `tree`; otherwise the reason it was not.
    /// A library that loaded stays loaded for the life of the process, used or not: the Swift
    /// runtime keeps pointers into every loaded image's metadata and conformance records, so
    /// `dlclose` would leave them dangling (a refused library crashed the next dynamic cast). Before
    /// the checks, only the entry point that writes a `String` and a `[String: String]` runs.
    public static func load(library: String, host: String?, tree: [String: String]) -> Result<LiveFleet, Refusal> {
        guard FileManager.default.fileExists(atPath: library) else { return .failure(.missing) }
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(.unloadable(dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        typealias Sources = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void
        typealias Definition = @convention(c) (UnsafeMutableRawPointer) -> Void
        guard let sourcesSymbol = dlsym(handle, sourcesSymbol), let definitionSymbol = dlsym(handle, definitionSymbol)
        else {
            let message = dlerror().map { String(cString: $0) } ?? "no entry points"
            return .failure(.unloadable(message))
        }
        let sources = unsafeBitCast(sourcesSymbol, to: Sources.self)
        let recorded = UnsafeMutablePointer<String>.allocate(capacity: 1)
        let digests = UnsafeMutablePointer<[String: String]>.allocate(capacity: 1)
        defer {
            recorded.deinitialize(count: 1).deallocate()
            digests.deinitialize(count: 1).deallocate()
        }
        sources(UnsafeMutableRawPointer(recorded), UnsafeMutableRawPointer(digests))
        guard recorded.pointee == host else {
            return .failure(.otherHost(recorded: recorded.pointee, running: host))
        }
        guard digests.pointee == tree else {
            return .failure(.otherDefinitions)
        }
        let make = unsafeBitCast(definitionSymbol, to: Definition.self)
        let definition = UnsafeMutablePointer<FleetDefinition>.allocate(capacity: 1)
        defer { definition.deinitialize(count: 1).deallocate() }
        make(UnsafeMutableRawPointer(definition))
        return .success(LiveFleet(definition: definition.pointee, definitions: digests.pointee))
    }

    /// The live fleet of the running executable for the working tree's definitions, whose per-file
    /// digests are `tree` (`ProgramFingerprint.definitions(at:)`, hashed once by the caller), or nil (no
    /// library, or one `load` refuses). `CLI.run` asks for it (`loadsLiveFleet`, which only
    /// `oceanid-gen`'s entry point sets) when the definitions differ from the compiled-in ones. A
    /// library that does not load is renamed `libFleetLive.so.refused` with a warning on stderr, so
    /// that the next `scripts/build-tool` takes the full path instead of linking it again.
    public static func forRunningExecutable(tree: [String: String]) -> LiveFleet? {
        let executable = "/proc/self/exe"
        let library = libraryPath(executable: executable)
        guard FileManager.default.fileExists(atPath: library) else { return nil }
        switch load(library: library, host: hostIdentity(of: executable), tree: tree) {
        case .success(let live):
            return live
        case .failure(.unloadable(let message)):
            // Set aside, so that the next `make build` takes the full path (scripts/build-tool
            // looks for the `.refused` file) instead of linking the same library again.
            try? FileManager.default.removeItem(atPath: library + ".refused")
            try? FileManager.default.moveItem(atPath: library, toPath: library + ".refused")
            FileHandle.standardError.write(Data("warning: the live fleet library did not load: \(message)\n".utf8))
            return nil
        case .failure:
            return nil
        }
    }
}
