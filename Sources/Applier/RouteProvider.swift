import CloudState
import Foundation

/// The account's tunnel routes (`CloudflareRoutes`): the private networks WARP clients reach
/// through the fleet's tunnels. Runs after the tunnels it routes to. Keyed by network: an
/// owned route is created, moved to the declared tunnel or deleted when no longer declared; a
/// route on a declared network that the applier does not own is a conflict, left alone. It
/// runs only when the desired state declares a route: removing the last declared route leaves
/// the owned ones in place (delete them in Zero Trust → Networks → Routes).
struct RouteProvider: Provider {
    static let name = "routes"
    let title = "Cloudflare tunnel routes"
    let dependencies = [TunnelProvider.name]
    let credentials: [Credential]
    let problems: [String]
    let desired: [PrivateRoute]
    let api: CloudflareRoutes

    init?(state: DesiredState, context: ProviderContext) {
        let cloudflare = state.cloudflare
        // Declared only with at least one route: a fleet without private networks sends no
        // request for them (and so leaves routes it once made when the last one is removed).
        guard !cloudflare.privateRoutes.isEmpty else { return nil }
        credentials = [.cloudflareToken(cloudflare)]
        problems =
            [cloudflare.accountProblem(statePath: context.statePath)].compactMap { $0 }
            + cloudflare.privateRoutes.filter { isPlaceholder($0.tunnelId) }.map { route in
                "the route of \(route.network) goes through tunnel \(route.tunnelName), whose ID is the placeholder in "
                    + "\(context.statePath); set the tunnel's ID in settings.yaml and rebuild"
            }
        desired = cloudflare.privateRoutes
        api = CloudflareRoutes(
            baseURL: context.cloudflareAPI, accountId: cloudflare.accountId, token: context["CLOUDFLARE_API_TOKEN"],
            client: context.client, retry: context.retry)
    }

    func plan() throws -> [Change<Step<PrivateRoute, LiveRoute>>] {
        Self.plan(desired: desired, live: try api.list())
    }

    /// Creates, moves and conflicts in the order of `desired`, then deletes of owned routes
    /// no longer declared.
    static func plan(desired: [PrivateRoute], live: [LiveRoute]) -> [Change<Step<PrivateRoute, LiveRoute>>] {
        var changes = ChangeList<Step<PrivateRoute, LiveRoute>>(provider: name)
        for route in desired {
            let existing = live.filter { CloudflareRoutes.same($0.network, route.network) }
            if let ours = existing.first(where: CloudflareRoutes.owned) {
                if ours.tunnel_id?.lowercased() != route.tunnelId.lowercased() {
                    changes.add(
                        .update(live: ours, desired: route), route.network,
                        "tunnel \(ours.tunnel_id ?? "none") → \(route.tunnelName) \(route.tunnelId)")
                }
            } else if let other = existing.first {
                changes.add(
                    .conflict(other), route.network,
                    "a route the applier does not own (id \(other.id), tunnel \(other.tunnel_id ?? "none")) is on that "
                        + "network; left alone")
            } else {
                changes.add(
                    .create(route), route.network,
                    "through \(route.tunnelName) \(route.tunnelId) (\(route.description))")
            }
        }
        for route in live
        where CloudflareRoutes.owned(route)
            && !desired.contains(where: { CloudflareRoutes.same($0.network, route.network) })
        {
            changes.add(.delete(route), route.network, "no longer declared")
        }
        return changes.changes
    }

    func apply(_ change: Change<Step<PrivateRoute, LiveRoute>>) throws {
        switch change.step {
        case .create(let route): try api.create(route)
        case .update(let live, let route): try api.update(live.id, to: route)
        case .delete(let live): try api.delete(live)
        case .conflict: break
        }
    }
}
