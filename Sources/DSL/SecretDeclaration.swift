/// A Kubernetes Secret the fleet uses, declared by reference only (emitted as an External
/// Secrets `external-secrets.io/v1` ExternalSecret, refreshed hourly).
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
    /// The name of the ExternalSecret and of the Secret it creates (`spec.target.name`).
    public var name: String
    /// Fetched key → ESC key.
    public var keys: [String: String]
    /// Secret key → template over the fetched keys (`{{ .url }}`); empty: the fetched keys as they are.
    public var template: [String: String] = [:]
    /// Where `.template(_:)` was written, for its diagnostics.
    public var templateLocation: SourceLocation?
    /// The ExternalSecret's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones (not on the Secret it creates).
    public var labels: [String: String] = [:]
    /// The ExternalSecret's `metadata.annotations`, from `.annotations(_:)`, written as declared (not
    /// on the Secret it creates).
    public var annotations: [String: String] = [:]
    /// Where the secret was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A secret whose keys name ESC keys as strings (the cluster's `PulumiESCStore` reads
    /// each as `pulumiConfig["<configNamespace>:<key>"]`). Prefer `init(_:from:)`, which
    /// takes declared `SecretSetting`s and cannot dangle.
    ///
    /// ```swift
    /// SecretDeclaration("tailscale-auth", keys: ["authkey": "tailscaleAuthKey"])
    /// ```
    public init(_ name: String, keys: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.keys = keys
        self.location = SourceLocation(file: file, line: line)
    }

    /// Derives the Secret's keys from the fetched ones with External Secrets' template engine
    /// (Go templates with Sprig functions, `urlParse` among them). Templates may read only
    /// the fetched keys; calling it twice merges the maps.
    ///
    /// ```swift
    /// AppSecrets.labelStudioDb.template(["POSTGRE_NAME": #"{{ (urlParse .url).path | trimPrefix "/" }}"#])
    /// ```
    public func template(_ template: [String: String], file: String = #filePath, line: Int = #line) -> SecretDeclaration
    {
        var copy = self
        copy.template.merge(template) { _, new in new }
        copy.templateLocation = SourceLocation(file: file, line: line)
        return copy
    }

    /// The keys of the Secret the cluster ends up with: what env and volumes may use.
    public var secretKeys: [String] { (template.isEmpty ? Array(keys.keys) : Array(template.keys)).sorted() }
}
