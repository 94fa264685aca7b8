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
    /// The sources allowed to connect; at least one, each address once. Rules on the network that
    /// no source declares are removed by `oceanid-apply`.
    public var sources: [FirewallSource]
    /// The host name clients connect to (the server's certificate names it), port 5432; nil
    /// when the fleet does not say. The data-path check reads it for database URLs it knows
    /// only by their ESC key.
    public var host: String?
    /// Where the firewall was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The firewall of CrunchyBridge network `network`, admitting exactly these sources.
    ///
    /// ```swift
    /// DatabaseFirewall(network: s[Settings.crunchyBridgeNetworkId], apiKey: Settings.crunchyBridgeApiKey) {
    ///     FirewallSource(Nodes.srv712429, description: "srv712429-oceanid egress gateway")
    /// }
    /// ```
    public init(
        network: String, apiKey: SecretSetting, host: String? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<FirewallSource> _ sources: () -> [FirewallSource]
    ) {
        self.network = network
        self.apiKeyKey = apiKey.key
        self.host = host
        self.sources = sources()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// One allowed source: a node's public IPv4 address as a /32, with a description.
public struct FirewallSource: Hashable, Sendable {
    /// The name of the node whose egress is admitted; it must be a node of a declared cluster.
    public var node: String
    /// The node's public IPv4 address, copied from `Node(publicIP:)`; the rule becomes `<ip>/32`.
    /// Nil (the node declares none) is an error: the source admits nothing.
    public var publicIP: String?
    /// The rule's description in CrunchyBridge: one non-empty line without control characters.
    public var description: String
    /// Where the source was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The node's public IP as a /32 rule, described for whoever reads the firewall in the console.
    ///
    /// ```swift
    /// FirewallSource(Nodes.calypso, description: "calypso GPU workstation")
    /// ```
    public init(_ node: Node, description: String, file: String = #filePath, line: Int = #line) {
        self.node = node.name
        self.publicIP = node.publicIP
        self.description = description
        self.location = SourceLocation(file: file, line: line)
    }
}
