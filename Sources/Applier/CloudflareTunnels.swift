import CloudState
import Foundation

/// A remotely managed tunnel's configuration
/// (`GET|PUT /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations`). A PUT replaces
/// the whole document and bumps its version, which every connector then pulls, so the
/// applier PUTs only when the ingress differs semantically (hostnames compared lower-case,
/// empty `originRequest` objects ignored, order significant: cloudflared matches top down).
/// The fleet owns these configurations exclusively.
struct CloudflareTunnels {
    var accountId: String
    let api: CloudflareAPI

    init(baseURL: String, accountId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.accountId = accountId
    }

    func url(_ tunnel: String) -> String { "\(api.baseURL)/accounts/\(accountId)/cfd_tunnel/\(tunnel)/configurations" }

    struct Configuration: Decodable {
        struct Config: Decodable { var ingress: [IngressRule]? }
        var config: Config?
        var version: Int?
    }

    /// The live ingress rules of a tunnel (empty when it has no remote configuration yet).
    func ingress(_ tunnel: TunnelConfiguration) throws -> [IngressRule] {
        try api.call(
            "GET", url(tunnel.tunnelId), as: Configuration.self, doing: "the configuration of tunnel \(tunnel.name)")?
            .config?.ingress ?? []
    }

    /// Replaces the tunnel's configuration with the declared ingress (a PUT is idempotent:
    /// retrying it cannot do anything twice).
    func put(_ tunnel: TunnelConfiguration) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        struct Body: Encodable {
            struct Config: Encodable { var ingress: [IngressRule] }
            var config: Config
        }
        let body = try encoder.encode(Body(config: .init(ingress: tunnel.ingress)))
        _ = try api.call(
            "PUT", url(tunnel.tunnelId), body: body, as: Configuration.self,
            doing: "replacing the configuration of tunnel \(tunnel.name)")
    }

    /// The rules as compared: hostnames lower-case, empty originRequest dropped.
    static func normalized(_ rules: [IngressRule]) -> [IngressRule] {
        rules.map { rule in
            var r = rule
            r.hostname = rule.hostname?.lowercased()
            if r.hostname == "" { r.hostname = nil }
            if r.path == "" { r.path = nil }
            if r.originRequest == OriginRequestSettings() { r.originRequest = nil }
            return r
        }
    }

    /// What differs, rule by rule (`gpu.example.com: http://localhost:8000 → http://localhost:8001`).
    static func differences(live: [IngressRule], desired: [IngressRule]) -> [String] {
        let a = normalized(live)
        let b = normalized(desired)
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let name = { (r: IngressRule) in (r.hostname ?? "*") + (r.path.map { " \($0)" } ?? "") }
            switch (i < a.count ? a[i] : nil, i < b.count ? b[i] : nil) {
            case (let x?, let y?) where x != y:
                out.append(
                    name(x) == name(y)
                        ? "\(name(y)): \(x.service) → \(y.service)"
                            + (x.originRequest != y.originRequest ? " (originRequest)" : "")
                        : "rule \(i + 1): \(name(x)) → \(name(y))")
            case (let x?, nil): out.append("remove \(name(x))")
            case (nil, let y?): out.append("add \(name(y)) → \(y.service)")
            default: break
            }
        }
        return out
    }

    static func differs(live: [IngressRule], desired: [IngressRule]) -> Bool {
        normalized(live) != normalized(desired)
    }
}
