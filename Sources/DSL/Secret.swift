/// A Kubernetes Secret the fleet uses, declared by reference only.
///
/// Each key names the ESC key it is filled from (`default/oceanid-cluster` in Pulumi ESC);
/// the value never appears in the fleet or its output. The secret reaches the cluster as an
/// ExternalSecret, and env entries may use only the keys declared here.
///
/// ```swift
/// SecretDeclaration("cloudflared-token", keys: ["token": "cloudflareTunnelToken"])
/// ```
///
/// With a `template`, the Secret's keys are the template's instead (External Secrets
/// `spec.target.template`, engine v2, merge policy `Replace`): each is a Go template over the
/// fetched keys, so values derived from a secret (a URL's user, password, database) never
/// leave the cluster's Secrets:
///
/// ```swift
/// SecretDeclaration("label-studio-db", from: ["url": Settings.labelStudioDbUrl])
///     .template(["POSTGRE_USER": #"{{ (urlParse .url).userinfo | splitList ":" | first }}"#])
/// ```
public struct SecretDeclaration: ObjectMetadata, Hashable {
    public var name: String
    /// Fetched key → ESC key.
    public var keys: [String: String]
    /// Secret key → template over the fetched keys (`{{ .url }}`); empty: the fetched keys as they are.
    public var template: [String: String] = [:]
    public var templateLocation: SourceLocation?
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var location: SourceLocation

    public init(_ name: String, keys: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.keys = keys
        self.location = SourceLocation(file: file, line: line)
    }

    /// Derives the Secret's keys from the fetched ones with External Secrets' template engine
    /// (Go templates with Sprig functions, `urlParse` among them).
    public func template(_ template: [String: String], file: String = #filePath, line: Int = #line) -> SecretDeclaration {
        var copy = self
        copy.template.merge(template) { _, new in new }
        copy.templateLocation = SourceLocation(file: file, line: line)
        return copy
    }

    /// The keys of the Secret the cluster ends up with: what env and volumes may use.
    public var secretKeys: [String] { (template.isEmpty ? Array(keys.keys) : Array(template.keys)).sorted() }
}
