/// The applier's desired cloud state: what git cannot hold, written by the compiler to
/// `cloud/` as JSON and reconciled by `oceanid-apply`. A leaf module: it depends on nothing,
/// so the applier links it (and libcurl) without linking the compiler.
///
/// Every type is `Codable` with stable key names; the compiler encodes with sorted keys.
/// Secrets appear only as references (`SecretReference`: an ESC key), never as values.
/// Field names follow each provider's API so that the applier's requests are plain
/// projections of these values.
public struct DesiredState: Codable, Hashable, Sendable {
    /// The shape's version: bumped when a field changes meaning, so an older applier refuses
    /// a newer state instead of misreading it.
    public var schemaVersion: Int
    /// `"cloudflare"`: DNS records, tunnel configurations and Access applications (Cloudflare API v4).
    public var cloudflare: CloudflareState
    /// `"crunchyBridge"`: the database network's firewall rules (CrunchyBridge API).
    public var crunchyBridge: CrunchyBridgeState
    /// `"labelStudio"`: the S3 storages every Label Studio project gets (Label Studio API).
    public var labelStudio: LabelStudioState
    /// `"modelServing"`: the Triton endpoints whose models must be loaded (model-control API).
    public var modelServing: ModelServingState

    /// The version this build writes and the newest it reads: the applier refuses a state file whose
    /// `schemaVersion` is greater (or below 1) before it sends any request.
    public static let currentSchemaVersion = 1

    /// A state; every provider section defaults to empty (nothing declared, nothing reconciled).
    public init(
        schemaVersion: Int = DesiredState.currentSchemaVersion, cloudflare: CloudflareState = .init(),
        crunchyBridge: CrunchyBridgeState = .init(), labelStudio: LabelStudioState = .init(),
        modelServing: ModelServingState = .init()
    ) {
        self.schemaVersion = schemaVersion
        self.cloudflare = cloudflare
        self.crunchyBridge = crunchyBridge
        self.labelStudio = labelStudio
        self.modelServing = modelServing
    }

    /// Nothing to reconcile.
    public var isEmpty: Bool {
        cloudflare == .init() && crunchyBridge == .init() && labelStudio == .init() && modelServing == .init()
    }
}

/// A secret the applier reads from its environment or Pulumi ESC, named by its ESC key.
public struct SecretReference: Codable, Hashable, Sendable {
    /// `"escKey"`: the key under Pulumi ESC (`cloudflareApiToken`, `aws.labelStudio.accessKeyId`).
    /// The applier reads the value from an environment variable of its own choosing
    /// (`CLOUDFLARE_API_TOKEN`, ...) and names this key when that variable is missing.
    public var escKey: String
    /// A reference to the secret ESC keeps under `escKey`.
    public init(escKey: String) { self.escKey = escKey }
}

// MARK: Cloudflare (API v4)

/// Cloudflare's side of the fleet: DNS records of one zone, the remotely managed tunnels'
/// configurations and the Access applications protecting hostnames.
public struct CloudflareState: Codable, Hashable, Sendable {
    /// `"accountId"`: the 32-hex-digit account ID, the `{account_id}` of the tunnel and Access paths.
    /// The applier refuses a placeholder (all zeros) before any request.
    public var accountId: String
    /// The zone's name (`boathou.se`); every record name lies inside it.
    public var zoneName: String
    /// `"zoneId"`: the 32-hex-digit zone ID, the `{zone_id}` of `/zones/{zone_id}/dns_records`.
    public var zoneId: String
    /// The API token's ESC key (`cloudflareApiToken`).
    public var apiToken: SecretReference?
    /// `"dnsRecords"`: exactly the owned records of the zone; an owned record not listed is deleted.
    public var dnsRecords: [DNSRecord]
    /// `"tunnels"`: one remote configuration per tunnel, each replaced whole when its ingress differs.
    public var tunnels: [TunnelConfiguration]
    /// `"accessApplications"`: the owned Access applications, one per protected hostname.
    public var accessApplications: [AccessApplication]
    /// `"privateRoutes"`: the owned tunnel routes of the account (Zero Trust private networks);
    /// while any is listed, an owned route not listed is deleted (an empty list reconciles
    /// nothing). Absent in older files: none.
    @DefaultEmpty public var privateRoutes: [PrivateRoute] = []

    /// `"dnsTargetSettings"`: a tunnel route's record name → the settings.yaml key its CNAME target
    /// is read from (the tunnel's ID, `cloudflareTunnelId` or `cloudflareNodeTunnelId`, or its DNS
    /// target), so a placeholder message names the setting to fill; never sent. Absent in states
    /// written before it existed (nil), and left out of the file when nil (synthesized `Codable`).
    public var dnsTargetSettings: [String: String]?

