import DSL

/// Flux layers of tethys, declared once and applied in this order; components name them by value.
///
/// Each layer but the last waits only for what the next one needs (`healthChecks`, so `wait` is
/// false), not for every object it applies: one broken object (a missing ESC key in the Tailscale
/// router, say) leaves its own pod failing but no longer holds back the layers after it.
/// `unchecked-dependency` holds each list to what the later layers use.
enum Layers {
    /// Namespaces and CRD-level infrastructure (the External Secrets Operator, the NVIDIA device
    /// plugin). The secret store needs ESO's CRDs and webhook.
    static let infrastructure = Layer("infrastructure",
                                      healthChecks: [.helmRelease("external-secrets", namespace: "external-secrets")],
                                      timeout: "10m")
    /// The secret store, once the operator's CRDs exist; every ExternalSecret after it reads it.
    static let secrets = Layer("secrets", dependsOn: [infrastructure],
                               healthChecks: [.clusterSecretStore(PulumiESCStore.defaultName)])
    /// Tunnels, the Tailscale router, the egress gateway and DB proxy. The apps need the egress
    /// gateway (their HTTP(S) proxy) and the DB proxy (their only way to Postgres).
    static let networking = Layer("networking", dependsOn: [secrets],
                                  healthChecks: [.deployment("egress-gateway", namespace: EgressGateway.namespace),
                                                 .deployment("egress-db-proxy", namespace: EgressDBProxy.namespace)])
    /// The ML and data applications: nothing depends on them, so Flux waits for all of them
    /// (their health is the layer's Ready).
    static let apps = Layer("apps", dependsOn: [networking], timeout: "10m")

    static let all = [infrastructure, secrets, networking, apps]
}

/// The tethys cluster (Flux reconciles clusters/tethys).
func tethys(_ s: SettingValues) -> Cluster {
    Cluster("tethys") {
        Nodes(s).all
        FluxSync(url: s[Settings.gitRepositoryUrl], branch: s[Settings.gitRepositoryBranch], path: s[Settings.gitRepositoryPath],
                 version: s[Settings.fluxVersion], chartVersion: s[Settings.fluxChartVersion]) {
            Layers.all
        }
        .renders(Charts.flux2)
        PulumiESCStore(organization: s[Settings.pulumiOrganization], project: s[Settings.escProject],
                       environment: s[Settings.escEnvironment], configNamespace: "oceanid-cluster",
                       token: .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"),
                       layer: Layers.secrets)
        // Flux's own namespace: created by the bootstrap, never pruned.
        Namespace("flux-system", annotations: ["kustomize.toolkit.fluxcd.io/prune": "disabled"])
        externalSecretsOperator(s)
        nvidiaDevicePlugin(s)
        Namespace("cloudflared", layer: Layers.networking) { clusterTunnel(s) }
        Namespace("node-tunnels", layer: Layers.networking) { nodeTunnel(s) }
        Namespace("tailscale", layer: Layers.networking) { tailscaleRouter(s) }
        Namespace(EgressGateway.namespace, layer: Layers.networking) { EgressGateway(s).items }
        Namespace("apps", layer: Layers.apps) {
            AppSecrets.component
            EgressDBProxy(s).component
            csvIngestionWorker(s)
            lsTritonAdapter(s)
            annotationsSink(s)
            postgraphile(s)
            labelStudio(s)
            appNetworkPolicies(s)
        }
    }
}

/// The External Secrets Operator (CRDs + controllers), installed by Flux from its chart.
func externalSecretsOperator(_ s: SettingValues) -> Namespace {
    Namespace("external-secrets", layer: Layers.infrastructure) {
        let charts = HelmRepository("external-secrets", url: "https://charts.external-secrets.io")
        charts
        HelmRelease("external-secrets", chart: "external-secrets", version: s[Settings.externalSecretsChartVersion], from: charts,
                    values: ["installCRDs": true, "resources": [
                        "requests": ["cpu": "20m", "memory": "64Mi"], "limits": ["cpu": "200m", "memory": "256Mi"],
                    ],
                    // The webhook and cert controller are Deployments of their own (Charts.externalSecrets).
                    "webhook": ["resources": [
                        "requests": ["cpu": "10m", "memory": "32Mi"], "limits": ["cpu": "100m", "memory": "128Mi"],
                    ]],
                    "certController": ["resources": [
                        "requests": ["cpu": "10m", "memory": "32Mi"], "limits": ["cpu": "100m", "memory": "128Mi"],
                    ]]], installCRDs: true)
        .renders(Charts.externalSecrets)
    }
}
