import DSL

/// The K3s nodes of the tethys cluster.
public enum Nodes {
    /// K3s server (control plane), API on 6443; the Tailscale router is pinned here.
    public static let tethys = Node("tethys", role: .server)
    /// GPU workstation (RTX 4090): training Jobs, host cloudflared and Triton.
    public static let calypso = Node("calypso", role: .agent, labels: ["oceanid.dev/gpu": "rtx-4090"], gpus: 1)
    /// Egress host: the egress gateway (squid + SNAT) is pinned here.
    public static let srv712429 = Node("srv712429", role: .agent, publicIP: "157.173.210.123")
    /// Worker; its old IP 191.101.1.3/32 is a stale DB firewall rule.
    public static let srv712695 = Node("srv712695", role: .agent)

    public static let all = [tethys, calypso, srv712429, srv712695]
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