    /// An empty Cloudflare section by default: the applier skips Cloudflare when nothing is declared.
    public init(
        accountId: String = "", zoneName: String = "", zoneId: String = "", apiToken: SecretReference? = nil,
        dnsRecords: [DNSRecord] = [], tunnels: [TunnelConfiguration] = [], accessApplications: [AccessApplication] = [],
        dnsTargetSettings: [String: String]? = nil
    ) {
        self.dnsTargetSettings = dnsTargetSettings
        self.accountId = accountId
        self.zoneName = zoneName
        self.zoneId = zoneId
        self.apiToken = apiToken
        self.dnsRecords = dnsRecords
        self.tunnels = tunnels
        self.accessApplications = accessApplications
    }
}

/// A Zero Trust tunnel route (`/accounts/{account_id}/teamnet/routes`): a private network
/// WARP clients reach through a tunnel. The applier owns the routes whose `comment` is
/// `DNSRecord.ownershipComment`; a route on a declared network it does not own is a conflict.
public struct PrivateRoute: Codable, Hashable, Sendable {
    /// `"network"`: the CIDR (`10.42.0.0/16`), the route's key.
    public var network: String
    /// `"tunnelId"`: the UUID of the tunnel that serves it (`tunnel_id`).
    public var tunnelId: String
    /// `"tunnelName"`: the tunnel's name in the fleet; for plans and messages, never sent.
    public var tunnelName: String
    /// `"description"`: what the network is, for plans; never sent (the comment is the marker).
    public var description: String

    /// A route of `network` through tunnel `tunnelId`.
    public init(network: String, tunnelId: String, tunnelName: String, description: String) {
        self.network = network
        self.tunnelId = tunnelId
        self.tunnelName = tunnelName
        self.description = description
    }
}

/// A DNS record (`POST/PUT /zones/{zone_id}/dns_records`): the fields the fleet owns.
public struct DNSRecord: Codable, Hashable, Sendable {
    /// `CNAME`, `A`, `AAAA`, `TXT`.
    public var type: String
    /// The fully qualified name (`gpu.boathou.se`).
    public var name: String
    /// The target: for a tunnel route `<tunnel id>.cfargotunnel.com`.
    public var content: String
    /// Through Cloudflare's proxy (tunnel CNAMEs must be proxied).
    public var proxied: Bool
    /// Seconds; 1 means automatic (the only value allowed on proxied records).
    public var ttl: Int
    /// Marks the record as the applier's: it never touches a record without this comment.
    public var comment: String

    /// A record owned by the applier; proxied with an automatic TTL unless told otherwise, as a
    /// tunnel route's CNAME must be.
    public init(
        type: String, name: String, content: String, proxied: Bool = true, ttl: Int = 1,
        comment: String = DNSRecord.ownershipComment
    ) {
        self.type = type
        self.name = name
        self.content = content
        self.proxied = proxied
        self.ttl = ttl
        self.comment = comment
    }

    /// The `comment` that marks a record as the applier's (`"managed by oceanid-apply"`); the Access
    /// and Label Studio ownership suffixes reuse it.
    public static let ownershipComment = "managed by oceanid-apply"
}

/// A remotely managed tunnel's configuration
/// (`PUT /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations`, which replaces it whole).
public struct TunnelConfiguration: Codable, Hashable, Sendable {
    /// `"tunnelId"`: the tunnel's UUID, the `{tunnel_id}` of the configurations path.
    public var tunnelId: String
    /// `"name"`: the tunnel's name in the fleet (`cluster`); used in plans and messages only, never sent.
    public var name: String
    /// In order; the last rule must be a catch-all (no hostname), as cloudflared requires.
    /// (`warp-routing` is left out: the API marks it read-only, enabled by a tunnel's routes.)
    public var ingress: [IngressRule]
    /// `"idSetting"`: the settings.yaml key `tunnelId` is read from (`cloudflareTunnelId`), so a
    /// placeholder message names it; never sent. nil in states written before it existed.
    public var idSetting: String?

    /// A configuration with its ingress rules in matching order.
    public init(tunnelId: String, name: String, ingress: [IngressRule], idSetting: String? = nil) {
        self.idSetting = idSetting
        self.tunnelId = tunnelId
        self.name = name
        self.ingress = ingress
    }
}

