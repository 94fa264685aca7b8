import ArgumentParser
import Compiler
import Emitters
import Foundation
import Workspace

struct Explain: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Say where generated output comes from: its declaration, the settings that fed it, what it references and what references it; never writes.",
        discussion: """
            Each query is one of: a generated file's path (or a folder of them; relative to the current folder), an object as kind/namespace/name or kind/name (the kind in any case or kubectl's short name: deployment/apps/ls-triton-adapter, deploy/apps/ls-triton-adapter), a routed hostname (gpu.boathou.se: its DNS record, tunnel, target and Access), or a setting's key (its value, where it was set and read, the files it appears in). Settings are those whose value appears in the file (a secret's ESC key). Exits 1 when a query matches nothing generated, 2 when the fleet has errors. With --json the answers are the report's `explanations` field.

            Exit codes: 0 every query matched; 1 a query matched nothing generated; 2 the fleet has errors; 4 definitions/ differs from the definitions compiled in (run make build); 64 usage.

            Examples:
              oceanid-gen explain docs/hostnames.md
              oceanid-gen explain deploy/apps/ls-triton-adapter
              oceanid-gen explain gpu.boathou.se
              oceanid-gen explain cloudflareTunnelId
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp("Generated paths, kind/namespace/name, hostnames or setting keys.", valueName: "query"))
    var queries: [String]

    func validate() throws {
        if queries.isEmpty {
            throw ValidationError(
                "give at least one query: a generated path, kind/namespace/name, a hostname or a setting key")
        }
    }

    func execute(_ context: RunContext) -> ExitStatus {
        let generated = context.pipeline.generate(inputs: WorktreeSource(root: context.root))
        guard let ir = generated.ir, let files = generated.files else {
            return context.finish("explain", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let explainer = Explanation.Context(ir: ir, files: files, root: context.root)
        var answers: [Explanation] = []
        var unmatched: [String] = []
        for query in queries {
            // A path is relative to where the command runs (a subfolder of the repository).
            let resolved = URL(
                fileURLWithPath: query, relativeTo: URL(fileURLWithPath: context.currentDirectory, isDirectory: true)
            )
            .standardizedFileURL.path
            let inRoot =
                resolved == context.root
                ? "."
                : resolved.hasPrefix(context.root + "/") ? String(resolved.dropFirst(context.root.count + 1)) : nil
            // From a subfolder, the path as given there first (it need not exist on disk: a
            // generated file not built yet), then the query as it is.
            let relative = context.currentDirectory != context.root && !query.hasPrefix("/") ? inRoot : nil
            let found = relative.flatMap(explainer.explain) ?? explainer.explain(query)
            if let answer = found.map({
                var a = $0
                a.query = query
                return a
            }) {
                answers.append(answer)
                if !context.json { context.console.out(answer.text) }
            } else {
                unmatched.append(query)
            }
        }
        let hints = unmatched.compactMap { query in explainer.suggestion(for: query).map { "'\($0)' for '\(query)'" } }
        let message =
            unmatched.isEmpty
            ? nil
            : "error: nothing generated matches \(unmatched.map { "'\($0)'" }.joined(separator: ", ")); give a generated path, "
                + "kind/namespace/name, a routed hostname or a setting key"
                + (hints.isEmpty ? "" : "; did you mean " + hints.joined(separator: ", ") + "?")
        if let message, !context.json { context.console.err(message + "\n") }
        return context.finish(
            "explain", unmatched.isEmpty ? .ok : .stale, diagnostics: generated.diagnostics, error: message,
            explanations: answers)
    }
}
