/// Label Studio's per-project S3 storages, reconciled by `oceanid-apply` through Label
/// Studio's API (`/api/storages/s3/`, `/api/storages/export/s3`): every project gets each
/// storage, its prefix expanded for that project.
///
/// ```swift
/// LabelStudioStorages(url: "https://label.boathou.se", apiToken: Settings.labelStudioApiKey) {
///     S3Storage.import(title: "S3 import", bucket: "uploads", region: "us-east-1", prefix: "raw-uploads",
///                      accessKeyId: Settings.labelStudioAccessKeyId, secretAccessKey: Settings.labelStudioSecretAccessKey)
/// }
/// ```
public struct LabelStudioStorages: Hashable, Sendable {
    /// Label Studio's base URL (`https://label.boathou.se`); a host in a declared zone must be routed.
    public var url: String
    /// The ESC key of the API token the applier uses (legacy token or personal access token).
    public var apiTokenKey: String
    /// The storage templates every project gets, in order; two with the same direction, bucket
    /// and prefix are refused.
    public var storages: [S3Storage]
    /// The CORS rule the storages' buckets get for Label Studio's origin (`url`), so the browser
    /// may load presigned URLs; nil: the buckets' CORS is not managed.
    public var bucketCORS: BucketCORSRule?
    /// Where the storages were declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Label Studio at `url` (https, no path) and the storages every project gets. A fleet declares
    /// one Label Studio; `cloud/desired-state.json` has room for no second.
    ///
    /// ```swift
    /// LabelStudioStorages(url: "https://label.boathou.se", apiToken: Settings.labelStudioApiKey) {
    ///     uploads   // an S3Storage.import(...)
    /// }
    /// ```
    public init(
        url: String, apiToken: SecretSetting, bucketCORS: BucketCORSRule? = nil, file: String = #filePath,
        line: Int = #line, @ListBuilder<S3Storage> _ storages: () -> [S3Storage]
    ) {
        self.url = url
        self.bucketCORS = bucketCORS
        self.apiTokenKey = apiToken.key
        self.storages = storages()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// The CORS rule Label Studio's buckets need (S3's `CORSRule`,
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html): Label Studio's origin may
/// use `methods` with any header; `exclusive` makes the bucket's CORS the fleet's alone.
///
/// ```swift
/// BucketCORSRule(methods: ["GET", "PUT", "POST"])
/// ```
public struct BucketCORSRule: Hashable, Sendable {
    /// `AllowedMethod`s (GET, PUT, POST, DELETE, HEAD).
    public var methods: [String]
    /// `AllowedHeader`s (`*`: whatever a presigned PUT sends).
    public var headers: [String]
    /// `MaxAgeSeconds`: how long the browser caches a preflight answer.
    public var maxAgeSeconds: Int
    /// Whether rules the fleet does not declare are removed from the bucket.
    public var exclusive: Bool

    /// A rule for Label Studio's origin.
    public init(methods: [String], headers: [String] = ["*"], maxAgeSeconds: Int = 3000, exclusive: Bool = false) {
        self.methods = methods
        self.headers = headers
        self.maxAgeSeconds = maxAgeSeconds
        self.exclusive = exclusive
    }
}

/// One S3 storage template of Label Studio (fields as its S3 storage serializer names them).
///
/// `prefix` may hold `{project}` (the project's slug and id, `ner-data-123`) and
/// `{project_id}`; without either, `/<project-slug>-<id>/import/` (or `/export/`) is appended,
/// as the old provisioner did (`raw-uploads` → `raw-uploads/ner-data-123/import/`).
public struct S3Storage: Hashable, Sendable {
    /// Which way objects move: Label Studio's import (source) or export (target) storage API.
    public enum Direction: String, Hashable, Sendable {
        /// Source storage: tasks are imported from its objects.
        case `import`
        /// Target storage: annotations are written to it.
        case export
    }

