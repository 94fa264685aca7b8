import Compiler
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What git's index does for `git status`: the blob id of each generated file together with
/// the file's size, modification and change times and inode when that id was known to be
/// right, so a build or check with nothing changed reads no file whose metadata is the same.
///
/// Kept beside the repository's git data (`<git dir>/oceanid-gen/stat-cache`, the git dir as
/// `GitRepository` finds it), never in the tree: the numbers belong to this checkout on this
/// machine. Without a git repository there is no cache and every file is read, as before.
///
/// An entry is only ever made from metadata observed *before* the bytes it vouches for were
/// read (or, for a file the build wrote, from the written file itself, checked again after
/// the rename): an edit during a build changes the metadata after the observation, so the
/// next run reads the file. Racy entries (git's "racily clean" problem,
/// Documentation/technical/racy-git.txt): an entry whose mtime is not older than the cache
/// file's own mtime is never trusted, since a change in the same timestamp tick could keep
/// size and times; and a file read within `settling` of its last modification is entered
/// only after a second look once it is that old (`settle`: the same metadata, the same
/// bytes), since a second write in that tick, after the read, would keep the times.
///
/// It may also carry a `CleanRecord`: the fingerprint of a run's inputs (the program and
/// `settings.yaml`, see `Freshness`) whose output tree was found exactly as generated. The
/// record is only good while every file under the output roots is still one of the cached
/// entries, unchanged (`cleanTree`, `cleanSnapshot`).
///
/// Only `CachedTreeSource` and `Freshness` use it: a cache bug may cost time, never
/// correctness (see the module README).
final class StatCache: @unchecked Sendable {
    struct Entry: Equatable {
        var id: String
        var size: Int64
        var mtime: Stamp
        var ctime: Stamp
        var inode: UInt64
    }

    /// Seconds and nanoseconds (negative seconds before 1970).
    struct Stamp: Equatable, Comparable, Sendable {
        var seconds: Int
        var nanoseconds: Int
        static func < (a: Stamp, b: Stamp) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }

