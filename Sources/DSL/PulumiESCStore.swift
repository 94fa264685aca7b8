/// The cluster's one source of secrets: a ClusterSecretStore (`external-secrets.io/v1`,
/// provider `pulumi`) of the External Secrets Operator reading Pulumi ESC. Every
/// `SecretDeclaration` becomes an ExternalSecret that reads from it by key path, never by value.
///
/// ```swift
/// PulumiESCStore(organization: "ryan-taylor", project: "default", environment: "oceanid-cluster",
///                configNamespace: "oceanid-cluster",
///                token: .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"))
/// ```
public struct PulumiESCStore: Hashable, Sendable {
    /// Where the bootstrap puts the Pulumi access token (the one secret created by hand);
    /// the store's `auth.accessToken.secretRef`.
    ///
    /// ```swift
    /// .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN")
    /// ```
    public struct TokenSecret: Hashable, Sendable {
        /// The Secret's namespace, a DNS-1123 label.
        public var namespace: String
        /// The Secret's name, a DNS-1123 subdomain.
        public var name: String
        /// The key holding the token.
        public var key: String
        /// Names the Secret and key holding the Pulumi access token.
        ///
        /// ```swift
        /// PulumiESCStore.TokenSecret(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN")
        /// ```
        public init(namespace: String, name: String, key: String) {
            self.namespace = namespace
            self.name = name
            self.key = key
        }
    }

    /// The ClusterSecretStore's name; ExternalSecrets refer to it (`secretStoreRef`).
    public var name: String
    /// The Pulumi organization owning the environment (`provider.pulumi.organization`).
    public var organization: String
    /// The ESC project (`provider.pulumi.project`).
    public var project: String
    /// The ESC environment holding the secrets (`provider.pulumi.environment`).
    public var environment: String
    /// ESC keys live under `pulumiConfig["<configNamespace>:<key>"]`, as the old stack's did.
    public var configNamespace: String
    /// Where the Pulumi access token is.
    public var token: TokenSecret
    /// The Flux layer it is applied in: after the layer that installs the operator's CRDs.
    public var layer: String?
    /// Where the store was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The store's name unless given; ExternalSecrets of a cluster without a store name it,
    /// and the compiler reports the missing store.
    public static let defaultName = "pulumi-esc"

    /// Declares the store; `layer` defaults to the cluster's first Flux layer. The token
    /// Secret is created once by the bootstrap, never by Flux.
    ///
    /// ```swift
    /// PulumiESCStore(organization: s[Settings.pulumiOrganization], project: s[Settings.escProject],
    ///                environment: s[Settings.escEnvironment], configNamespace: "oceanid-cluster",
    ///                token: .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"),
    ///                layer: Layers.secrets)
    /// ```
    public init(
        name: String = PulumiESCStore.defaultName, organization: String, project: String, environment: String,
        configNamespace: String, token: TokenSecret, layer: (any LayerNaming)? = nil, file: String = #filePath,
        line: Int = #line
    ) {
        self.layer = layer?.layerName
        self.name = name
        self.organization = organization
        self.project = project
        self.environment = environment
        self.configNamespace = configNamespace
        self.token = token
        self.location = SourceLocation(file: file, line: line)
    }

    /// The Pulumi path of an ESC key (bracket syntax: keys contain ':' and '.'), as an
    /// ExternalSecret's `remoteRef.key`.
    ///
    /// ```swift
    /// store.remoteKey("hfAccessToken")   // pulumiConfig["oceanid-cluster:hfAccessToken"]
    /// ```
    public func remoteKey(_ escKey: String) -> String {
        "pulumiConfig[\"\(configNamespace):\(escKey)\"]"
    }
}

extension ListBuilder where Element == ClusterItem {
    /// A `PulumiESCStore` in a `Cluster` body.
    public static func buildExpression(_ store: PulumiESCStore) -> [ClusterItem] { [.secretStore(store)] }
}

extension SecretDeclaration {
    /// A secret whose keys are filled from declared secret settings (typed: cannot dangle).
    /// Each entry is Secret key → the `SecretSetting` naming its ESC key.
    ///
    /// ```swift
    /// let token = SecretDeclaration("cloudflared-token", from: ["token": Settings.cloudflareTunnelToken])
    /// ```
    public init(_ name: String, from keys: [String: SecretSetting], file: String = #filePath, line: Int = #line) {
        self.init(name, keys: keys.mapValues(\.key), file: file, line: line)
    }
}