    /// Whether Label Studio imports tasks from the bucket or exports annotations to it.
    public var direction: Direction
    /// Shown in Label Studio's project settings; the applier appends its ownership marker.
    public var title: String
    /// `bucket`: the S3 bucket name as S3 allows it (3–63 lower-case letters, digits, dots and
    /// hyphens, starting and ending with a letter or digit, not an IPv4 address).
    public var bucket: String
    /// `region_name`: the bucket's AWS region (`us-east-1`); may be empty only with an `endpoint`.
    public var region: String
    /// An S3-compatible endpoint (MinIO); empty for AWS.
    public var endpoint: String
    /// `prefix`: the key prefix inside the bucket, relative (no leading `/`); `{project}` and
    /// `{project_id}` are expanded per project, and no other `{...}` is allowed.
    public var prefix: String
    /// Import only: a regular expression object keys must match (empty: every object).
    public var regexFilter: String
    /// Import only: tasks reference objects through presigned URLs (`use_blob_urls`, `presign`).
    public var presignedURLs: Bool
    /// Import only: sync right after the storage is created, so tasks appear without a click.
    public var syncOnCreate: Bool
    /// ESC keys of the S3 credentials (write-only in Label Studio's API).
    public var accessKeyIdKey: String
    /// The ESC key of the S3 secret access key (`aws_secret_access_key`).
    public var secretAccessKeyKey: String
    /// Where the storage was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// An import (source) storage; presigned blob URLs and a sync after creation by default.
    public static func `import`(
        title: String, bucket: String, region: String, endpoint: String = "", prefix: String,
        regexFilter: String = "", presignedURLs: Bool = true, syncOnCreate: Bool = true,
        accessKeyId: SecretSetting, secretAccessKey: SecretSetting,
        file: String = #filePath, line: Int = #line
    ) -> S3Storage {
        S3Storage(
            direction: .import, title: title, bucket: bucket, region: region, endpoint: endpoint, prefix: prefix,
            regexFilter: regexFilter,
            presignedURLs: presignedURLs, syncOnCreate: syncOnCreate, accessKeyIdKey: accessKeyId.key,
            secretAccessKeyKey: secretAccessKey.key, location: SourceLocation(file: file, line: line))
    }

    /// An export (target) storage.
    public static func export(
        title: String, bucket: String, region: String, endpoint: String = "", prefix: String,
        accessKeyId: SecretSetting, secretAccessKey: SecretSetting,
        file: String = #filePath, line: Int = #line
    ) -> S3Storage {
        S3Storage(
            direction: .export, title: title, bucket: bucket, region: region, endpoint: endpoint, prefix: prefix,
            regexFilter: "",
            presignedURLs: false, syncOnCreate: false, accessKeyIdKey: accessKeyId.key,
            secretAccessKeyKey: secretAccessKey.key, location: SourceLocation(file: file, line: line))
    }
}

/// A Triton server's models that `oceanid-apply` keeps loaded through the model repository
/// extension (`POST /v2/repository/models/{name}/load`; the server runs with
/// `--model-control-mode=explicit`). Behind Cloudflare Access, the applier sends a service
/// token.
///
/// ```swift
/// ModelRepository(url: "https://gpu.boathou.se", models: ["ner-distilbert"])
/// ```
public struct ModelRepository: Hashable, Sendable {
    /// The server's HTTP base URL; a host in a declared zone must be routed.
    public var url: String
    /// Model names as in the repository (directory names).
    public var models: [String]
    /// Where the repository was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// The node whose folder the server reads the repository from (Triton under Docker with a
    /// host bind), when it is one; nil: the fleet does not say where the files are.
    public var node: String?
    /// The host folder on `node` holding the repository (`/opt/triton/models`): one folder per
    /// model, `<model>/<version>/model.onnx` and `config.pbtxt` (Triton's model repository layout).
    public var path: String?

    /// Models to keep loaded on the Triton server at `url` (https, no path; a host in a declared
    /// zone must be routed); at least one model, each named once.
    ///
    /// ```swift
    /// ModelRepository(url: "https://gpu.boathou.se", models: ["ner-distilbert", "docling-granite"])
    /// ```
    public init(url: String, models: [String], file: String = #filePath, line: Int = #line) {
        self.url = url
        self.models = models
        self.location = SourceLocation(file: file, line: line)
    }

    /// The same, read by the server from host folder `path` on `node`: a workload that publishes
    /// models there (`.publishesModels(to:)`) must run on that node with the folder mounted.
    ///
    /// ```swift
    /// ModelRepository(url: "https://gpu.boathou.se", models: ["ner-distilbert"], on: Nodes.calypso,
    ///                 path: "/opt/triton/models")
    /// ```
    public init(
        url: String, models: [String], on node: Node, path: String, file: String = #filePath, line: Int = #line
    ) {
        self.init(url: url, models: models, file: file, line: line)
        self.node = node.name
        self.path = path
    }
}

/// A workload's declaration that it writes model files into a `ModelRepository` (a training
/// run publishing a new version) and reloads them through the server's API.
public struct ModelPublication: Hashable, Sendable {
    /// The repository published to.
    public var repository: ModelRepository
    /// Where `.publishesModels(to:)` was written.
    public var location: SourceLocation
}

extension PodWorkload {
    /// Declares that the pods write model files into `repository` (checked: they must run on its
    /// node with its folder mounted writable, `[unreachable-model-repository]`).
    ///
    /// ```swift
    /// Job("training-template") { ... }.pinned(to: Nodes(s).calypso).publishesModels(to: Calypso(s).models)
    /// ```
    public func publishesModels(to repository: ModelRepository, file: String = #filePath, line: Int = #line)
        -> Self
    {
        var copy = self
        copy.pod.publishesModels = ModelPublication(
            repository: repository, location: SourceLocation(file: file, line: line))
        return copy
    }
}
