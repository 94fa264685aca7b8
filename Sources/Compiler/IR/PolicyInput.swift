import DSL
import Rendering

/// The policy input of one cluster: the document OPA (regorus, over `policy/*.rego`) and the
/// native guardrails both evaluate, and `policy/input/<cluster>.json` holds. Shape (keys sorted):
///
/// ```json
/// {"cluster": "tethys", "nodes": ["calypso", ...],
///  "objects": [{"apiVersion": ..., "kind": ..., "metadata": ..., ...}],
///  "hosts": [{"node": "calypso", "files": ["/etc/cloudflared/config.yaml"], "units": ["tritonserver.service"],
///             "ports": [8000, 8001, ...]}],
///  "tunnels": [{"name": "node", "tunnelId": "<uuid>", "management": "local", "runsOn": "calypso",
///               "hostnames": ["gpu.boathou.se"]}],
///  "cloud": {...the desired cloud state, as cloud/desired-state.json...}}
/// ```
///
/// `objects` holds every Kubernetes object exactly as applied, in output-path order. No
/// secret value can appear: the same checks and scan that guard clusters/ guard these.
public enum PolicyInput {
    public static func document(_ cluster: ClusterIR, _ ir: FleetIR) -> Tree {
        let objects = cluster.components.flatMap { component in
            component.objects.map { ("\(component.folder)/" + OutputLayout.objectFile($0.id, componentNamespace: component.namespace), $0.tree) }
        }.sorted { $0.0 < $1.0 }.map(\.1)
        let hosts: [Tree] = ir.hosts.filter { cluster.nodes.contains($0.node) }.map { host in
            ["node": .string(host.node), "files": .list(host.files.map { .string($0.installPath) }),
             "units": .list(host.units.map { .string($0.name) }),
             "ports": .list(host.services.flatMap(\.listens).map { .int($0.port) })]
        }
        // Every tunnel of the fleet, remote and local: a record may point at either.
        let tunnels: [Tree] = ir.tunnels.map { tunnel in
            ["name": .string(tunnel.name), "tunnelId": .string(tunnel.id.lowercased()), "management": .string(tunnel.management),
             "runsOn": .string(tunnel.runsOn), "hostnames": .list(tunnel.routes.compactMap(\.hostname).map(Tree.string))]
        }
        return ["cluster": .string(cluster.name), "nodes": .list(cluster.nodes.map(Tree.string)), "objects": .list(objects),
                "hosts": .list(hosts), "tunnels": .list(tunnels), "cloud": JSONRenderer.tree(of: ir.cloud)]
    }
}
