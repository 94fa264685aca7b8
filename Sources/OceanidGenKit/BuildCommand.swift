import ArgumentParser
import Compiler
import Workspace

struct Build: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile, check and write the generated tree.",
        discussion: """
            Writes only files that changed (temp file, fsync, rename), deletes generated files that
            are no longer produced, and never touches a file it did not generate. With any error in
            the fleet nothing is written.
            """)

    @OptionGroup var global: GlobalOptions

    func execute(_ context: RunContext) -> ExitStatus {
        let generated = context.pipeline.generate()
        guard let files = generated.files else {
            return context.finish("build", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let report: Workspace.Report
        let plan: OutputPlan
        do {
            plan = try context.workspace.plan(files)
            report = try context.workspace.apply(plan)
        } catch {
            context.console.err("\(error)\n")
            return context.finish("build", .workspaceError, diagnostics: generated.diagnostics)
        }
        if !context.json {
            let summary = report.total == 0 && !report.manifestWritten
                ? "oceanid-gen build: up to date (\(files.count) files)"
                : "oceanid-gen build: \(report.created) created, \(report.updated) updated, \(report.deleted) deleted, \(plan.unchanged) unchanged"
            context.console.out(summary + "\n")
        }
        let entries = plan.entries.map { entry -> JSONReport.FileEntry in
            switch entry.change {
            case .create: .init(path: entry.path, status: "create")
            case .update: .init(path: entry.path, status: "update")
            case .delete: .init(path: entry.path, status: "delete")
            }
        }
        return context.finish("build", .ok, diagnostics: generated.diagnostics, files: entries)
    }
}
