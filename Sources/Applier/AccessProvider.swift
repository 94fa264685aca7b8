import CloudState
import Foundation

/// Cloudflare Access (`CloudflareAccess`): one application per protected hostname and its
/// policies. Declared when the desired state lists applications, or when the Cloudflare
/// section has a real account (an emptied list still removes the applications the applier
/// made). Runs after DNS: a name resolves before the app that guards it exists.
struct AccessProvider: Provider {
    static let name = "access"
    let title = "Cloudflare Access"
    let dependencies = [DNSProvider.name]
    let credentials: [Credential]
    let problems: [String]
    let desired: [AccessApplication]
    let access: CloudflareAccess
    /// `--adopt`: an unowned application on a declared domain is taken over in place.
    let adopt: Bool

    /// What one Access change does.
    enum Operation {
        case createApp(AccessApplication, policies: [AccessPolicySpec])
        case updateApp(live: LiveAccessApp, desired: AccessApplication)
        case deleteApp(LiveAccessApp)
        case createPolicy(app: LiveAccessApp, name: String, body: Data)
        case updatePolicy(app: LiveAccessApp, policy: LiveAccessPolicy, name: String, body: Data)
        case deletePolicy(app: LiveAccessApp, policy: LiveAccessPolicy)
        /// An application the applier does not own protects a declared domain.
        case conflict(LiveAccessApp)
    }

    init?(state: DesiredState, context: ProviderContext) {
        let cloudflare = state.cloudflare
        guard cloudflare.isDeclared, !cloudflare.accessApplications.isEmpty || cloudflare.hasRealAccount else {
            return nil
        }
        credentials = [.cloudflareToken(cloudflare)]
        problems = [cloudflare.accountProblem(statePath: context.statePath)].compactMap { $0 }
        desired = cloudflare.accessApplications
        adopt = context.adopt
        access = CloudflareAccess(
            baseURL: context.cloudflareAPI, accountId: cloudflare.accountId,
            token: context["CLOUDFLARE_API_TOKEN"], client: context.client, retry: context.retry)
    }

    /// Desired against live: app creates (with their policies), updates, policy changes inside
    /// owned apps, deletes of owned apps no longer declared; an unowned app on a declared
    /// domain is a conflict. A service token the fleet names must exist (the applier never
    /// creates tokens: their secret is shown once, to whoever creates them).
    func plan() throws -> [Change<Operation>] {
        let live = try access.apps()
        let tokenIds = try serviceTokenIds()
        var changes = ChangeList<Operation>(provider: Self.name)
        let wanted = Set(desired.map { CloudflareAccess.domainKey($0.domain) })
        for app in desired {
            let object = "app \(CloudflareAccess.domainKey(app.domain))"
            let policies = CloudflareAccess.desiredPolicies(app, tokenIds: tokenIds)
            guard
                let existing = live.first(where: {
                    CloudflareAccess.domainKey($0.domain) == CloudflareAccess.domainKey(app.domain)
                })
            else {
                let names = policies.map(\.name).joined(separator: ", ")
                changes.add(
                    .create, object,
                    "self_hosted, session \(CloudflareAccess.duration(app.sessionDurationSeconds)), "
                        + "policies: \(names.isEmpty ? "none" : names)", .createApp(app, policies: policies))
                continue
            }
            if !CloudflareAccess.owned(existing), adopt {
                // Adopted in place: PUT with the owned name (the ID and its sessions kept); the
                // app is then the fleet's, so its policies become the desired ones exactly.
                let differences = Self.differences(existing, app).filter { !$0.hasPrefix("name ") }
                changes.add(
                    differences.isEmpty ? .adopt : .adoptUpdate, object,
                    (["id \(existing.id) kept, name \(existing.name ?? "none") → \(app.name)"] + differences)
                        .joined(separator: ", "), .updateApp(live: existing, desired: app))
                changes.add(contentsOf: try policyChanges(app: existing, object: object, desired: policies))
                continue
            }
            guard CloudflareAccess.owned(existing) else {
                changes.add(
                    .conflict, object,
                    "an Access application the applier does not own (\(existing.name ?? existing.id)) "
                        + "protects it; left alone (--adopt takes it over in place)", .conflict(existing))
                continue
            }
            let differences = Self.differences(existing, app)
            if !differences.isEmpty {
                changes.add(
                    .update, object, differences.joined(separator: ", "), .updateApp(live: existing, desired: app))
            }
            changes.add(contentsOf: try policyChanges(app: existing, object: object, desired: policies))
        }
        for app in live where CloudflareAccess.owned(app) && !wanted.contains(CloudflareAccess.domainKey(app.domain)) {
            changes.add(.delete, "app \(CloudflareAccess.domainKey(app.domain))", "no longer declared", .deleteApp(app))
        }
        return changes.changes
    }

