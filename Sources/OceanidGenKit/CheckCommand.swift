import ArgumentParser
import Compiler
import Workspace

struct Check: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate in memory and compare with the tree; never writes.",
        discussion: """
            Prints a unified diff of every generated file that is missing, stale (the definitions
            changed), hand-edited, or no longer generated, and exits 1 when there is any. Use it in
            CI and in the pre-commit hook.
            """)

    @OptionGroup var global: GlobalOptions

    func execute(_ context: RunContext) -> ExitStatus {
        let generated = context.pipeline.generate()
        guard let files = generated.files else {
            return context.finish("check", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let plan: OutputPlan
        do {
            plan = try context.workspace.plan(files)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("check", .workspaceError, diagnostics: generated.diagnostics)
        }
        var entries: [JSONReport.FileEntry] = []
        for entry in plan.entries {
            let status: String
            switch entry.change {
            case .create: status = "missing"
            case .update(let edited): status = edited ? "hand-edited" : "stale"
            case .delete: status = "extra"
            }
            entries.append(.init(path: entry.path, status: status))
            guard !context.json else { continue }
            let diff = UnifiedDiff.make(old: entry.current ?? "", new: entry.contents ?? "",
                                        oldName: entry.current == nil ? "/dev/null" : "a/\(entry.path)",
                                        newName: entry.contents == nil ? "/dev/null" : "b/\(entry.path)")
            context.console.out("\(entry.path): \(status)\n" + context.console.colored(diff: diff))
        }
        if plan.manifestChanged && plan.entries.isEmpty {
            entries.append(.init(path: OwnedManifest.path, status: "stale"))
            if !context.json { context.console.out("\(OwnedManifest.path): stale\n") }
        }
        let stale = !plan.isEmpty
        if !context.json {
            context.console.err(stale
                ? "oceanid-gen check: \(entries.count) generated file(s) out of date; run `oceanid-gen build`\n"
                : "oceanid-gen check: up to date (\(files.count) files)\n")
        }
        return context.finish("check", stale ? .stale : .ok, diagnostics: generated.diagnostics, files: entries)
    }
}
