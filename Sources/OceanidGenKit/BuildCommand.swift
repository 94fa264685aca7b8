import ArgumentParser
import Compiler
import Foundation
import Workspace

struct Build: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile, check and write the generated tree.",
        discussion: """
            Writes only files that changed (temp file, sync, rename), deletes generated files that are no longer produced, and never touches a file it did not generate. With any error in the fleet nothing is written. With --commit, the changed generated paths (and nothing else, whatever else is staged) are committed with a standard message.

            Exit codes: 0 built or up to date; 2 the fleet has errors (nothing written); 3 the tree could not be read or written (a hand-written file where a generated one goes, I/O), --commit outside git or with settings.yaml differing from HEAD, or definitions/ differs from the definitions compiled in (run make build); 64 usage.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Stage and commit exactly the generated paths this build changed.")
    var commit = false

    static let commitSubject = "oceanid-gen: regenerate output"

    func execute(_ context: RunContext) -> ExitStatus {
        let planned: BuildPipeline.Planned
        let source = CachedTreeSource(root: context.root)
        do {
            planned = try context.pipeline.plan(against: source)
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
            context.pipeline.remember(planned, in: source, written: report.written)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("build", .workspaceError, diagnostics: generated.diagnostics, error: "\(error)")
        }
        for path in plan.strays where !context.json {
            context.console.err(
                "\(path): warning: has the generated header but nothing generates it and oceanid-gen does not own it; delete it\n"
            )
        }
        var commitLine = ""
        if let repository, let prefix = repository.relativePath(context.root), !plan.isEmpty {
            let inRepo = { (path: String) in prefix.isEmpty ? path : "\(prefix)/\(path)" }
            let written =
                plan.entries.filter { $0.contents != nil }.map(\.path)
                + (report.manifestWritten ? [OwnedManifest.path] : [])
            let deleted = plan.deletes.map(\.path)
            let message =
                "\(Self.commitSubject)\n\n\(report.created) created, \(report.updated) updated, \(report.deleted) deleted by `oceanid-gen build --commit`.\n"
            do {
                let id = try repository.commit(
                    written: written.map(inRepo), deleted: deleted.map(inRepo), message: message)
                commitLine = "\ncommitted \(id.prefix(12)): \(Self.commitSubject)"
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
}
