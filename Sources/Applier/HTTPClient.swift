import CCurl
import Foundation

/// One HTTP request: method, absolute URL, headers, JSON body.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`.
    public var method: String
    /// The absolute URL: https, or plain http to loopback only.
    public var url: String
    /// Header names and values; a value with a control character is refused, never sent.
    public var headers: [String: String]
    /// A body, sent with `Content-Type: contentType`.
    public var body: Data?
    /// The body's media type (`application/json`; S3's `application/xml`).
    public var contentType = "application/json"
    /// Signs the request with AWS Signature Version 4 by libcurl itself (`CURLOPT_AWS_SIGV4`).
    public var awsSigV4: AWSSigV4?
    /// A request; `url` absolute.
    public init(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What libcurl needs to sign a request with AWS Signature Version 4
/// (https://curl.se/libcurl/c/CURLOPT_AWS_SIGV4.html): `aws:amz:<region>:<service>` and the key
/// pair, passed as the user name and password. The signature covers the headers libcurl sends;
/// see `S3BucketCORS` for what libcurl before 8.x leaves to the caller.
public struct AWSSigV4: Sendable {
    /// `aws:amz:us-east-1:s3`.
    public var provider: String
    /// The access key ID.
    public var keyId: String
    /// The secret access key; never printed.
    public var secret: String

    /// Signing for `service` in `region` with a key pair.
    public init(region: String, service: String, keyId: String, secret: String) {
        provider = "aws:amz:\(region):\(service)"
        self.keyId = keyId
        self.secret = secret
    }
}

/// A response: status, headers (names lower-cased) and body.
public struct HTTPResponse: Sendable {
    /// The HTTP status (`200`).
    public var status: Int
    /// The last response's headers, names lower-cased (`retry-after`).
    public var headers: [String: String]
    /// The body, at most `HTTPClient.Options.maxResponseBytes`.
    public var body: Data
}

/// What went wrong below HTTP (no response), or a response the client refuses.
public enum HTTPError: Error, CustomStringConvertible, Sendable {
    /// No response: connection refused or reset, timeout, TLS failure (libcurl's message).
    case transport(String, retryable: Bool)
    /// A body larger than the limit, from this host.
    case tooLarge(Int, String)
    /// Plain http to a host that is not loopback.
    case insecure(String)
    /// A request that must not be sent (a URL with credentials, a header with a line break).
    case refused(String)

    /// The message, naming the host; never a credential.
    public var description: String {
        switch self {
        case .transport(let message, _): "no response: \(message)"
        case .tooLarge(let limit, let host): "\(host) answered with more than \(limit) bytes"
        case .refused(let reason): reason
        case .insecure(let url): "\(url) is plain http to a host that is not loopback; only https leaves this machine"
        }
    }
}

/// HTTP over libcurl, one easy handle per client (reused across requests, never shared
/// between threads). TLS verification is always on (a CA file may be added for private CAs);
/// redirects are never followed (a redirect from Cloudflare Access is an authentication
/// error, not a page to go to); proxies come from the environment (`https_proxy`,
/// `no_proxy`, as libcurl reads them); connect and total timeouts; a response size limit.
public final class HTTPClient {
    /// Timeouts, the size limit and an extra CA.
    public struct Options: Sendable {
        /// Seconds to wait for the connection.
        public var connectTimeoutSeconds: Int = 10
        /// The whole request, answer included, in seconds (fractions allowed).
        public var totalTimeoutSeconds: Double = 60
        /// The largest body accepted, in bytes (16 MiB); a larger one is `HTTPError.tooLarge`.
        public var maxResponseBytes: Int = 16 << 20
        /// A PEM bundle trusted besides the system's (a private CA).
        public var caFile: String?
        /// The defaults.
        public init() {}
    }

    let options: Options
    let handle: UnsafeMutableRawPointer

    static let global: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// A client with its own libcurl handle, freed with the client.
    public init(options: Options = Options()) {
        _ = Self.global
        self.options = options
        guard let handle = curl_easy_init() else { preconditionFailure("curl_easy_init failed: out of memory") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Whether `url` may be plain http: loopback only (tests' fake servers).
    static func allowsPlainHTTP(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        // 127.0.0.0/8 written as an address, not a name that merely starts with "127.".
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }

    /// Collects the body (up to the limit) and the headers while libcurl reads them.
    final class Sink {
        var body = Data()
        var headers: [String: String] = [:]
        var limit: Int
        var overflow = false
        init(limit: Int) { self.limit = limit }
    }

    /// Sends once, without retries. Any status is a response; throws `HTTPError` when there is
    /// none, or when the request is refused before sending (not https, credentials in the URL,
    /// a header with a line break) or the body is too large.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let lower = request.url.lowercased()
        guard lower.hasPrefix("https://") || (lower.hasPrefix("http://") && Self.allowsPlainHTTP(request.url)) else {
            if !lower.hasPrefix("http://") { throw HTTPError.refused("'\(request.url)' is not an http(s) URL") }
            throw HTTPError.insecure(request.url)
        }
        if URLComponents(string: request.url)?.user != nil {
            throw HTTPError.refused(
                "a URL must not carry credentials (they belong in the environment variables); its host is "
                    + (URLComponents(string: request.url)?.host ?? "unknown"))
        }
        // A line break in a header value would start a header of its own (request smuggling).
        if let (name, _) = request.headers.first(where: {
            $0.value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
        }) {
            throw HTTPError.refused("the \(name) header holds a control character; nothing was sent")
        }
        curl_easy_reset(handle)
        let sink = Sink(limit: options.maxResponseBytes)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var cStrings: [UnsafeMutablePointer<CChar>] = []
        defer { for copy in cStrings { free(copy) } }
        func string(_ option: CURLoption, _ value: String) {
            let copy = strdup(value)!
            cStrings.append(copy)
            _ = oceanid_curl_setopt_string(handle, option, copy)
        }
        string(CURLOPT_URL, request.url)
        string(CURLOPT_CUSTOMREQUEST, request.method)
        _ = oceanid_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = oceanid_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = oceanid_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = oceanid_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        _ = oceanid_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds)
        // At least 1 ms: libcurl reads 0 as no limit at all.
        _ = oceanid_curl_setopt_long(
            handle, CURLOPT_TIMEOUT_MS, Int((min(max(options.totalTimeoutSeconds, 0.001), 86_400) * 1000).rounded(.up)))
        if let ca = options.caFile { string(CURLOPT_CAINFO, ca) }
        if request.method == "HEAD" { _ = oceanid_curl_setopt_long(handle, CURLOPT_NOBODY, 1) }
        // libcurl silently re-sends a request whose reused connection died; for a POST or
        // PATCH that may act twice, so those always open a fresh connection (the retry policy
        // decides, after checking whether the first attempt landed).
        if request.method == "POST" || request.method == "PATCH" {
            _ = oceanid_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        if request.body != nil { list = curl_slist_append(list, "Content-Type: \(request.contentType)") }
        if let signing = request.awsSigV4 {
            string(CURLOPT_AWS_SIGV4, signing.provider)
            string(CURLOPT_USERNAME, signing.keyId)
            string(CURLOPT_PASSWORD, signing.secret)
        }
        list = curl_slist_append(list, "Accept: \(request.contentType)")
        defer { curl_slist_free_all(list) }
        _ = oceanid_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
        var bodyBytes = [CChar]()
        if let body = request.body {
            bodyBytes = body.map { CChar(bitPattern: $0) }
            _ = oceanid_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bodyBytes.count)
        }
        let result: CURLcode = bodyBytes.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            if request.body != nil {
                _ = oceanid_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(buffer.baseAddress))
            }
            _ = oceanid_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            _ = oceanid_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            _ = oceanid_curl_setopt_write(handle) { data, size, count, context in
                let sink = Unmanaged<HTTPClient.Sink>.fromOpaque(context!).takeUnretainedValue()
                let length = size * count
                if sink.body.count + length > sink.limit {
                    sink.overflow = true
                    return 0
                }
                if let data {
                    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
                }
                return length
            }
            _ = oceanid_curl_setopt_header(handle) { data, size, count, context in
                let sink = Unmanaged<HTTPClient.Sink>.fromOpaque(context!).takeUnretainedValue()
                let length = size * count
                if let data {
                    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                    if line.hasPrefix("HTTP/") { sink.headers = [:] }  // a new response (after 100-continue)
                    if let colon = line.firstIndex(of: ":") {
                        let name = line[..<colon].lowercased()
                        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                        sink.headers[name] = value
                    }
                }
                return length
            }
            return curl_easy_perform(handle)
        }
        if sink.overflow {
            throw HTTPError.tooLarge(options.maxResponseBytes, URLComponents(string: request.url)?.host ?? request.url)
        }
        guard result == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(result))
            let retryable = [
                CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
                CURLE_PARTIAL_FILE,
            ].contains(result)
            let host =
                URLComponents(string: request.url).map {
                    "\($0.scheme ?? "")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")"
                } ?? request.url
            throw HTTPError.transport("\(request.method) \(host): \(message)", retryable: retryable)
        }
        var status = 0
        _ = oceanid_curl_response_code(handle, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }
}
