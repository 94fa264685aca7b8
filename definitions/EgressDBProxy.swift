import DSL

/// Forwards Postgres to the CrunchyBridge host. Pinned to the egress node, so connections
/// leave from its public IP, the only one the database firewall allows. Its Service has a
/// fixed ClusterIP: an app keeps dialling the CrunchyBridge host name (the name its TLS
/// certificate carries, `p.<id>.db.postgresbridge.com`) and its pod maps that name to the
/// proxy (`hostAlias`), so clients that verify the server's name still can. Clients that
/// take host and port apart (Label Studio) may use the Service's name instead.
struct EgressDBProxy {
    static let namespace = "apps"
    let port = ServicePort("postgres", 5432)
    let deployment: Deployment
    let service: Service

    init(_ settings: SettingValues) {
        deployment = Deployment("egress-db-proxy") {
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
        .pinned(to: Nodes(settings).controlPlane)
        let postgres = port
        // spec.clusterIP is immutable: a new address is applied by deleting and recreating the Service.
        service = Service(selecting: deployment) { postgres }.fixedClusterIP(K3s.egressDbProxyIP).recreatedOnChange()
        upstreamHost = settings[Settings.crunchyBridgeHost]
    }

    /// The database host the proxy forwards to.
    let upstreamHost: String

    /// For a pod that dials the database's own host name: resolves it to the proxy's ClusterIP.
    func hostAlias<W: PodWorkload>(_ workload: W) -> W {
        workload.hostAlias(ip: K3s.egressDbProxyIP, hostnames: [upstreamHost])
    }

    /// The in-cluster host name apps connect to.
    var host: String { service.host(in: Self.namespace, domain: K3s.clusterDomain) }

    var component: Component {
        let (deployment, service) = (self.deployment, self.service)
        return Component("egress-db-proxy", layer: Layers.networking) {
            deployment
            service
        }
    }
}
