import DSL

/// apps may reach DNS, the egress gateway and egress-db-proxy; nothing else leaves directly.
/// (egress-db-proxy itself reaches Postgres on 5432; the adapter reaches the K3s API.)
func appNetworkPolicies(_ s: SettingValues) -> Component {
    let gateway = EgressGateway(s)
    let dbProxy = EgressDBProxy(s)
    return Component("network-policies") {
        NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
        NetworkPolicy("allow-dns", pods: .all, types: [.egress]) {
            EgressRule(to: [.namespace("kube-system", pods: .labels(["k8s-app": "kube-dns"]))], ports: [.udp(53), .tcp(53)])
        }
        NetworkPolicy("allow-egress-gateway", pods: .all, types: [.egress]) {
            EgressRule(to: [.namespace(EgressGateway.namespace, pods: .workload(gateway.deployment))],
                       ports: [.tcp(.number(gateway.port.port))])
        }
        NetworkPolicy("allow-within-apps", pods: .all, types: [.egress]) {
            EgressRule(to: [.pods(.all)])
        }
        NetworkPolicy("allow-db-proxy-upstream", pods: .workload(dbProxy.deployment), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
                       ports: [.tcp(5432)])
        }
        NetworkPolicy("allow-kube-api", pods: .workload(lsTritonAdapterWorkload(s).deployment), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "\(K3s.apiServiceIP)/32")], ports: [.tcp(443)])
            EgressRule(to: [.ipBlock(cidr: apiServerCIDR(s))], ports: [.tcp(6443)])
        }
    }
}

/// The K3s API server's address as a host network (/32, or /128 for IPv6), from
/// `tunnelServiceUrl` (`https://10.0.0.10:6443`, `https://[fd00::10]:6443`).
func apiServerCIDR(_ s: SettingValues) -> String {
    let url = s[Settings.tunnelServiceUrl]
    let authority = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
        return "\(authority[authority.index(after: authority.startIndex)..<close])/128"
    }
    return "\(authority.split(separator: ":").first.map(String.init) ?? authority)/32"
}
