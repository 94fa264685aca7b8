import DSL

/// What `oceanid-apply` reconciles inside applications: Label Studio and its S3 storages,
/// Triton's model repositories (`ApplicationStateChecks`).
extension Diagnostic {
    // MARK: Label Studio

    /// The fleet reconciles one Label Studio; `first` is the one it keeps.
    static func secondLabelStudio(url: String, at loc: SourceLocation, first: SourceLocation?) -> Diagnostic {
        Diagnostic(
            .duplicateObject, "a second Label Studio (\(url)); the fleet reconciles one", at: loc,
            notes: [.init("the first is declared here", at: first)])
    }

    /// Presigned import storages on buckets whose CORS the fleet does not manage: the browser
    /// refuses the objects Label Studio's pages load from S3 (a cross-origin request).
    static func bucketCORSMissing(url: String, buckets: [String], at loc: SourceLocation, storage: SourceLocation?)
        -> Diagnostic
    {
        Diagnostic(
            .bucketCORSMissing,
            "Label Studio at \(url) serves tasks through presigned URLs from \(buckets.joined(separator: ", ")), "
                + "but no CORS rule admits its origin; declare "
                + "LabelStudioStorages(..., bucketCORS: BucketCORSRule(methods: [\"GET\", \"PUT\", \"POST\"]))",
            at: loc, notes: [.init("the presigned import storage is declared here", at: storage)], subject: url)
    }

