/// A NetworkPolicy over pods of its namespace.
///
/// ```swift
/// NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
/// NetworkPolicy("allow-dns", pods: .all, types: [.egress]) {
///     EgressRule(to: [.namespace("kube-system")], ports: [.udp(53), .tcp(53)])
/// }
/// ```
public struct NetworkPolicy: ObjectMetadata, Hashable {
    public enum PolicyType: String, Hashable, Sendable { case ingress = "Ingress", egress = "Egress" }

    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var pods: PodSelector
    public var types: [PolicyType]
    public var ingress: [IngressRule]
    public var egress: [EgressRule]
    public var location: SourceLocation

    public init(_ name: String, pods: PodSelector, types: [PolicyType], file: String = #filePath, line: Int = #line,
                @ListBuilder<NetworkRule> _ rules: () -> [NetworkRule]) {
        self.name = name
        self.pods = pods
        self.types = types
        self.ingress = []
        self.egress = []
        self.location = SourceLocation(file: file, line: line)
        for rule in rules() {
            switch rule {
            case .ingress(let r): ingress.append(r)
            case .egress(let r): egress.append(r)
            }
        }
    }
}

/// Which pods a policy or peer selects.
public enum PodSelector: Hashable, Sendable {
    case all
    case labels([String: String])

    public static func workload(_ w: some PodWorkload) -> PodSelector { .labels(w.selectorLabels) }
}

/// A peer of a network rule.
public enum Peer: Hashable, Sendable {
    /// Pods of this namespace matching the selector.
    case pods(PodSelector)
    /// Pods (all, or matching) of another namespace, selected by its name.
    case namespace(String, pods: PodSelector = .all)
    case ipBlock(cidr: String, except: [String] = [])
}

public struct PolicyPort: Hashable, Sendable {
    public var proto: PortProtocol
    public var port: PortRef
    public static func tcp(_ port: PortRef) -> PolicyPort { PolicyPort(proto: .tcp, port: port) }
    public static func udp(_ port: PortRef) -> PolicyPort { PolicyPort(proto: .udp, port: port) }
}

public struct EgressRule: Hashable, Sendable {
    public var to: [Peer]
    public var ports: [PolicyPort]
    public init(to: [Peer], ports: [PolicyPort] = []) { self.to = to; self.ports = ports }
}

public struct IngressRule: Hashable, Sendable {
    public var from: [Peer]
    public var ports: [PolicyPort]
    public init(from: [Peer], ports: [PolicyPort] = []) { self.from = from; self.ports = ports }
}

public enum NetworkRule: Hashable, Sendable {
    case ingress(IngressRule)
    case egress(EgressRule)
}

extension ListBuilder where Element == NetworkRule {
    public static func buildExpression(_ x: EgressRule) -> [NetworkRule] { [.egress(x)] }
    public static func buildExpression(_ x: IngressRule) -> [NetworkRule] { [.ingress(x)] }
}
