import CloudState
import Foundation

/// An Access application as Cloudflare returns it (`GET /accounts/{account_id}/access/apps`).
struct LiveAccessApp: Codable, Hashable, Sendable {
    var id: String
    var name: String?
    var domain: String?
    var type: String?
    /// Go duration syntax (`24h`, `30m`, `1h30m`).
    var session_duration: String?
}

/// An app-scoped Access policy (`…/access/apps/{app_id}/policies`). Rules are one-key objects
/// (`{"service_token": {"token_id": "…"}}`, `{"email": {"email": "…"}}`), kept as JSON so
/// rules this program does not write are still compared and shown faithfully.
struct LiveAccessPolicy: Codable, Hashable, Sendable {
    var id: String
    var name: String?
    /// `allow`, `deny`, `non_identity` (service auth), `bypass`.
    var decision: String?
    var include: [JSONValue]?
    var precedence: Int?
}

/// A service token (`GET /accounts/{account_id}/access/service_tokens`); the secret is never
/// returned after creation, and the applier only reads these.
struct LiveServiceToken: Codable, Hashable, Sendable {
    var id: String
    var name: String
}

/// Cloudflare Access (developers.cloudflare.com/api/resources/zero_trust/subresources/access):
/// one `self_hosted` application per protected hostname and its app-scoped policies: service
/// tokens pass through a `non_identity` (Service Auth) policy, people through an `allow`
/// policy on `email` rules. Apps are matched by domain (Cloudflare allows one app per domain,
/// 409 code 11010 otherwise) and changed only when their name carries the ownership suffix;
/// an owned app's policies are the fleet's alone.
struct CloudflareAccess {
    var accountId: String
    let api: CloudflareAPI

    init(baseURL: String, accountId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.accountId = accountId
    }

    var appsURL: String { "\(api.baseURL)/accounts/\(accountId)/access/apps" }
    func policiesURL(_ app: String) -> String { "\(appsURL)/\(app)/policies" }

    /// Names of the applier's policies (matched by name inside an owned app).
    static let serviceTokenPolicy = "oceanid: service tokens"
    static let emailPolicy = "oceanid: people"

    static func owned(_ app: LiveAccessApp) -> Bool {
        app.name?.hasSuffix(AccessApplication.ownershipSuffix) == true
    }

    static func domainKey(_ domain: String?) -> String {
        var d = (domain ?? "").lowercased()
        while d.hasSuffix("/") || d.hasSuffix(".") { d.removeLast() }
        return d
    }

    func apps() throws -> [LiveAccessApp] {
        try api.pages(appsURL, as: LiveAccessApp.self, doing: "the Access application list")
    }
    func policies(_ app: LiveAccessApp) throws -> [LiveAccessPolicy] {
        try api.pages(
            policiesURL(app.id), as: LiveAccessPolicy.self,
            doing: "the policies of Access application \(app.domain ?? app.id)")
    }
    func serviceTokens() throws -> [LiveServiceToken] {
        try api.pages(
            "\(api.baseURL)/accounts/\(accountId)/access/service_tokens", as: LiveServiceToken.self,
            doing: "the service token list")
    }

    /// `24h` for 86400, `90m` for 5400, else seconds: Access's Go duration syntax.
    static func duration(_ seconds: Int) -> String {
        seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }

    /// Seconds of a Go duration (`1h30m`, `24h`, `45s`); nil when it is not one.
    static func seconds(_ duration: String) -> Int? {
        var total = 0.0
        var number = ""
        var unit = ""
        let scale: [String: Double] = [
            "h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000_001, "µs": 0.000_001, "ns": 0.000_000_001,
        ]
        func flush() -> Bool {
            guard let n = Double(number), let factor = scale[unit] else { return false }
            total += n * factor
            number = ""
            unit = ""
            return true
        }
        for character in duration {
            if character.isNumber || character == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        guard !duration.isEmpty, flush() else { return nil }
        return Int(total.rounded())
    }

    /// The policies an app should have: service tokens first (precedence 1), then people.
    static func desiredPolicies(_ app: AccessApplication, tokenIds: [String: String]) -> [AccessPolicySpec] {
        var out: [AccessPolicySpec] = []
        if !app.serviceTokens.isEmpty {
            let ids = app.serviceTokens.compactMap { tokenIds[$0] }.sorted()
            out.append(
                AccessPolicySpec(
                    name: serviceTokenPolicy, decision: "non_identity",
                    include: ids.map { .object(["service_token": .object(["token_id": .string($0)])]) }))
        }
        if !app.emails.isEmpty {
            out.append(
                AccessPolicySpec(
                    name: emailPolicy, decision: "allow",
                    include: app.emails.sorted().map { .object(["email": .object(["email": .string($0)])]) }))
        }
        return out
    }

    func appBody(_ app: AccessApplication) -> Data {
        CloudflareAPI.json([
            "name": app.name, "domain": app.domain, "type": app.type,
            "session_duration": Self.duration(app.sessionDurationSeconds),
        ])
    }

    func policyBody(_ policy: AccessPolicySpec, precedence: Int) throws -> Data {
        struct Body: Encodable {
            var name: String
            var decision: String
            var include: [JSONValue]
            var precedence: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(
            Body(name: policy.name, decision: policy.decision, include: policy.include, precedence: precedence))
    }

    /// Creates the app, then its policies. A lost answer is followed by a lookup by domain
    /// (and by name for a policy), so a retry never makes a second one.
    func create(_ app: AccessApplication, policies: [AccessPolicySpec]) throws {
        let landed: () throws -> HTTPResponse? = {
            guard
                let found = try apps().first(where: {
                    Self.owned($0) && Self.domainKey($0.domain) == Self.domainKey(app.domain)
                })
            else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        guard
            let created = try api.call(
                "POST", appsURL, body: appBody(app), as: LiveAccessApp.self,
                doing: "creating Access application \(app.domain)", landed: landed)
        else {
            throw ProviderError("Cloudflare created Access application \(app.domain) but returned no application")
        }
        for (index, policy) in policies.enumerated() {
            _ = try createPolicy(
                app: created.id, name: policy.name, body: try policyBody(policy, precedence: index + 1))
        }
    }

    func createPolicy(app: String, name: String, body: Data) throws -> LiveAccessPolicy? {
        let landed: () throws -> HTTPResponse? = {
            guard
                let found = try api.pages(
                    policiesURL(app), as: LiveAccessPolicy.self, doing: "the policies of an Access application"
                )
                .first(where: { $0.name == name })
            else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        return try api.call(
            "POST", policiesURL(app), body: body, as: LiveAccessPolicy.self, doing: "creating policy \(name)",
            landed: landed)
    }
}

/// A policy the fleet declares inside one of its Access applications.
struct AccessPolicySpec: Hashable, Sendable {
    /// `oceanid: service tokens` or `oceanid: people`: how the applier finds it again.
    var name: String
    /// `non_identity` (service tokens) or `allow` (people).
    var decision: String
    /// The rules, as Cloudflare writes them.
    var include: [JSONValue]
}
