import DSL

/// What runs on calypso outside Kubernetes: Triton under Docker with the GPU. The node tunnel's
/// cloudflared unit and config come from its `Tunnel.local` below.
struct Calypso {
    let triton: HostService
    let s: SettingValues

    init(_ s: SettingValues) {
        self.s = s
        // Triton's documented flags (server docs, "Model Management"): explicit control so the
        // training pipeline loads and reloads models through the API; the adapter's model is
        // loaded at start so a reboot serves it again without waiting for a training run.
        triton = HostService.docker(
            "tritonserver", description: "Triton Inference Server (explicit model control)",
            image: Image(s[Settings.tritonImage]),
            ports: [HostPort("http", 8000), HostPort("grpc", 8001), HostPort("metrics", 8002)],
            gpus: true, volumes: ["/opt/triton/models": "/models"],
            command: ["tritonserver", "--model-repository=/models", "--model-control-mode=explicit",
                      "--load-model=\(s[Settings.tritonModelName])",
                      "--http-port=8000", "--grpc-port=8001", "--metrics-port=8002"])
    }

    var host: Host { Host(Nodes(s).calypso) { triton } }

    /// The model the adapter queries, kept loaded through Triton's model-control API behind
    /// the node tunnel (oceanid-apply loads it, `--reload-models` reloads it after training).
    var models: ModelRepository {
        ModelRepository(url: "https://gpu.\(s[Settings.cloudflareNodeTunnelHostname])", models: [s[Settings.tritonModelName]])
    }
}

/// The Cloudflare side: the cluster tunnel's routes (configured remotely), calypso's node
/// tunnel (configured by its file), a proxied CNAME for each hostname, and Access in front of
/// everything but Label Studio, which has its own login.
func cloudflare(_ s: SettingValues) -> Cloudflare {
    let base = s[Settings.cloudflareNodeTunnelHostname]
    let apiHostname = s[Settings.tunnelHostname]
    // Service tokens: the training Jobs and the adapter call Triton; operators use kubectl
    // through `cloudflared access`.
    let training = AccessServiceToken("training-pipeline")
    let adapter = AccessServiceToken("ls-triton-adapter")
    let operators = AccessServiceToken("operators")
    let operatorEmails = s[Settings.accessOperatorEmails].split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    let calypso = Calypso(s)
    return Cloudflare(account: s.read(Settings.cloudflareAccountId), zone: base, zoneId: s.read(Settings.cloudflareZoneId),
                      apiToken: Settings.cloudflareApiToken) {
        [training, adapter, operators]
        Tunnel.remote("cluster", id: s.read(Settings.cloudflareTunnelId), cluster: "tethys") {
            // The Kubernetes API, whose certificate is K3s' own self-signed one.
            TunnelIngressRule(apiHostname, to: .url(s[Settings.tunnelServiceUrl]), originRequest: OriginRequest(noTLSVerify: true))
            TunnelIngressRule("label.\(base)", to: .service(LabelStudioChart.serviceName, namespace: "apps",
                                                            port: .name(LabelStudioChart.service.name)))
                .publicOnPurpose("Label Studio has its own login")
            TunnelIngressRule.catchAll(.httpStatus(404))
        }
        AccessPolicy(apiHostname, serviceTokens: [operators], emails: operatorEmails)
        if s[Settings.enableCalypsoHostConnector] {
            Tunnel.local("node", id: s.read(Settings.cloudflareNodeTunnelId), on: Nodes(s).calypso, metricsPort: 2201,
                         dnsTarget: s.read(Settings.cloudflareNodeTunnelTarget)) {
                TunnelIngressRule("gpu.\(base)", to: .host(calypso.triton, port: "http"))
                TunnelIngressRule.catchAll(.httpStatus(404))
            }
            AccessPolicy("gpu.\(base)", serviceTokens: [training, adapter])
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
