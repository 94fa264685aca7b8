import CloudState
import DSL
import Foundation

/// Checks of what the applier reconciles inside applications: Label Studio's S3 storages
/// and Triton's models. Each problem would otherwise surface only when `oceanid-apply` runs
/// (a 400 from Label Studio, a 404 from the edge), so it is reported at the declaration.
enum ApplicationStateChecks {
    static func run(_ index: EdgeIndex) -> [Diagnostic] {
        let fleet = index.fleet
        var out: [Diagnostic] = []
        // cloud/desired-state.json holds one Label Studio: a second would be dropped silently.
        for case .labelStudio(let extra) in fleet.repeated {
            out.append(.secondLabelStudio(url: extra.url, at: extra.location, first: fleet.labelStudio?.location))
        }
        let repeated = fleet.repeated.compactMap { item -> LabelStudioStorages? in
            if case .labelStudio(let l) = item { l } else { nil }
        }
        for labelStudio in [fleet.labelStudio].compactMap({ $0 }) + repeated {
            out += urlProblems(labelStudio.url, what: "Label Studio", at: labelStudio.location, index: index)
            for storage in labelStudio.storages { out += storageProblems(storage) }
            out += corsProblems(labelStudio)
            out += Diagnostic.duplicates(
                .duplicateObject, "Label Studio storage", in: labelStudio.storages,
                name: { "\($0.direction.rawValue) s3://\($0.bucket)/\($0.prefix)" }, location: \.location)
        }
        out += Diagnostic.duplicates(
            .duplicateObject, "model repository", in: fleet.modelRepositories, name: \.url, location: \.location)
        for repository in fleet.modelRepositories {
            out += urlProblems(repository.url, what: "model repository", at: repository.location, index: index)
            if repository.models.isEmpty {
                out.append(.emptyModelRepository(url: repository.url, at: repository.location))
            }
            for model in repository.models where !ModelEndpoint.isModelName(model) {
                out.append(.invalidModelName(model, at: repository.location))
            }
            out += Diagnostic.duplicates(
                .duplicateObject, "model", in: repository.models.map { (name: $0, location: repository.location) },
                name: \.name, location: \.location)
            out += TritonStartup.problems(repository, index: index)
        }
        return out
    }

    /// S3's CORSRule (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html): at
    /// least one AllowedMethod, each one of GET, PUT, POST, DELETE, HEAD. Presigned import
    /// storages without a rule are a warning: the browser loads their objects cross-origin
    /// (seed 003: "configure bucket CORS ... so presigned URLs load correctly from the browser").
    static func corsProblems(_ labelStudio: LabelStudioStorages) -> [Diagnostic] {
        guard let rule = labelStudio.bucketCORS else {
            let presigned = labelStudio.storages.filter { $0.direction == .import && $0.presignedURLs }
            var seen: Set<String> = []
            let buckets = presigned.map(\.bucket).filter { seen.insert($0).inserted }
            guard !buckets.isEmpty else { return [] }
            return [
                .bucketCORSMissing(
                    url: labelStudio.url, buckets: buckets, at: labelStudio.location, storage: presigned.first?.location
                )
            ]
        }
        let allowed: Set<String> = ["GET", "PUT", "POST", "DELETE", "HEAD"]
        if rule.methods.isEmpty { return [.invalidBucketCORS(method: "", at: labelStudio.location)] }
        return rule.methods.filter { !allowed.contains($0) }.map {
            .invalidBucketCORS(method: $0, at: labelStudio.location)
        }
    }

    /// An https URL without a path; a host inside a declared zone must be routed by a tunnel
    /// or have a record, or every request would fail at the edge.
    static func urlProblems(_ url: String, what: String, at location: SourceLocation, index: EdgeIndex) -> [Diagnostic]
    {
        guard let parsed = EdgeIndex.ServiceURL(url), !parsed.host.isEmpty else {
            return [.notAnApplicationURL(url, what: what, at: location)]
        }
        var out: [Diagnostic] = []
        if parsed.scheme != "https" && !(parsed.scheme == "http" && parsed.isLoopback) {
            out.append(.insecureApplicationURL(url, what: what, at: location))
        }
        if !(parsed.path.isEmpty || parsed.path == "/") {
            out.append(.applicationURLWithPath(url, what: what, at: location))
        }
        let zones = index.fleet.cloudflare.map { Hostnames.normalized($0.zone) }
        if zones.contains(where: { Hostnames.inside(parsed.host, zone: $0) }),
            !EdgeChecks.servedHostnames(index)(parsed.host)
        {
            out.append(.unroutedApplicationURL(url, host: parsed.host, what: what, at: location))
        }
        return out
    }

    /// Bucket names as S3 allows them (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
    /// 3–63 characters of lower-case letters, digits, dots and hyphens, starting and ending
    /// with a letter or digit, no two adjacent dots, not an IPv4 address.
    static func isBucketName(_ name: String) -> Bool {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }
        guard (3...63).contains(name.count), allowed, let first = name.first, let last = name.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber, !name.contains("..")
        else { return false }
        return CIDR.ipv4(name) == nil
    }

    static let placeholders: Set<String> = ["{project}", "{project_id}"]

    static func storageProblems(_ storage: S3Storage) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let what = "Label Studio \(storage.direction.rawValue) storage '\(storage.title)'"
        if storage.title.isEmpty || EdgeChecks.controlCharacterProblem(storage.title) != nil {
            out.append(.storageWithoutTitle(storage.title, direction: storage.direction.rawValue, at: storage.location))
        }
        if !isBucketName(storage.bucket) {
            out.append(.invalidBucket(storage.bucket, storage: what, at: storage.location))
        }
        if storage.region.isEmpty && storage.endpoint.isEmpty {
            out.append(.storageWithoutRegion(what, at: storage.location))
        }
        if !storage.endpoint.isEmpty,
            EdgeIndex.ServiceURL(storage.endpoint).map({ ["http", "https"].contains($0.scheme) && !$0.host.isEmpty })
                != true
        {
            out.append(.invalidStorageEndpoint(storage.endpoint, storage: what, at: storage.location))
        }
        if storage.prefix.hasPrefix("/") {
            out.append(.absoluteStoragePrefix(storage.prefix, storage: what, at: storage.location))
        }
        if EdgeChecks.controlCharacterProblem(storage.prefix) != nil {
            out.append(.storagePrefixControlCharacters(what, at: storage.location))
        }
        // Only the two documented placeholders; a typo like {projectid} would land in S3 verbatim.
        for match in storage.prefix.matches(of: #/\{[^{}]*\}/#) where !placeholders.contains(String(match.0)) {
            out.append(
                .unknownPrefixPlaceholder(
                    String(match.0), prefix: storage.prefix, storage: what,
                    at: storage.location))
        }
        if storage.prefix.filter({ $0 == "}" }).count != storage.prefix.filter({ $0 == "{" }).count {
            out.append(.unbalancedStoragePrefix(storage.prefix, storage: what, at: storage.location))
        }
        if !storage.regexFilter.isEmpty, (try? NSRegularExpression(pattern: storage.regexFilter)) == nil {
            out.append(.invalidRegexFilter(storage.regexFilter, storage: what, at: storage.location))
        }
        return out
    }
}
