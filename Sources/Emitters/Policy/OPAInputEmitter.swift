import Compiler
import DSL
import Rendering

/// IR → `policy/input/<cluster>.json`: the `PolicyInput` document of each cluster, which
/// `policy/*.rego` is evaluated against (keys sorted, no header).
public enum OPAInputEmitter {
    /// One `policy/input/<cluster>.json` per entry of `FleetIR.clusters`, from `PolicyInput.document` (the one
    /// the guardrails evaluated, `FleetIR.policyInputs`, when they ran); its objects rendered on every core.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.clusters.map { cluster in
            let document = ir.policyInputs?[cluster.name]?.document ?? PolicyInput.document(cluster, ir)
            return GeneratedFile(
                path: OutputLayout.policyInput(cluster.name), syntax: .json,
                body: JSONRenderer.render(document, key: "objects") { items in
                    Parallel.map(items) { JSONRenderer.fragment($0, indent: 2) }
                },
                origin: cluster.location)
        }
    }
}
