/// The CrunchyBridge network firewall in front of the fleet's databases: exactly these
/// sources may connect, each derived from a node's public IP (the egress host's), so the
/// address is written once. The fleet has exclusive control: any other rule is removed.
///
/// ```swift
/// DatabaseFirewall(network: s[Settings.crunchyBridgeNetworkId], apiKey: Settings.crunchyBridgeApiKey) {
///     FirewallSource(Nodes.srv712429, description: "srv712429-oceanid egress gateway")
/// }
/// ```
public struct DatabaseFirewall: Hashable, Sendable {
    /// The CrunchyBridge network's ID (`ooer7tenangenjelkxbkgz6sdi`).
    public var network: String
    /// The ESC key of the API key the applier uses (a `SecretSetting`'s key).
    public var apiKeyKey: String
    public var sources: [FirewallSource]
    public var location: SourceLocation

    public init(
        network: String, apiKey: SecretSetting, file: String = #filePath, line: Int = #line,
        @ListBuilder<FirewallSource> _ sources: () -> [FirewallSource]
    ) {
        self.network = network
        self.apiKeyKey = apiKey.key
        self.sources = sources()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// One allowed source: a node's public IPv4 address as a /32, with a description.
public struct FirewallSource: Hashable, Sendable {
    public var node: String
    public var publicIP: String?
    public var description: String
    public var location: SourceLocation

    public init(_ node: Node, description: String, file: String = #filePath, line: Int = #line) {
        self.node = node.name
        self.publicIP = node.publicIP
        self.description = description
        self.location = SourceLocation(file: file, line: line)
    }
}