    /// The IDs of the service tokens the fleet names, by name; throws when one is missing.
    func serviceTokenIds() throws -> [String: String] {
        let wantedTokens = Set(desired.flatMap(\.serviceTokens))
        guard !wantedTokens.isEmpty else { return [:] }
        var tokenIds: [String: String] = [:]
        for token in try access.serviceTokens() where tokenIds[token.name] == nil { tokenIds[token.name] = token.id }
        let missing = wantedTokens.subtracting(tokenIds.keys).sorted()
        guard missing.isEmpty else {
            let one = missing.count == 1
            throw ProviderError(
                "Access service token\(one ? "" : "s") \(missing.joined(separator: ", ")) not found in account "
                    + "\(access.accountId); create \(one ? "it" : "them") under Zero Trust → Access → Service Auth "
                    + "(the secret is shown once) and plan again")
        }
        return tokenIds
    }

    /// What differs between an owned live app and the desired one (`session 1h → 24h`).
    static func differences(_ existing: LiveAccessApp, _ app: AccessApplication) -> [String] {
        var differences: [String] = []
        if existing.name != app.name { differences.append("name \(existing.name ?? "none") → \(app.name)") }
        if (existing.type ?? "") != app.type { differences.append("type \(existing.type ?? "none") → \(app.type)") }
        if existing.session_duration.flatMap(CloudflareAccess.seconds) != app.sessionDurationSeconds {
            differences.append(
                "session \(existing.session_duration ?? "none") → "
                    + CloudflareAccess.duration(app.sessionDurationSeconds))
        }
        return differences
    }

    /// The policy changes inside one owned app: the desired policies exactly, matched by name.
    func policyChanges(app: LiveAccessApp, object: String, desired: [AccessPolicySpec]) throws -> ChangeList<Operation>
    {
        let live = try access.policies(app)
        var changes = ChangeList<Operation>(provider: Self.name)
        for (index, policy) in desired.enumerated() {
            let precedence = index + 1
            let body = try access.policyBody(policy, precedence: precedence)
            guard let current = live.first(where: { $0.name == policy.name }) else {
                let rules = "\(policy.include.count) rule\(policy.include.count == 1 ? "" : "s")"
                changes.add(
                    .create, "\(object) policy \(policy.name)", "\(policy.decision), \(rules)",
                    .createPolicy(app: app, name: policy.name, body: body))
                continue
            }
            var differences: [String] = []
            if current.decision != policy.decision {
                differences.append("decision \(current.decision ?? "none") → \(policy.decision)")
            }
            let have = Set((current.include ?? []).map(\.canonical))
            let want = Set(policy.include.map(\.canonical))
            if have != want {
                let added = want.subtracting(have).sorted().map { "+\($0)" }
                let removed = have.subtracting(want).sorted().map { "-\($0)" }
                differences.append("include " + (added + removed).joined(separator: " "))
            }
            if let livePrecedence = current.precedence, livePrecedence != precedence {
                differences.append("precedence \(livePrecedence) → \(precedence)")
            }
            if !differences.isEmpty {
                changes.add(
                    .update, "\(object) policy \(policy.name)", differences.joined(separator: ", "),
                    .updatePolicy(app: app, policy: current, name: policy.name, body: body))
            }
        }
        let names = Set(desired.map(\.name))
        for policy in live where !names.contains(policy.name ?? "") {
            changes.add(
                .delete, "\(object) policy \(policy.name ?? policy.id)",
                "not declared (the application is the fleet's)",
                .deletePolicy(app: app, policy: policy))
        }
        return changes
    }

    func apply(_ change: Change<Operation>) throws {
        let api = access.api
        switch change.step {
        case .createApp(let app, let policies):
            try access.create(app, policies: policies)
        case .updateApp(let live, let app):
            _ = try api.call(
                "PUT", "\(access.appsURL)/\(live.id)", body: access.appBody(app), as: LiveAccessApp.self,
                doing: "updating Access application \(app.domain)")
        case .deleteApp(let app):
            try api.delete("\(access.appsURL)/\(app.id)", doing: "deleting Access application \(app.domain ?? app.id)")
        case .createPolicy(let app, let name, let body):
            _ = try access.createPolicy(app: app.id, name: name, body: body)
        case .updatePolicy(let app, let policy, let name, let body):
            _ = try api.call(
                "PUT", "\(access.policiesURL(app.id))/\(policy.id)", body: body, as: LiveAccessPolicy.self,
                doing: "updating policy \(name) of \(app.domain ?? app.id)")
        case .deletePolicy(let app, let policy):
            try api.delete(
                "\(access.policiesURL(app.id))/\(policy.id)",
                doing: "deleting policy \(policy.name ?? policy.id) of \(app.domain ?? app.id)")
        case .conflict:
            break
        }
    }
}
