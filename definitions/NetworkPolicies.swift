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
        // The adapter creates training Jobs through the API. K3s' policy controller (kube-router)
        // filters after the kubernetes Service's DNAT, so the rule names the endpoint, the
        // control plane's address on 6443 (docs.k3s.io/networking/networking-services), never
        // the ClusterIP 10.43.0.1:443, which it never sees.
        NetworkPolicy("allow-kube-api", pods: .workload(lsTritonAdapterWorkload(s).deployment), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: apiServerCIDR(s))], ports: [.tcp(.number(Node.apiServerPort))])
        }
    }
}

/// The K3s API server's address as a host network (/32, or /128 for IPv6), from the one
/// setting `controlPlaneAddress` (`157.173.210.123`, `fd00::10`).
func apiServerCIDR(_ s: SettingValues) -> String {
    let address = s[Settings.controlPlaneAddress]
    return "\(address)/\(address.contains(":") ? 128 : 32)"
}
