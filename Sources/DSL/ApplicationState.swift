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
    public var storages: [S3Storage]
    public var location: SourceLocation

    public init(
        url: String, apiToken: SecretSetting, file: String = #filePath, line: Int = #line,
        @ListBuilder<S3Storage> _ storages: () -> [S3Storage]
    ) {
        self.url = url
        self.apiTokenKey = apiToken.key
        self.storages = storages()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// One S3 storage template of Label Studio (fields as its S3 storage serializer names them).
///
/// `prefix` may hold `{project}` (the project's slug and id, `ner-data-123`) and
/// `{project_id}`; without either, `/<project-slug>-<id>/import/` (or `/export/`) is appended,
/// as the old provisioner did (`raw-uploads` → `raw-uploads/ner-data-123/import/`).
public struct S3Storage: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable {
        /// Source storage: tasks are imported from its objects.
        case `import`
        /// Target storage: annotations are written to it.
        case export
    }

    public var direction: Direction
    /// Shown in Label Studio's project settings; the applier appends its ownership marker.
    public var title: String
    public var bucket: String
    public var region: String
    /// An S3-compatible endpoint (MinIO); empty for AWS.
    public var endpoint: String
    public var prefix: String
    /// Import only: a regular expression object keys must match (empty: every object).
    public var regexFilter: String
    /// Import only: tasks reference objects through presigned URLs (`use_blob_urls`, `presign`).
    public var presignedURLs: Bool
    /// Import only: sync right after the storage is created, so tasks appear without a click.
    public var syncOnCreate: Bool
    /// ESC keys of the S3 credentials (write-only in Label Studio's API).
    public var accessKeyIdKey: String
    public var secretAccessKeyKey: String
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
    public var location: SourceLocation

    public init(url: String, models: [String], file: String = #filePath, line: Int = #line) {
        self.url = url
        self.models = models
        self.location = SourceLocation(file: file, line: line)
    }
}
