import CloudState
import Foundation

/// An Access application as Cloudflare returns it (`GET /accounts/{account_id}/access/apps`).
public struct LiveAccessApp: Codable, Hashable, Sendable {
    public var id: String
    public var name: String?
    public var domain: String?
    public var type: String?
    /// Go duration syntax (`24h`, `30m`, `1h30m`).
    public var session_duration: String?
}

/// An app-scoped Access policy (`…/access/apps/{app_id}/policies`). Rules are one-key objects
/// (`{"service_token": {"token_id": "…"}}`, `{"email": {"email": "…"}}`), kept as JSON so
/// rules this program does not write are still compared and shown faithfully.
public struct LiveAccessPolicy: Codable, Hashable, Sendable {
    public var id: String
    public var name: String?
    /// `allow`, `deny`, `non_identity` (service auth), `bypass`.
    public var decision: String?
    public var include: [JSONValue]?
    public var precedence: Int?
}

/// A service token (`GET /accounts/{account_id}/access/service_tokens`); the secret is never
/// returned after creation, and the applier only reads these.
struct LiveServiceToken: Codable, Hashable, Sendable {
    var id: String
    var name: String
}

/// Any JSON value, for fields whose shape the applier does not own (Access rules).
public enum JSONValue: Codable, Hashable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Compact JSON with sorted keys: equal values, equal text.
    var canonical: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Cloudflare Access (developers.cloudflare.com/api/resources/zero_trust/subresources/access):
/// one `self_hosted` application per protected hostname and its app-scoped policies: service
/// tokens pass through a `non_identity` (Service Auth) policy, people through an `allow`
/// policy on `email` rules. Apps are matched by domain (Cloudflare allows one app per domain,
/// 409 code 11010 otherwise) and changed only when their name carries the ownership suffix;
/// an owned app's policies are the fleet's alone.
public struct CloudflareAccess {
    public var accountId: String
    let api: CloudflareAPI

    public init(baseURL: String, accountId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.accountId = accountId
    }

    var appsURL: String { "\(api.baseURL)/accounts/\(accountId)/access/apps" }
    func policiesURL(_ app: String) -> String { "\(appsURL)/\(app)/policies" }

    /// Names of the applier's policies (matched by name inside an owned app).
    public static let serviceTokenPolicy = "oceanid: service tokens"
    public static let emailPolicy = "oceanid: people"

    public static func owned(_ app: LiveAccessApp) -> Bool { app.name?.hasSuffix(AccessApplication.ownershipSuffix) == true }

    static func domainKey(_ domain: String?) -> String {
        var d = (domain ?? "").lowercased()
        while d.hasSuffix("/") || d.hasSuffix(".") { d.removeLast() }
        return d
    }

    func apps() throws -> [LiveAccessApp] { try api.pages(appsURL, as: LiveAccessApp.self, doing: "the Access application list") }
    func policies(_ app: LiveAccessApp) throws -> [LiveAccessPolicy] {
        try api.pages(policiesURL(app.id), as: LiveAccessPolicy.self, doing: "the policies of Access application \(app.domain ?? app.id)")
    }
    func serviceTokens() throws -> [LiveServiceToken] {
        try api.pages("\(api.baseURL)/accounts/\(accountId)/access/service_tokens", as: LiveServiceToken.self, doing: "the service token list")
    }

    /// `24h` for 86400, `90m` for 5400, else seconds: Access's Go duration syntax.
    public static func duration(_ seconds: Int) -> String {
        seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }

