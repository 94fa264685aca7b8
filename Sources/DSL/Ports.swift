/// A reference to a container port, by name (preferred) or number.
public enum PortRef: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    case name(String)
    case number(Int)

    public init(stringLiteral value: String) { self = .name(value) }
    public init(integerLiteral value: Int) { self = .number(value) }

    public var description: String {
        switch self {
        case .name(let n): "\"\(n)\""
        case .number(let n): String(n)
        }
    }
}

public enum PortProtocol: String, Hashable, Sendable, Codable {
    case tcp = "TCP"
    case udp = "UDP"
    case sctp = "SCTP"
}

/// A named port a container listens on.
///
/// ```swift
/// Port("http", 9090)
/// ```
public struct Port: Hashable, Sendable {
    public var name: String
    public var number: Int
    public var proto: PortProtocol
    /// Also bind this port on the node (hostNetwork pods expose it anyway).
    public var hostPort: Int?
    public var location: SourceLocation

    public init(_ name: String, _ number: Int, _ proto: PortProtocol = .tcp, hostPort: Int? = nil,
                file: String = #filePath, line: Int = #line) {
        self.name = name
        self.number = number
        self.proto = proto
        self.hostPort = hostPort
        self.location = SourceLocation(file: file, line: line)
    }
}

extension PortRef {
    /// The name or number without quotes, for messages.
    public var plainName: String {
        switch self {
        case .name(let n): n
        case .number(let n): String(n)
        }
    }
}