/// One cloudflared ingress rule: a hostname and path (both nil for the catch-all) and the
/// service it reaches (`http://host:port`, `https://...`, `http_status:404`).
public struct IngressRule: Codable, Hashable, Sendable {
    /// `"hostname"` (left out when nil): the public hostname the rule matches (`label.boathou.se`);
    /// nil only on the last, catch-all rule. Compared lower-case.
    public var hostname: String?
    /// An RE2 regular expression on the request path.
    public var path: String?
    /// `"service"`: where matching requests go, in cloudflared's syntax (`http://host:port`,
    /// `https://10.0.0.10:6443`, `http_status:404`).
    public var service: String
    /// `"originRequest"` (left out when nil): per-rule origin settings; an empty object is treated as
    /// nil when live and desired rules are compared.
    public var originRequest: OriginRequestSettings?

    /// A rule; pass a nil hostname (and path) for the catch-all.
    public init(hostname: String?, path: String? = nil, service: String, originRequest: OriginRequestSettings? = nil) {
        self.hostname = hostname
        self.path = path
        self.service = service
        self.originRequest = originRequest
    }
}

/// A rule's `originRequest` in the remote configuration's shape: timeouts as integer
/// seconds, keys as the API spells them; unset ones are left out.
public struct OriginRequestSettings: Codable, Hashable, Sendable {
    /// `connectTimeout`: whole seconds to wait for a connection to the origin (cloudflared: 30).
    public var connectTimeout: Int?
    /// `tlsTimeout`: whole seconds to wait for the origin's TLS handshake (cloudflared: 10).
    public var tlsTimeout: Int?
    /// `keepAliveTimeout`: whole seconds an idle origin connection is kept open (cloudflared: 90).
    public var keepAliveTimeout: Int?
    /// `noTLSVerify`: accept the origin's certificate unverified (the K3s API's self-signed one).
    public var noTLSVerify: Bool?
    /// `originServerName`: the hostname expected on the origin's certificate.
    public var originServerName: String?
    /// `httpHostHeader`: the `Host` header sent to the origin.
    public var httpHostHeader: String?
    /// `caPool`: an absolute path, on the connector's host, to CA certificates trusted for the origin.
    public var caPool: String?
    /// `http2Origin`: speak HTTP/2 to the origin.
    public var http2Origin: Bool?

    /// Settings with every field unset (an empty object, which the applier treats as none).
    public init(
        connectTimeout: Int? = nil, tlsTimeout: Int? = nil, keepAliveTimeout: Int? = nil, noTLSVerify: Bool? = nil,
        originServerName: String? = nil, httpHostHeader: String? = nil, caPool: String? = nil, http2Origin: Bool? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.tlsTimeout = tlsTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.noTLSVerify = noTLSVerify
        self.originServerName = originServerName
        self.httpHostHeader = httpHostHeader
        self.caPool = caPool
        self.http2Origin = http2Origin
    }
}

/// A Cloudflare Access application (`/accounts/{account_id}/access/apps`, type `self_hosted`)
/// and who may pass it.
public struct AccessApplication: Codable, Hashable, Sendable {
    /// The hostname followed by `ownershipSuffix`: Access apps have no comment field, and
    /// tags must exist beforehand, so the name marks the app as the applier's.
    public var name: String
    /// `"domain"`: the protected hostname (`gpu.boathou.se`), sent as the app's `domain`. Cloudflare
    /// allows one app per domain, so the applier matches live apps by it (lower-case).
    public var domain: String
    /// `self_hosted`.
    public var type: String
    /// Seconds an Access session lasts (`session_duration`, e.g. `24h` as 86400).
    public var sessionDurationSeconds: Int
    /// Service tokens allowed through (the `non_identity` decision), by name.
    public var serviceTokens: [String]
    /// Identities allowed through (an `allow` decision on `email` rules).
    public var emails: [String]

    /// An application; `self_hosted` with 24-hour sessions unless told otherwise.
    public init(
        name: String, domain: String, type: String = "self_hosted", sessionDurationSeconds: Int = 86_400,
        serviceTokens: [String] = [], emails: [String] = []
    ) {
        self.name = name
        self.domain = domain
        self.type = type
        self.sessionDurationSeconds = sessionDurationSeconds
        self.serviceTokens = serviceTokens
        self.emails = emails
    }

    /// Ends the name of every Access application the applier owns.
    public static let ownershipSuffix = " (\(DNSRecord.ownershipComment))"
}

// MARK: CrunchyBridge

