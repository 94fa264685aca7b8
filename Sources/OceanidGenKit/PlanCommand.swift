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
            cloud.

            Exit codes: 0 nothing changes; 1 changes; 2 the fleet has errors; 3 changes that need a second person's \
            approval (deletes, exposes, destructive-sql), or the base could not be read; 64 usage.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The base revision (default: the merge base of HEAD and main).")
    var base: String?

    @Option(
        help: """
            markdown, text, json, or sarif (the head's diagnostics as a SARIF 2.1.0 log for GitHub code \
            scanning; the exit code is the plan's). Default: markdown when stdout is not a terminal, text when it is.
            """)
    var format: PlanFormat?

    @Option(help: "Where to write the whole Markdown plan when the printed one is shortened past 60,000 characters.")
    var fullPlan: String?

    func execute(_ context: RunContext) -> ExitStatus {
        let context = context.formatted(format == .sarif ? .sarif : nil)
        let generated = context.pipeline.generate(inputs: WorktreeSource(root: context.root))
        guard let files = generated.files else {
            return context.finish("plan", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let baseName: String
        let baseFiles: [String: String]
        do {
            guard let repository = try GitRepository.discover(from: context.root),
                let prefix = repository.relativePath(context.root)
            else {
                context.console.err("error: \(context.root) is not in a git repository; plan needs a base revision\n")
                return .workspaceError
            }
            let revision = try base ?? repository.mergeBase("HEAD", "main")
            baseName = base ?? "merge base with main (\(revision.prefix(12)))"
            let snapshot = GitSnapshotSource(
                name: revision, repository: repository, entries: try repository.entries(at: revision), prefix: prefix)
            // What the base generated: the paths its manifest owns (hand-written files beside them,
            // such as policy/guardrails.rego, are not the compiler's), plus whatever the head generates.
            var paths = Set(files.map(\.path))
            if let text = snapshot.read(OwnedManifest.path), let owned = try? OwnedManifest.parse(text) {
                paths.formUnion(owned.entries.keys)
            } else {
                let folders = Set(files.compactMap { $0.path.split(separator: "/").first.map(String.init) })
                    .filter { folder in files.contains { $0.path.hasPrefix(folder + "/") } }
                paths.formUnion(snapshot.files(under: folders.sorted()))
            }
            var read: [String: String] = [:]
            for path in paths { read[path] = snapshot.read(path) }
            baseFiles = read
        } catch {
            context.console.err("error: \(error)\n")
            return .workspaceError
        }
        var head: [String: String] = [:]
        var origins: [String: String] = [:]
        for file in files {
            head[file.path] = file.contents
            if let origin = file.origin { origins[file.path] = origin.relative(to: context.root).description }
        }
        // Declarations per file and per routed hostname, settings per file (FleetPlan+Provenance.swift).
        var sources = FleetPlan.Sources(ir: generated.ir, files: files, root: context.root)
        sources.origins = origins
        let plan = FleetPlan.make(base: baseFiles, head: head, sources: sources)
        let report = FleetPlanReport(plan: plan, base: baseName)
        let status: ExitStatus = plan.changes.isEmpty ? .ok : plan.needsApproval ? .workspaceError : .stale
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
        return plan.changes.isEmpty ? .ok : plan.needsApproval ? .workspaceError : .stale
    }
}
