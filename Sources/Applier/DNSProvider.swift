import CloudState
import Foundation

/// The Cloudflare DNS records of the zone (`CloudflareDNS`). Declared whenever the desired
/// state has a Cloudflare section, so an emptied record list still removes the records the
/// applier made. Runs after the tunnels, whose IDs its CNAMEs point at.
struct DNSProvider: Provider {
    static let name = "dns"
    let title = "Cloudflare DNS"
    let dependencies = [TunnelProvider.name]
    let credentials: [Credential]
    let problems: [String]
    let desired: [DNSRecord]
    let dns: CloudflareDNS
    /// `--adopt`: an unowned record of a declared type and name is taken over in place.
    let adopt: Bool

    init?(state: DesiredState, context: ProviderContext) {
        let cloudflare = state.cloudflare
        guard cloudflare.isDeclared else { return nil }
        credentials = [.cloudflareToken(cloudflare)]
        var problems: [String] = []
        if cloudflare.zoneId.count != 32 || isPlaceholder(cloudflare.zoneId) {
            problems.append(
                "the zone ID in \(context.statePath) is '\(cloudflare.zoneId)', not a real one; "
                    + "set cloudflareZoneId in settings.yaml and rebuild")
        }
        // A locally managed tunnel has no configuration here, but its hostnames' records
        // point at its ID: a placeholder would publish a CNAME to a tunnel that is nobody's.
        let suffix = ".cfargotunnel.com"
        for record in cloudflare.dnsRecords
        where record.content.hasSuffix(suffix) && isPlaceholder(String(record.content.dropLast(suffix.count))) {
            // The setting the compiler read this record's target from (per record: the cluster
            // tunnel's hostnames name cloudflareTunnelId, the node tunnel's cloudflareNodeTunnelId).
            let setting = cloudflare.dnsTargetSettings?[record.name].map { "set \($0)" } ?? "set the tunnel's ID"
            problems.append(
                "DNS record \(record.name) points at the placeholder tunnel ID \(record.content); "
                    + "\(setting) in settings.yaml and rebuild")
        }
        self.problems = problems
        desired = cloudflare.dnsRecords
        adopt = context.adopt
        dns = CloudflareDNS(
            baseURL: context.cloudflareAPI, zoneId: cloudflare.zoneId, token: context["CLOUDFLARE_API_TOKEN"],
            client: context.client, retry: context.retry)
    }

    func plan() throws -> [Change<Step<DNSRecord, LiveRecord>>] {
        DNSPlanner.plan(desired: desired, live: try dns.list(), adopt: adopt)
    }

    func apply(_ change: Change<Step<DNSRecord, LiveRecord>>) throws {
        switch change.step {
        case .create(let record): _ = try dns.create(record)
        case .update(let live, let record): try dns.update(live.id, to: record)
        case .delete(let live): try dns.delete(live)
        case .conflict: break
        }
    }
}

/// DNS records: desired against live. Keyed by type and name (lower case, no trailing dot);
/// only records carrying the ownership marker are ever changed or deleted; a live record the
/// applier does not own on a name it wants is a conflict, reported and left alone.
enum DNSPlanner {
    /// `CNAME gpu.example.com`: the type upper case, the name lower case without trailing dots.
    static func key(_ type: String, _ name: String) -> String {
        var n = name.lowercased()
        while n.hasSuffix(".") { n.removeLast() }
        return "\(type.uppercased()) \(n)"
    }

    /// Every change that makes `live` hold `desired`: creates, updates and conflicts in the
    /// order of `desired`, then deletes of owned duplicates and of undeclared owned records.
    /// With `adopt`, an unowned record of the same type and name is adopted instead of being a
    /// conflict: PATCHed in place (its ID kept) with the desired content and the ownership
    /// comment (`adopt` when only the comment changes, `adopt+update` with the differences). A
    /// record of another type on the name (a CNAME beside an A) stays a conflict: adopting it
    /// would need a delete.
    static func plan(desired: [DNSRecord], live: [LiveRecord], adopt: Bool = false)
        -> [Change<Step<DNSRecord, LiveRecord>>]
    {
        var changes = ChangeList<Step<DNSRecord, LiveRecord>>(provider: DNSProvider.name)
        let liveByKey = Dictionary(grouping: live, by: { key($0.type, $0.name) })
        let wanted = Set(desired.map { key($0.type, $0.name) })
        for record in desired {
            let k = key(record.type, record.name)
            let existing = liveByKey[k] ?? []
            // A CNAME stands alone at its name; an A/AAAA cannot sit beside a CNAME (Cloudflare 81053/81054).
            let name = key("", record.name).dropFirst()
            let type = record.type.uppercased()
            let blocking = live.filter { other in
                key("", other.name).dropFirst() == name && !CloudflareDNS.owned(other)
                    && other.type.uppercased() != type
                    && (type == "CNAME" || other.type.uppercased() == "CNAME")
            }
            if let other = blocking.first {
                changes.add(
                    .conflict(other), k,
                    "a \(other.type) record the applier does not own (id \(other.id)) is on that name, "
                        + "and a CNAME cannot share it; left alone")
            } else if let ours = existing.first(where: CloudflareDNS.owned) {
                let differences = Self.differences(ours, record)
                if !differences.isEmpty {
                    changes.add(.update(live: ours, desired: record), k, differences.joined(separator: ", "))
                }
            } else if let other = existing.first, adopt {
                let differences = Self.differences(other, record)
                changes.add(
                    differences.isEmpty ? .adopt : .adoptUpdate, k,
                    "id \(other.id) kept" + (differences.isEmpty ? "" : ", " + differences.joined(separator: ", ")),
                    .update(live: other, desired: record))
            } else if let other = existing.first {
                changes.add(
                    .conflict(other), k,
                    "a record the applier does not own (id \(other.id), content \(other.content)) "
                        + "is in the way; left alone (--adopt takes it over in place)")
            } else {
                changes.add(.create(record), k, "content \(record.content), proxied \(record.proxied)")
            }
        }
        // Owned duplicates of one wanted name (a create that landed twice elsewhere): keep the first.
        for (k, records) in liveByKey.sorted(by: { $0.key < $1.key }) where wanted.contains(k) {
            for extra in records.filter(CloudflareDNS.owned).dropFirst() {
                changes.add(.delete(extra), k, "a second owned record (id \(extra.id))")
            }
        }
        for record in live where CloudflareDNS.owned(record) && !wanted.contains(key(record.type, record.name)) {
            changes.add(.delete(record), key(record.type, record.name), "no longer declared")
        }
        return changes.changes
    }

    /// What differs between an owned live record and the desired one (`content a → b`).
    static func differences(_ live: LiveRecord, _ record: DNSRecord) -> [String] {
        var differences: [String] = []
        let dots = CharacterSet(charactersIn: ".")
        if live.content.lowercased().trimmingCharacters(in: dots)
            != record.content.lowercased().trimmingCharacters(in: dots)
        {
            differences.append("content \(live.content) → \(record.content)")
        }
        if (live.proxied ?? false) != record.proxied {
            differences.append("proxied \(live.proxied ?? false) → \(record.proxied)")
        }
        if (live.ttl ?? 1) != record.ttl { differences.append("ttl \(live.ttl ?? 1) → \(record.ttl)") }
        return differences
    }
}
