import Compiler
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What generated output is compared with: the working tree, the git index or HEAD.
/// Paths are relative to the oceanid-gen root.
///
/// It is an `InputTree`: the tree `check` compares with (or `build` writes to) is also where
/// the compiler reads committed inputs (the migration history). Its `files(under:)` finds
/// generated files nobody owns too, and may also list folders, which `read` answers with nil.
public protocol TreeSource: InputTree {
    /// The file's git blob id when the source knows it without reading (index, HEAD).
    func blobID(_ path: String) -> String?
    /// A name for messages: "working tree", "index", "HEAD".
    var name: String { get }
    /// Whether a folder (not a file) stands at the path: nothing can be written there.
    func isFolder(_ path: String) -> Bool
    /// The file's bytes exactly (`read` repairs invalid UTF-8), or nil.
    func readBytes(_ path: String) -> [UInt8]?
}

extension TreeSource {
    /// Default: the UTF-8 of `read(_:)`, for sources that only hold text. It is not byte-exact
    /// for invalid UTF-8; sources that can, override it.
    public func readBytes(_ path: String) -> [UInt8]? { read(path).map { Array($0.utf8) } }
    /// Default: never a folder (git snapshots hold blobs only).
    public func isFolder(_ path: String) -> Bool { false }
}

/// The files on disk under the root, every one read when asked for (`CachedTreeSource` puts
/// the stat cache in front of it).
public struct WorktreeSource: TreeSource {
    /// The oceanid-gen root as given (absolute or relative to the current directory).
    public let root: String

    /// The files under `root`.
    public init(root: String) {
        self.root = root
    }

    /// `"working tree"`.
    public var name: String { "working tree" }

    /// The file as UTF-8 text (invalid bytes repaired), or nil when nothing readable is there
    /// (missing, a folder, unreadable). Compare with `readBytes(_:)`, not with this.
    public func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(root)/\(path)") else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Never known without reading.
    public func blobID(_ path: String) -> String? { nil }

    /// The file's exact bytes, or nil.
    public func readBytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: "\(root)/\(path)").map { [UInt8]($0) }
    }

    /// Whether a folder (following symbolic links) stands at the path.
    public func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "\(root)/\(path)", isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// Every regular file under the folders (relative to the root), sorted; symbolic links
    /// are listed but not followed.
    public func files(under folders: [String]) -> [String] {
        var out: [String] = []
        DirectoryWalk.walk(root: root, folders: folders) { path, _ in out.append(path) }
        return out.sorted()
    }
}

/// readdir(3) over folders below a root, handing each non-folder entry (a regular file, or a
/// symbolic link, not followed) to `body` with its lstat(2) metadata when `withStatus`.
/// Directly on the C API: FileManager's enumerator rewrote each path through NSString and
/// took a quarter of a no-op build at 40,000 files, and fstatat(2) relative to the open
/// folder spares resolving each path from the root.
enum DirectoryWalk {
    static func walk(root: String, folders: [String], withStatus: Bool = false, _ body: (String, stat?) -> Void) {
        func walk(_ relative: String) {
            guard let directory = opendir(root + "/" + relative) else { return }
            defer { closedir(directory) }
            let fd = dirfd(directory)
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative + "/" + name
                var type = entry.pointee.d_type
                var info = stat()
                var known = false
                // Some filesystems leave the type to lstat.
                if type == UInt8(DT_UNKNOWN) || (withStatus && type != UInt8(DT_DIR)) {
                    guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                    known = true
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) { walk(path) } else { body(path, known ? info : nil) }
            }
        }
        // A compared path may be a single file (an owned file outside the output roots).
        for folder in folders {
            var info = stat()
            if lstat(root + "/" + folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                body(folder, withStatus ? info : nil)
            } else {
                walk(folder)
            }
        }
    }
}

/// A snapshot of the index or of HEAD: blob ids by path, contents read on demand.
public struct GitSnapshotSource: TreeSource {
    /// `"index"` or `"HEAD"`, as given.
    public let name: String
    let repository: GitRepository
    /// root-relative path → blob id
    let entries: [String: String]

    /// - Parameter prefix: the oceanid-gen root relative to the repository ("" at the top).
    public init(name: String, repository: GitRepository, entries: [String: String], prefix: String) {
        self.name = name
        self.repository = repository
        if prefix.isEmpty {
            self.entries = entries
        } else {
            let lead = prefix + "/"
            var scoped: [String: String] = [:]
            for (path, id) in entries where path.hasPrefix(lead) { scoped[String(path.dropFirst(lead.count))] = id }
            self.entries = scoped
        }
    }

    /// The blob's text (invalid UTF-8 repaired), or nil when the snapshot has no blob at the path
    /// or it cannot be read.
    public func read(_ path: String) -> String? {
        guard let id = entries[path] else { return nil }
        return try? repository.blobText(id)
    }

    /// The blob id the snapshot records: always known without reading.
    public func blobID(_ path: String) -> String? { entries[path] }

    /// The blob's exact bytes, or nil.
    public func readBytes(_ path: String) -> [UInt8]? {
        guard let id = entries[path] else { return nil }
        return try? repository.blobBytes(id)
    }

    /// The texts of `paths` (nil where `read` gives nil), in order, read on two threads when there are many:
    /// a libgit2 repository handle is one thread's at a time, so the second half is read through a second
    /// handle of the same repository (https://libgit2.org/docs/guides/threading/: objects are not shared
    /// across threads, separate repository objects are fine).
    public func readAll(_ paths: [String]) -> [String?] {
        guard paths.count >= 64, ProcessInfo.processInfo.activeProcessorCount > 1,
            let second = try? GitRepository.discover(from: repository.workdir)
        else { return paths.map(read) }
        let half = paths.count / 2
        let handles = [repository, second]
        let ids = paths.map { entries[$0] }
        let texts = UnsafeMutableBufferPointer<String?>.allocate(capacity: paths.count)
        texts.initialize(repeating: nil)
        defer {
            _ = texts.deinitialize()
            texts.deallocate()
        }
        // Each thread writes only its own half.
        nonisolated(unsafe) let out = texts
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            for index in (part == 0 ? 0..<half : half..<paths.count) {
                out[index] = ids[index].flatMap { try? handles[part].blobText($0) }
            }
        }
        return Array(texts)
    }

    /// The snapshot's paths under the folders, with their blob ids.
    public func entries(under folders: [String]) -> [String: String] {
        entries.filter { path, _ in folders.contains { path == $0 || path.hasPrefix($0 + "/") } }
    }

    /// The snapshot's paths under the folders (relative to the root), sorted; never folders.
    public func files(under folders: [String]) -> [String] {
        entries.keys.filter { path in folders.contains { path == $0 || path.hasPrefix($0 + "/") } }.sorted()
    }
}
