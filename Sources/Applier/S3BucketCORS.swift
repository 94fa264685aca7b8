import CloudState
import Crypto
import Foundation

/// S3's bucket CORS subresource: `GetBucketCors` (`GET /?cors`, 404 `NoSuchCORSConfiguration`
/// when there is none) and `PutBucketCors` (`PUT /?cors` with a `<CORSConfiguration>` body and
/// `Content-MD5`), https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html and
/// API_PutBucketCors.html. Requests are signed by libcurl (`CURLOPT_AWS_SIGV4`), never by hand.
///
/// Two gaps of the libcurl in Debian 12 (7.88) are closed here, and are harmless on a newer one:
/// - before 8.5 libcurl put a bare `?cors` into the canonical query as `cors` where AWS's
///   algorithm says `cors=` (curl issue #10129): the URL carries `?cors=`, which both sign alike;
/// - before 8.0 libcurl sent no `x-amz-content-sha256`, which S3 requires on every SigV4
///   request: the header is sent (and so signed) with the body's SHA-256 here.
///
/// Virtual-hosted URLs (`https://<bucket>.s3.<region>.amazonaws.com/?cors=`) for AWS;
/// path-style (`<endpoint>/<bucket>?cors=`) for an S3-compatible endpoint or `baseURL`.
struct S3BucketCORS {
    let bucket: BucketCORS
    /// `OCEANID_S3_ENDPOINT`: overrides the endpoint (tests' fake); path style then.
    let baseURL: String?
    let signing: AWSSigV4
    let client: HTTPClient
    let retry: RetryPolicy

    /// The subresource's URL.
    var url: String {
        if let baseURL { return "\(Self.trimmed(baseURL))/\(bucket.bucket)?cors=" }
        if !bucket.endpoint.isEmpty {
            if bucket.pathStyle { return "\(Self.trimmed(bucket.endpoint))/\(bucket.bucket)?cors=" }
            let endpoint = URLComponents(string: bucket.endpoint)
            return "\(endpoint?.scheme ?? "https")://\(bucket.bucket).\(endpoint?.host ?? "")/?cors="
        }
        return "https://\(bucket.bucket).s3.\(bucket.region).amazonaws.com/?cors="
    }

    static func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func request(_ method: String, body: Data? = nil) -> HTTPRequest {
        var headers = ["x-amz-content-sha256": Self.sha256(body ?? Data())]
        if let body { headers["Content-MD5"] = Data(Insecure.MD5.hash(data: body)).base64EncodedString() }
        var request = HTTPRequest(method, url, headers: headers, body: body)
        request.contentType = "application/xml"
        request.awsSigV4 = signing
        return request
    }

    /// The bucket's rules; empty when it has no configuration.
    func rules() throws -> [CORSRule] {
        let response = try retry.send(request("GET"), with: client)
        if response.status == 404, Self.code(response.body) == "NoSuchCORSConfiguration" { return [] }
        guard response.status == 200 else { throw error(response, doing: "reading the CORS rules") }
        return Self.parse(response.body)
    }

    /// Replaces the bucket's rules (PutBucketCors replaces the whole configuration).
    func put(_ rules: [CORSRule]) throws {
        let response = try retry.send(request("PUT", body: Data(Self.xml(rules).utf8)), with: client)
        guard response.status == 200 else { throw error(response, doing: "writing the CORS rules") }
    }

    func error(_ response: HTTPResponse, doing what: String) -> ProviderError {
        let code = Self.code(response.body).map { " \($0)" } ?? ""
        let message = Self.elements("Message", in: String(decoding: response.body, as: UTF8.self)).first.map {
            ": \($0)"
        }
        return ProviderError(
            "S3 answered \(what) of bucket \(bucket.bucket) with HTTP \(response.status)\(code)\(message ?? "")")
    }

    /// The `<Code>` of an S3 error body.
    static func code(_ body: Data) -> String? { elements("Code", in: String(decoding: body, as: UTF8.self)).first }

    /// The texts of every `<name>…</name>` in `text`, entities decoded (S3's bodies hold no
    /// attributes on these elements and no CDATA).
    static func elements(_ name: String, in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<\(name)>"), let close = rest[open.upperBound...].range(of: "</\(name)>") {
            out.append(unescaped(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return out
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// GetBucketCors's `<CORSRule>`s.
    static func parse(_ body: Data) -> [CORSRule] {
        elements("CORSRule", in: String(decoding: body, as: UTF8.self)).map { rule in
            CORSRule(
                id: elements("ID", in: rule).first ?? "", allowedOrigins: elements("AllowedOrigin", in: rule),
                allowedMethods: elements("AllowedMethod", in: rule),
                allowedHeaders: elements("AllowedHeader", in: rule),
                exposeHeaders: elements("ExposeHeader", in: rule),
                maxAgeSeconds: elements("MaxAgeSeconds", in: rule).first.flatMap { Int($0) })
        }
    }

    /// PutBucketCors's body, the elements in the API reference's order.
    static func xml(_ rules: [CORSRule]) -> String {
        var text = "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for rule in rules {
            text += "<CORSRule>"
            if !rule.id.isEmpty { text += "<ID>\(escaped(rule.id))</ID>" }
            for (name, values) in [
                ("AllowedHeader", rule.allowedHeaders), ("AllowedMethod", rule.allowedMethods),
                ("AllowedOrigin", rule.allowedOrigins), ("ExposeHeader", rule.exposeHeaders),
            ] {
                for value in values { text += "<\(name)>\(escaped(value))</\(name)>" }
            }
            if let age = rule.maxAgeSeconds { text += "<MaxAgeSeconds>\(age)</MaxAgeSeconds>" }
            text += "</CORSRule>"
        }
        return text + "</CORSConfiguration>"
    }
}
