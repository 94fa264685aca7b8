import CloudState
import Foundation

/// A project as Label Studio lists it (`GET /api/projects/?page=N&page_size=M`).
struct LabelStudioProject: Codable, Hashable, Sendable {
    var id: Int
    var title: String?

    init(id: Int, title: String?) {
        self.id = id
        self.title = title
    }

    /// `<slug>-<id>`: the folder the old provisioner gave each project (`ner-data-123`).
    var folder: String {
        let slug = LabelStudioClient.slugify(title ?? "")
        return "\(slug.isEmpty ? "project" : slug)-\(id)"
    }
}

/// An S3 storage as Label Studio returns it. The AWS keys are never returned (the serializer
/// drops them), so credentials cannot be compared, only sent.
struct LiveStorage: Codable, Hashable, Sendable {
    var id: Int
    var project: Int?
    var title: String?
    var bucket: String?
    var prefix: String?
    var regex_filter: String?
    var use_blob_urls: Bool?
    var presign: Bool?
    var region_name: String?
    var s3_endpoint: String?
    /// `initialized`, `queued`, `in_progress`, `failed`, `completed`.
    var status: String?
    var last_sync: String?
}

/// Label Studio's API for S3 storages (label_studio/io_storages/urls.py): the import list is
/// `/api/storages/s3/` with its trailing slash, the export list `/api/storages/export/s3`
/// without one, items `…/<id>` and `…/<id>/sync`; Django only ever adds a slash, with a 301
/// that drops a POST's body, so paths are exact and redirects are errors. Auth is a legacy
/// token (`Authorization: Token …`) or a personal access token (a JWT refresh token traded
/// at `/api/token/refresh` for an access token, traded again on a 401).
final class LabelStudioClient {
    let baseURL: String
    let apiKey: String
    let client: HTTPClient
    let retry: RetryPolicy
    /// How long a sync may take before the applier stops waiting, and how often it looks.
    var syncTimeoutSeconds = 300.0
    var syncPollSeconds = 2.0
    private var access: String?

