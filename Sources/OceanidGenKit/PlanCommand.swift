import ArgumentParser
import Compiler
import Foundation
import Workspace

#if canImport(Glibc)
    import Glibc
#endif

extension FleetPlanReport.Format: ExpressibleByArgument {}

struct Plan: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "What this change does to the fleet: the base's committed output against what the definitions generate.",
        discussion: """
            Reads the committed generated tree at the base revision through libgit2 (default: the merge base of HEAD \
            and main) and compares it with what the current definitions generate, in memory (no cluster, no network, \
            nothing written). Prints one change list: Kubernetes objects by kind/namespace/name with their field \
            changes (lists keyed by name), cloud/desired-state.json entries, host files, migrations, policy files. Each \
            change carries its risk classes: deletes, exposes, destructive-sql, lock-heavy, restarts, credentials, \
            cloud. Files whose bytes equal the base's (same git blob id) are neither read nor parsed.

            Which classes need a second person's approval: deletes, exposes and destructive-sql unless the base \
            revision's settings.yaml chooses, e.g. `planApprovalRisks: [deletes, exposes, destructive-sql, \
            credentials]` (`[]`: none); a change of planApprovalRisks needs approval itself and takes effect after \
            merge. The report says which classes needed it, for which changes, and who chose the classes.

            Exit codes: 0 nothing changes; 1 changes, none of a class that needs approval; 2 the fleet has errors \
            (a bad planApprovalRisks included); 3 changes that need a second person's approval; 4 the base could \
            not be read (not a git repository, an unknown revision, no merge base with main) or definitions/ \
            differs from the definitions compiled in; 64 usage.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The base revision (default: the merge base of HEAD and main).")
    var base: String?

    @Option(
        help: """
            markdown, text, json, or sarif (the head's diagnostics as a SARIF 2.1.0 log for GitHub code \
            scanning; the exit code is the plan's). Default: markdown when stdout is not a terminal, text when it is, \
            json with --json. An explicit --format wins over --json; with json every failure prints one JSON report.
            """)
    var format: PlanFormat?

    @Option(help: "Where to write the whole Markdown plan when the printed one is shortened past 60,000 characters.")
    var fullPlan: String?

    func execute(_ context: RunContext) -> ExitStatus {
        // An explicit --format wins over --json: `--format sarif --json` prints the SARIF log, `--format
        // markdown --json` the Markdown; `--format json` is --json (every failure then prints one JSON report).
        let context = context.formatted(format?.output)
        // One read of settings.yaml: what the fleet is compiled with is what chooses the approval classes.
        let settings = context.pipeline.readSettings()
        // The base is read from git while the definitions compile: it needs nothing of the head's.
        let base = Background { [root = context.root, revision = self.base] in
            Result { () throws(FleetPlanInputs.Failure) in try FleetPlanInputs.readBase(root: root, base: revision) }
        }
        let generated = context.pipeline.generate(inputs: WorktreeSource(root: context.root), settings: settings)
        context.keep(generated)
        guard let files = generated.files else {
            let errors = generated.diagnostics.filter { $0.severity == .error }.count
            return context.finish(
                "plan", .fleetErrors, diagnostics: generated.diagnostics,
                error: "the fleet has \(errors) error\(errors == 1 ? "" : "s"); nothing was planned")
        }
        let inputs: FleetPlanInputs
        // Declarations per file and per routed hostname, settings per value (FleetPlan+Provenance.swift),
        // located while the base's differing blobs are read. Only the files that differ are located: the rest
        // never reach the plan (10,000 apps: every file parsed again to find a one-app change's settings cost
        // 30 s).
        var located: Background<FleetPlan.Sources>?
        do {
            inputs = FleetPlanInputs.read(files: files, base: try base.value.get()) { changed in
                located = Background { [ir = generated.ir, root = context.root] in
                    FleetPlan.Sources(ir: ir, files: changed, root: root)
                }
            }
        } catch {
            context.console.err("error: \(error)\n")
            // --json: one report naming the error; --format sarif: a valid log of the head's diagnostics.
            guard context.json || context.sarifOut != nil else { return .workspaceError }
            return context.finish("plan", .workspaceError, diagnostics: generated.diagnostics, error: "\(error)")
        }
        // The policy is the base's: a pull request that deletes a table and sets `planApprovalRisks: []`
        // is judged by the policy it would change, and the change of policy itself needs approval.
        let approval = PlanApproval.read(
            baseSettingsText: inputs.baseSettings, file: SettingsFile.path, revision: inputs.baseName)
        if let warning = approval.warning { context.console.err("warning: \(warning)\n") }
        let policyChange = PlanApproval.change(
            from: approval,
            to: PlanApproval.read(
                settingsText: settings.map { String(decoding: $0, as: UTF8.self) },
                file: "\(context.root)/\(SettingsFile.path)"))
        let sources =
            located?.value
            ?? FleetPlan.Sources(
                ir: generated.ir, files: files.filter { inputs.head[$0.path] != nil }, root: context.root)
        let plan = FleetPlan.make(base: inputs.base, head: inputs.head, sources: sources)
        context.keep((inputs, sources, plan))
        let report = FleetPlanReport(plan: plan, base: inputs.baseName, approval: approval, policyChange: policyChange)
        let status: ExitStatus =
            report.needsApproval ? .needsApproval : plan.changes.isEmpty ? .ok : .stale
        if format == .sarif { return context.finish("plan", status, diagnostics: generated.diagnostics) }
        let chosen = format?.report ?? (context.json ? .json : isatty(1) == 1 ? .text : .markdown)
        if let fullPlan, chosen == .markdown {
            let whole = report.render(.markdown, limit: .max)
            if whole.count > FleetPlanReport.defaultLimit {
                do {
                    try whole.write(toFile: fullPlan, atomically: true, encoding: .utf8)
                } catch {
                    context.console.err("error: writing \(fullPlan): \(error)\n")
                }
            }
        }
        context.console.out(report.render(chosen, fullPlanPath: fullPlan))
        if chosen != .json { context.console.print(generated.diagnostics, root: context.root, detail: context.detail) }
        return status
    }
}