/// The database network's firewall (`/networks/{id}/firewall-rules`): exactly these rules,
/// stale ones removed.
public struct CrunchyBridgeState: Codable, Hashable, Sendable {
    /// `"networkId"`: the network's ID, the `{id}` of `/networks/{id}/firewall-rules`.
    public var networkId: String
    /// `"apiKey"`: the API key's ESC key (`crunchyBridgeApiKey`); the applier reads `BRIDGE_TOKEN`.
    public var apiKey: SecretReference?
    /// `"firewallRules"`: exactly the network's rules; a live rule not listed is deleted. An empty
    /// list skips CrunchyBridge altogether (it never empties a firewall).
    public var firewallRules: [FirewallRule]

    /// An empty section by default: the applier skips CrunchyBridge when nothing is declared.
    public init(networkId: String = "", apiKey: SecretReference? = nil, firewallRules: [FirewallRule] = []) {
        self.networkId = networkId
        self.apiKey = apiKey
        self.firewallRules = firewallRules
    }
}

/// One allowed source: a CIDR (`157.173.210.123/32`) and its description.
public struct FirewallRule: Codable, Hashable, Sendable {
    /// `"rule"`: the allowed source as a CIDR (`157.173.210.123/32`), the API's `rule`; the key
    /// rules are matched by.
    public var rule: String
    /// `"description"`: the API's `description` (`srv712429-oceanid egress gateway`); a live rule whose
    /// description differs is updated in place (PATCH).
    public var description: String
    /// A rule allowing `rule` (a CIDR), described by `description`.
    public init(rule: String, description: String) {
        self.rule = rule
        self.description = description
    }
}

// MARK: Label Studio

/// Per-project S3 import and export storages (`/api/storages/s3`, `/api/storages/export/s3`).
public struct LabelStudioState: Codable, Hashable, Sendable {
    /// `"url"`: Label Studio's base URL (`https://label.boathou.se`); `OCEANID_LABELSTUDIO_URL`
    /// overrides it at apply time.
    public var url: String
    /// `"apiToken"`: the API token's ESC key (`labelStudioApiKey`); the applier reads
    /// `LABEL_STUDIO_API_KEY` (a legacy token or a personal access token).
    public var apiToken: SecretReference?
    /// `"storages"`: the storage templates given to every project; owned storages not listed are deleted.
    public var storages: [LabelStudioStorage]
    /// `"bucketCORS"`: the CORS rules the storages' buckets need so the browser may load
    /// presigned URLs from Label Studio's origin (absent in older files: none).
    @DefaultEmpty public var bucketCORS: [BucketCORS]

    /// An empty section by default: the applier skips Label Studio when nothing is declared.
    public init(
        url: String = "", apiToken: SecretReference? = nil, storages: [LabelStudioStorage] = [],
        bucketCORS: [BucketCORS] = []
    ) {
        self.url = url
        self.apiToken = apiToken
        self.storages = storages
        self.bucketCORS = bucketCORS
    }
}

/// One S3 bucket's CORS rules, reconciled through `GetBucketCors`/`PutBucketCors`
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html). The fleet's rules
/// are matched by `ID`; rules without one of those IDs are kept unless `exclusive`.
public struct BucketCORS: Codable, Hashable, Sendable {
    /// The bucket's name.
    public var bucket: String
    /// Its AWS region (`us-east-1`), the SigV4 scope's region.
    public var region: String
    /// An S3-compatible endpoint (`https://minio.example.com`); empty: AWS S3 itself.
    public var endpoint: String
    /// Path-style URLs (`<endpoint>/<bucket>?cors`) rather than virtual-hosted ones
    /// (`https://<bucket>.s3.<region>.amazonaws.com/?cors`); true for an S3-compatible endpoint.
    public var pathStyle: Bool
    /// Whether the bucket's CORS rules are the fleet's alone (undeclared rules removed).
    public var exclusive: Bool
    /// The rules, each with an `id` the applier matches by.
    public var rules: [CORSRule]

    /// A bucket's rules.
    public init(
        bucket: String, region: String, endpoint: String = "", pathStyle: Bool = false, exclusive: Bool = false,
        rules: [CORSRule]
    ) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.pathStyle = pathStyle
        self.exclusive = exclusive
        self.rules = rules
    }
}

/// One `<CORSRule>` of S3's CORS configuration, in its element names' order.
public struct CORSRule: Codable, Hashable, Sendable {
    /// `ID`: the rule's name (the applier's rules start with `oceanid-`).
    public var id: String
    /// `AllowedOrigin`: origins (`https://label.boathou.se`).
    public var allowedOrigins: [String]
    /// `AllowedMethod`: among GET, PUT, POST, DELETE, HEAD.
    public var allowedMethods: [String]
    /// `AllowedHeader`: request headers a preflight may ask for (`*`).
    public var allowedHeaders: [String]
    /// `ExposeHeader`: response headers the browser may read (`ETag`).
    public var exposeHeaders: [String]
    /// `MaxAgeSeconds`: how long a preflight answer is cached, in seconds.
    public var maxAgeSeconds: Int?

