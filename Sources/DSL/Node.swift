/// A machine of the cluster. Workloads pin to nodes by these names, and the compiler
/// rejects a pin to a node the fleet does not declare.
///
/// ```swift
/// public static let srv712429 = Node("srv712429", role: .agent, publicIP: "157.173.210.123")
/// Deployment("egress-gateway") { ... }.pinned(to: Nodes.srv712429)
/// ```
public struct Node: Hashable, Sendable {
    /// The node's K3s role.
    ///
    /// ```swift
    /// Node("tethys", role: .server)
    /// ```
    public enum Role: String, Hashable, Sendable, Codable {
        /// A K3s server (control plane).
        case server
        /// A K3s agent (worker).
        case agent
    }

    /// The Kubernetes node name (`kubernetes.io/hostname`), a DNS-1123 subdomain.
    public var name: String
    /// Whether the node is a K3s server or agent.
    public var role: Role
    /// The node's Kubernetes labels as the fleet knows them (`oceanid.dev/gpu: rtx-4090`).
    public var labels: [String: String]
    /// The public IPv4 address, when the node has one the fleet relies on (egress).
    public var publicIP: String?
    /// GPUs the node offers (`nvidia.com/gpu`), 0 when none.
    public var gpus: Int
    /// The address K3s registers the node under (its `InternalIP`: `--node-ip`, by default the
    /// address of the interface of its default route), when the fleet relies on it. On a server
    /// the API server listens there on `apiServerPort`, and it is the `kubernetes` Service's
    /// endpoint (`kubectl get endpoints kubernetes`): what pods reach after the Service's DNAT.
    public var address: String?
    /// The port the API server of a K3s server listens on (`--https-listen-port`, 6443).
    public static let apiServerPort = 6443
    /// Where the node was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a node. A container with a GPU limit needs a placement, and a node it is
    /// pinned to must declare `gpus`; a server's `address` is where its API server is reached.
    ///
    /// ```swift
    /// Node("calypso", role: .agent, labels: ["oceanid.dev/gpu": "rtx-4090"], gpus: 1)
    /// ```
    public init(
        _ name: String, role: Role, labels: [String: String] = [:], publicIP: String? = nil,
        address: String? = nil, gpus: Int = 0, file: String = #filePath, line: Int = #line
    ) {
        self.address = address
        self.name = name
        self.role = role
        self.labels = labels
        self.publicIP = publicIP
        self.gpus = gpus
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A typed or by-name reference to a node; typed references cannot dangle, by-name ones
/// are checked against the cluster's nodes (with a "did you mean" note).
///
/// ```swift
/// .pinned(to: NodeRef(Nodes.calypso))
/// .pinned(to: "srv712429")
/// ```
public struct NodeRef: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The node's name.
    public var name: String
    /// A reference to a declared node.
    ///
    /// ```swift
    /// NodeRef(Nodes.tethys)
    /// ```
    public init(_ node: Node) { name = node.name }
    /// A reference by name.
    ///
    /// ```swift
    /// NodeRef(name: "srv712429")
    /// ```
    public init(name: String) { self.name = name }
    /// A reference written as a string literal.
    ///
    /// ```swift
    /// let egress: NodeRef = "srv712429"
    /// ```
    public init(stringLiteral value: String) { name = value }
}
