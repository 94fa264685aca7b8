import DSL

/// The cluster's machines as they are, and what makes their GPUs schedulable.
///
/// - Nodes: K3s registers a node under its host name (`kubernetes.io/hostname`,
///   https://docs.k3s.io/reference/agent-config "--node-name ... defaults to the hostname"), so
///   two declarations of one host name are one machine, and so are two declarations of one
///   public IP (`duplicate-node`, `duplicate-node-address`, at the later one with a note at the
///   first); and one cluster per machine (`node-in-two-clusters`): a K3s agent registers with the
///   one server `--server` names (https://docs.k3s.io/reference/agent-config), so one `Node`
///   declaration or one public IP in two clusters is a machine both cannot have.
/// - GPUs: `nvidia.com/gpu` is an extended resource that only NVIDIA's device plugin
///   advertises (https://github.com/NVIDIA/k8s-device-plugin README, "Running GPU Jobs"); a pod
///   requesting it in a cluster without the plugin stays Pending. On K3s the plugin itself must
///   run with `runtimeClassName: nvidia`: K3s adds the `nvidia` runtime to containerd and the
///   `nvidia` RuntimeClass when it finds the NVIDIA container runtime, but keeps runc as the
///   default (https://docs.k3s.io/advanced#nvidia-container-runtime-support), and without the
///   runtime the plugin finds no NVML library (`gpu-without-device-plugin`).
enum NodeChecks {
    /// Chart names of NVIDIA's device plugin (its own chart, and the GPU Operator, which
    /// deploys it and configures the runtime itself).
    static let devicePluginCharts: Set<String> = ["nvidia-device-plugin", "gpu-operator"]
    /// The device plugin's image repository (`nvcr.io/nvidia/k8s-device-plugin`), matched by
    /// its last path component so a mirror counts too.
    static let devicePluginImage = "k8s-device-plugin"

    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        duplicates(index.cluster.nodes) + gpus(index)
    }

    /// One cluster per machine (`node-in-two-clusters`): the same `Node` declaration (a value of
    /// `definitions/Nodes.swift` listed again) or the same public IP in two clusters is one machine
    /// joined to both, reported at the later cluster's node with a note at the first. One host name
    /// in two clusters, declared apart and without a shared address, may be two machines and passes.
    /// Clusters of one name are `duplicate-cluster` already and are not compared.
    static func acrossClusters(_ clusters: [Cluster]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var declarations: [Node: String] = [:]
        var addresses: [String: (cluster: String, node: Node)] = [:]
        for cluster in clusters {
            for node in Set(cluster.nodes).sorted(by: { $0.location < $1.location }) {
                if let other = declarations[node], other != cluster.name {
                    out.append(
                        .nodeInTwoClusters(
                            node.name, cluster: cluster.name, other: other, why: "the same declaration",
                            at: cluster.location, first: node.location))
                    continue
                }
                declarations[node] = declarations[node] ?? cluster.name
                guard let ip = node.publicIP else { continue }
                if let first = addresses[ip], first.cluster != cluster.name {
                    out.append(
                        .nodeInTwoClusters(
                            node.name, cluster: cluster.name, other: first.cluster,
                            why: "public IP \(ip), which its node '\(first.node.name)' has", at: node.location,
                            first: first.node.location))
                } else if addresses[ip] == nil {
                    addresses[ip] = (cluster.name, node)
                }
            }
        }
        return out
    }

    /// One host name, one public IP per machine.
    static func duplicates(_ nodes: [Node]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var names: [String: Node] = [:]
        var addresses: [String: Node] = [:]
        for node in nodes {
            if let first = names[node.name] {
                out.append(.duplicateNodeName(node.name, at: node.location, first: first.location))
                continue
            }
            names[node.name] = node
            if let ip = node.publicIP {
                if let first = addresses[ip] {
                    out.append(
                        .duplicateNodeAddress(
                            ip, node: node.name, other: first.name, at: node.location, first: first.location))
                } else {
                    addresses[ip] = node
                }
            }
        }
        return out
    }

    /// A GPU request needs a device plugin in the cluster, and the plugin needs the `nvidia`
    /// runtime (except the GPU Operator, which installs the runtime itself).
    static func gpus(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var plugins = 0
        for object in index.objects {
            switch object.payload {
            case .helmRelease(let release) where devicePluginCharts.contains(release.chart):
                plugins += 1
                if release.chart == "nvidia-device-plugin", release.values["runtimeClassName"]?.stringValue != "nvidia"
                {
                    out.append(.devicePluginWithoutRuntimeClass(release.name, at: release.location))
                }
            case .daemonSet(let daemon)
            where daemon.pod.allContainers.contains(where: {
                $0.image.repository.split(separator: "/").last.map(String.init) == devicePluginImage
            }):
                plugins += 1
                if daemon.pod.runtimeClassName != "nvidia" {
                    out.append(.devicePluginWithoutRuntimeClass(daemon.name, at: daemon.location))
                }
            default:
                break
            }
        }
        guard plugins == 0 else { return out }
        for object in index.objects {
            guard let workload = object.workload else { continue }
            for container in workload.pod.allContainers
            where (container.resources.limits.gpu ?? 0) > 0 || (container.resources.requests.gpu ?? 0) > 0 {
                out.append(
                    .gpuWithoutDevicePlugin(
                        container: container.name, workload: workload.name, cluster: index.cluster.name,
                        at: container.location))
            }
        }
        return out
    }
}