        init(seconds: Int, nanoseconds: Int) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }

        init(_ time: timespec) { self.init(seconds: Int(time.tv_sec), nanoseconds: Int(time.tv_nsec)) }

        /// The file's modification time (`st_mtim` on Linux, `st_mtimespec` on Darwin).
        static func modified(_ info: stat) -> Stamp {
            #if canImport(Darwin)
                Stamp(info.st_mtimespec)
            #else
                Stamp(info.st_mtim)
            #endif
        }

        /// The file's status change time.
        static func changed(_ info: stat) -> Stamp {
            #if canImport(Darwin)
                Stamp(info.st_ctimespec)
            #else
                Stamp(info.st_ctim)
            #endif
        }
    }

    /// Where the cache lives, or nil when the root is not inside a git work tree.
    let file: String?
    let root: String
    private(set) var entries: [String: Entry] = [:]
    /// Entries confirmed by this run: what `save` writes.
    private var verified: [String: Entry] = [:]
    /// The metadata each file had just before this run read it.
    private var observed: [String: stat] = [:]
    /// Files read within `settling` of their last modification: the metadata before the read.
    private var fresh: [String: stat] = [:]
    /// Fresh files whose bytes were the blob id given: `settle` vouches for them once they are
    /// old enough, if they are still those bytes.
    private var unsettled: [String: (id: String, info: stat)] = [:]
    /// The cache file's mtime when it was loaded: entries at or after it are racy.
    private var loadedAt: Stamp?
    /// The clean record loaded, and the one `save` writes.
    private(set) var clean: CleanRecord?
    private var nextClean: CleanRecord?
    /// `verified` is `entries`, every one found unchanged (`cleanTree`).
    private var verifiedAll = false
    private let lock = NSLock()

    static let format = "oceanid-gen stat cache 3"

    init(root: String) {
        self.root = root
        // libgit2 finds the repository as git does (a `.git` folder or file, linked work trees).
        self.file = (try? GitRepository.discover(from: root))?.gitDirectory.appending("/oceanid-gen/stat-cache")
        load()
    }

    /// A regular file's metadata (a symbolic link or a folder is not one).
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? info : nil
    }

    static func entry(_ id: String, _ info: stat) -> Entry {
        Entry(
            id: id, size: Int64(info.st_size), mtime: Stamp.modified(info), ctime: Stamp.changed(info),
            inode: UInt64(info.st_ino))
    }

    private func load() {
        guard let file, let info = Self.status(file), let data = FileManager.default.contents(atPath: file) else {
            return
        }
        loadedAt = Stamp.modified(info)
        // `<header> <root>` then one `<id> <size> <mtime s> <mtime ns> <ctime s> <ctime ns> <inode> <path>`
        // line per file, parsed on the bytes (40,000 lines).
        let header = Array("\(Self.format) \(root)\n".utf8)
        var parsed: [String: Entry] = [:]
        var loadedClean: CleanRecord?
        let complete: Bool = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= header.count, bytes[0..<header.count].elementsEqual(header) else { return false }
            var i = header.count
            let cleanTag = Array("clean ".utf8)
            var record: CleanRecord?
            if bytes.count >= i + cleanTag.count, bytes[i..<(i + cleanTag.count)].elementsEqual(cleanTag) {
                var end = i + cleanTag.count
                while end < bytes.count, bytes[end] != 10 { end += 1 }
                // `clean <fingerprint> <files> <diagnostics as one line of JSON>`
                let fields = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[(i + cleanTag.count)..<end]), as: UTF8.self
                )
                .split(separator: " ", maxSplits: 2)
                guard fields.count == 3, let files = Int(fields[1]), files >= 0,
                    fields[0].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
                    let diagnostics = try? JSONDecoder().decode([Diagnostic].self, from: Data(fields[2].utf8)),
                    !diagnostics.hasErrors
                else { return false }  // a clean run had no error: a hand-made record
                record = CleanRecord(fingerprint: String(fields[0]), files: files, diagnostics: diagnostics)
                i = end + 1
            }
            defer { if record != nil { loadedClean = record } }
            /// A decimal number (a leading '-' when `signed`) followed by one space.
            func number(signed: Bool = true) -> Int64? {
                var negative = false
                if signed, i < bytes.count, bytes[i] == UInt8(ascii: "-") {
                    negative = true
                    i += 1
                }
                var value: UInt64 = 0
                var digits = 0
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[i] - 48))
                    guard !o1, !o2 else { return nil }
                    value = sum
                    i += 1
                    digits += 1
                }
                guard digits > 0, i < bytes.count, bytes[i] == 32 else { return nil }
                i += 1
                return negative ? -Int64(truncatingIfNeeded: value) : Int64(bitPattern: value)
            }
            while i < bytes.count {
                guard i + 41 <= bytes.count, bytes[i + 40] == 32 else { return false }
                let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + 40)]), as: UTF8.self)
                i += 41
                guard let size = number(signed: false), let ms = number(), let mns = number(), let cs = number(),
                    let cns = number(),
                    let inode = number(signed: false)
                else { return false }
                let start = i
                while i < bytes.count, bytes[i] != 10 { i += 1 }
                guard i > start else { return false }
                parsed[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)] =
                    Entry(
                        id: id, size: size, mtime: Stamp(seconds: Int(ms), nanoseconds: Int(mns)),
                        ctime: Stamp(seconds: Int(cs), nanoseconds: Int(cns)), inode: UInt64(bitPattern: inode))
                i += 1
            }
            return true
        }
        entries = complete ? parsed : [:]  // a damaged cache is no cache
        clean = complete ? loadedClean : nil
    }

    /// The clean record when it is for `fingerprint` and the working tree is still what that
    /// run saw: the regular files under `folders` (the output roots and the manifest's folder;
    /// a build journal or temp file there is a difference) are exactly the cached paths, each
    /// with its recorded metadata (not racy). nil means: run the whole pipeline. Every entry
    /// is then confirmed, so `save` keeps them without rewriting the cache.
    func cleanTree(fingerprint: String, folders: [String]) -> CleanRecord? {
        guard let clean, clean.fingerprint == fingerprint, let loadedAt else { return nil }
        var found = 0
        var same = true
        DirectoryWalk.walk(root: root, folders: folders, withStatus: true) { path, info in
            guard same else { return }
            found += 1
            guard let info, let entry = entries[path], Self.entry(entry.id, info) == entry, entry.mtime < loadedAt
            else {
                same = false
                return
            }
        }
        guard same, found == entries.count else { return nil }
        lock.lock()
        verified = entries
        verifiedAll = true
        nextClean = clean
        lock.unlock()
        return clean
    }

    /// The clean record when it is for `fingerprint` and a
    /// snapshot (the index or HEAD; `entries` are its paths under the output roots and the
    /// manifest, with blob ids) holds exactly the files that run found, with the same ids:
    /// then the snapshot generates the same files and is as clean as that tree was.
    func cleanSnapshot(fingerprint: String, entries snapshot: [String: String]) -> CleanRecord? {
        guard let clean, clean.fingerprint == fingerprint, snapshot.count == entries.count else { return nil }
        for (path, id) in snapshot where entries[path]?.id != id { return nil }
        return clean
    }

    /// This run found the tree exactly as generated from inputs with `fingerprint`, with
    /// nothing to report but `diagnostics` (no errors); `save` writes the record beside the
    /// entries it confirmed. Recorded only when those entries cover every regular file under
    /// `folders` (the compared ones) as the tree is now: a file this run did not vouch for (one
    /// modified a moment before it was read) would otherwise be missing from both the cache
    /// and an index that lacks it, and `cleanSnapshot` would call that index clean.
    /// - Returns: whether the record was taken.
    @discardableResult
    func recordClean(_ record: CleanRecord, folders: [String]) -> Bool {
        var listed: [String] = []
        DirectoryWalk.walk(root: root, folders: folders) { path, _ in listed.append(path) }
        lock.lock()
        defer { lock.unlock() }
        guard listed.allSatisfy({ verified[$0] != nil }) else { return false }
        // Entries of files gone since they were vouched for (deleted by this build) go too.
        if verified.count != listed.count {
            let present = Set(listed)
            verified = verified.filter { present.contains($0.key) }
            verifiedAll = false
        }
        nextClean = record
        return true
    }

    /// The blob id of the file at `path` (relative to the root) when its metadata is what was
    /// recorded and the entry is not racy; nil otherwise (the caller reads the file). A hit
    /// is confirmed for this run's cache.
    func blobID(_ path: String) -> String? {
        lock.lock()
        let entry = entries[path]
        lock.unlock()
        guard let entry, let loadedAt, let info = Self.status(root + "/" + path) else { return nil }
        guard Self.entry(entry.id, info) == entry, entry.mtime < loadedAt else { return nil }
        lock.lock()
        verified[path] = entry
        lock.unlock()
        return entry.id
    }

    /// Notes the file's metadata just before its bytes are read. A file modified within the
    /// last `settling` seconds is noted as fresh, not observed: a second write in the same
    /// timestamp tick, after the read, would keep size and times (a coarse clock ticks every
    /// few ms) and hide from every later run; `settle` reads it again once it is older.
    func willRead(_ path: String) {
        guard let info = Self.status(root + "/" + path) else { return }
        let settled = Self.age(of: info) >= Self.settling
        lock.lock()
        if settled { observed[path] = info } else { fresh[path] = info }
        lock.unlock()
    }

    /// Seconds since the file's last modification by the real-time clock (negative when it is
    /// dated in the future).
    static func age(of info: stat) -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let modified = Stamp.modified(info)
        return Double(Int(now.tv_sec) - modified.seconds) + Double(Int(now.tv_nsec) - modified.nanoseconds) / 1e9
    }

    /// How old (seconds) a file's last modification must be for its read to be vouched for.
    static let settling = 0.05

    /// The bytes read after `willRead` were the blob `id`: vouched for with the metadata
    /// observed before the read (an edit since then shows in the metadata).
    func confirm(_ path: String, id: String) {
        lock.lock()
        if let info = observed[path], verified[path] != Self.entry(id, info) {
            verified[path] = Self.entry(id, info)
            verifiedAll = false
        } else if observed[path] == nil, let info = fresh[path] {
            unsettled[path] = (id, info)
        }
        lock.unlock()
    }

    /// Vouches for the fresh files `confirm` was told about, the way a second look settles
    /// git's racily clean entries (Documentation/technical/racy-git.txt): waits until the
    /// newest of them is `settling` old (at most that long, and only when a run read a file
    /// modified a moment before), then takes each file's metadata again and reads it again.
    /// An entry is made only when the metadata is the one seen before the first read and the
    /// bytes are still the blob id: a write after this look lands in a later timestamp tick
    /// (new times), and one in the tick of the first read changed the bytes. Without it, a
    /// build run right after another (scripts, tests) could never record the tree clean.
    /// Called by `Freshness.remember` before `recordClean`; `shortcut` never waits.
    func settle() {
        lock.lock()
        let pending = unsettled
        unsettled = [:]
        lock.unlock()
        guard !pending.isEmpty else { return }
        // A file dated in the future is never waited for (it stays unvouched).
        let ages = pending.values.map { Self.age(of: $0.info) }.filter { $0 >= 0 && $0 < Self.settling }
        if let youngest = ages.min() { Thread.sleep(forTimeInterval: Self.settling - youngest + 0.001) }
        for (path, seen) in pending {
            let before = Self.entry(seen.id, seen.info)
            guard Self.age(of: seen.info) >= Self.settling, let now = Self.status(root + "/" + path),
                Self.entry(seen.id, now) == before,
                let bytes = FileManager.default.contents(atPath: root + "/" + path),
                BlobID.of([UInt8](bytes)) == seen.id
            else { continue }
            lock.lock()
            verified[path] = before
            verifiedAll = false
            lock.unlock()
        }
    }

    /// A file this run wrote: its metadata as written was taken before the rename; the entry
    /// is made only if the file in place is still that file (same inode, size and mtime:
    /// nothing wrote it since), with the ctime the rename set.
    func wrote(_ file: WrittenFile) {
        guard let now = Self.status(root + "/" + file.path), UInt64(now.st_ino) == file.inode,
            Int64(now.st_size) == file.size,
            Stamp.modified(now) == file.mtime
        else { return }
        lock.lock()
        verified[file.path] = Self.entry(file.blobID, now)
        verifiedAll = false
        lock.unlock()
    }

    /// Writes the entries this run confirmed (and only those); failures are ignored: it is
    /// only a cache. An unchanged cache is not rewritten (its own mtime keeps its entries
    /// trusted), unless some entry is racy against it: rewriting moves its mtime past them.
    func save() {
        guard let file else { return }
        lock.lock()
        let next = verified
        let record = nextClean
        let all = verifiedAll
        let unchanged = (all || next == entries) && record == clean
        entries = next
        clean = record
        lock.unlock()
        let racy = all ? false : loadedAt.map { at in next.values.contains { !($0.mtime < at) } } ?? true
        guard !unchanged || racy else { return }
        var out = Array("\(Self.format) \(root)\n".utf8)
        if let record, let diagnostics = try? JSONEncoder().encode(record.diagnostics) {
            // JSONEncoder escapes control characters: the array stays on one line.
            out.append(contentsOf: "clean \(record.fingerprint) \(record.files) ".utf8)
            out.append(contentsOf: diagnostics)
            out.append(10)
        }
        out.reserveCapacity(out.count + next.count * 120)
        for path in next.keys.sorted() {
            let e = next[path]!
            out.append(
                contentsOf:
                    "\(e.id) \(e.size) \(e.mtime.seconds) \(e.mtime.nanoseconds) \(e.ctime.seconds) \(e.ctime.nanoseconds) \(e.inode) "
                    .utf8)
            out.append(contentsOf: path.utf8)
            out.append(10)
        }
        let folder = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = folder + "/.stat-cache.\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(out)), rename(temp, file) == 0 else {
            unlink(temp)
            return
        }
    }
}