    init(baseURL: String, apiKey: String, client: HTTPClient, retry: RetryPolicy) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.client = client
        self.retry = retry
    }

    /// A personal access token is a JWT (three base64url parts, the first `eyJ`).
    var isPersonalAccessToken: Bool { apiKey.hasPrefix("eyJ") && apiKey.split(separator: ".").count == 3 }

    static func path(_ direction: String) -> (list: String, item: String) {
        direction == "export"
            ? ("/api/storages/export/s3", "/api/storages/export/s3/") : ("/api/storages/s3/", "/api/storages/s3/")
    }

    func refresh() throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["refresh": apiKey])
        let response = try retry.send(HTTPRequest("POST", baseURL + "/api/token/refresh", body: body), with: client)
        try check(response, doing: "refreshing the personal access token")
        struct Access: Decodable { var access: String }
        guard let access = try? JSONDecoder().decode(Access.self, from: response.body).access else {
            throw ProviderError("Label Studio answered the token refresh without an access token")
        }
        self.access = access
        return access
    }

    /// One request with retries; with a personal access token, a 401 refreshes the access
    /// token once and tries again. `landed` runs before a retry (see `RetryPolicy`).
    func send(_ method: String, _ path: String, body: Data? = nil, landed: (() throws -> HTTPResponse?)? = nil) throws
        -> HTTPResponse
    {
        func attempt(_ authorization: String) throws -> HTTPResponse {
            try retry.send(
                HTTPRequest(method, baseURL + path, headers: ["Authorization": authorization], body: body),
                with: client, beforeRetry: landed)
        }
        guard isPersonalAccessToken else { return try attempt("Token \(apiKey)") }
        let response = try attempt("Bearer \(try access ?? refresh())")
        return response.status == 401 ? try attempt("Bearer \(try refresh())") : response
    }

    /// Label Studio's errors: `{detail, validation_errors: {field: [message]}}` from its
    /// exception handler, an HTML page from a proxy, or a redirect never followed.
    func check(_ response: HTTPResponse, doing what: String) throws {
        if (300...399).contains(response.status) {
            throw ProviderError(
                "Label Studio answered \(what) with a redirect (HTTP \(response.status)) to "
                    + "\(response.headers["location"] ?? "nowhere"), "
                    + "not followed: the URL or path is not Label Studio's API")
        }
        guard (200...299).contains(response.status) else {
            struct Failure: Decodable {
                var detail: String?
                var validation_errors: [String: [String]]?
            }
            let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
            var message =
                failure?.detail
                ?? ((response.headers["content-type"] ?? "").contains("html") ? "an HTML page" : "no error message")
            if let fields = failure?.validation_errors, !fields.isEmpty {
                message +=
                    ": "
                    + fields.sorted(by: { $0.key < $1.key }).map { field, errors in
                        "\(field == "non_field_errors" ? "" : "\(field): ")\(errors.joined(separator: " "))"
                    }.joined(separator: "; ")
            }
            if response.status == 401 || response.status == 403 { message += " (check LABEL_STUDIO_API_KEY)" }
            throw ProviderError("Label Studio refused \(what) (HTTP \(response.status)): \(message)")
        }
    }

    func decode<T: Decodable>(_ response: HTTPResponse, as type: T.Type, doing what: String) throws -> T {
        try check(response, doing: what)
        guard let value = try? JSONDecoder().decode(T.self, from: response.body) else {
            throw ProviderError(
                "Label Studio answered \(what) with HTTP \(response.status) and a body that is not the documented JSON")
        }
        return value
    }

    /// Every project, page by page until `next` is null.
    func projects() throws -> [LabelStudioProject] {
        struct Page: Decodable {
            var results: [LabelStudioProject]
            var next: String?
        }
        return try Pagination.numbered("the project list") { page in
            let response = try send("GET", "/api/projects/?page=\(page)&page_size=100")
            let batch = try decode(response, as: Page.self, doing: "the project list")
            return (batch.results, batch.next != nil)
        }
    }

    func storages(project: Int, direction: String) throws -> [LiveStorage] {
        let response = try send("GET", Self.path(direction).list + "?project=\(project)")
        return try decode(response, as: [LiveStorage].self, doing: "the \(direction) storages of project \(project)")
    }

    /// The fields the applier owns, as the serializer names them (credentials apart).
    static func fields(_ storage: LabelStudioStorage, prefix: String) -> [String: Any] {
        var fields: [String: Any] = [
            "title": storage.title, "bucket": storage.bucket, "prefix": prefix, "region_name": storage.region,
            "s3_endpoint": storage.endpoint,
        ]
        if storage.direction == "import" {
            fields["regex_filter"] = storage.regexFilter
            fields["use_blob_urls"] = storage.presign
            fields["presign"] = storage.presign
        }
        return fields
    }

    /// What differs between a live storage and the desired one (credentials cannot be read).
    static func differences(_ live: LiveStorage, _ storage: LabelStudioStorage) -> [String] {
        var out: [String] = []
        if live.title != storage.title { out.append("title '\(live.title ?? "")' → '\(storage.title)'") }
        if (live.region_name ?? "") != storage.region {
            let region = live.region_name ?? ""
            out.append("region \(region.isEmpty ? "none" : region) → \(storage.region)")
        }
        if (live.s3_endpoint ?? "") != storage.endpoint {
            out.append(
                "endpoint \(live.s3_endpoint ?? "none") → \(storage.endpoint.isEmpty ? "none" : storage.endpoint)")
        }
        if storage.direction == "import" {
            if (live.regex_filter ?? "") != storage.regexFilter {
                out.append("regex_filter '\(live.regex_filter ?? "")' → '\(storage.regexFilter)'")
            }
            if (live.use_blob_urls ?? false) != storage.presign {
                out.append("use_blob_urls \(live.use_blob_urls ?? false) → \(storage.presign)")
            }
            if (live.presign ?? true) != storage.presign {
                out.append("presign \(live.presign ?? true) → \(storage.presign)")
            }
        }
        return out
    }

    /// Creates a storage with its credentials. A lost answer is followed by a lookup of the
    /// project's owned storages on that bucket and prefix, so a retry never makes a second.
    func create(_ storage: LabelStudioStorage, project: Int, prefix: String, credentials: (id: String, secret: String))
        throws -> LiveStorage
    {
        var fields = Self.fields(storage, prefix: prefix)
        fields["project"] = project
        fields["description"] = DNSRecord.ownershipComment
        fields["aws_access_key_id"] = credentials.id
        fields["aws_secret_access_key"] = credentials.secret
        let landed: () throws -> HTTPResponse? = { [self] in
            guard
                let found = try storages(project: project, direction: storage.direction)
                    .first(where: { LabelStudioPlanner.owned($0) && $0.bucket == storage.bucket && $0.prefix == prefix }
                    )
            else { return nil }
            return HTTPResponse(status: 201, headers: [:], body: try JSONEncoder().encode(found))
        }
        let response = try send(
            "POST", Self.path(storage.direction).list,
            body: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]),
            landed: landed)
        let what = "creating the \(storage.direction) storage s3://\(storage.bucket)/\(prefix) of project \(project)"
        do {
            return try decode(response, as: LiveStorage.self, doing: what)
        } catch let error as ProviderError
            where storage.direction == "import" && error.description.contains("not found")
        {
            throw ProviderError(
                error.description
                    + " (Label Studio accepts an import storage only when an object exists under its prefix: "
                    + "upload one there first)"
            )
        }
    }

    func update(_ live: LiveStorage, to storage: LabelStudioStorage, prefix: String) throws {
        let body = try JSONSerialization.data(
            withJSONObject: Self.fields(storage, prefix: prefix), options: [.sortedKeys])
        let response = try send("PATCH", Self.path(storage.direction).item + "\(live.id)", body: body)
        _ = try decode(response, as: LiveStorage.self, doing: "updating \(storage.direction) storage \(live.id)")
    }

    func delete(_ live: LiveStorage, direction: String) throws {
        let response = try send("DELETE", Self.path(direction).item + "\(live.id)")
        if response.status == 404 { return }  // already gone
        try check(response, doing: "deleting \(direction) storage \(live.id)")
    }

    /// Starts a sync and waits until Label Studio reports it finished (a deployment with a
    /// job queue runs it in the background: `queued`, `in_progress`, then `completed` or `failed`).
    func sync(_ id: Int, direction: String) throws {
        let path = Self.path(direction).item + "\(id)"
        var status = try decode(
            try send("POST", path + "/sync"), as: LiveStorage.self, doing: "syncing \(direction) storage \(id)"
        ).status
        var waited = 0.0
        while status != "completed" {
            if status == "failed" {
                throw ProviderError(
                    "Label Studio's sync of \(direction) storage \(id) failed; see the storage in the project's "
                        + "settings, then run apply again"
                )
            }
            guard waited < syncTimeoutSeconds else {
                throw ProviderError(
                    "Label Studio's sync of \(direction) storage \(id) was still '\(status ?? "unknown")' after "
                        + "\(Int(syncTimeoutSeconds)) s"
                )
            }
            retry.sleep(syncPollSeconds)
            waited += syncPollSeconds
            status = try decode(
                try send("GET", path), as: LiveStorage.self, doing: "reading \(direction) storage \(id)"
            ).status
        }
    }

    /// Django's `slugify` (allow_unicode off): ASCII-folded, lower case, anything but
    /// letters, digits, `_`, `-` and spaces dropped, runs of spaces and hyphens made one
    /// hyphen, leading and trailing `-`/`_` removed.
    static func slugify(_ text: String) -> String {
        let folded = text.decomposedStringWithCompatibilityMapping.unicodeScalars.filter(\.isASCII)
        var kept = ""
        // Python's \s: space, \t \n \v \f \r and the separators \x1c-\x1f.
        func isSpace(_ v: UInt32) -> Bool { v == 0x20 || (0x09...0x0d).contains(v) || (0x1c...0x1f).contains(v) }
        for scalar in folded {
            if isSpace(scalar.value) {
                kept += " "
                continue
            }
            let c = Character(scalar).lowercased()
            if c.first!.isLetter || c.first!.isNumber || c == "_" || c == "-" { kept += c }
        }
        var out = ""
        var pendingHyphen = false
        for c in kept {
            if c == "-" || c == " " {
                pendingHyphen = true
                continue
            }
            if pendingHyphen {
                out += "-"
                pendingHyphen = false
            }
            out.append(c)
        }
        if pendingHyphen { out += "-" }
        return String(out.drop { $0 == "-" || $0 == "_" }.reversed().drop { $0 == "-" || $0 == "_" }.reversed())
    }
}
