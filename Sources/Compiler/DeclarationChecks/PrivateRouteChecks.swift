import DSL

/// Private networks reached through tunnels. cloudflared 2023.9 and later ignore the
/// `warp-routing` setting of their configuration: WARP traffic for a private network goes to a
/// tunnel the account routes it to (Zero Trust tunnel routes,
/// https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/private-net/),
/// so a config file that still sets it is a warning (`[ignored-warp-routing]`) pointing at
/// `PrivateNetworkRoute`. Each declared route must be a CIDR, name a declared tunnel, and route
/// its network once (`[invalid-private-route]`, at the route).
enum PrivateRouteChecks {
    /// The ConfigMaps of a cluster whose YAML files set `warp-routing`.
    static func warpRouting(_ index: ClusterIndex) -> [Diagnostic] {
        index.objects.flatMap { object -> [Diagnostic] in
            guard case .configMap(let map) = object.payload else { return [] }
            return map.files.sorted { $0.key < $1.key }.compactMap { name, file in
                guard case .yaml(let tree) = file, tree["warp-routing"] != nil else { return nil }
                return .ignoredWarpRouting(file: name, configMap: map.name, at: map.location)
            }
        }
    }

    /// The routes of every Cloudflare declaration.
    static func routes(_ fleet: Fleet) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for zone in fleet.cloudflare {
            var seen: Set<String> = []
            for route in zone.privateRoutes {
                if CIDR(route.network) == nil {
                    out.append(
                        .invalidPrivateRoute(
                            route.network, problem: "is not a CIDR (address/prefix)", at: route.location))
                } else if !seen.insert(route.network).inserted {
                    out.append(.invalidPrivateRoute(route.network, problem: "is routed twice", at: route.location))
                }
                if !zone.tunnels.contains(where: { $0.name == route.tunnel }) {
                    let known = zone.tunnels.map(\.name).sorted().joined(separator: ", ")
                    out.append(
                        .invalidPrivateRoute(
                            route.network,
                            problem: "goes through tunnel '\(route.tunnel)', which is not declared (tunnels: \(known))",
                            at: route.location))
                }
            }
        }
        return out
    }
}
