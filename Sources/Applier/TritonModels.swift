import CloudState
import Foundation

/// Triton's model repository extension (server docs, protocol/extension_model_repository.md;
/// KServe v2 health): `GET /v2/health/ready` and `GET /v2/models/{m}/ready` answer by status
/// (200 ready, 4xx not), `POST /v2/repository/models/{m}/load` loads or reloads and answers
/// 200 once done, 400 `{"error"}` otherwise. Behind Cloudflare Access every request carries
/// the service token's headers, and Access's redirect to its login page is an
/// authentication error, never followed.
struct TritonModels {
    var url: String
    var headers: [String: String]
    var client: HTTPClient
    var retry: RetryPolicy
    /// How long a loaded model may take to report ready, and how often the applier looks.
    var readyTimeoutSeconds = 120.0
    var readyPollSeconds = 2.0

    /// `access`: the service token (`CF-Access-Client-Id`, `CF-Access-Client-Secret`), when
    /// Access guards the server.
    init(url: String, access: (id: String, secret: String)?, client: HTTPClient, retry: RetryPolicy) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.headers = access.map { ["CF-Access-Client-Id": $0.id, "CF-Access-Client-Secret": $0.secret] } ?? [:]
        self.client = client
        self.retry = retry
    }

    func send(_ method: String, _ path: String, body: Data? = nil, doing what: String) throws -> HTTPResponse {
        let response = try retry.send(HTTPRequest(method, url + path, headers: headers, body: body), with: client)
        if (300...399).contains(response.status) {
            let location = response.headers["location"] ?? "nowhere"
            let access = location.contains("cloudflareaccess.com") || location.contains("/cdn-cgi/access/")
            throw ProviderError(
                "Triton at \(url) answered \(what) with a redirect to \(location), not followed: "
                    + (access
                        ? "Cloudflare Access did not accept the service token "
                            + "(CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET); "
                            + "check it is allowed by the hostname's Access policy and not expired"
                        : "the URL is not Triton's HTTP endpoint"))
        }
        if response.status == 401 || response.status == 403 {
            throw ProviderError(
                "Triton at \(url) refused \(what) (HTTP \(response.status)): Cloudflare Access did not accept "
                    + "the service token "
                    + "(CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET)")
        }
        if (500...599).contains(response.status) {
            let kind = (response.headers["content-type"] ?? "").contains("html") ? "an HTML page" : "no usable body"
            throw ProviderError("Triton at \(url) answered \(what) with HTTP \(response.status) and \(kind)")
        }
        return response
    }

    /// Whether the server is ready to load models (a 4xx is a plain "no").
    func serverReady() throws -> Bool {
        try send("GET", "/v2/health/ready", doing: "the readiness check").status == 200
    }

    func ready(_ model: String) throws -> Bool {
        try send("GET", "/v2/models/\(Self.escaped(model))/ready", doing: "the readiness of model \(model)").status
            == 200
    }

    /// Loads (or reloads) a model, then waits until it reports ready: a 200 from load
    /// already means loaded, but a restart in between would leave it unloaded.
    func load(_ model: String) throws {
        let response = try send(
            "POST", "/v2/repository/models/\(Self.escaped(model))/load", doing: "loading model \(model)")
        guard response.status == 200 else {
            struct Failure: Decodable { var error: String? }
            let message = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error ?? "no error message"
            let hint =
                message.contains("polling is enabled") || message.contains("explicit model load")
                ? " (the server must run with --model-control-mode=explicit)" : ""
            throw ProviderError(
                "Triton at \(url) refused loading model \(model) (HTTP \(response.status)): \(message)\(hint)")
        }
        var waited = 0.0
        while try !ready(model) {
            guard waited < readyTimeoutSeconds else {
                throw ProviderError(
                    "model \(model) at \(url) was loaded but not ready after \(Int(readyTimeoutSeconds)) s")
            }
            retry.sleep(readyPollSeconds)
            waited += readyPollSeconds
        }
    }

    static func escaped(_ model: String) -> String {
        model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? model
    }
}
