import CloudState
import Foundation

/// The remotely managed tunnels' ingress configurations (`CloudflareTunnels`): one update per
/// tunnel whose live ingress differs, which replaces the whole document. First of all
/// providers: the DNS records route to these tunnels.
struct TunnelProvider: Provider {
    static let name = "tunnel"
    let title = "Cloudflare tunnels"
    let credentials: [Credential]
    let problems: [String]
    let tunnels: [TunnelConfiguration]
    let api: CloudflareTunnels

    init?(state: DesiredState, context: ProviderContext) {
        let cloudflare = state.cloudflare
        guard !cloudflare.tunnels.isEmpty else { return nil }
        credentials = [.cloudflareToken(cloudflare)]
        problems =
            [cloudflare.accountProblem(statePath: context.statePath)].compactMap { $0 }
            + cloudflare.tunnels.filter { isPlaceholder($0.tunnelId) }.map { tunnel in
                "tunnel \(tunnel.name) has the placeholder ID in \(context.statePath); set "
                    + (tunnel.idSetting ?? "its ID") + " in settings.yaml and rebuild"
            }
        tunnels = cloudflare.tunnels
        api = CloudflareTunnels(
            baseURL: context.cloudflareAPI, accountId: cloudflare.accountId,
            token: context["CLOUDFLARE_API_TOKEN"], client: context.client, retry: context.retry)
    }

    func plan() throws -> [Change<TunnelConfiguration>] {
        var changes = ChangeList<TunnelConfiguration>(provider: Self.name)
        for tunnel in tunnels {
            let live = try api.ingress(tunnel)
            guard CloudflareTunnels.differs(live: live, desired: tunnel.ingress) else { continue }
            let differences = CloudflareTunnels.differences(live: live, desired: tunnel.ingress).joined(separator: "; ")
            let detail =
                live.isEmpty
                ? "no remote configuration yet; \(tunnel.ingress.count) ingress rules"
                : "ingress differs (\(differences)); replaced whole"
            changes.add(.update, "\(tunnel.name) \(tunnel.tunnelId)", detail, tunnel)
        }
        return changes.changes
    }

    func apply(_ change: Change<TunnelConfiguration>) throws {
        try api.put(change.step)
    }
}