    /// Seconds of a Go duration (`1h30m`, `24h`, `45s`); nil when it is not one.
    public static func seconds(_ duration: String) -> Int? {
        var total = 0.0, number = "", unit = ""
        let scale: [String: Double] = ["h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000_001, "µs": 0.000_001, "ns": 0.000_000_001]
        func flush() -> Bool {
            guard let n = Double(number), let factor = scale[unit] else { return false }
            total += n * factor
            number = ""; unit = ""
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
    static func desiredPolicies(_ app: AccessApplication, tokenIds: [String: String]) -> [(name: String, decision: String, include: [JSONValue])] {
        var out: [(name: String, decision: String, include: [JSONValue])] = []
        if !app.serviceTokens.isEmpty {
            let ids = app.serviceTokens.compactMap { tokenIds[$0] }.sorted()
            out.append((serviceTokenPolicy, "non_identity", ids.map { .object(["service_token": .object(["token_id": .string($0)])]) }))
        }
        if !app.emails.isEmpty {
            out.append((emailPolicy, "allow", app.emails.sorted().map { .object(["email": .object(["email": .string($0)])]) }))
        }
        return out
    }

    func appBody(_ app: AccessApplication) -> Data {
        CloudflareAPI.json(["name": app.name, "domain": app.domain, "type": app.type, "session_duration": Self.duration(app.sessionDurationSeconds)])
    }

    func policyBody(name: String, decision: String, include: [JSONValue], precedence: Int) throws -> Data {
        struct Body: Encodable { var name: String; var decision: String; var include: [JSONValue]; var precedence: Int }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Body(name: name, decision: decision, include: include, precedence: precedence))
    }

    /// Desired against live: app creates (with their policies), updates, policy changes inside
    /// owned apps, deletes of owned apps no longer declared; an unowned app on a declared
    /// domain is a conflict. A service token the fleet names must exist (the applier never
    /// creates tokens: their secret is shown once, to whoever creates them).
    func plan(_ desired: [AccessApplication]) throws -> [Change] {
        let live = try apps()
        var tokenIds: [String: String] = [:]
        let wantedTokens = Set(desired.flatMap(\.serviceTokens))
        if !wantedTokens.isEmpty {
            for token in try serviceTokens() where tokenIds[token.name] == nil { tokenIds[token.name] = token.id }
            let missing = wantedTokens.subtracting(tokenIds.keys).sorted()
            guard missing.isEmpty else {
                throw ProviderError("Access service token\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                                    + "not found in account \(accountId); create \(missing.count == 1 ? "it" : "them") under Zero Trust → Access → Service Auth "
                                    + "(the secret is shown once) and plan again")
            }
        }
        var changes: [Change] = []
        let wanted = Set(desired.map { Self.domainKey($0.domain) })
        for app in desired {
            let object = "app \(Self.domainKey(app.domain))"
            let policies = Self.desiredPolicies(app, tokenIds: tokenIds)
            let onDomain = live.filter { Self.domainKey($0.domain) == Self.domainKey(app.domain) }
            guard let existing = onDomain.first else {
                let names = policies.map(\.name).joined(separator: ", ")
                changes.append(Change(item: PlanItem(action: .create, provider: "access", object: object,
                                                     detail: "self_hosted, session \(Self.duration(app.sessionDurationSeconds)), policies: \(names.isEmpty ? "none" : names)")) {
                    try create(app, policies: policies)
                })
                continue
            }
            guard Self.owned(existing) else {
                changes.append(Change(item: PlanItem(action: .conflict, provider: "access", object: object,
                                                     detail: "an Access application the applier does not own (\(existing.name ?? existing.id)) protects it; left alone")) {})
                continue
            }
            var differences: [String] = []
            if existing.name != app.name { differences.append("name \(existing.name ?? "none") → \(app.name)") }
            if (existing.type ?? "") != app.type { differences.append("type \(existing.type ?? "none") → \(app.type)") }
            if existing.session_duration.flatMap(Self.seconds) != app.sessionDurationSeconds {
                differences.append("session \(existing.session_duration ?? "none") → \(Self.duration(app.sessionDurationSeconds))")
            }
            if !differences.isEmpty {
                changes.append(Change(item: PlanItem(action: .update, provider: "access", object: object, detail: differences.joined(separator: ", "))) {
                    _ = try api.call("PUT", "\(appsURL)/\(existing.id)", body: appBody(app), as: LiveAccessApp.self, doing: "updating Access application \(app.domain)")
                })
            }
            changes += try policyChanges(app: existing, object: object, desired: policies)
        }
        for app in live where Self.owned(app) && !wanted.contains(Self.domainKey(app.domain)) {
            changes.append(Change(item: PlanItem(action: .delete, provider: "access", object: "app \(Self.domainKey(app.domain))", detail: "no longer declared")) {
                try api.delete("\(appsURL)/\(app.id)", doing: "deleting Access application \(app.domain ?? app.id)")
            })
        }
        return changes
    }

    func policyChanges(app: LiveAccessApp, object: String, desired: [(name: String, decision: String, include: [JSONValue])]) throws -> [Change] {
        let live = try policies(app)
        var changes: [Change] = []
        for (index, policy) in desired.enumerated() {
            let precedence = index + 1
            let body = try policyBody(name: policy.name, decision: policy.decision, include: policy.include, precedence: precedence)
            guard let current = live.first(where: { $0.name == policy.name }) else {
                changes.append(Change(item: PlanItem(action: .create, provider: "access", object: "\(object) policy \(policy.name)",
                                                     detail: "\(policy.decision), \(policy.include.count) rule\(policy.include.count == 1 ? "" : "s")")) {
                    _ = try createPolicy(app: app.id, name: policy.name, body: body)
                })
                continue
            }
            var differences: [String] = []
            if current.decision != policy.decision { differences.append("decision \(current.decision ?? "none") → \(policy.decision)") }
            let have = Set((current.include ?? []).map(\.canonical)), want = Set(policy.include.map(\.canonical))
            if have != want {
                differences.append("include " + (want.subtracting(have).sorted().map { "+\($0)" } + have.subtracting(want).sorted().map { "-\($0)" }).joined(separator: " "))
            }
            if current.precedence != nil, current.precedence != precedence { differences.append("precedence \(current.precedence!) → \(precedence)") }
            if !differences.isEmpty {
                changes.append(Change(item: PlanItem(action: .update, provider: "access", object: "\(object) policy \(policy.name)",
                                                     detail: differences.joined(separator: ", "))) {
                    _ = try api.call("PUT", "\(policiesURL(app.id))/\(current.id)", body: body, as: LiveAccessPolicy.self,
                                     doing: "updating policy \(policy.name) of \(app.domain ?? app.id)")
                })
            }
        }
        let names = Set(desired.map(\.name))
        for policy in live where !names.contains(policy.name ?? "") {
            changes.append(Change(item: PlanItem(action: .delete, provider: "access", object: "\(object) policy \(policy.name ?? policy.id)",
                                                 detail: "not declared (the application is the fleet's)")) {
                try api.delete("\(policiesURL(app.id))/\(policy.id)", doing: "deleting policy \(policy.name ?? policy.id) of \(app.domain ?? app.id)")
            })
        }
        return changes
    }

    /// Creates the app, then its policies. A lost answer is followed by a lookup by domain
    /// (and by name for a policy), so a retry never makes a second one.
    func create(_ app: AccessApplication, policies: [(name: String, decision: String, include: [JSONValue])]) throws {
        let landed: () throws -> HTTPResponse? = {
            guard let found = try apps().first(where: { Self.owned($0) && Self.domainKey($0.domain) == Self.domainKey(app.domain) }) else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        guard let created = try api.call("POST", appsURL, body: appBody(app), as: LiveAccessApp.self,
                                         doing: "creating Access application \(app.domain)", landed: landed) else {
            throw ProviderError("Cloudflare created Access application \(app.domain) but returned no application")
        }
        for (index, policy) in policies.enumerated() {
            _ = try createPolicy(app: created.id, name: policy.name,
                                 body: try policyBody(name: policy.name, decision: policy.decision, include: policy.include, precedence: index + 1))
        }
    }

    func createPolicy(app: String, name: String, body: Data) throws -> LiveAccessPolicy? {
        let landed: () throws -> HTTPResponse? = {
            guard let found = try api.pages(policiesURL(app), as: LiveAccessPolicy.self, doing: "the policies of an Access application")
                .first(where: { $0.name == name }) else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        return try api.call("POST", policiesURL(app), body: body, as: LiveAccessPolicy.self, doing: "creating policy \(name)", landed: landed)
    }
}
