import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What git's index does for `git status`: the blob id of each generated file together with
/// the file's size, modification time and inode when that id was known to be right, so a
/// build or check with nothing changed reads no file whose metadata is the same.
///
/// Kept beside the repository's git data (`<git dir>/oceanid-gen/stat-cache`), never in the
/// tree: the numbers belong to this checkout on this machine. Without a git directory there
/// is no cache and every file is read, as before.
///
/// Racy entries (git's "racily clean" problem, Documentation/technical/racy-git.txt): a file
/// changed within the same timestamp tick as the moment it was recorded could keep its size
/// and mtime, so an entry whose mtime is not older than the cache file's own mtime is never
/// trusted; such files are read and recorded again by the next build.
public final class StatCache: @unchecked Sendable {
    struct Entry: Equatable {
        var id: String
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
        var inode: UInt64
    }

    /// Where the cache lives, or nil when the root is not inside a git work tree.
    let file: String?
    let root: String
    private(set) var entries: [String: Entry] = [:]
    /// The cache file's mtime when it was loaded: entries at or after it are racy.
    private var loadedAt: (seconds: Int, nanoseconds: Int)?
    private let lock = NSLock()

    static let format = "oceanid-gen stat cache 1"

    public init(root: String) {
        self.root = root
        self.file = Self.gitDirectory(above: root).map { $0 + "/oceanid-gen/stat-cache" }
        load()
    }

    /// The git directory of the work tree holding `root`: `.git` as a folder, or the folder a
    /// `.git` file points at (`gitdir: …`, worktrees and submodules).
    static func gitDirectory(above root: String) -> String? {
        var folder = URL(fileURLWithPath: root).standardizedFileURL.path
        while true {
            let candidate = folder + "/.git"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return candidate }
                guard let text = FileManager.default.contents(atPath: candidate).map({ String(decoding: $0, as: UTF8.self) }),
                      text.hasPrefix("gitdir: ") else { return nil }
                let target = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
                return target.hasPrefix("/") ? target : folder + "/" + target
            }
            guard folder != "/", !folder.isEmpty else { return nil }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? info : nil
    }

    private func load() {
        guard let file, let info = Self.status(file), let data = FileManager.default.contents(atPath: file) else { return }
        loadedAt = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        // `<header> <root>` then one `<id> <size> <seconds> <nanoseconds> <inode> <path>` line
        // per file, parsed on the bytes (40,000 lines).
        let header = Array("\(Self.format) \(root)\n".utf8)
        var parsed: [String: Entry] = [:]
        let complete: Bool = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= header.count, bytes[0..<header.count].elementsEqual(header) else { return false }
            var i = header.count
            func number() -> Int? {
                var value = 0, digits = 0
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    value = value &* 10 &+ Int(bytes[i] - 48)
                    i += 1
                    digits += 1
                }
                guard digits > 0, digits < 19, i < bytes.count, bytes[i] == 32 else { return nil }
                i += 1
                return value
            }
            while i < bytes.count {
                guard i + 41 <= bytes.count, bytes[i + 40] == 32 else { return false }
                let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + 40)]), as: UTF8.self)
                i += 41
                guard let size = number(), let seconds = number(), let nanoseconds = number(), let inode = number() else { return false }
                let start = i
                while i < bytes.count, bytes[i] != 10 { i += 1 }
                guard i > start else { return false }
                parsed[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)] =
                    Entry(id: id, size: Int64(size), seconds: seconds, nanoseconds: nanoseconds, inode: UInt64(inode))
                i += 1
            }
            return true
        }
        entries = complete ? parsed : [:]  // a damaged cache is no cache
    }

    /// The blob id of the file at `path` (relative to the root) when its metadata is what was
    /// recorded and the entry is not racy; nil otherwise (the caller reads the file).
    public func blobID(_ path: String) -> String? {
        lock.lock()
        let entry = entries[path]
        lock.unlock()
        guard let entry, let loadedAt, let info = Self.status(root + "/" + path) else { return nil }
        let current = Entry(id: entry.id, size: Int64(info.st_size), seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
                            inode: UInt64(info.st_ino))
        guard current == entry else { return nil }
        let racy = (entry.seconds, entry.nanoseconds) >= loadedAt
        return racy ? nil : entry.id
    }

    /// Records that each path now holds the blob with that id (just written, or compared),
    /// and drops every other entry; then saves. Failures are ignored: it is only a cache.
    public func record(_ ids: [String: String]) {
        guard let file else { return }
        var next: [String: Entry] = [:]
        next.reserveCapacity(ids.count)
        for (path, id) in ids {
            guard let info = Self.status(root + "/" + path) else { continue }
            next[path] = Entry(id: id, size: Int64(info.st_size), seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
                               inode: UInt64(info.st_ino))
        }
        lock.lock()
        let unchanged = next == entries
        entries = next
        lock.unlock()
        // An unchanged cache is not rewritten (its own mtime keeps its entries trusted),
        // unless some entry is racy against it: rewriting moves its mtime past them.
        let racy = loadedAt.map { at in next.values.contains { ($0.seconds, $0.nanoseconds) >= at } } ?? true
        guard !unchanged || racy else { return }
        var text = "\(Self.format) \(root)\n"
        text.reserveCapacity(next.count * 96)
        for (path, entry) in next.sorted(by: { $0.key < $1.key }) {
            text += "\(entry.id) \(entry.size) \(entry.seconds) \(entry.nanoseconds) \(entry.inode) \(path)\n"
        }
        let folder = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = folder + "/.stat-cache.\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)), rename(temp, file) == 0 else {
            unlink(temp)
            return
        }
    }
}
