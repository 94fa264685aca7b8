import CloudState
import Foundation

/// A provider's answer the applier cannot use: an error envelope, an unexpected status, a
/// body that is not the documented JSON. Never includes a token.
public struct ProviderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A DNS record as Cloudflare returns it (`GET /zones/{zone_id}/dns_records`).
public struct LiveRecord: Codable, Hashable, Sendable {
    public var id: String
    public var type: String
    public var name: String
    public var content: String
    public var proxied: Bool?
    public var ttl: Int?
    public var comment: String?

    public init(id: String, type: String, name: String, content: String, proxied: Bool? = nil, ttl: Int? = nil, comment: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.content = content
        self.proxied = proxied
        self.ttl = ttl
        self.comment = comment
    }
}

/// Cloudflare API v4 DNS records of one zone: list with `page`/`per_page` pagination until
/// `result_info.total_pages` (never assuming the requested page size was honoured), create
/// (POST answers 200), update (PATCH), delete; every answer read through the
/// `{success, errors, result}` envelope, and a 5xx HTML page from the edge is an error, not
/// a crash.
public struct CloudflareDNS {
    public var zoneId: String
    let api: CloudflareAPI

    public init(baseURL: String, zoneId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.zoneId = zoneId
    }

    var recordsURL: String { "\(api.baseURL)/zones/\(zoneId)/dns_records" }

    /// Every record of the zone, or of one type and name.
    public func list(type: String? = nil, name: String? = nil) throws -> [LiveRecord] {
        var query: [String] = []
        if let type { query.append("type=\(type)") }
        if let name { query.append("name=\(name)") }
        return try api.pages(recordsURL, query: query, as: LiveRecord.self, doing: "the record list")
    }

    func body(_ record: DNSRecord) -> Data {
        CloudflareAPI.json(["type": record.type, "name": record.name, "content": record.content, "proxied": record.proxied,
                            "ttl": record.ttl, "comment": record.comment])
    }

    /// Creates a record. When an attempt gets no answer (the create may have landed), the
    /// record is looked up before trying again, so a lost response never makes a duplicate.
    public func create(_ record: DNSRecord) throws -> LiveRecord {
        let landed: () throws -> HTTPResponse? = {
            guard let found = try list(type: record.type, name: record.name).first(where: { Self.owned($0) && $0.content.lowercased() == record.content.lowercased() }) else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        guard let created = try api.call("POST", recordsURL, body: body(record), as: LiveRecord.self,
                                         doing: "creating \(record.type) \(record.name)", landed: landed) else {
            throw ProviderError("Cloudflare created \(record.type) \(record.name) but returned no record")
        }
        return created
    }

    public func update(_ id: String, to record: DNSRecord) throws {
        _ = try api.call("PATCH", "\(recordsURL)/\(id)", body: body(record), as: LiveRecord.self, doing: "updating \(record.type) \(record.name)")
    }

    public func delete(_ live: LiveRecord) throws {
        try api.delete("\(recordsURL)/\(live.id)", doing: "deleting \(live.type) \(live.name)")
    }

    /// Ours: the ownership marker in the record's comment.
    static func owned(_ record: LiveRecord) -> Bool { record.comment == DNSRecord.ownershipComment }
}

/// One planned action on one object.
public struct PlanItem: Codable, Hashable, Sendable {
    public enum Action: String, Codable, Sendable { case create, update, delete, conflict }
    public var action: Action
    /// `dns`, ...
    public var provider: String
    /// `CNAME gpu.boathou.se`.
    public var object: String
    /// What differs, or why nothing may be done.
    public var detail: String
}

/// DNS records: desired against live. Keyed by type and name (lower case, no trailing dot);
/// only records carrying the ownership marker are ever changed or deleted; a live record the
/// applier does not own on a name it wants is a conflict, reported and left alone.
public enum DNSPlanner {
    public static func key(_ type: String, _ name: String) -> String {
        var n = name.lowercased()
        while n.hasSuffix(".") { n.removeLast() }
        return "\(type.uppercased()) \(n)"
    }

    public struct Step: Sendable {
        public var item: PlanItem
        public var desired: DNSRecord?
        public var live: LiveRecord?
    }

    public static func plan(desired: [DNSRecord], live: [LiveRecord]) -> [Step] {
        var steps: [Step] = []
        let liveByKey = Dictionary(grouping: live, by: { key($0.type, $0.name) })
        let wanted = Set(desired.map { key($0.type, $0.name) })
        for record in desired {
            let k = key(record.type, record.name)
            let existing = liveByKey[k] ?? []
            // A CNAME stands alone at its name; an A/AAAA cannot sit beside a CNAME (Cloudflare 81053/81054).
            let name = key("", record.name).dropFirst()
            let blocking = live.filter { other in
                key("", other.name).dropFirst() == name && !CloudflareDNS.owned(other) && other.type.uppercased() != record.type.uppercased()
                    && (record.type.uppercased() == "CNAME" || other.type.uppercased() == "CNAME")
            }
            if let other = blocking.first {
                steps.append(Step(item: PlanItem(action: .conflict, provider: "dns", object: k,
                                                 detail: "a \(other.type) record the applier does not own (id \(other.id)) is on that name, and a CNAME cannot share it; left alone"),
                                  desired: record, live: other))
                continue
            }
            if let ours = existing.first(where: CloudflareDNS.owned) {
                var differences: [String] = []
                let dots = CharacterSet(charactersIn: ".")
                if ours.content.lowercased().trimmingCharacters(in: dots) != record.content.lowercased().trimmingCharacters(in: dots) {
                    differences.append("content \(ours.content) → \(record.content)")
                }
                if (ours.proxied ?? false) != record.proxied { differences.append("proxied \(ours.proxied ?? false) → \(record.proxied)") }
                if (ours.ttl ?? 1) != record.ttl { differences.append("ttl \(ours.ttl ?? 1) → \(record.ttl)") }
                if !differences.isEmpty {
                    steps.append(Step(item: PlanItem(action: .update, provider: "dns", object: k, detail: differences.joined(separator: ", ")),
                                      desired: record, live: ours))
                }
            } else if let other = existing.first {
                steps.append(Step(item: PlanItem(action: .conflict, provider: "dns", object: k,
                                                 detail: "a record the applier does not own (id \(other.id), content \(other.content)) is in the way; left alone"),
                                  desired: record, live: other))
            } else {
                steps.append(Step(item: PlanItem(action: .create, provider: "dns", object: k, detail: "content \(record.content), proxied \(record.proxied)"),
                                  desired: record, live: nil))
            }
        }
        // Owned duplicates of one wanted name (a create that landed twice elsewhere): keep the first.
        for (k, records) in liveByKey where wanted.contains(k) {
            for extra in records.filter(CloudflareDNS.owned).dropFirst() {
                steps.append(Step(item: PlanItem(action: .delete, provider: "dns", object: k, detail: "a second owned record (id \(extra.id))"),
                                  desired: nil, live: extra))
            }
        }
        for record in live where CloudflareDNS.owned(record) && !wanted.contains(key(record.type, record.name)) {
            steps.append(Step(item: PlanItem(action: .delete, provider: "dns", object: key(record.type, record.name), detail: "no longer declared"),
                              desired: nil, live: record))
        }
        return steps
    }
}
