import CloudState
import Foundation

/// A DNS record as Cloudflare returns it (`GET /zones/{zone_id}/dns_records`).
struct LiveRecord: Codable, Hashable, Sendable {
    var id: String
    var type: String
    var name: String
    var content: String
    var proxied: Bool?
    var ttl: Int?
    var comment: String?

    init(
        id: String, type: String, name: String, content: String, proxied: Bool? = nil, ttl: Int? = nil,
        comment: String? = nil
    ) {
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
struct CloudflareDNS {
    var zoneId: String
    let api: CloudflareAPI

    init(baseURL: String, zoneId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.zoneId = zoneId
    }

    var recordsURL: String { "\(api.baseURL)/zones/\(zoneId)/dns_records" }

    /// Every record of the zone, or of one type and name.
    func list(type: String? = nil, name: String? = nil) throws -> [LiveRecord] {
        var query: [String] = []
        if let type { query.append("type=\(type)") }
        if let name { query.append("name=\(name)") }
        return try api.pages(recordsURL, query: query, as: LiveRecord.self, doing: "the record list")
    }

    func body(_ record: DNSRecord) -> Data {
        CloudflareAPI.json([
            "type": record.type, "name": record.name, "content": record.content, "proxied": record.proxied,
            "ttl": record.ttl, "comment": record.comment,
        ])
    }

    /// Creates a record. When an attempt gets no answer (the create may have landed), the
    /// record is looked up before trying again, so a lost response never makes a duplicate.
    func create(_ record: DNSRecord) throws -> LiveRecord {
        let landed: () throws -> HTTPResponse? = {
            guard
                let found = try list(type: record.type, name: record.name).first(where: {
                    Self.owned($0) && $0.content.lowercased() == record.content.lowercased()
                })
            else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        guard
            let created = try api.call(
                "POST", recordsURL, body: body(record), as: LiveRecord.self,
                doing: "creating \(record.type) \(record.name)", landed: landed)
        else {
            throw ProviderError("Cloudflare created \(record.type) \(record.name) but returned no record")
        }
        return created
    }

    func update(_ id: String, to record: DNSRecord) throws {
        _ = try api.call(
            "PATCH", "\(recordsURL)/\(id)", body: body(record), as: LiveRecord.self,
            doing: "updating \(record.type) \(record.name)")
    }

    func delete(_ live: LiveRecord) throws {
        try api.delete("\(recordsURL)/\(live.id)", doing: "deleting \(live.type) \(live.name)")
    }

    /// Ours: the ownership marker in the record's comment.
    static func owned(_ record: LiveRecord) -> Bool { record.comment == DNSRecord.ownershipComment }
}
