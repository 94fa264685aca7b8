import DSL

/// Flux layers of tethys, declared once and applied in this order; components name them by value.
enum Layers {
    /// Namespaces and CRD-level infrastructure (the External Secrets Operator).
    static let infrastructure = Layer("infrastructure", timeout: "10m")
    /// The secret store, once the operator's CRDs exist.
    static let secrets = Layer("secrets", dependsOn: [infrastructure])
    /// Tunnels, the Tailscale router, the egress gateway and DB proxy.
    static let networking = Layer("networking", dependsOn: [secrets])
    /// The ML and data applications.
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
                    ]], installCRDs: true)
    }
}
