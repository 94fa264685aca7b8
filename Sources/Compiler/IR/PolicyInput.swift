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
///  "cloud": {...the desired cloud state, as cloud/desired-state.json...},
///  "policy": {"hostNetwork": ["node-tunnels/cloudflared-node"],
///             "capabilities": {"tailscale/tailscale-router": ["NET_ADMIN", "NET_RAW"], ...},
///             "egressGateway": {"namespace": "apps", "gatewayNamespace": "egress-system",
///                               "exempt": ["apps/egress-db-proxy"]}}}
/// ```
///
/// `objects` holds every Kubernetes object exactly as applied, in output-path order, then the
/// workloads Helm installs as the fleet's `ChartRendering`s describe them (`ClusterIR.chartObjects`,
/// each annotated `oceanid.dev/installed-by`), so the guardrails see what the charts run. No
/// secret value can appear: the same checks and scan that guard clusters/ guard these.
/// `policy` is the fleet's `GuardrailPolicy` (absent when the guardrails did not run; no
/// `egressGateway` when the fleet has none), which the rules read their allowlists from.
public enum PolicyInput {
    /// The policy input document of `cluster`, a cluster of `ir`.
    public static func document(_ cluster: ClusterIR, _ ir: FleetIR) -> Tree {
        let objects =
            cluster.components.flatMap { component in
                component.objects.map { object in
                    let file = OutputLayout.objectFile(object.id, componentNamespace: component.namespace)
                    return ("\(component.folder)/" + file, object.tree)
                }
            }.sorted { $0.0 < $1.0 }.map(\.1) + cluster.chartObjects.map(\.tree)
        let hosts: [Tree] = ir.hosts.filter { cluster.nodes.contains($0.node) }.map { host in
            [
                "node": .string(host.node), "files": .list(host.files.map { .string($0.installPath) }),
                "units": .list(host.units.map { .string($0.name) }),
                "ports": .list(host.services.flatMap(\.listens).map { .int($0.port) }),
            ]
        }
        // Every tunnel of the fleet, remote and local: a record may point at either.
        let tunnels: [Tree] = ir.tunnels.map { tunnel in
            [
                "name": .string(tunnel.name), "tunnelId": .string(tunnel.id.lowercased()),
                "management": .string(tunnel.management), "runsOn": .string(tunnel.runsOn),
                "hostnames": .list(tunnel.routes.compactMap(\.hostname).map(Tree.string)),
            ]
        }
        var document = MapBuilder()
        document.set("cluster", cluster.name)
        document.set("nodes", .list(cluster.nodes.map(Tree.string)))
        document.set("objects", .list(objects))
        document.set("hosts", .list(hosts))
        document.set("tunnels", .list(tunnels))
        document.set("cloud", JSONRenderer.tree(of: ir.cloud))
        document.set("policy", ir.guardrails.map(policy))
        return document.tree
    }

    /// The `policy` section: workloads as `namespace/name`, every list sorted.
    public static func policy(_ policy: GuardrailPolicy) -> Tree {
        func workloads(_ set: Set<GuardrailPolicy.Workload>) -> Tree {
            .list(set.sorted().map { .string($0.description) })
        }
        var section = MapBuilder()
        section.set("hostNetwork", workloads(policy.hostNetwork))
        section.set(
            "capabilities",
            .map(
                policy.capabilities.sorted { $0.key < $1.key }.map { workload, capabilities in
                    Tree.Entry(workload.description, .list(capabilities.sorted().map(Tree.string)))
                }))
        section.set(
            "egressGateway",
            policy.egress.map { egress -> Tree in
                [
                    "namespace": .string(egress.namespace), "gatewayNamespace": .string(egress.gatewayNamespace),
                    "exempt": workloads(egress.exempt),
                ]
            })
        return section.tree
    }
}
