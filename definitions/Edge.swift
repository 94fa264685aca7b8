import DSL

/// What runs on calypso outside Kubernetes: Triton under Docker with the GPU. The node tunnel's
/// cloudflared unit and config come from its `Tunnel.local` below.
struct Calypso {
    let triton: HostService
    let s: SettingValues

    /// Every model the adapter routes to: the NER model it queries and training reloads, and
    /// the seed's PDF model (Docling-Granite, a Python-backend model) for PDF tasks.
    let modelNames: [String]

    init(_ s: SettingValues) {
        self.s = s
        modelNames = [s[Settings.tritonModelName], s[Settings.tritonPdfModelName]]
        // Triton's documented flags (server docs, "Model Management"): explicit control so the
        // training pipeline loads and reloads models through the API; every declared model is
        // loaded at start so a reboot serves them again without waiting for a training run, and
        // one model that fails to load (missing files on a first boot) does not stop the others
        // (--exit-on-error defaults to true, and Restart=always would loop), nor keep the server
        // "not ready" (--strict-readiness defaults to true), which would stop oceanid-apply from
        // loading the missing model.
        triton = HostService.docker(
            "tritonserver", description: "Triton Inference Server (explicit model control)",
            image: Image(s[Settings.tritonImage]),
            ports: [HostPort("http", 8000), HostPort("grpc", 8001), HostPort("metrics", 8002)],
            // The PDF model runs on the Python backend, which needs more than Docker's 64 MB of
            // /dev/shm (Triton python_backend README, "Running Multiple Instances").
            gpus: true, volumes: [Self.modelRepositoryPath: "/models"], sharedMemory: "1g",
            command: ["tritonserver", "--model-repository=/models", "--model-control-mode=explicit"]
                + modelNames.map { "--load-model=\($0)" }
                + ["--exit-on-error=false", "--strict-readiness=false",
                   "--http-port=8000", "--grpc-port=8001", "--metrics-port=8002"])
    }

    /// The model repository on calypso (the seeds: `/opt/triton/models/<model>/1/model.onnx`),
    /// bound into Triton's container as /models; the training Jobs publish into it.
    static let modelRepositoryPath = "/opt/triton/models"

    var host: Host { Host(Nodes(s).calypso) { triton } }

    /// The hostname the node tunnel routes to Triton (`gpu.<base>`), written once: the route,
    /// its Access policy and the model repository's URL all take it from here.
    var hostname: String { "gpu.\(s[Settings.cloudflareNodeTunnelHostname])" }

    /// The models the adapter routes to, kept loaded through Triton's model-control API behind
    /// the node tunnel (oceanid-apply loads them, `--reload-models` reloads them after training).
    var models: ModelRepository {
        ModelRepository(url: tritonURL(s), models: modelNames,
                        on: Nodes(s).calypso, path: Self.modelRepositoryPath)
    }
}

/// The Access service tokens: the training Jobs and the adapter call Triton (each carries its
/// own, `Env.accessToken`); operators use kubectl through `cloudflared access` and call Triton
/// with curl and oceanid-apply. Each token's client ID and secret are ESC keys.
enum AccessTokens {
    static let training = AccessServiceToken("training-pipeline",
                                             clientId: Settings.accessTokenTrainingPipelineClientId,
                                             clientSecret: Settings.accessTokenTrainingPipelineClientSecret)
    static let adapter = AccessServiceToken("ls-triton-adapter",
                                            clientId: Settings.accessTokenLsTritonAdapterClientId,
                                            clientSecret: Settings.accessTokenLsTritonAdapterClientSecret)
    static let operators = AccessServiceToken("operators", clientId: Settings.accessTokenOperatorsClientId,
                                              clientSecret: Settings.accessTokenOperatorsClientSecret)
}

/// The Cloudflare side: the cluster tunnel's routes (configured remotely), calypso's node
/// tunnel (configured by its file), a proxied CNAME for each hostname, and Access in front of
/// everything but Label Studio, which has its own login (each route says which it is). The
/// remote tunnels' connectors run in `cluster` (the fleet's `tethys`, passed as its value).
func cloudflare(_ s: SettingValues, cluster: Cluster) -> Cloudflare {
    let base = s[Settings.cloudflareNodeTunnelHostname]
    let apiHostname = s[Settings.tunnelHostname]
    let training = AccessTokens.training, adapter = AccessTokens.adapter, operators = AccessTokens.operators
    let operatorEmails = s[Settings.accessOperatorEmails].split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    let calypso = Calypso(s)
    return Cloudflare(account: s.read(Settings.cloudflareAccountId), zone: base, zoneId: s.read(Settings.cloudflareZoneId),
                      apiToken: Settings.cloudflareApiToken) {
        [training, adapter, operators]
        Tunnel.remote("cluster", id: s.read(Settings.cloudflareTunnelId), cluster: cluster) {
            // The Kubernetes API, whose certificate is K3s' own self-signed one.
            TunnelIngressRule(apiHostname, to: .url(s[Settings.tunnelServiceUrl].isEmpty ? Nodes(s).apiServerURL : s[Settings.tunnelServiceUrl]),
                              originRequest: OriginRequest(noTLSVerify: true))
                .protected(by: [operators], emails: operatorEmails)
            TunnelIngressRule(LabelStudioChart.hostname(s), to: .service(LabelStudioChart.app,
                                                                         port: LabelStudioChart.http))
                .publicOnPurpose("Label Studio has its own login")
            TunnelIngressRule.catchAll(.httpStatus(404))
        }
        // The node-tunnels DaemonSet's tunnel: one connector per node for private (WARP)
        // routing, no public hostname. It is not the host connector's tunnel: Cloudflare spreads
        // a tunnel's requests over all its connectors, and only calypso's routes gpu.<base>.
        let nodeTunnels = Tunnel.remote("node-tunnels", id: s.read(Settings.cloudflareNodeTunnelsId), cluster: cluster,
                                        token: Settings.cloudflareNodeTunnelsToken) {
            TunnelIngressRule.catchAll(.httpStatus(404))
        }
        nodeTunnels
        // The private networks WARP clients reach through the node tunnels (the seeds: "route
        // private CIDRs"): the K3s pod and service ranges, the ones Tailscale also advertises.
        PrivateNetworkRoute(K3s.podCIDR, via: nodeTunnels, comment: "K3s pods")
        PrivateNetworkRoute(K3s.serviceCIDR, via: nodeTunnels, comment: "K3s services")
        if s[Settings.enableCalypsoHostConnector] {
            // calypso's host connector keeps the seed's node tunnel (and its credentials file), so
            // gpu.<base> stays up through the cut-over; the DaemonSet moves to a tunnel of its own.
            Tunnel.local("node", id: s.read(Settings.cloudflareNodeTunnelId), on: Nodes(s).calypso, metricsPort: 2201,
                         dnsTarget: s.read(Settings.cloudflareNodeTunnelTarget)) {
                // Operators (curl, oceanid-apply's Triton step) send the operators token too.
                TunnelIngressRule(calypso.hostname, to: .host(calypso.triton, port: "http"))
                    .protected(by: [training, adapter, operators])
                TunnelIngressRule.catchAll(.httpStatus(404))
            }
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
