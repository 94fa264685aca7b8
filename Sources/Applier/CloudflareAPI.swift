import CloudState
import Foundation

/// Cloudflare API v4's answer around every result: `{success, errors: [{code, message}],
/// result, result_info}`. A 5xx from the edge may be an HTML page instead: an error naming
/// the status, never a crash.
struct CloudflareEnvelope<Result: Decodable>: Decodable {
    struct Message: Decodable {
        var code: Int?
        var message: String?
    }
    struct Info: Decodable {
        var page: Int?
        var per_page: Int?
        var total_pages: Int?
        var count: Int?
    }
    var success: Bool
    var errors: [Message]?
    var result: Result?
    var result_info: Info?

    static func decode(_ response: HTTPResponse, as: Result.Type, doing what: String) throws -> CloudflareEnvelope<
        Result
    > {
        guard let envelope = try? JSONDecoder().decode(CloudflareEnvelope<Result>.self, from: response.body) else {
            let kind =
                (response.headers["content-type"] ?? "").contains("html")
                ? "an HTML page" : "a body that is not Cloudflare's JSON envelope"
            throw ProviderError("Cloudflare answered \(what) with HTTP \(response.status) and \(kind)")
        }
        guard envelope.success, (200...299).contains(response.status) else {
            let errors = (envelope.errors ?? []).map { "\($0.code.map(String.init) ?? "?"): \($0.message ?? "")" }
                .joined(separator: "; ")
            throw ProviderError(
                "Cloudflare refused \(what) (HTTP \(response.status)): \(errors.isEmpty ? "no error given" : errors)")
        }
        return envelope
    }
}

/// What every Cloudflare API v4 call shares: the base URL, `Authorization: Bearer <token>`,
/// retries, the envelope, and list pagination by `page`/`per_page` until
/// `result_info.total_pages` (never assuming the requested page size was honoured).
struct CloudflareAPI {
    var baseURL: String
    var token: String
    var client: HTTPClient
    var retry: RetryPolicy

    init(baseURL: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = client
        self.retry = retry
    }

    func request(_ method: String, _ url: String, body: Data? = nil) -> HTTPRequest {
        HTTPRequest(method, url, headers: ["Authorization": "Bearer \(token)"], body: body)
    }

    /// One call whose envelope must succeed; `landed` runs before a retry (see `RetryPolicy`).
    func call<T: Decodable>(
        _ method: String, _ url: String, body: Data? = nil, as type: T.Type, doing what: String,
        landed: (() throws -> HTTPResponse?)? = nil
    ) throws -> T? {
        let response = try retry.send(request(method, url, body: body), with: client, beforeRetry: landed)
        return try CloudflareEnvelope.decode(response, as: type, doing: what).result
    }

    /// Deletes an object (`DELETE` answering `{id}`, 200 or 202); a 404 means it is gone
    /// already, which is the goal.
    func delete(_ url: String, doing what: String) throws {
        let response = try retry.send(request("DELETE", url), with: client)
        if response.status == 404 { return }
        struct Deleted: Decodable { var id: String }
        _ = try CloudflareEnvelope.decode(response, as: Deleted.self, doing: what)
    }

    /// Every item of a list (DNS records, tunnel routes, Access applications and policies), read
    /// as Cloudflare API v4 documents its lists
    /// (https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/#pagination):
    /// `page` from 1 with `per_page=100`, each answer's `result_info` giving `page`, `per_page`,
    /// `count` and `total_pages`; read until `page` reaches `total_pages` (one page when
    /// `result_info` is absent) or a page is empty, never assuming the requested page size was
    /// honoured. The official client reads the same fields (cloudflare/cloudflare-typescript,
    /// `src/pagination.ts`, `V4PagePaginationArray`). `query` adds filters (`type=CNAME`).
    func pages<T: Decodable>(_ url: String, query: [String] = [], as type: T.Type, doing what: String) throws -> [T] {
        try Pagination.numbered(what) { page in
            let response = try retry.send(
                request("GET", url + "?" + (["page=\(page)", "per_page=100"] + query).joined(separator: "&")),
                with: client)
            let envelope = try CloudflareEnvelope.decode(response, as: [T].self, doing: what)
            return (envelope.result ?? [], page < (envelope.result_info?.total_pages ?? 1))
        }
    }

    /// A JSON body with sorted keys (the same bytes for the same value).
    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}

extension HTTPResponse {
    /// A successful envelope around `result`: what a create whose answer was lost would have
    /// returned, built from the object found afterwards.
    static func cloudflareResult<T: Encodable>(_ result: T) throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: [:], body: try JSONEncoder().encode(SuccessEnvelope(result: result)))
    }
}

private struct SuccessEnvelope<T: Encodable>: Encodable {
    var success = true
    var errors: [String] = []
    var result: T
}

extension CloudflareState {
    /// Whether the desired state has a Cloudflare section at all: then DNS runs (an emptied
    /// record list still removes the records the applier made).
    var isDeclared: Bool { !zoneId.isEmpty || !dnsRecords.isEmpty || !tunnels.isEmpty || !accessApplications.isEmpty }

    /// Whether the account ID is a real one, not oceanid-gen's all-zero placeholder.
    var hasRealAccount: Bool { accountId.count == 32 && !isPlaceholder(accountId) }

    /// The problem an account-scoped provider (tunnels, Access) has with a placeholder account.
    func accountProblem(statePath: String) -> String? {
        hasRealAccount
            ? nil
            : "the account ID in \(statePath) is '\(accountId)', not a real one; "
                + "set cloudflareAccountId in settings.yaml and rebuild"
    }
}

extension Credential {
    /// `CLOUDFLARE_API_TOKEN`, which the tunnel, DNS and Access providers share.
    static func cloudflareToken(_ cloudflare: CloudflareState) -> Credential {
        .variable("CLOUDFLARE_API_TOKEN", escKey: cloudflare.apiToken?.escKey ?? "cloudflareApiToken")
    }
}

extension ProviderContext {
    /// Cloudflare's API base URL (`OCEANID_CLOUDFLARE_API`; tests point it at a fake).
    var cloudflareAPI: String { variables["OCEANID_CLOUDFLARE_API"] ?? "https://api.cloudflare.com/client/v4" }
}

/// Whether an ID is oceanid-gen's placeholder (all zeros, UUID dashes allowed): a setting
/// that was never filled in.
func isPlaceholder(_ id: String) -> Bool { id.allSatisfy { $0 == "0" || $0 == "-" } }
