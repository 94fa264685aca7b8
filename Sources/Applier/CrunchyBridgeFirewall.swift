import CloudState
import Foundation

/// A firewall rule as CrunchyBridge returns it (`/networks/{id}/firewall-rules`).
struct LiveFirewallRule: Codable, Hashable, Sendable {
    var id: String
    var rule: String
    var description: String?
}

/// CrunchyBridge's network firewall (docs.crunchybridge.com/api/network-firewall-rule, not
/// the older `/network/{id}/firewall` paths some notes show): list with cursor pagination
/// (`has_more`, `next_cursor`), create with an `Idempotency-Key` reused across the retries of
/// that one create (a retried create never adds a second rule), update the description
/// (PATCH), delete (404 and 410 mean already gone). Errors are JSON with `message`.
struct CrunchyBridgeFirewall {
    var baseURL: String
    var networkId: String
    var token: String
    var client: HTTPClient
    var retry: RetryPolicy

    init(baseURL: String, networkId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.networkId = networkId
        self.token = token
        self.client = client
        self.retry = retry
    }

    var rulesURL: String { "\(baseURL)/networks/\(networkId)/firewall-rules" }

    func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) -> HTTPRequest {
        HTTPRequest(
            method, url, headers: headers.merging(["Authorization": "Bearer \(token)"]) { a, _ in a }, body: body)
    }

    func check(_ response: HTTPResponse, doing what: String) throws {
        guard (200...299).contains(response.status) else {
            struct Failure: Decodable { var message: String? }
            let message =
                (try? JSONDecoder().decode(Failure.self, from: response.body))?.message
                ?? ((response.headers["content-type"] ?? "").contains("html") ? "an HTML page" : "no error message")
            throw ProviderError("CrunchyBridge refused \(what) (HTTP \(response.status)): \(message)")
        }
    }

    func list() throws -> [LiveFirewallRule] {
        struct Page: Decodable {
            var firewall_rules: [LiveFirewallRule]
            var has_more: Bool?
            var next_cursor: String?
        }
        return try Pagination.cursored("the firewall rule list") { cursor in
            let url = rulesURL + "?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try retry.send(request("GET", url), with: client)
            try check(response, doing: "the firewall rule list")
            guard let page = try? JSONDecoder().decode(Page.self, from: response.body) else {
                throw ProviderError(
                    "CrunchyBridge answered the firewall rule list with a body that is not "
                        + "{firewall_rules, has_more, next_cursor}"
                )
            }
            return (page.firewall_rules, page.has_more == true ? page.next_cursor : nil)
        }
    }

    func create(_ rule: FirewallRule) throws {
        let key = UUID().uuidString.lowercased()  // one per intended create, reused by every retry of it
        let body = try JSONSerialization.data(
            withJSONObject: ["rule": rule.rule, "description": rule.description], options: [.sortedKeys])
        let response = try retry.send(
            request("POST", rulesURL, body: body, headers: ["Idempotency-Key": key]), with: client)
        try check(response, doing: "creating rule \(rule.rule)")
    }

    func update(_ id: String, to rule: FirewallRule) throws {
        let body = try JSONSerialization.data(withJSONObject: ["description": rule.description], options: [.sortedKeys])
        let response = try retry.send(
            request(
                "PATCH", "\(rulesURL)/\(id)", body: body, headers: ["Idempotency-Key": UUID().uuidString.lowercased()]),
            with: client)
        try check(response, doing: "updating rule \(rule.rule)")
    }

    func delete(_ live: LiveFirewallRule) throws {
        let response = try retry.send(request("DELETE", "\(rulesURL)/\(live.id)"), with: client)
        if response.status == 404 || response.status == 410 { return }
        try check(response, doing: "deleting rule \(live.rule)")
    }
}
