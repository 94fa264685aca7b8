import ArgumentParser
import Compiler
import Foundation
import Workspace

struct Build: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile, check and write the generated tree.",
        discussion: """
            Writes only files that changed (temp file, sync, rename), deletes generated files that are no longer produced, and never touches a file it did not generate. With any error in the fleet nothing is written. With --commit, every generated path that differs from HEAD (written by this build or an earlier one; and nothing else, whatever else is staged) is committed with a standard message.

            Exit codes: 0 built or up to date; 2 the fleet has errors (nothing written); 4 the tree could not be read or written (a hand-written file where a generated one goes, I/O), --commit outside git or with settings.yaml differing from HEAD, or definitions/ differs from the definitions compiled in (run make build); 64 usage.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(
        help:
            "Commit exactly the generated paths that differ from HEAD (written by this build or an earlier one).")
    var commit = false

    @Option(
        name: .customLong("renumber"),
        help: """
            A committed migration (sql/<db>/migrations/V<NNNN>__<slug>.sql) that repeats a version another \
            branch committed and that no database has applied: removed, and its change written again as \
            the next free version. Repeat for each such migration of the database.
            """)
    var renumber: [String] = []

    static let commitSubject = "oceanid-gen: regenerate output"

    @Option(
        help: """
            text (default), json (as --json) or sarif: the diagnostics as a SARIF 2.1.0 log on stdout for \
            GitHub code scanning; what text prints on stdout then goes to stderr.
            """)
    var format: OutputFormat?

    func execute(_ context: RunContext) -> ExitStatus {
        let context = context.formatted(format)
        let planned: BuildPipeline.Planned
        let source = CachedTreeSource(root: context.root)
        var pipeline = context.pipeline
        pipeline.renumbering = renumber
        do {
            planned = try pipeline.plan(against: source)
            context.keep(planned)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("build", .workspaceError, diagnostics: [], error: "\(error)")
        }
        let generated = planned.generated
        guard let plan = planned.plan else {
            return context.finish("build", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let report: Workspace.Report
        var repository: GitRepository?
        do {
            if commit {
                repository = try GitRepository.discover(from: context.root)
                guard let repository, let prefix = repository.relativePath(context.root) else {
                    let message = "error: --commit needs a git repository; \(context.root) is not in one"
                    context.console.err(message + "\n")
                    return context.finish("build", .workspaceError, diagnostics: generated.diagnostics, error: message)
                }
                // The output is made from settings.yaml as it is on disk: committed without
                // it, HEAD would hold output its own tree does not generate (CI's check fails).
                let settingsPath = (prefix.isEmpty ? "" : prefix + "/") + SettingsFile.path
                let onDisk = FileManager.default.contents(atPath: context.root + "/" + SettingsFile.path).map {
                    BlobID.of([UInt8]($0))
                }
                if try repository.headBlobID(settingsPath) != onDisk {
                    let message =
                        "error: \(SettingsFile.path) differs from HEAD and the generated output depends on it; "
                        + "commit it first (git add \(SettingsFile.path) && git commit), then run build --commit; nothing was written"
                    context.console.err(message + "\n")
                    return context.finish("build", .workspaceError, diagnostics: generated.diagnostics, error: message)
                }
            }
            report = try context.workspace.apply(plan)
            // What this build saw or wrote: the next one reads none whose metadata stayed the
            // same, and skips compiling when the tree is now exactly what these inputs generate.
            pipeline.remember(planned, in: source, written: report.written)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("build", .workspaceError, diagnostics: generated.diagnostics, error: "\(error)")
        }
        if !context.json {
            for path in renumber {
                let folder = path.split(separator: "/").dropLast().joined(separator: "/") + "/"
                let next = plan.creates.map(\.path).filter { $0.hasPrefix(folder) }
                context.console.err(
                    "\(path): note: renumbered: removed, and its change written again as "
                        + (next.isEmpty ? "nothing (the kept side already has it)" : next.joined(separator: ", "))
                        + "\n")
            }
            for entry in plan.entries where plan.drafts.contains(entry.path) && !renumber.contains(entry.path) {
                // A new slug makes a new path: the draft is then replaced by a file beside it.
                let folder = entry.path.split(separator: "/").dropLast().joined(separator: "/") + "/"
                let replacement = plan.creates.map(\.path).filter { $0.hasPrefix(folder) }
                let rewritten = entry.contents != nil || !replacement.isEmpty
                context.console.err(
                    rewritten
                        ? "\(entry.path): note: rewrote this draft migration (not in HEAD) "
                            + (entry.contents == nil ? "as \(replacement.joined(separator: ", ")) " : "")
                            + "for the declared schema; an uncommitted change stays one migration\n"
                        : "\(entry.path): note: removed this draft migration (not in HEAD): the definitions no longer need it\n"
                )
            }
        }
        if !planned.shortcut, let resolved = resolveMergeConflicts(plan, context) {
            if !resolved.isEmpty && !context.json {
                context.console.err(
                    "oceanid-gen build: rebuilt \(resolved.count) generated file(s) a merge left in conflict and "
                        + "marked them resolved (staged): \(resolved.joined(separator: ", "))\n")
            }
        }
        for path in plan.strays where !context.json {
            context.console.err(
                "\(path): warning: has the generated header but nothing generates it and oceanid-gen does not own it; delete it\n"
            )
        }
        var commitLine = ""
        if let repository, let prefix = repository.relativePath(context.root) {
            let inRepo = { (path: String) in prefix.isEmpty ? path : "\(prefix)/\(path)" }
            do {
                // Every generated path that differs from HEAD, whether this run or an earlier
                // `make build` wrote it: the working tree is now what the definitions generate.
                let changes = try Self.changesSinceHead(root: context.root, repository: repository, prefix: prefix)
                if !changes.isEmpty {
                    let message =
                        "\(Self.commitSubject)\n\n\(changes.created) created, \(changes.updated) updated, "
                        + "\(changes.deleted.count) deleted by `oceanid-gen build --commit`.\n"
                    let id = try repository.commit(
                        written: changes.written.map(inRepo), deleted: changes.deleted.map(inRepo), message: message)
                    commitLine = "\ncommitted \(id.prefix(12)): \(Self.commitSubject)"
                }
            } catch {
                context.console.err("\(error)\n")
                return context.finish("build", .workspaceError, diagnostics: generated.diagnostics, error: "\(error)")
            }
        }
        if !context.json {
            let summary =
                report.total == 0 && !report.manifestWritten
                ? "oceanid-gen build: up to date (\(planned.fileCount) files)"
                : "oceanid-gen build: \(report.created) created, \(report.updated) updated, \(report.deleted) deleted, \(plan.unchanged) unchanged"
            context.console.out(summary + commitLine + "\n")
        }
        let followUps = BuildFollowUp.from(plan.entries, root: context.root)
        if !context.json { context.console.out(BuildFollowUp.text(followUps)) }
        let entries = plan.entries.map { entry -> JSONReport.FileEntry in
            switch entry.change {
            case .create: .init(path: entry.path, status: "create")
            case .update: .init(path: entry.path, status: "update")
            case .delete: .init(path: entry.path, status: "delete")
            }
        }
        return context.finish("build", .ok, diagnostics: generated.diagnostics, files: entries, followUps: followUps)
    }

    /// The generated paths (relative to the root) whose bytes differ from HEAD once the tree is
    /// what the definitions generate: `written` are the owned files (the manifest's entries and
    /// the manifest itself) whose blob differs from HEAD's or that HEAD lacks, `deleted` the
    /// paths HEAD's manifest owned that the current one does not and HEAD still has.
    struct HeadChanges: Equatable {
        var written: [String] = []
        var deleted: [String] = []
        /// Of `written`, how many HEAD lacks (the rest are updates).
        var created = 0
        var updated: Int { written.count - created }
        var isEmpty: Bool { written.isEmpty && deleted.isEmpty }
    }

    /// `HeadChanges` from the manifest on disk and HEAD's tree (`prefix`: the root inside the
    /// repository, "" at its top). Throws `GitError` or `WorkspaceError` (an unreadable manifest).
    static func changesSinceHead(root: String, repository: GitRepository, prefix: String) throws -> HeadChanges {
        let inRepo = { (path: String) in prefix.isEmpty ? path : "\(prefix)/\(path)" }
        let head = try repository.headEntries()
        func manifest(_ bytes: [UInt8]?) throws -> OwnedManifest {
            guard let bytes else { return OwnedManifest() }
            return try OwnedManifest.parse(String(decoding: bytes, as: UTF8.self))
        }
        let manifestOnDisk = FileManager.default.contents(atPath: root + "/" + OwnedManifest.path).map { [UInt8]($0) }
        let now = try manifest(manifestOnDisk)
        let before = try manifest(try head[inRepo(OwnedManifest.path)].map(repository.blobBytes))
        var changes = HeadChanges()
        for (path, id) in now.entries.sorted(by: { $0.key < $1.key }) where head[inRepo(path)] != id {
            changes.written.append(path)
            if head[inRepo(path)] == nil { changes.created += 1 }
        }
        // The bookkeeping files: the manifest and its merge attributes.
        for path in [OwnedManifest.path, OwnedManifest.attributesPath] {
            guard let bytes = FileManager.default.contents(atPath: root + "/" + path).map({ [UInt8]($0) }),
                head[inRepo(path)] != BlobID.of(bytes)
            else { continue }
            changes.written.append(path)
            if head[inRepo(path)] == nil { changes.created += 1 }
        }
        changes.deleted = before.entries.keys.filter { now.entries[$0] == nil && head[inRepo($0)] != nil }.sorted()
        return changes
    }

    /// After a merge stopped on conflicts: the conflicted paths that are generated bookkeeping or
    /// output (the files the plan owns, deletes, the manifest and its attributes), now rebuilt
    /// from the merged definitions, are marked resolved in the index, as `git add` would. Other
    /// conflicts are the person's. Root-relative paths resolved, sorted; nil outside git or
    /// when the index cannot be read (nothing is resolved then, and `check` still says so).
    func resolveMergeConflicts(_ plan: OutputPlan, _ context: RunContext) -> [String]? {
        guard let repository = try? GitRepository.discover(from: context.root),
            let prefix = repository.relativePath(context.root),
            let conflicted = try? repository.conflictedPaths(), !conflicted.isEmpty
        else { return nil }
        let lead = prefix.isEmpty ? "" : prefix + "/"
        let ours = Set(plan.manifest.entries.keys).union(plan.deletes.map(\.path))
            .union([OwnedManifest.path, OwnedManifest.attributesPath])
        let resolved = conflicted.filter { $0.hasPrefix(lead) && ours.contains(String($0.dropFirst(lead.count))) }
        guard (try? repository.resolveConflicts(resolved)) != nil else { return nil }
        return resolved.map { String($0.dropFirst(lead.count)) }
    }
}
