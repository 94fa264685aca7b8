import DSL

extension Oceanid {
    /// The Oceanid fleet's guardrail policy: what it allows itself beyond the guardrails' rules.
    ///
    /// - The node tunnels' cloudflared DaemonSet (`nodeTunnel`, Networking.swift) runs on the
    ///   host network, to reach the services each node serves on localhost.
    /// - The Tailscale subnet router adds `NET_ADMIN` and `NET_RAW` to route the tailnet; the
    ///   egress gateway (squid) adds `SETUID`, `SETGID` and `CHOWN` to drop to its own user.
    /// - Every workload of `apps` sends HTTP(S) through the egress gateway in `egress-system`,
    ///   except the Postgres forwarder (`EgressDBProxy`), itself the database's egress path.
    public static let guardrails = GuardrailPolicy(
        hostNetwork: [.init("node-tunnels", "cloudflared-node")],
        capabilities: [
            .init("tailscale", "tailscale-router"): ["NET_ADMIN", "NET_RAW"],
            .init("egress-system", "egress-gateway"): ["SETUID", "SETGID", "CHOWN"],
        ],
        egress: .init(namespace: "apps", gatewayNamespace: "egress-system",
                      exempt: [.init("apps", "egress-db-proxy")])
    )
}
