/// A reference to a container port, by name (preferred) or number: Kubernetes'
/// int-or-string `targetPort`, probe `port` and NetworkPolicy `port`. Names are checked
/// against the container's declared `Port`s.
///
/// ```swift
/// .readiness(.tcp(port: "postgres"))       // by name
/// EgressRule(to: [.ipBlock(cidr: "10.43.0.1/32")], ports: [.tcp(443)])   // by number
/// ```
public enum PortRef: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// An IANA port name (at most 15 characters, lowercase letters, digits and `-`).
    case name(String)
    /// A port number, 1-65535.
    case number(Int)

    /// A port by name, written as a string literal (`"http"`).
    ///
    /// ```swift
    /// let metrics: PortRef = "metrics"
    /// ```
    public init(stringLiteral value: String) { self = .name(value) }
    /// A port by number, written as an integer literal (`5432`).
    ///
    /// ```swift
    /// let postgres: PortRef = 5432
    /// ```
    public init(integerLiteral value: Int) { self = .number(value) }

    /// The reference for messages: a name in quotes, a number as is.
    public var description: String {
        switch self {
        case .name(let n): "\"\(n)\""
        case .number(let n): String(n)
        }
    }
}

/// A port's protocol (Kubernetes `protocol`): `TCP` (the default everywhere), `UDP` or `SCTP`.
///
/// ```swift
/// Port("dns", 53, .udp)
/// ```
public enum PortProtocol: String, Hashable, Sendable, Codable {
    case tcp = "TCP"
    case udp = "UDP"
    case sctp = "SCTP"
}

/// A named port a container listens on (Kubernetes core/v1 `ContainerPort`). Name and
/// number/protocol are each unique within the pod.
///
/// ```swift
/// Port("http", 9090)
/// ```
public struct Port: Hashable, Sendable {
    /// An IANA port name (at most 15 characters, lowercase letters, digits and `-`), which
    /// probes and Services refer to.
    public var name: String
    /// `containerPort`, 1-65535.
    public var number: Int
    /// `protocol`; default TCP.
    public var proto: PortProtocol
    /// Also bind this port on the node (hostNetwork pods expose it anyway).
    public var hostPort: Int?
    /// Where the port was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a container port; `hostPort` also binds it on the node's address.
    ///
    /// ```swift
    /// Port("postgres", 5432)
    /// Port("metrics", s[Settings.cloudflareNodeTunnelMetricsPort])
    /// ```
    public init(
        _ name: String, _ number: Int, _ proto: PortProtocol = .tcp, hostPort: Int? = nil,
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.number = number
        self.proto = proto
        self.hostPort = hostPort
        self.location = SourceLocation(file: file, line: line)
    }
}

extension PortRef {
    /// The name or number without quotes, for messages (`http`, `5432`).
    public var plainName: String {
        switch self {
        case .name(let n): n
        case .number(let n): String(n)
        }
    }
}
