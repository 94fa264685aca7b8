import Compiler
import DSL
import TestSupport
import Testing

/// Private networks (`PrivateRouteChecks`): a route through a declared tunnel becomes a tunnel
/// route of the desired state; a route that is not a CIDR, goes through an undeclared tunnel or
/// repeats a network is an error at the route; a cloudflared config that still sets
/// `warp-routing` is a warning at its ConfigMap.
@Suite struct PrivateRouteCheckTests {
    /// EdgeFixtures' fleet (tunnels `cluster` and `node`) with `routes`.
    static func fleet(_ routes: [PrivateNetworkRoute]) -> Fleet {
        var cloudflare = EdgeFixtures.cloudflare()
        cloudflare.privateRoutes = routes
        return EdgeFixtures.fleet(cloudflare)
    }

    static func diagnostics(_ routes: [PrivateNetworkRoute]) -> [Diagnostic] {
        FleetCheck.run(fleet(routes)).filter { $0.code == .invalidPrivateRoute }
    }

    static var tunnel: String { EdgeFixtures.cloudflare().tunnels[0].name }

    @Test func aRouteThroughADeclaredTunnelIsLowered() throws {
        let routes = [PrivateNetworkRoute("10.60.0.0/16", via: Self.tunnel, comment: "lab")]
        #expect(Self.diagnostics(routes) == [])
        let ir = try #require(
            CompilerPipeline(guardrails: false, blame: false).run(FleetSource(FleetDefinition(Self.fleet(routes)))).ir)
        let route = try #require(ir.cloud.cloudflare.privateRoutes.first)
        #expect(route.network == "10.60.0.0/16")
        #expect(route.tunnelName == Self.tunnel)
        #expect(route.tunnelId == EdgeFixtures.cloudflare().tunnels[0].id.value)
    }

    @Test func aNetworkThatIsNotACIDRIsAnError() throws {
        let line = #line + 1
        let d = try #require(
            Self.diagnostics([PrivateNetworkRoute("10.60.0.0", via: Self.tunnel, comment: "lab")]).first)
        #expect(d.location.line == line)
        #expect(d.message == "private route '10.60.0.0' is not a CIDR (address/prefix)")
    }

    @Test func anUndeclaredTunnelIsAnError() throws {
        let d = try #require(Self.diagnostics([PrivateNetworkRoute("10.60.0.0/16", via: "vpn", comment: "lab")]).first)
        #expect(d.message.hasPrefix("private route '10.60.0.0/16' goes through tunnel 'vpn', which is not declared"))
    }

    @Test func aNetworkRoutedTwiceIsAnError() {
        let found = Self.diagnostics([
            PrivateNetworkRoute("10.60.0.0/16", via: Self.tunnel, comment: "a"),
            PrivateNetworkRoute("10.60.0.0/16", via: Self.tunnel, comment: "b"),
        ])
        #expect(found.map(\.message) == ["private route '10.60.0.0/16' is routed twice"])
    }

    @Test func warpRoutingInAConfigIsAWarning() throws {
        let line = #line + 1
        let config = ConfigMap(
            "lab-tunnel-config", files: ["config.yaml": .yaml(CloudflaredConfig(warpRouting: true).tree)])
        let fleet = Fleet("t") {
            Cluster("c") {
                Node("n1", role: .server)
                Namespace("lab") { config }
            }
        }
        let found = FleetCheck.run(fleet).filter { $0.code == .ignoredWarpRouting }
        let d = try #require(found.first)
        #expect(found.count == 1)
        #expect(d.severity == .warning)
        #expect(d.location.line == line)
        #expect(
            d.message.hasPrefix(
                "ConfigMap 'lab-tunnel-config' file 'config.yaml' sets warp-routing, which cloudflared 2023.9"))
        let clean = ConfigMap(
            "lab-tunnel-config", files: ["config.yaml": .yaml(CloudflaredConfig(metrics: "127.0.0.1:2200").tree)])
        #expect(
            FleetCheck.run(
                Fleet("t") {
                    Cluster("c") {
                        Node("n1", role: .server)
                        Namespace("lab") { clean }
                    }
                }
            ).filter { $0.code == .ignoredWarpRouting } == [])
    }
}
