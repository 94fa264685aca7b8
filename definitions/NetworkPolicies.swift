import DSL

/// apps may reach DNS, the egress gateway and egress-db-proxy; nothing else leaves directly.
/// (egress-db-proxy itself reaches Postgres on 5432; the adapter reaches the K3s API.)
func appNetworkPolicies(_ s: SettingValues) -> Component {
    Component("network-policies") {
        NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
        NetworkPolicy("allow-dns", pods: .all, types: [.egress]) {
            EgressRule(to: [.namespace("kube-system", pods: .labels(["k8s-app": "kube-dns"]))], ports: [.udp(53), .tcp(53)])
        }
        NetworkPolicy("allow-egress-gateway", pods: .all, types: [.egress]) {
            EgressRule(to: [.namespace("egress-system", pods: .labels(["app.kubernetes.io/name": Egress.gatewayName]))],
                       ports: [.tcp(.number(Egress.proxyPort))])
        }
        NetworkPolicy("allow-within-apps", pods: .all, types: [.egress]) {
            EgressRule(to: [.pods(.all)])
        }
        NetworkPolicy("allow-db-proxy-upstream", pods: .labels(["app.kubernetes.io/name": "egress-db-proxy"]), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
                       ports: [.tcp(5432)])
        }
        NetworkPolicy("allow-kube-api", pods: .labels(["app.kubernetes.io/name": "ls-triton-adapter"]), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "10.43.0.1/32")], ports: [.tcp(443)])
            EgressRule(to: [.ipBlock(cidr: apiServerCIDR(s))], ports: [.tcp(6443)])
        }
    }
}

/// The K3s API server's address as a /32, from `tunnelServiceUrl` (https://10.0.0.10:6443).
func apiServerCIDR(_ s: SettingValues) -> String {
    let url = s[Settings.tunnelServiceUrl]
    let host = url.split(separator: "/").dropFirst().first?.split(separator: ":").first.map(String.init) ?? "10.0.0.10"
    return "\(host)/32"
}
