import Compiler
import Foundation
import Rendering

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output tree rooted at the repository: plans and applies changes to the files
/// oceanid-gen owns, and nothing else.
///
/// Invariants: a file not listed in the manifest (or pending journal) is never modified or
/// deleted; every write goes through a temp file, fsync and rename, so no reader ever sees
/// a half-written file; unchanged files are never rewritten.
public struct Workspace: Sendable {
    /// The oceanid-gen root, without a trailing slash; every path the workspace takes is relative to it.
    public let root: String

    /// The output tree under `root` (one trailing slash is dropped). Touches nothing.
    public init(root: String) {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// What `apply` did: counts by kind of change, and every file written with its metadata.
    /// Every file counted was replaced whole (temp file, sync, rename) and was owned or new.
    public struct Report: Equatable, Sendable {
        public var created = 0, updated = 0, deleted = 0
        /// Whether `.oceanid-gen/manifest` was rewritten (it is left alone when its bytes are already right).
        public var manifestWritten = false
        /// Whether `.oceanid-gen/.gitattributes` (the manifest's merge driver) was written.
        public var attributesWritten = false
        /// Every file written, with its metadata as written (what `Freshness.remember` feeds
        /// the stat cache).
        public var written: [WrittenFile] = []
        /// Files created, updated and deleted (the manifest not counted).
        public var total: Int { created + updated + deleted }
        /// Nothing done yet.
        public init() {}
    }

    func absolute(_ path: String) -> String { "\(root)/\(path)" }

    /// The files oceanid-gen owns now: the manifest plus any journal an interrupted build left.
    public func ownedManifest(in source: TreeSource? = nil) throws -> OwnedManifest {
        try owned(in: source ?? WorktreeSource(root: root)).manifest
    }

    /// The owned files, and whether an interrupted build left its journal.
    private func owned(in source: TreeSource) throws -> (manifest: OwnedManifest, journalLeft: Bool) {
        var owned = try source.read(OwnedManifest.path).map(OwnedManifest.parse) ?? OwnedManifest()
        let pending = try source.read(OwnedManifest.journalPath).map(OwnedManifest.parse)
        for (path, id) in pending?.entries ?? [:] where owned.entries[path] == nil { owned.entries[path] = id }
        return (owned, pending != nil)
    }

    /// Compares the generated files with a tree (the working tree unless told otherwise).
    /// Files the generator did not write but that stand where generated files must go are
    /// `conflicts`; `apply` refuses a plan that has any. Only reads: the files it read and
    /// found to be a known blob are `vouched` in the plan, for the caller to remember.
    ///
    /// `drafts` (`DraftMigrations.paths`): append-only files HEAD does not hold yet, the
    /// developer's drafts. They are rewritten when the definitions generate other bytes and
    /// pruned when nothing generates them, like any generated file; a committed append-only
    /// file never is. A file a merge left with conflict markers, or listed twice in a merged
    /// manifest, is rebuilt and not reported as hand-edited.
    public func plan(
        _ files: [GeneratedFile], against source: TreeSource? = nil, drafts: Set<String> = []
    ) throws -> OutputPlan {
        let source = source ?? WorktreeSource(root: root)
        let (owned, journalLeft) = try owned(in: source)
        /// Not what oceanid-gen last wrote, and not a merge's doing either.
        func handEdited(_ path: String, _ bytes: [UInt8], recorded: String) -> Bool {
            owned.merged[path] == nil && BlobID.of(bytes) != recorded && !OwnedManifest.hasConflictMarkers(bytes)
        }
        var next = OwnedManifest(files: files)
        var entries: [OutputPlan.Entry] = []
        var unchanged = 0
        var conflicts: [String] = []
        var clearFolders = Set<String>()  // folders found free of files, with their ancestors
        var violations: [OutputPlan.AppendOnlyViolation] = []
        var vouched: [String: String] = [:]
        for file in files {
            try checkSafe(file.path)
            let generatedID = next.entries[file.path]!
            // Compared as bytes, never as Strings: Swift's String == is canonical equivalence
            // (the Kelvin sign equals K, decomposed é the composed one), and reading repairs
            // invalid UTF-8 (an invalid byte where the generated text has U+FFFD would match).
            if file.policy == .appendOnly, !drafts.contains(file.path), let current = source.readBytes(file.path) {
                // Written once, never again. The id the manifest recorded when it was written is
                // the reference, not what is generated now: a migration's generator reads the
                // history back from this very tree, so an edit would otherwise look unchanged.
                let currentID = source.blobID(file.path) ?? BlobID.of(current)
                let recorded =
                    owned.merged[file.path]?.contains(currentID) == true ? currentID : owned.entries[file.path]
                next.entries[file.path] = recorded ?? currentID
                if let recorded, currentID != recorded {
                    violations.append(.init(path: file.path, kind: .edited))
                } else if !current.elementsEqual(file.contents.utf8) {
                    violations.append(.init(path: file.path, kind: .wouldChange))
                } else {
                    unchanged += 1
                    vouched[file.path] = generatedID
                }
                continue
            }
            if let id = source.blobID(file.path), id == generatedID {
                unchanged += 1
                continue
            }
            guard let bytes = source.readBytes(file.path) else {
                // A folder at the path, or a file where one of its folders goes, would make the
                // rename fail halfway through a build: refuse before writing anything.
                if source.isFolder(file.path) || ancestorIsFile(file.path, in: source, clear: &clearFolders) {
                    conflicts.append(file.path)
                } else {
                    entries.append(.init(path: file.path, change: .create, contents: file.contents, current: nil))
                }
                continue
            }
            if bytes.elementsEqual(file.contents.utf8) {
                unchanged += 1
                vouched[file.path] = generatedID
                continue
            }
            let current = String(decoding: bytes, as: UTF8.self)  // for the diff
            if let recorded = owned.entries[file.path] {
                let edited = !drafts.contains(file.path) && handEdited(file.path, bytes, recorded: recorded)
                entries.append(
                    .init(
                        path: file.path, change: .update(handEdited: edited), contents: file.contents, current: current)
                )
            } else if FileHeader.isGenerated(current) {
                // Carries our header but the manifest lost it (e.g. a merge): ours to replace.
                entries.append(
                    .init(
                        path: file.path, change: .update(handEdited: false), contents: file.contents, current: current))
            } else {
                conflicts.append(file.path)
            }
        }
        // Folders whose append-only files a generated file supersedes (a database whose history
        // the definitions retired): pruned like any file no longer generated.
        let retired = files.flatMap(\.retires)
        for (path, recorded) in owned.entries.sorted(by: { $0.key < $1.key }) where next.entries[path] == nil {
            try checkSafe(path)
            if owned.appendOnly.contains(path), !drafts.contains(path), !retired.contains(where: { path.hasPrefix($0) })
            {
                // Never pruned: it stays owned; gone without anything to restore it is an error.
                next.entries[path] = recorded
                next.appendOnly.insert(path)
                if let current = source.readBytes(path) {
                    let currentID = BlobID.of(current)
                    if owned.merged[path]?.contains(currentID) == true { next.entries[path] = currentID }
                    if currentID != next.entries[path] {
                        violations.append(.init(path: path, kind: .edited))
                    } else {
                        vouched[path] = currentID
                    }
                } else {
                    violations.append(.init(path: path, kind: .deleted))
                }
                continue
            }
            guard let current = source.readBytes(path) else { continue }
            entries.append(
                .init(
                    path: path,
                    change: .delete(
                        handEdited: !drafts.contains(path) && handEdited(path, current, recorded: recorded)),
                    contents: nil, current: String(decoding: current, as: UTF8.self)))
        }
        // Files with our header that nobody owns and nothing generates: left over from a lost
        // manifest. Only the output roots are searched (OutputLayout names them all).
        let folders = OutputLayout.Root.allCases.map(\.rawValue)
        let strays = source.files(under: folders).filter { path in
            guard next.entries[path] == nil, owned.entries[path] == nil, let bytes = source.readBytes(path) else {
                return false
            }
            if FileHeader.isGenerated(String(decoding: bytes, as: UTF8.self)) { return true }
            vouched[path] = BlobID.of(bytes)  // a hand-written file (any bytes), known from now on
            return false
        }
        let nextText = next.text
        let nextID = BlobID.of(nextText)
        let manifestChanged =
            source.blobID(OwnedManifest.path).map { $0 != nextID }
            ?? !(source.readBytes(OwnedManifest.path).map { $0.elementsEqual(nextText.utf8) } ?? false)
        if !manifestChanged { vouched[OwnedManifest.path] = nextID }
        let attributesRight =
            source.readBytes(OwnedManifest.attributesPath)?.elementsEqual(OwnedManifest.attributes.utf8) ?? false
        if attributesRight { vouched[OwnedManifest.attributesPath] = BlobID.of(OwnedManifest.attributes) }
        var plan = OutputPlan(
            entries: entries.sorted { $0.path < $1.path }, manifest: next, manifestText: nextText,
            manifestChanged: manifestChanged || journalLeft || !attributesRight, unchanged: unchanged,
            conflicts: conflicts.sorted(), strays: strays,
            appendOnlyViolations: violations.sorted { $0.path < $1.path }, vouched: vouched)
        plan.drafts = drafts.intersection(entries.map(\.path))
        plan.attributesChanged = !attributesRight
        return plan
    }

    /// Whether a file stands where one of the path's folders goes. `clear` holds folders
    /// already found free (with all their ancestors), so a plan looks at each folder once.
    private func ancestorIsFile(_ path: String, in source: TreeSource, clear: inout Set<String>) -> Bool {
        var folder = PathParts(path).folder
        var checked: [String] = []
        while !folder.isEmpty, !clear.contains(folder) {
            if !source.isFolder(folder) && source.read(folder) != nil { return true }
            checked.append(folder)
            folder = PathParts(folder).folder
        }
        clear.formUnion(checked)
        return false
    }

    /// Carries out a plan. Order: journal; every new file to a temp file beside its target;
    /// one filesystem sync; renames over the targets; deletions; manifest; journal removal;
    /// a final sync. A crash at any point leaves every file whole (old or new bytes), and
    /// the next build, which sees the journal, completes the plan. The report lists every
    /// file written with its metadata (`Report.written`).
    @discardableResult
    public func apply(_ plan: OutputPlan) throws -> Report {
        var report = Report()
        if let first = plan.conflicts.first { throw WorkspaceError.unownedFile(path: first) }
        if let first = plan.appendOnlyViolations.first {
            throw WorkspaceError.appendOnly(path: first.path, kind: first.kind)
        }
        guard !plan.isEmpty else {
            removeLeftoverTempFiles(in: [PathParts(OwnedManifest.path).folder])
            return report
        }
        try writeAtomically(OwnedManifest.journalPath, plan.manifestText)
        let writes = plan.entries.filter { $0.contents != nil }
        var staged: [(temp: String, target: String, path: String, written: stat)] = []
        var folders: Set<String> = []  // made (or found) already: one mkdir per folder, not per file
        for entry in writes {
            staged.append(try writeTemp(entry.path, entry.contents ?? "", folders: &folders))
            if entry.change == .create { report.created += 1 } else { report.updated += 1 }
        }
        // One sync for all temp files instead of an fsync per file: the same guarantee,
        // since no rename happens before every temp file is on disk.
        syncFilesystem()
        for file in staged {
            guard rename(file.temp, file.target) == 0 else {
                throw WorkspaceError.io(path: file.path, operation: "rename", errno: errno)
            }
            if let id = plan.manifest.entries[file.path] {
                report.written.append(WrittenFile(path: file.path, blobID: id, written: file.written))
            }
        }
        for entry in plan.entries where entry.contents == nil {
            try remove(entry.path)
            report.deleted += 1
        }
        // After an interrupted build the manifest may already be right: then it stays untouched.
        let manifestText = plan.manifestText
        if plan.manifestChanged
            && !(WorktreeSource(root: root).readBytes(OwnedManifest.path).map { $0.elementsEqual(manifestText.utf8) }
                ?? false)
        {
            let written = try writeAtomically(OwnedManifest.path, manifestText)
            report.written.append(
                WrittenFile(
                    path: OwnedManifest.path, blobID: BlobID.of(manifestText),
                    written: written))
            report.manifestWritten = true
        }
        if plan.attributesChanged
            && !(WorktreeSource(root: root).readBytes(OwnedManifest.attributesPath)?.elementsEqual(
                OwnedManifest.attributes.utf8) ?? false)
        {
            let written = try writeAtomically(OwnedManifest.attributesPath, OwnedManifest.attributes)
            report.written.append(
                WrittenFile(
                    path: OwnedManifest.attributesPath, blobID: BlobID.of(OwnedManifest.attributes), written: written))
            report.attributesWritten = true
        }
        try remove(OwnedManifest.journalPath)
        removeLeftoverTempFiles(
            in: Set(plan.entries.map { PathParts($0.path).folder } + [PathParts(OwnedManifest.path).folder]))
        syncFilesystem()
        return report
    }

    /// Temp files an interrupted build left in the folders this build touched (and the
    /// manifest's folder, whose leftovers would otherwise stay forever and keep a no-op from
    /// taking its shortcut). A temp file whose build is still running (its pid, in the name,
    /// is alive) is another build's work in progress and stays.
    private func removeLeftoverTempFiles(in folders: Set<String>) {
        for folder in folders.sorted() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute(folder)) else { continue }
            for name in names where name.hasPrefix(".") && name.hasSuffix(".oceanid-tmp") {
                let parts = name.dropLast(".oceanid-tmp".count).split(separator: ".")
                if let pid = parts.last.flatMap({ Int32($0) }), pid != getpid(), kill(pid, 0) == 0 || errno == EPERM {
                    continue
                }
                unlink(absolute(folder + "/" + name))
            }
        }
    }

    /// Flushes the repository's filesystem only (syncfs(2), Linux), never every filesystem of
    /// the machine as sync(2) would; elsewhere, or if the root cannot be opened, sync(2).
    private func syncFilesystem() {
        #if os(Linux)
            let fd = open(root.isEmpty ? "/" : root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                if oceanid_syncfs(fd) == 0 { return }
            }
        #endif
        sync()
    }

    /// A relative path that stays under the root: not empty, not absolute, no `..` component
    /// (checked on the bytes: it runs for every file of every build).
    private func checkSafe(_ path: String) throws {
        let bytes = path.utf8
        var unsafe = bytes.isEmpty || bytes.first == UInt8(ascii: "/")
        var componentStart = true
        var dots = 0
        for byte in bytes where !unsafe {
            if byte == UInt8(ascii: "/") {
                if dots == 2 { unsafe = true }
                componentStart = true
                dots = 0
            } else if componentStart && byte == UInt8(ascii: ".") && dots < 2 {
                dots += 1
            } else {
                componentStart = false
                dots = 0
            }
        }
        if unsafe || dots == 2 { throw WorkspaceError.unsafePath(path) }
    }

    /// temp file in the same folder → write → fsync → rename over the target → fsync folder.
    @discardableResult
    func writeAtomically(_ path: String, _ contents: String) throws -> stat {
        var folders: Set<String> = []
        let file = try writeTemp(path, contents, sync: true, folders: &folders)
        guard rename(file.temp, file.target) == 0 else {
            throw WorkspaceError.io(path: path, operation: "rename", errno: errno)
        }
        syncFolder(PathParts(file.target).folder)
        return file.written
    }

    /// Writes `.name.oceanid-tmp` beside the target; the caller renames it into place.
    /// Also returns the temp file's metadata once written (what the stat cache records).
    func writeTemp(_ path: String, _ contents: String, sync: Bool = false, folders: inout Set<String>)
        throws -> (temp: String, target: String, path: String, written: stat)
    {
        let target = absolute(path)
        let parts = PathParts(target)
        let folder = parts.folder
        if folders.insert(folder).inserted, mkdir(folder, 0o755) != 0 && errno != EEXIST {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw WorkspaceError.io(path: path, operation: "creating its folder", errno: EACCES)
            }
        }
        // The process id keeps two builds at once from renaming each other's temp files.
        let temp = folder + "/." + parts.name + ".\(getpid()).oceanid-tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkspaceError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var text = contents
        let written: Int = text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += n
            }
            return offset
        }
        guard written == contents.utf8.count else {
            let code = errno
            unlink(temp)
            throw WorkspaceError.io(path: path, operation: "write", errno: code)
        }
        if sync && fsync(fd) != 0 { throw WorkspaceError.io(path: path, operation: "fsync", errno: errno) }
        var metadata = stat()
        _ = fstat(fd, &metadata)
        return (temp, target, path, metadata)
    }

    private func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// Deletes an owned file, then any folders it leaves empty (never the root).
    func remove(_ path: String) throws {
        let target = absolute(path)
        if unlink(target) != 0 && errno != ENOENT {
            throw WorkspaceError.io(path: path, operation: "delete", errno: errno)
        }
        var folder = PathParts(path).folder
        while !folder.isEmpty, rmdir(absolute(folder)) == 0 {
            folder = PathParts(folder).folder
        }
    }
}

#if os(Linux)
    /// glibc's syncfs(2), which the Glibc module does not import.
    @_silgen_name("syncfs") private func oceanid_syncfs(_ fd: Int32) -> Int32
#endif

/// A slash-separated path split at its last slash, on bytes (NSString's path helpers walk
/// Characters, which showed up in profiles at 40,000 files).
struct PathParts {
    /// Everything before the last "/" ("" when there is none).
    let folder: String
    /// Everything after it.
    let name: String

    init(_ path: String) {
        if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            folder = String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        } else {
            folder = ""
            name = path
        }
    }
}
