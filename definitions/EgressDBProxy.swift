import DSL

/// Forwards Postgres to the CrunchyBridge host. Pinned to the egress node, so connections
/// leave from its public IP, the only one the database firewall allows.
/// Reached as egress-db-proxy.apps.svc.cluster.local:5432.
func egressDbProxy(_ settings: SettingValues) -> Component {
    Component("egress-db-proxy", layer: Layers.networking) {
        let proxy = Deployment("egress-db-proxy") {
            Container("proxy", image: Image(settings[Settings.egressDbProxyImage])) {
                Port("postgres", 5432)
            }
            .args(["-d", "TCP-LISTEN:5432,fork,reuseaddr", "TCP:\(settings[Settings.crunchyBridgeHost]):5432"])
            .resources(requests: .init(cpu: "20m", memory: "32Mi"), limits: .init(cpu: "200m", memory: "64Mi"))
            .readiness(.tcp(port: "postgres", period: 10))
            .liveness(.tcp(port: "postgres", initialDelay: 10, period: 20))
            .securityContext(.restricted.with(runAsUser: 65534))
        }
        .replicas(2)
        .pinned(to: Nodes.srv712429)

        proxy
        Service(selecting: proxy) {
            ServicePort("postgres", 5432)
        }
    }
}
