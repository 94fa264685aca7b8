/// A liveness, readiness or startup probe (Kubernetes core/v1 `Probe`). Times are whole
/// seconds; nil leaves the Kubernetes default (delay 0, period 10, timeout 1, failure
/// threshold 3, success threshold 1). A probe on a port name needs that container `Port`.
///
/// ```swift
/// Probe.http("/ready", port: "metrics", period: 10, failureThreshold: 14)
/// ```
public struct Probe: Hashable, Sendable {
    /// What the kubelet checks.
    ///
    /// ```swift
    /// Probe(.http(path: "/healthz", port: "http"), period: 10)
    /// ```
    public enum Action: Hashable, Sendable {
        /// `httpGet`: a status from 200 to 399 succeeds; `path` starts with `/`.
        case http(path: String, port: PortRef)
        /// `tcpSocket`: the port accepts a connection.
        case tcp(port: PortRef)
        /// `exec`: the command, run in the container, exits 0.
        case exec([String])
    }

    /// The check.
    public var action: Action
    /// `initialDelaySeconds` before the first probe.
    public var initialDelay: Int?
    /// `periodSeconds` between probes.
    public var period: Int?
    /// `timeoutSeconds` a probe may take.
    public var timeout: Int?
    /// `failureThreshold`: consecutive failures before the probe counts as failed.
    public var failureThreshold: Int?
    /// `successThreshold`: consecutive successes after a failure; must be 1 except for readiness.
    public var successThreshold: Int?
    /// Where the probe was written (`.liveness(.http(...))`): its problems are reported there.
    public var location: SourceLocation
    /// `httpGet.host`: the address the kubelet connects to instead of the pod IP, e.g.
    /// `127.0.0.1` for a host-network pod whose endpoint listens on the loopback only (the
    /// kubelet runs on the node, so it reaches the node's loopback).
    public var host: String?

    /// A probe of any action with every field; the factories cover the usual cases.
    ///
    /// ```swift
    /// .readiness(Probe(.tcp(port: "proxy"), period: 5, failureThreshold: 2, successThreshold: 2))
    /// ```
    public init(
        _ action: Action, initialDelay: Int? = nil, period: Int? = nil, timeout: Int? = nil,
        failureThreshold: Int? = nil, successThreshold: Int? = nil, file: String = #filePath, line: Int = #line
    ) {
        self.location = SourceLocation(file: file, line: line)
        self.action = action
        self.initialDelay = initialDelay
        self.period = period
        self.timeout = timeout
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
    }

    /// An HTTP GET probe (`httpGet`) on `path` and a container port.
    ///
    /// ```swift
    /// .liveness(.http("/ready", port: "metrics", period: 10, timeout: 5, failureThreshold: 3))
    /// ```
    public static func http(
        _ path: String, port: PortRef, host: String? = nil, initialDelay: Int? = nil, period: Int? = nil,
        timeout: Int? = nil, failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line
    ) -> Probe {
        var probe = Probe(
            .http(path: path, port: port), initialDelay: initialDelay, period: period, timeout: timeout,
            failureThreshold: failureThreshold, file: file, line: line)
        probe.host = host
        return probe
    }

    /// A TCP connect probe (`tcpSocket`) on a container port.
    ///
    /// ```swift
    /// .liveness(.tcp(port: "postgres", initialDelay: 10, period: 20))
    /// ```
    public static func tcp(
        port: PortRef, initialDelay: Int? = nil, period: Int? = nil, timeout: Int? = nil,
        failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line
    ) -> Probe {
        Probe(
            .tcp(port: port), initialDelay: initialDelay, period: period, timeout: timeout,
            failureThreshold: failureThreshold, file: file, line: line)
    }

    /// A command probe (`exec`), run in the container without a shell; exit 0 succeeds.
    ///
    /// ```swift
    /// .liveness(.exec(["tailscale", "status"], initialDelay: 30, period: 30))
    /// ```
    public static func exec(
        _ command: [String], initialDelay: Int? = nil, period: Int? = nil,
        failureThreshold: Int? = nil, file: String = #filePath, line: Int = #line
    ) -> Probe {
        Probe(
            .exec(command), initialDelay: initialDelay, period: period, failureThreshold: failureThreshold, file: file,
            line: line)
    }

    /// The named port this probe uses, if it uses one by name.
    public var portName: String? {
        switch action {
        case .http(_, .name(let n)), .tcp(.name(let n)): n
        default: nil
        }
    }

    /// The port number the probe targets, when it names one by number (not by name, not exec).
    public var portNumber: Int? {
        switch action {
        case .http(_, .number(let n)), .tcp(.number(let n)): n
        default: nil
        }
    }
}
