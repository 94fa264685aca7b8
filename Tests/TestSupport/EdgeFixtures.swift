import DSL

/// The demo fleet's edge: a host service on `lab-gpu`, a remote tunnel into the `lab`
/// cluster and a local tunnel on `lab-gpu`, in the zone `example.com`. Tests replace one
/// part at a time (a rule, a record, a policy) and keep the rest clean.
public enum EdgeFixtures {
    public static let zone = "example.com"
    public static let accountID = "0123456789abcdef0123456789abcdef"
    public static let zoneID = "fedcba9876543210fedcba9876543210"
    public static let clusterTunnelID = "6ff42ae2-765d-4adf-8112-31c55c1551ef"
    public static let nodeTunnelID = "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11"
    public static let apiToken = SecretSetting("cloudflareApiToken", summary: "API token.")
    /// The token model.example.com admits, with its ESC keys (a workload can carry it).
    public static let pipeline = AccessServiceToken(
        "pipeline", clientId: SecretSetting("accessTokenPipelineClientId", summary: "Client ID."),
        clientSecret: SecretSetting("accessTokenPipelineClientSecret", summary: "Client secret."))

    /// The model server on lab-gpu (Docker, GPU, HTTP on 8000).
    public static let model = HostService.docker(
        "model", description: "Model server", image: "ghcr.io/example/model:1.0",
        ports: [HostPort("http", 8000), HostPort("metrics", 8002)], gpus: true,
        volumes: ["/opt/models": "/models"], command: ["serve", "--port=8000"])

    /// The demo fleet's `lab` cluster as the remote tunnel takes it (the tunnel keeps its name).
    public static let lab = Cluster("lab") {}

    public static func id(_ value: String, _ key: String = "tunnel id") -> SettingRead<String> {
        SettingRead(key: key, value: value)
    }

    /// `web.example.com` → the `web` Service, public on purpose; catch-all last.
    public static func clusterRules() -> [TunnelIngressRule] {
        [
            TunnelIngressRule("web.example.com", to: .service("web", namespace: "web", port: "http")).publicOnPurpose(
                "the demo site"),
            TunnelIngressRule.catchAll(.httpStatus(404)),
        ]
    }

    /// `model.example.com` → the model server's `http` port; catch-all last.
    public static func nodeRules() -> [TunnelIngressRule] {
        [
            TunnelIngressRule("model.example.com", to: .host(model, port: "http")),
            TunnelIngressRule.catchAll(.httpStatus(404)),
        ]
    }

    /// The zone with both tunnels, the pipeline token and the policy on model.example.com;
    /// `extra` adds declarations.
    public static func cloudflare(
        clusterRules: [TunnelIngressRule] = clusterRules(), nodeRules: [TunnelIngressRule] = nodeRules(),
        nodeDNSTarget: String? = nil, accountID: String = accountID, zone: String = zone,
        policies: [AccessPolicy] = [AccessPolicy("model.example.com", serviceTokens: [pipeline])],
        @ListBuilder<CloudflareItem> extra: () -> [CloudflareItem] = { [] }
    ) -> Cloudflare {
        let more = extra()
        return Cloudflare(
            account: id(accountID, "cloudflareAccountId"), zone: zone, zoneId: id(zoneID, "cloudflareZoneId"),
            apiToken: apiToken
        ) {
            pipeline
            Tunnel.remote("edge", id: id(clusterTunnelID, "cloudflareTunnelId"), cluster: lab) { clusterRules }
            Tunnel.local(
                "node", id: id(nodeTunnelID, "cloudflareNodeTunnelId"), on: Node("lab-gpu", role: .agent),
                metricsPort: 2201,
                dnsTarget: nodeDNSTarget.map { id($0, "cloudflareNodeTunnelTarget") }
            ) { nodeRules }
            for policy in policies { policy }
            for item in more { item }
        }
    }

    /// The demo fleet with this edge and hosts.
    public static func fleet(_ cloudflare: Cloudflare = cloudflare(), hosts: [Host] = [Host("lab-gpu") { model }])
        -> Fleet
    {
        var fleet = Fixtures.demo()
        fleet.cloudflare = [cloudflare]
        fleet.hosts = hosts
        return fleet
    }
}
