import DSL

/// The K3s nodes of the tethys cluster. K3s registers a node under its host name
/// (`kubernetes.io/hostname`), so each name is a setting with the seeds' name as its default:
/// check them with `kubectl get nodes` before cut-over. The control plane is one machine,
/// `srv712429`, reached over SSH as `tethys` (the cluster's name): the datastores seed calls
/// 157.173.210.123 both "srv712429 public IP" and "the control plane's public address".
struct Nodes {
    /// K3s server (control plane), API on 6443; the egress gateway (squid + SNAT), the DB
    /// proxy and the Tailscale router are pinned here, and its public IP is the egress IP.
    let controlPlane: Node
    /// GPU workstation (RTX 4090): training Jobs, host cloudflared and Triton.
    let calypso: Node
    /// Worker; its old IP 191.101.1.3/32 is a stale DB firewall rule.
    let srv712695: Node

    init(_ s: SettingValues) {
        controlPlane = Node(s[Settings.controlPlaneNodeName], role: .server, publicIP: "157.173.210.123",
                            address: s[Settings.controlPlaneAddress])
        calypso = Node(s[Settings.gpuNodeName], role: .agent, labels: ["oceanid.dev/gpu": "rtx-4090"], gpus: 1)
        srv712695 = Node(s[Settings.workerNodeName], role: .agent)
    }

    var all: [Node] { [controlPlane, calypso, srv712695] }

    /// The API server's URL: the control plane's address on K3s' 6443 (brackets for IPv6).
    var apiServerURL: String {
        let address = controlPlane.address ?? ""
        return "https://\(address.contains(":") ? "[\(address)]" : address):\(Node.apiServerPort)"
    }
}

/// K3s defaults the fleet relies on (proxy exclusions, network policies, the router).
public enum K3s {
    public static let podCIDR = "10.42.0.0/16"
    public static let serviceCIDR = "10.43.0.0/16"
    public static let clusterDomain = "cluster.local"
    /// The `index`th address of `serviceCIDR` (an IPv4 /16 or wider).
    public static func serviceIP(_ index: Int) -> String {
        let octets = serviceCIDR.split(separator: "/")[0].split(separator: ".").compactMap { Int($0) }
        let value = (octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]) + index
        return [24, 16, 8, 0].map { String((value >> $0) & 0xFF) }.joined(separator: ".")
    }
    /// The `kubernetes` Service's ClusterIP, derived from `serviceCIDR` (never copied): the API
    /// server gives it the first address of the service range
    /// (https://kubernetes.io/docs/tasks/network/extend-service-ip-ranges/; K3s passes its
    /// `--service-cidr` as that range).
    public static var apiServiceIP: String { serviceIP(1) }
    /// egress-db-proxy's fixed ClusterIP: in the range's lower band (the first 256 addresses of
    /// a /16), which dynamic allocation leaves to static ones
    /// (https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation/).
    public static var egressDbProxyIP: String { serviceIP(54) }
}
