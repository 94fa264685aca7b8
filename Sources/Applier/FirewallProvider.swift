import CloudState
import Foundation

/// The CrunchyBridge network firewall (`CrunchyBridgeFirewall`): the list is the fleet's
/// alone, so rules it does not declare are removed, after the declared ones exist. Declared
/// when the desired state has rules (it never empties a firewall: see `StateValidation`).
struct FirewallProvider: Provider {
    static let name = "firewall"
    let title = "CrunchyBridge"
    let credentials: [Credential]
    let rules: [FirewallRule]
    let firewall: CrunchyBridgeFirewall

    init?(state: DesiredState, context: ProviderContext) {
        let bridge = state.crunchyBridge
        guard !bridge.firewallRules.isEmpty else { return nil }
        credentials = [.variable("BRIDGE_TOKEN", escKey: bridge.apiKey?.escKey ?? "crunchyBridgeApiKey")]
        rules = bridge.firewallRules
        firewall = CrunchyBridgeFirewall(
            baseURL: context.variables["OCEANID_CRUNCHYBRIDGE_API"] ?? "https://api.crunchybridge.com",
            networkId: bridge.networkId, token: context["BRIDGE_TOKEN"],
            client: context.client, retry: context.retry)
    }

    func plan() throws -> [Change<Step<FirewallRule, LiveFirewallRule>>] {
        FirewallPlanner.plan(desired: rules, live: try firewall.list())
    }

    func apply(_ change: Change<Step<FirewallRule, LiveFirewallRule>>) throws {
        switch change.step {
        case .create(let rule): try firewall.create(rule)
        case .update(let live, let rule): try firewall.update(live.id, to: rule)
        case .delete(let live): try firewall.delete(live)
        case .conflict: break
        }
    }
}

/// The firewall list, exclusively controlled: the desired rules exactly (CIDRs compared
/// normalised, `1.2.3.4` ≡ `1.2.3.4/32`), a description difference is an update, anything
/// else is deleted — after the creates, so the database is never unreachable.
enum FirewallPlanner {
    /// `1.2.3.4/32` for `1.2.3.4`, `::1/128` for `::1`: a CIDR with its length.
    static func normalized(_ cidr: String) -> String {
        let trimmed = cidr.trimmingCharacters(in: .whitespaces)
        return trimmed.contains("/") ? trimmed : (trimmed.contains(":") ? trimmed + "/128" : trimmed + "/32")
    }

    /// Every change that makes the list exactly `desired`: creates and description updates
    /// in the order of `desired`, then deletes of every rule it does not declare.
    static func plan(desired: [FirewallRule], live: [LiveFirewallRule]) -> [Change<
        Step<FirewallRule, LiveFirewallRule>
    >] {
        var changes = ChangeList<Step<FirewallRule, LiveFirewallRule>>(provider: FirewallProvider.name)
        var matched: Set<String> = []
        for rule in desired {
            let key = normalized(rule.rule)
            if let existing = live.first(where: { normalized($0.rule) == key && !matched.contains($0.id) }) {
                matched.insert(existing.id)
                if (existing.description ?? "") != rule.description {
                    changes.add(
                        .update(live: existing, desired: rule), key,
                        "description '\(existing.description ?? "")' → '\(rule.description)'")
                }
            } else {
                changes.add(.create(rule), key, rule.description)
            }
        }
        for rule in live where !matched.contains(rule.id) {
            changes.add(
                .delete(rule), normalized(rule.rule),
                "not declared (\(rule.description ?? "no description")); the fleet controls this list")
        }
        return changes.changes
    }
}