    /// A rule.
    public init(
        id: String, allowedOrigins: [String], allowedMethods: [String], allowedHeaders: [String] = [],
        exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil
    ) {
        self.id = id
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// A storage template applied to every project, in the fields of Label Studio's S3 storage
/// serializer. The prefix may hold `{project}` (slug and id) and `{project_id}`; without
/// placeholders `/<project-slug>-<id>/import/` (or `/export/`) is appended.
public struct LabelStudioStorage: Codable, Hashable, Sendable {
    /// `import` (`/api/storages/s3/`) or `export` (`/api/storages/export/s3`).
    public var direction: String
    /// Ends with `ownershipSuffix`: the applier changes only storages whose title does.
    public var title: String
    /// `"bucket"`: the S3 bucket, the serializer's `bucket`.
    public var bucket: String
    /// `"prefix"`: the key prefix template, sent as `prefix` once the project is filled in (see above).
    public var prefix: String
    /// `region_name`.
    public var region: String
    /// `s3_endpoint`; empty for AWS.
    public var endpoint: String
    /// Import only: `regex_filter` (empty: every object).
    public var regexFilter: String
    /// Import only: serve tasks through presigned URLs (`use_blob_urls` and `presign`).
    public var presign: Bool
    /// Import only: sync right after the storage is created.
    public var syncOnCreate: Bool
    /// The S3 credentials' ESC keys: sent on create only (Label Studio never returns them).
    public var accessKeyId: SecretReference
    /// `"secretAccessKey"`: the S3 secret key's ESC key (`aws.labelStudio.secretAccessKey`); the
    /// applier reads `LABEL_STUDIO_AWS_SECRET_ACCESS_KEY` and sends it as `aws_secret_access_key`.
    public var secretAccessKey: SecretReference

    /// A storage template; the import-only fields default to off and empty.
    public init(
        direction: String, title: String, bucket: String, prefix: String, region: String, endpoint: String = "",
        regexFilter: String = "", presign: Bool = false, syncOnCreate: Bool = false,
        accessKeyId: SecretReference, secretAccessKey: SecretReference
    ) {
        self.direction = direction
        self.title = title
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.endpoint = endpoint
        self.regexFilter = regexFilter
        self.presign = presign
        self.syncOnCreate = syncOnCreate
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }

    /// Where a storage reads or writes, as compared: `s3://<bucket>/<prefix>` without
    /// trailing slashes (Label Studio lists `prefix` and `prefix/` alike).
    public static func place(bucket: String, prefix: String) -> String {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return "s3://\(bucket)/\(prefix)"
    }

    /// Ends the title of every storage the applier owns (storages have no tags).
    public static let ownershipSuffix = " (\(DNSRecord.ownershipComment))"
}

// MARK: Model serving

/// Triton endpoints whose models the applier (re)loads through the model-control API
/// (`POST /v2/repository/models/{name}/load`, explicit mode).
public struct ModelServingState: Codable, Hashable, Sendable {
    /// `"endpoints"`: the Triton servers; an endpoint without models is skipped.
    public var endpoints: [ModelEndpoint]
    /// No endpoints by default: the applier skips Triton when nothing is declared.
    public init(endpoints: [ModelEndpoint] = []) { self.endpoints = endpoints }
}

/// One Triton server and the models that must be loaded and ready on it
/// (`POST /v2/repository/models/{name}/load`, readiness from `GET /v2/models/{name}/ready`).
public struct ModelEndpoint: Codable, Hashable, Sendable {
    /// The server's base URL (`https://gpu.boathou.se`).
    public var url: String
    /// `"models"`: model names (directories of the model repository), each checked by `isModelName(_:)`;
    /// loaded when not ready, or reloaded with `--reload-models`.
    public var models: [String]
    /// Behind Cloudflare Access: every request carries the service token's
    /// `CF-Access-Client-Id` / `CF-Access-Client-Secret` headers.
    public var accessProtected: Bool
    /// An endpoint; not behind Cloudflare Access unless told otherwise.
    public init(url: String, models: [String], accessProtected: Bool = false) {
        self.url = url
        self.models = models
        self.accessProtected = accessProtected
    }

    /// A Triton model name is a directory of the model repository (and a URL path segment):
    /// letters, digits, `_`, `-` and `.`, never `.` or `..`. The compiler checks declarations
    /// with it; the applier checks a desired state with it before any request.
    public static func isModelName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".."
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                    || $0 == "-" || $0 == "."
            }
    }
}
