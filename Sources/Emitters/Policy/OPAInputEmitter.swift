import Compiler
import DSL
import Rendering

/// IR → `policy/input/<cluster>.json`: the `PolicyInput` document of each cluster, which
/// `policy/*.rego` is evaluated against (keys sorted, no header).
public enum OPAInputEmitter {
    /// One `policy/input/<cluster>.json` per entry of `FleetIR.clusters`, from `PolicyInput.document`.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.clusters.map { cluster in
            GeneratedFile(
                path: OutputLayout.policyInput(cluster.name), syntax: .json,
                body: JSONRenderer.render(PolicyInput.document(cluster, ir)), origin: cluster.location)
        }
    }
}
