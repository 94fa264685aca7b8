import ArgumentParser
import Compiler
import Foundation
import SourceDigest
import Workspace

struct Check: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Regenerate in memory and compare with what is staged (default), committed, or on disk; never writes.",
        discussion: """
            Prints a unified diff of every generated file that is missing, stale (the definitions changed), hand-edited, or extra (no longer generated), names append-only files (migrations) that were edited, would change or were deleted (append-only-edited, append-only-changed, append-only-deleted), and lists files in the way of generated ones (unowned) and generated-looking files nobody owns (unowned-generated). After a merge that stopped on conflicts, names the generated files git left unmerged (index) or with conflict markers (merge-conflict, working tree): run build on the merged definitions. Exits 1 when there is any. `--against index` is what a pre-commit hook wants: what is about to be committed; `head` is what CI wants; outside a git repository the working tree is used.

            Exit codes: 0 up to date; 1 the tree differs; 2 the fleet has errors; 4 the tree or the repository could not be read, or definitions/ differs from the definitions compiled in (run make build), or the index or HEAD compared holds definitions or a settings.yaml other than the working tree's (stage them, or git stash push --keep-index); 64 usage.
            """)

    enum Against: String, ExpressibleByArgument, CaseIterable { case index, head, worktree }

    @OptionGroup var global: GlobalOptions

    @Option(help: "What to compare with: index (staged, default), head (committed) or worktree (on disk).")
    var against: Against = .index

    @Option(
        help: """
            text (default), json (as --json) or sarif: the diagnostics as a SARIF 2.1.0 log on stdout for \
            GitHub code scanning; what text prints on stdout then goes to stderr.
            """)
    var format: OutputFormat?

    func execute(_ context: RunContext) -> ExitStatus {
        let context = context.formatted(format)
        let planned: BuildPipeline.Planned
        let sourceName: String
        let source: TreeSource
        do {
            // The compared tree is also the compiler's input (the committed migration history).
            source = try treeSource(context)
            sourceName = source.name
            // The program runs the working tree's definitions and reads its settings.yaml: compared
            // with the index or HEAD, it can vouch only for a snapshot holding the same inputs.
            if let snapshot = source as? GitSnapshotSource {
                let differing = Self.inputsDiffering(snapshot, root: context.root)
                if !differing.isEmpty {
                    let message = Self.inputsMessage(differing, snapshot: snapshot.name)
                    context.console.err(message + "\n")
                    return context.finish("check", .workspaceError, diagnostics: [], error: message)
                }
            }
            planned = try context.pipeline.plan(against: source)
            context.keep(planned)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("check", .workspaceError, diagnostics: [], error: "\(error)")
        }
        let generated = planned.generated
        guard let plan = planned.plan else {
            return context.finish("check", .fleetErrors, diagnostics: generated.diagnostics)
        }
        var entries: [JSONReport.FileEntry] = []
        // A merge that stopped leaves generated paths unmerged in the index (stages 1-3): the
        // index has no version of them to compare, and the fix is the same build.
        let unmerged = against == .index ? unmergedGeneratedPaths(plan, context) : []
        for entry in plan.entries where !unmerged.contains(entry.path) {
            let status: String
            switch entry.change {
            case .create: status = "missing"
            case .update(let edited):
                status =
                    OwnedManifest.hasConflictMarkers(Array((entry.current ?? "").utf8))
                    ? "merge-conflict" : edited ? "hand-edited" : "stale"
            case .delete: status = "extra"
            }
            entries.append(.init(path: entry.path, status: status))
            guard !context.json else { continue }
            let diff = UnifiedDiff.make(
                old: entry.current ?? "", new: entry.contents ?? "",
                oldName: entry.current == nil ? "/dev/null" : "a/\(entry.path)",
                newName: entry.contents == nil ? "/dev/null" : "b/\(entry.path)")
            context.console.out("\(entry.path): \(status)\n" + context.console.colored(diff: diff))
        }
        for violation in plan.appendOnlyViolations {
            entries.append(.init(path: violation.path, status: violation.kind.rawValue))
            if !context.json {
                context.console.out("\(WorkspaceError.appendOnly(path: violation.path, kind: violation.kind))\n")
            }
        }
        for path in plan.conflicts { entries.append(.init(path: path, status: "unowned")) }
        for path in plan.strays { entries.append(.init(path: path, status: "unowned-generated")) }
        if !context.json {
            for path in plan.conflicts {
                context.console.out(
                    "\(path): unowned (a file oceanid-gen did not write stands where a generated file goes)\n")
            }
            for path in plan.strays {
                context.console.out("\(path): unowned-generated (has the generated header, but nothing generates it)\n")
            }
        }
        for path in unmerged {
            entries.append(.init(path: path, status: "unmerged"))
            if !context.json {
                context.console.out(
                    "\(path): unmerged (a merge left this generated file in conflict; "
                        + "`oceanid-gen build` rebuilds it from the merged definitions and marks it resolved)\n")
            }
        }
        if plan.manifestChanged && plan.entries.isEmpty {
            entries.append(.init(path: OwnedManifest.path, status: "stale"))
            if !context.json { context.console.out("\(OwnedManifest.path): stale\n") }
        }
        let stale = !plan.isClean || !unmerged.isEmpty
        // Like `git status` refreshing the index: what this check read is known next time.
        context.pipeline.remember(planned, in: source)
        if !context.json {
            // The fix differs by kind: build rewrites what it owns, never what it does not.
            var fixes: [String] = []
            if !plan.entries.isEmpty || plan.manifestChanged || !unmerged.isEmpty {
                // `make build` is the everyday command (it also rebuilds the tool); the binary may not be on PATH.
                fixes.append(
                    "run `make build` (oceanid-gen build)\(against == .index ? " and stage the result" : "")")
            }
            if !plan.appendOnlyViolations.isEmpty {
                fixes.append("restore the append-only files named above (build will not rewrite them)")
            }
            if !plan.conflicts.isEmpty || !plan.strays.isEmpty {
                fixes.append(
                    "move or delete the unowned files named above (build never touches a file it did not write)")
            }
            // --errors-only (the hook): this is the one summary line, so it counts the warnings.
            let warnings = generated.diagnostics.filter { $0.severity == .warning }.count
            let counted =
                context.detail == .errorsOnly && warnings > 0
                ? "; \(warnings) warning\(warnings == 1 ? "" : "s") not shown (--verbose shows them)" : ""
            context.console.err(
                stale
                    ? "oceanid-gen check: \(entries.count) generated file(s) differ from \(sourceName == "HEAD" ? "HEAD" : "the " + sourceName); "
                        + fixes.joined(separator: "; ") + counted + "\n"
                    : "oceanid-gen check: \(sourceName) is up to date (\(planned.fileCount) files)\(counted)\n")
        }
        return context.finish("check", stale ? .stale : .ok, diagnostics: generated.diagnostics, files: entries)
    }

    /// Generated paths (owned, pruned, the manifest and its attributes) the index holds in
    /// conflict, root-relative and sorted; empty outside git.
    func unmergedGeneratedPaths(_ plan: OutputPlan, _ context: RunContext) -> [String] {
        guard let repository = try? GitRepository.discover(from: context.root),
            let prefix = repository.relativePath(context.root),
            let conflicted = try? repository.conflictedPaths(), !conflicted.isEmpty
        else { return [] }
        let lead = prefix.isEmpty ? "" : prefix + "/"
        let ours = Set(plan.manifest.entries.keys).union(plan.deletes.map(\.path))
            .union([OwnedManifest.path, OwnedManifest.attributesPath])
        return conflicted.compactMap { path in
            path.hasPrefix(lead) && ours.contains(String(path.dropFirst(lead.count)))
                ? String(path.dropFirst(lead.count)) : nil
        }
    }

    /// The inputs of the program (`definitions/**/*.swift`, the files compiled into it, and
    /// `settings.yaml`) whose bytes differ between `snapshot` and the working tree under `root`
    /// (present on one side only, or another blob id), sorted. `check` compiles the working tree's
    /// definitions with its settings, so it refuses to judge an index or HEAD holding others: a
    /// pre-commit hook would otherwise pass output made from definitions that are not committed.
    static func inputsDiffering(_ snapshot: GitSnapshotSource, root: String) -> [String] {
        // The working tree's side by the rule that picks the compiled files (`SourceDigest.definitions`:
        // `.swift`, no name starting with "."), hashed as git does, so the two sides compare by blob id.
        let worktree = SourceDigest(
            root: root, folders: ["definitions"], extraFiles: [SettingsFile.path], hash: { BlobID.of([UInt8]($0)) },
            include: { $0.hasSuffix(".swift") }
        ).files
        var committed = snapshot.entries(under: ["definitions"]).filter { path, _ in
            path.hasSuffix(".swift") && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }
        committed[SettingsFile.path] = snapshot.blobID(SettingsFile.path)
        return Set(committed.keys).union(worktree.keys).filter { committed[$0] != worktree[$0] }.sorted()
    }

    /// The refusal naming the inputs that differ and the two ways out.
    static func inputsMessage(_ paths: [String], snapshot: String) -> String {
        let listed = paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? " and \(paths.count - 5) more" : "")
        let fix =
            snapshot == "index"
            ? "stage them (`git add \(paths.count == 1 ? paths[0] : "definitions settings.yaml")`) or set them aside "
                + "(`git stash push --keep-index`), then check again"
            : "commit them or set them aside (`git stash`), then check again"
        return "oceanid-gen check: \(listed) differ\(paths.count == 1 ? "s" : "") between the \(snapshot) and the "
            + "working tree; check compiles the working tree's definitions and settings, so it cannot vouch for "
            + "the \(snapshot)'s: \(fix)"
    }

    /// The index or HEAD of the repository holding the root; the working tree without one.
    func treeSource(_ context: RunContext) throws -> TreeSource {
        if against == .worktree { return CachedTreeSource(root: context.root) }
        guard let repository = try GitRepository.discover(from: context.root),
            let prefix = repository.relativePath(context.root)
        else {
            if !context.json {
                context.console.err(
                    "note: \(context.root) is not in a git repository; comparing with the working tree\n")
            }
            return WorktreeSource(root: context.root)
        }
        switch against {
        case .index:
            return GitSnapshotSource(
                name: "index", repository: repository, entries: try repository.indexEntries(), prefix: prefix)
        case .head:
            return GitSnapshotSource(
                name: "HEAD", repository: repository, entries: try repository.headEntries(), prefix: prefix)
        case .worktree:
            return WorktreeSource(root: context.root)
        }
    }
}
