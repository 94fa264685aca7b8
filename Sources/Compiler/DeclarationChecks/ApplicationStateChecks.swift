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
            out.append(Diagnostic(.duplicateObject, "a second Label Studio (\(extra.url)); the fleet reconciles one", at: extra.location,
                                  notes: [.init("the first is declared here", at: fleet.labelStudio?.location)]))
        }
        let repeated = fleet.repeated.compactMap { item -> LabelStudioStorages? in
            if case .labelStudio(let l) = item { l } else { nil }
        }
        for labelStudio in [fleet.labelStudio].compactMap({ $0 }) + repeated {
            out += urlProblems(labelStudio.url, what: "Label Studio", at: labelStudio.location, index: index)
            for storage in labelStudio.storages { out += storageProblems(storage) }
            out += Diagnostic.duplicates(.duplicateObject, "Label Studio storage", in: labelStudio.storages,
                                         name: { "\($0.direction.rawValue) s3://\($0.bucket)/\($0.prefix)" }, location: \.location)
        }
        out += Diagnostic.duplicates(.duplicateObject, "model repository", in: fleet.modelRepositories, name: \.url, location: \.location)
        for repository in fleet.modelRepositories {
            out += urlProblems(repository.url, what: "model repository", at: repository.location, index: index)
            if repository.models.isEmpty {
                out.append(Diagnostic(.invalidValue, "model repository \(repository.url) names no model to load", at: repository.location))
            }
            for model in repository.models where !ModelEndpoint.isModelName(model) {
                out.append(Diagnostic(.invalidValue, "Triton model name '\(model)' is not a repository directory name (letters, digits, '_', '-', '.')",
                                      at: repository.location, subject: model))
            }
            out += Diagnostic.duplicates(.duplicateObject, "model", in: repository.models.map { (name: $0, location: repository.location) },
                                         name: \.name, location: \.location)
        }
        return out
    }

    /// An https URL without a path; a host inside a declared zone must be routed by a tunnel
    /// or have a record, or every request would fail at the edge.
    static func urlProblems(_ url: String, what: String, at location: SourceLocation, index: EdgeIndex) -> [Diagnostic] {
        guard let parsed = EdgeIndex.ServiceURL(url), !parsed.host.isEmpty else {
            return [Diagnostic(.invalidValue, "\(what) URL '\(url)' is not a URL (https://host)", at: location, subject: url)]
        }
        var out: [Diagnostic] = []
        if parsed.scheme != "https" && !(parsed.scheme == "http" && parsed.isLoopback) {
            out.append(Diagnostic(.invalidValue, "\(what) URL '\(url)' must use https: tokens travel with every request", at: location, subject: url))
        }
        if !(parsed.path.isEmpty || parsed.path == "/") {
            out.append(Diagnostic(.invalidValue, "\(what) URL '\(url)' has a path; give the server's base URL", at: location, subject: url))
        }
        let zones = index.fleet.cloudflare.map { Hostnames.normalized($0.zone) }
        if zones.contains(where: { Hostnames.inside(parsed.host, zone: $0) }), !EdgeChecks.servedHostnames(index)(parsed.host) {
            out.append(Diagnostic(.unroutedHostname, "\(what) URL '\(url)' names '\(parsed.host)', which no tunnel routes and no DNS record declares",
                                  at: location, subject: parsed.host))
        }
        return out
    }

    /// Bucket names as S3 allows them (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
    /// 3–63 characters of lower-case letters, digits, dots and hyphens, starting and ending
    /// with a letter or digit, no two adjacent dots, not an IPv4 address.
    static func isBucketName(_ name: String) -> Bool {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        guard (3...63).contains(name.count), allowed, let first = name.first, let last = name.last,
              first.isLetter || first.isNumber, last.isLetter || last.isNumber, !name.contains("..") else { return false }
        return CIDR.ipv4(name) == nil
    }

    static let placeholders: Set<String> = ["{project}", "{project_id}"]

    static func storageProblems(_ storage: S3Storage) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let what = "Label Studio \(storage.direction.rawValue) storage '\(storage.title)'"
        if storage.title.isEmpty || EdgeChecks.controlCharacterProblem(storage.title) != nil {
            out.append(Diagnostic(.invalidValue, "Label Studio \(storage.direction.rawValue) storage needs a one-line title", at: storage.location,
                                  subject: storage.title))
        }
        if !isBucketName(storage.bucket) {
            out.append(Diagnostic(.invalidValue, "\(what): '\(storage.bucket)' is not an S3 bucket name (3–63 of a-z, 0-9, '.', '-')",
                                  at: storage.location, subject: storage.bucket))
        }
        if storage.region.isEmpty && storage.endpoint.isEmpty {
            out.append(Diagnostic(.invalidValue, "\(what) names neither a region nor an S3 endpoint", at: storage.location))
        }
        if !storage.endpoint.isEmpty, EdgeIndex.ServiceURL(storage.endpoint).map({ ["http", "https"].contains($0.scheme) && !$0.host.isEmpty }) != true {
            out.append(Diagnostic(.invalidValue, "\(what): endpoint '\(storage.endpoint)' is not an http(s) URL", at: storage.location, subject: storage.endpoint))
        }
        if storage.prefix.hasPrefix("/") {
            out.append(Diagnostic(.invalidValue, "\(what): prefix '\(storage.prefix)' starts with '/', but S3 keys do not", at: storage.location,
                                  subject: storage.prefix))
        }
        if EdgeChecks.controlCharacterProblem(storage.prefix) != nil {
            out.append(Diagnostic(.invalidValue, "\(what): prefix has control characters", at: storage.location))
        }
        // Only the two documented placeholders; a typo like {projectid} would land in S3 verbatim.
        for match in storage.prefix.matches(of: #/\{[^{}]*\}/#) where !placeholders.contains(String(match.0)) {
            out.append(Diagnostic(.invalidValue, "\(what): prefix placeholder '\(match.0)' is not {project} or {project_id}",
                                  at: storage.location, subject: storage.prefix))
        }
        if storage.prefix.filter({ $0 == "}" }).count != storage.prefix.filter({ $0 == "{" }).count {
            out.append(Diagnostic(.invalidValue, "\(what): prefix '\(storage.prefix)' has unbalanced braces", at: storage.location, subject: storage.prefix))
        }
        if !storage.regexFilter.isEmpty, (try? NSRegularExpression(pattern: storage.regexFilter)) == nil {
            out.append(Diagnostic(.invalidValue, "\(what): regexFilter '\(storage.regexFilter)' is not a regular expression",
                                  at: storage.location, subject: storage.regexFilter))
        }
        return out
    }
}