    /// `method`: a method S3's CORS does not accept, or empty when none is listed.
    static func invalidBucketCORS(method: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidBucketCORS,
            method.isEmpty
                ? "the bucket CORS rule lists no method; S3 refuses a CORSRule without AllowedMethod"
                : "the bucket CORS rule allows method '\(method)', which S3 refuses (it takes GET, PUT, POST, "
                    + "DELETE and HEAD)",
            at: loc, subject: method)
    }

    /// `direction`: import or export.
    static func storageWithoutTitle(_ title: String, direction: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage, "Label Studio \(direction) storage needs a one-line title", at: loc,
            subject: title)
    }

    /// `storage`: how the messages name the storage ("Label Studio export storage 'x'").
    static func invalidBucket(_ bucket: String, storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage,
            "\(storage): '\(bucket)' is not an S3 bucket name (3–63 of a-z, 0-9, '.', '-')",
            at: loc, subject: bucket)
    }

    static func storageWithoutRegion(_ storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidLabelStudioStorage, "\(storage) names neither a region nor an S3 endpoint", at: loc)
    }

    static func invalidStorageEndpoint(_ endpoint: String, storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage, "\(storage): endpoint '\(endpoint)' is not an http(s) URL", at: loc,
            subject: endpoint)
    }

    static func absoluteStoragePrefix(_ prefix: String, storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage, "\(storage): prefix '\(prefix)' starts with '/', but S3 keys do not", at: loc,
            subject: prefix)
    }

    static func storagePrefixControlCharacters(_ storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidLabelStudioStorage, "\(storage): prefix has control characters", at: loc)
    }

    static func unknownPrefixPlaceholder(
        _ placeholder: String, prefix: String, storage: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage,
            "\(storage): prefix placeholder '\(placeholder)' is not {project} or {project_id}",
            at: loc, subject: prefix)
    }

    static func unbalancedStoragePrefix(_ prefix: String, storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage, "\(storage): prefix '\(prefix)' has unbalanced braces", at: loc, subject: prefix
        )
    }

    static func invalidRegexFilter(_ filter: String, storage: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidLabelStudioStorage, "\(storage): regexFilter '\(filter)' is not a regular expression", at: loc,
            subject: filter)
    }

    // MARK: Triton

    static func emptyModelRepository(url: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.emptyModelRepository, "model repository \(url) names no model to load", at: loc)
    }

    static func invalidModelName(_ model: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidModelName,
            "Triton model name '\(model)' is not a repository directory name (letters, digits, '_', '-', '.')",
            at: loc, subject: model)
    }

    // MARK: Server URLs

    /// `what`: the application ("Label Studio", "model repository").
    static func notAnApplicationURL(_ url: String, what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidApplicationURL, "\(what) URL '\(url)' is not a URL (https://host)", at: loc, subject: url)
    }

    static func insecureApplicationURL(_ url: String, what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidApplicationURL, "\(what) URL '\(url)' must use https: tokens travel with every request",
            at: loc, subject: url)
    }

    static func applicationURLWithPath(_ url: String, what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidApplicationURL, "\(what) URL '\(url)' has a path; give the server's base URL", at: loc, subject: url
        )
    }

    /// A declared model the Triton server it is routed to does not load at start (explicit
    /// model control loads only the `--load-model` names).
    static func modelNotLoadedAtStart(
        _ model: String, server: String, at loc: SourceLocation, serverAt: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .modelNotLoadedAtStart,
            "model '\(model)' is not loaded when '\(server)' starts: in --model-control-mode=explicit Triton loads only "
                + "the --load-model names; add --load-model=\(model) to its command",
            at: loc, notes: [.init("the server is declared here", at: serverAt)], subject: model)
    }

    /// A Triton server that exits when one model fails to load at start (its default).
    static func modelServerExitsOnLoadError(server: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .modelServerExitsOnLoadError,
            "'\(server)' exits when one model fails to load at start (Triton's --exit-on-error defaults to true), "
                + "taking every other model down with it and restarting in a loop; add --exit-on-error=false",
            at: loc)
    }

    /// A Triton server kept up past a failed model that still reports itself not ready.
    static func modelServerNotReadyWhileOneFails(server: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .modelServerNotReadyWhileOneFails,
            "'\(server)' stays up when a model fails to load but reports not ready until every model loads "
                + "(--strict-readiness defaults to true), so oceanid-apply, which loads models into a ready server, "
                + "can never load the missing one; add --strict-readiness=false",
            at: loc)
    }

    /// A workload that publishes models to a repository whose files it cannot write
    /// (`ModelRepositoryChecks`); `problem` says why, `fix` what to declare.
    static func unreachableModelRepository(
        workload: String, url: String, problem: String, fix: String, repositoryAt: SourceLocation,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unreachableModelRepository,
            "\(workload) publishes models to the repository of \(url), but \(problem): the files it writes never "
                + "reach the folder the server loads from, so a reload serves the old model; \(fix)",
            at: loc, notes: [.init("the repository is declared here", at: repositoryAt)], subject: url)
    }

    /// An error, not the code's default warning: `oceanid-apply` itself would call the URL.
    static func unroutedApplicationURL(_ url: String, host: String, what: String, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(
            .unroutedHostname,
            "\(what) URL '\(url)' names '\(host)', which no tunnel routes and no DNS record declares",
            severity: .error, at: loc, subject: host)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    static let application: [DiagnosticDoc] = [
        .init(
            "Label Studio imports tasks through presigned S3 URLs, but the fleet declares no CORS rule for its origin "
                + "on the bucket: the browser refuses the cross-origin objects.",
            fix: "Pass `bucketCORS: BucketCORSRule(methods: [\"GET\", \"PUT\", \"POST\"])` to `LabelStudioStorages`; "
                + "`oceanid-apply` then keeps the rule on the bucket.",
            example: .bucketCORSMissing(
                url: "https://label.example.com", buckets: ["uploads"], at: at, storage: other)),
        .init(
            "A bucket CORS rule S3 would refuse: no method, or one outside GET, PUT, POST, DELETE and HEAD "
                + "(https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html).",
            fix: "List the methods Label Studio's pages use, from GET, PUT, POST, DELETE and HEAD.",
            example: .invalidBucketCORS(method: "PATCH", at: at)),
        .init(
            "A workload declared to publish models (`.publishesModels(to:)`) cannot write into the repository's "
                + "folder: the repository declares no node and folder, the pods are not pinned to that node, or no "
                + "container mounts the folder (a `hostPath` at or above it) writable.",
            fix: "Declare `ModelRepository(url:models:on:path:)`, pin the workload to its node and mount the folder "
                + "writable.",
            example: .unreachableModelRepository(
                workload: "Job 'train'", url: "https://gpu.example.com",
                problem: "no container mounts /opt/triton/models",
                fix: "mount Volume.hostPath(\"models\", path: \"/opt/triton/models\", type: \"Directory\")",
                repositoryAt: other, at: at)),
        .init(
            "A Triton model repository names no model to load.",
            fix: "List the models the server should load.",
            example: .emptyModelRepository(url: "https://model.example.com", at: at)),
        .init(
            "A Label Studio or Triton server URL is not an https URL of the server itself.",
            fix: "Give the server's base URL with https (http only on the loopback), without a path.",
            example: .insecureApplicationURL("http://labels.example.com", what: "Label Studio", at: at)),
        .init(
            "A Label Studio S3 storage Label Studio would refuse or misread: its title, bucket, region, endpoint, "
                + "prefix or regexFilter.",
            fix: "Give a one-line title, an S3 bucket name, a region or endpoint, and a relative prefix "
                + "with only {project} or {project_id}.",
            example: .invalidBucket("My_Bucket", storage: "Label Studio export storage 'exports'", at: at)),
        .init(
            "A Triton model name is not a model repository directory name.",
            fix: "Use letters, digits, '_', '-' and '.' only.",
            example: .invalidModelName("fish/detector", at: at)),
        .init(
            "A declared model is not loaded when its Triton server starts in explicit model control mode.",
            fix: "Add --load-model=<model> for each declared model (or --load-model=*) to the server's command.",
            example: .modelNotLoadedAtStart("pdf-extractor", server: "tritonserver", at: at, serverAt: other)),
        .init(
            "A Triton server stops when one model fails to load at start, taking the others down.",
            fix: "Add --exit-on-error=false to the server's command.",
            example: .modelServerExitsOnLoadError(server: "tritonserver", at: at)),
        .init(
            "A Triton server kept up past a failed model still reports not ready, so no model can be loaded into it.",
            fix: "Add --strict-readiness=false to the server's command.",
            example: .modelServerNotReadyWhileOneFails(server: "tritonserver", at: at)),
    ]
}
