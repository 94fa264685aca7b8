/// The cluster's one source of secrets: a ClusterSecretStore of the External Secrets
/// Operator reading Pulumi ESC. Every `SecretDeclaration` becomes an ExternalSecret that
/// reads from it by key path, never by value.
///
/// ```swift
/// PulumiESCStore(organization: "ryan-taylor", project: "default", environment: "oceanid-cluster",
///                configNamespace: "oceanid-cluster",
///                token: .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"))
/// ```
public struct PulumiESCStore: Hashable, Sendable {
    /// Where the bootstrap puts the Pulumi access token (the one secret created by hand).
    public struct TokenSecret: Hashable, Sendable {
        public var namespace: String
        public var name: String
        public var key: String
        public init(namespace: String, name: String, key: String) {
            self.namespace = namespace
            self.name = name
            self.key = key
        }
    }

    public var name: String
    public var organization: String
    public var project: String
    public var environment: String
    /// ESC keys live under `pulumiConfig["<configNamespace>:<key>"]`, as the old stack's did.
    public var configNamespace: String
    public var token: TokenSecret
    /// The Flux layer it is applied in: after the layer that installs the operator's CRDs.
    public var layer: String?
    public var location: SourceLocation

    /// The store's name unless given; ExternalSecrets of a cluster without a store name it,
    /// and the compiler reports the missing store.
    public static let defaultName = "pulumi-esc"

    public init(name: String = PulumiESCStore.defaultName, organization: String, project: String, environment: String,
                configNamespace: String, token: TokenSecret, layer: String? = nil, file: String = #filePath, line: Int = #line) {
        self.layer = layer
        self.name = name
        self.organization = organization
        self.project = project
        self.environment = environment
        self.configNamespace = configNamespace
        self.token = token
        self.location = SourceLocation(file: file, line: line)
    }

    /// The Pulumi path of an ESC key (bracket syntax: keys contain ':' and '.').
    public func remoteKey(_ escKey: String) -> String {
        "pulumiConfig[\"\(configNamespace):\(escKey)\"]"
    }
}

extension ListBuilder where Element == ClusterItem {
    public static func buildExpression(_ store: PulumiESCStore) -> [ClusterItem] { [.secretStore(store)] }
}

extension SecretDeclaration {
    /// A secret whose keys are filled from declared secret settings (typed: cannot dangle).
    public init(_ name: String, from keys: [String: SecretSetting], file: String = #filePath, line: Int = #line) {
        self.init(name, keys: keys.mapValues(\.key), file: file, line: line)
    }
}
