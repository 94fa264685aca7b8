import Compiler
import DSL
import Rendering

/// IR → `policy/input/<cluster>.json`: the document OPA (and regorus) evaluates the fleet's
/// policies against. Shape (keys sorted):
///
/// ```json
/// {"cluster": "tethys", "objects": [{"apiVersion": ..., "kind": ..., "metadata": ..., ...}]}
/// ```
///
/// `objects` holds every Kubernetes object exactly as applied, in output-path order. No
/// secret value can appear: the same checks and scan that guard clusters/ guard these.
public enum OPAInputEmitter {
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.clusters.map { cluster in
            let objects = cluster.components.flatMap { component in
                component.objects.map { ("\(component.folder)/" + OutputLayout.objectFile($0.id, componentNamespace: component.namespace), $0.tree) }
            }.sorted { $0.0 < $1.0 }.map(\.1)
            let document: Tree = ["cluster": .string(cluster.name), "objects": .list(objects)]
            return GeneratedFile(path: OutputLayout.policyInput(cluster.name), syntax: .json, body: JSONRenderer.render(document))
        }
    }
}
