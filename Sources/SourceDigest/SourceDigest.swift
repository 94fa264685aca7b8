import Foundation

/// The content digest of a set of source files: SHA-256 of each file's bytes by its path,
/// and one digest over all of them. Content only: a file's times, owner or mode never count,
/// so a fresh `git clone` of the same commit has the same digest as the tree a binary was
/// built from, and a reverted edit has the digest it had before the edit.
///
/// One algorithm for both sides: the `oceanid-digest` build tool compiles the digest of the
/// sources into the program, and `oceanid-gen` computes the same digest of the tree it runs
/// on. Both call this type, so they cannot drift apart.
public struct SourceDigest: Equatable, Sendable {
    /// The hex SHA-256 of each file's bytes, by its path relative to the root
    /// (`definitions/Apps.swift`).
    public var files: [String: String]

    /// Wraps per-file digests (for example those compiled into the program).
    public init(files: [String: String]) { self.files = files }

    /// One hex SHA-256 over every path with its file's digest, sorted by path: equal exactly
    /// when the same paths hold the same bytes.
    public var combined: String {
        var lines = ""
        for path in files.keys.sorted() { lines += "\(files[path]!) \(path)\n" }
        return SHA256.hex(of: lines.utf8)
    }

    /// The files under `folders` (relative to `root`) whose name passes `include`, plus the
    /// root-level `extraFiles` that exist. Names starting with "." are skipped (SwiftPM compiles
    /// none of them; editors keep lock and swap files so). A symbolic link to a file counts as
    /// that file's bytes (the compiler reads them); one to a folder is not followed. A folder
    /// that does not exist holds no files.
    ///
    /// - Parameter hash: the hex SHA-256 of a file's bytes; the built-in one by default (the
    ///   build tool runs before any library is built), swift-crypto's at run time.
    public init(
        root: String, folders: [String], extraFiles: [String] = [], hash: ((Data) -> String)? = nil,
        include: (String) -> Bool
    ) {
        var files: [String: String] = [:]
        let manager = FileManager.default
        func add(_ relative: String) {
            guard let data = manager.contents(atPath: root + "/" + relative) else { return }
            files[relative] = hash.map { $0(data) } ?? SHA256.hex(of: data)
        }
        func walk(_ relative: String) {
            guard let names = try? manager.contentsOfDirectory(atPath: root + "/" + relative) else { return }
            for name in names where !name.hasPrefix(".") {
                let path = relative + "/" + name
                var isFolder: ObjCBool = false
                // fileExists follows a link: a dangling one is nothing.
                guard manager.fileExists(atPath: root + "/" + path, isDirectory: &isFolder) else { continue }
                let type = (try? manager.attributesOfItem(atPath: root + "/" + path))?[.type] as? FileAttributeType
                if !isFolder.boolValue {
                    if include(name) { add(path) }
                } else if type == .typeDirectory {
                    walk(path)
                }
            }
        }
        for folder in folders { walk(folder) }
        for file in extraFiles {
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: root + "/" + file, isDirectory: &isFolder), !isFolder.boolValue { add(file) }
        }
        self.files = files
    }

    /// The fleet's definitions: every `definitions/**/*.swift` under `root`, the files SwiftPM
    /// compiles into the `Fleet` target.
    ///
    /// - Parameter hash: as for `init(root:folders:extraFiles:hash:include:)`.
    public static func definitions(root: String, hash: ((Data) -> String)? = nil) -> SourceDigest {
        SourceDigest(root: root, folders: ["definitions"], hash: hash) { $0.hasSuffix(".swift") }
    }

    /// Everything the program is compiled from besides the definitions: every file under
    /// `Sources/` that the compilers read (Swift, C headers and sources, module maps) and the
    /// package manifest with its resolved dependency versions.
    public static func compiler(root: String) -> SourceDigest {
        let compiled = [".swift", ".h", ".c", ".modulemap"]
        return SourceDigest(
            root: root, folders: ["Sources"],
            extraFiles: ["Package.swift", "Package.resolved"]
        ) { name in
            compiled.contains { name.hasSuffix($0) }
        }
    }

    /// How `self` (a tree as it is now) differs from `other` (what was compiled in), by path,
    /// sorted: empty exactly when both hold the same paths with the same bytes.
    public func changes(since other: SourceDigest) -> [Change] {
        var changes: [Change] = []
        for (path, digest) in files where other.files[path] != digest {
            changes.append(Change(path: path, kind: other.files[path] == nil ? .added : .edited))
        }
        for path in other.files.keys where files[path] == nil { changes.append(Change(path: path, kind: .removed)) }
        return changes.sorted { $0.path < $1.path }
    }

    /// One file that is not what it was.
    public struct Change: Equatable, Sendable {
        /// How the file differs.
        public enum Kind: String, Equatable, Sendable {
            /// It holds other bytes.
            case edited
            /// It is new.
            case added
            /// It is gone.
            case removed
        }

        /// Relative to the root.
        public var path: String
        /// What happened to it.
        public var kind: Kind

        /// A change of `kind` at `path`.
        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }
}
