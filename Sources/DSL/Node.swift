/// A machine of the cluster. Workloads pin to nodes by these names, and the compiler
/// rejects a pin to a node the fleet does not declare.
public struct Node: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable, Codable {
        /// A K3s server (control plane).
        case server
        /// A K3s agent (worker).
        case agent
    }

    public var name: String
    public var role: Role
    public var labels: [String: String]
    /// The public IPv4 address, when the node has one the fleet relies on (egress).
    public var publicIP: String?
    /// GPUs the node offers (`nvidia.com/gpu`), 0 when none.
    public var gpus: Int
    public var location: SourceLocation

    /// ```swift
    /// Node("calypso", role: .agent, gpus: 1)
    /// ```
    public init(_ name: String, role: Role, labels: [String: String] = [:], publicIP: String? = nil,
                gpus: Int = 0, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.role = role
        self.labels = labels
        self.publicIP = publicIP
        self.gpus = gpus
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A typed or by-name reference to a node; typed references cannot dangle.
public struct NodeRef: Hashable, Sendable, ExpressibleByStringLiteral {
    public var name: String
    public init(_ node: Node) { name = node.name }
    public init(name: String) { self.name = name }
    public init(stringLiteral value: String) { name = value }
}
