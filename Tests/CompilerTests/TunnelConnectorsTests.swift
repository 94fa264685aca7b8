import Compiler
import DSL
import TestSupport
import Testing

/// A locally managed tunnel has one kind of connector, and host-network listeners stay off the
/// node's public address.
@Suite struct TunnelConnectorsTests {
    static let token = SecretSetting("labTunnelToken", summary: "Token of a tunnel.")

    /// The edge fixture with the node tunnel given `token`'s key (or a remote tunnel with it)
    /// and `items` in a `connectors` namespace of the lab cluster.
    static func check(
        localToken: Bool = true, @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]
    ) -> [Diagnostic] {
        let rules = EdgeFixtures.nodeRules()
        let tunnel =
            localToken
            ? Tunnel.local(
                "node", id: EdgeFixtures.id(EdgeFixtures.nodeTunnelID), on: Node("lab-gpu", role: .agent),
                metricsPort: 2201, token: token, line: 100
            ) { rules }
            : Tunnel.local(
                "node", id: EdgeFixtures.id(EdgeFixtures.nodeTunnelID), on: Node("lab-gpu", role: .agent),
                metricsPort: 2201, line: 100
            ) { rules }
        var cloudflare = EdgeFixtures.cloudflare()
        cloudflare.tunnels = cloudflare.tunnels.map { $0.name == "node" ? tunnel : $0 }
        var fleet = EdgeFixtures.fleet(cloudflare)
        fleet.clusters[0].items.append(.namespace(Namespace("connectors", items)))
        return FleetCheck.run(fleet).filter {
            $0.code == .sharedLocalTunnel || $0.code == .hostNetworkListensOnAllAddresses
        }
    }

    static func connector(_ name: String, line: Int, args: [String] = []) -> DaemonSet {
        let secret = SecretDeclaration("\(name)-token", keys: ["token": "labTunnelToken"])
        return DaemonSet(name, line: line) {
            Container("cloudflared", image: "cloudflare/cloudflared:2025.9.1") {
                Env("TUNNEL_TOKEN", secret: secret, key: "token")
            }
            .args(["tunnel", "run"] + args)
        }
    }

    @Test func aClusterConnectorOfALocalTunnelIsAnErrorAtTheWorkload() throws {
        let found = Self.check {
            SecretDeclaration("relay-token", keys: ["token": "labTunnelToken"])
            Self.connector("relay", line: 40)
        }
        let d = try #require(found.first, "\(found)")
        #expect(found.count == 1)
        #expect(d.code == .sharedLocalTunnel && d.location.line == 40 && d.severity == .error)
        #expect(d.message.hasPrefix("DaemonSet relay runs a connector of tunnel 'node' (it reads the tunnel's token)"))
        #expect(d.message.hasSuffix("give it a tunnel (and token) of its own"))
        #expect(d.notes.first?.location?.line == 100)
    }

    @Test func aTunnelWithoutThatTokenHasNoSharedConnector() {
        let found = Self.check(localToken: false) {
            SecretDeclaration("relay-token", keys: ["token": "labTunnelToken"])
            Self.connector("relay", line: 40)
        }
        #expect(found.isEmpty, "\(found)")
    }

    @Test func hostNetworkListenersOnEveryAddressWarn() throws {
        let config = ConfigMap(
            "agent-config",
            files: ["config.yaml": .yaml(["metrics": "0.0.0.0:9100"])])
        let found = Self.check(localToken: false) {
            config
            DaemonSet("agent", line: 50) {
                Container("agent", image: "example/agent:1.0") { Mount("config", at: "/etc/agent") }
                Volume.configMap("config", config)
            }
            .hostNetwork()
            DaemonSet("exporter", line: 60) {
                Container("exporter", image: "example/exporter:1.0").args(["--listen", "0.0.0.0:9200"])
            }
            .hostNetwork()
            DaemonSet("local", line: 70) {
                Container("local", image: "example/local:1.0").args(["--listen", "127.0.0.1:9300"])
            }
            .hostNetwork()
            DaemonSet("podnet", line: 80) {
                Container("podnet", image: "example/podnet:1.0").args(["--listen", "0.0.0.0:9400"])
            }
        }
        #expect(found.map(\.location.line) == [50, 60], "\(found.map { $0.formatted() })")
        #expect(found.allSatisfy { $0.severity == .warning && $0.code == .hostNetworkListensOnAllAddresses })
        #expect(found.first?.message.contains("listens on 0.0.0.0:9100") == true)
    }
}
