/// A liveness, readiness or startup probe.
///
/// ```swift
/// Probe.http("/ready", port: "metrics", period: 10, failureThreshold: 14)
/// ```
public struct Probe: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case http(path: String, port: PortRef)
        case tcp(port: PortRef)
        case exec([String])
    }

    public var action: Action
    public var initialDelay: Int?
    public var period: Int?
    public var timeout: Int?
    public var failureThreshold: Int?
    public var successThreshold: Int?
    /// Where the probe was written (`.liveness(.http(...))`): its problems are reported there.
    public var location: SourceLocation

    public init(_ action: Action, initialDelay: Int? = nil, period: Int? = nil, timeout: Int? = nil,
                failureThreshold: Int? = nil, successThreshold: Int? = nil, file: String = #filePath, line: Int = #line) {
        self.location = SourceLocation(file: file, line: line)
        self.action = action
        self.initialDelay = initialDelay
        self.period = period
        self.timeout = timeout
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
    }

    public static func http(_ path: String, port: PortRef, initialDelay: Int? = nil, period: Int? = nil,
                            timeout: Int? = nil, failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line) -> Probe {
        Probe(.http(path: path, port: port), initialDelay: initialDelay, period: period, timeout: timeout,
              failureThreshold: failureThreshold, file: file, line: line)
    }

    public static func tcp(port: PortRef, initialDelay: Int? = nil, period: Int? = nil, timeout: Int? = nil,
                           failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line) -> Probe {
        Probe(.tcp(port: port), initialDelay: initialDelay, period: period, timeout: timeout,
              failureThreshold: failureThreshold, file: file, line: line)
    }

    public static func exec(_ command: [String], initialDelay: Int? = nil, period: Int? = nil,
                            failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line) -> Probe {
        Probe(.exec(command), initialDelay: initialDelay, period: period, failureThreshold: failureThreshold, file: file, line: line)
    }

    /// The named port this probe uses, if it uses one by name.
    public var portName: String? {
        switch action {
        case .http(_, .name(let n)), .tcp(.name(let n)): n
        default: nil
        }
    }
}
