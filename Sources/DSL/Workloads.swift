/// A Deployment: replicated pods.
///
/// ```swift
/// Deployment("egress-db-proxy") {
///     Container("proxy", image: "alpine/socat:1.8.0.3") { Port("postgres", 5432) }
/// }
/// .replicas(2)
/// ```
public struct Deployment: PodWorkload, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var replicas: Int?
    public var strategy: String?
    public var revisionHistoryLimit: Int?
    public var pod: PodTemplate
    public var location: SourceLocation

    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<PodItem> _ items: () -> [PodItem]) {
        self.name = name
        self.pod = PodTemplate(items: items())
        self.location = SourceLocation(file: file, line: line)
    }

    public func replicas(_ n: Int) -> Deployment { var c = self; c.replicas = n; return c }
    /// `Recreate` or `RollingUpdate`.
    public func strategy(_ s: String) -> Deployment { var c = self; c.strategy = s; return c }
    public func labels(_ l: [String: String]) -> Deployment { var c = self; c.labels.merge(l) { $1 }; return c }
    public func annotations(_ a: [String: String]) -> Deployment { var c = self; c.annotations.merge(a) { $1 }; return c }
    public func revisionHistoryLimit(_ n: Int) -> Deployment { var c = self; c.revisionHistoryLimit = n; return c }
}

/// A DaemonSet: one pod per (selected) node.
public struct DaemonSet: PodWorkload, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var pod: PodTemplate
    public var location: SourceLocation

    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<PodItem> _ items: () -> [PodItem]) {
        self.name = name
        self.pod = PodTemplate(items: items())
        self.location = SourceLocation(file: file, line: line)
    }

    public func labels(_ l: [String: String]) -> DaemonSet { var c = self; c.labels.merge(l) { $1 }; return c }
}

/// A Job: pods that run to completion.
public struct Job: PodWorkload, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var backoffLimit: Int?
    public var activeDeadlineSeconds: Int?
    public var ttlSecondsAfterFinished: Int?
    /// A suspended Job never runs: the fleet uses one as a typed, checked template that a
    /// workload copies to start real Jobs.
    public var suspend: Bool?
    public var pod: PodTemplate
    public var location: SourceLocation

    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<PodItem> _ items: () -> [PodItem]) {
        self.name = name
        var pod = PodTemplate(items: items())
        pod.restartPolicy = "Never"
        self.pod = pod
        self.location = SourceLocation(file: file, line: line)
    }

    public func backoffLimit(_ n: Int) -> Job { var c = self; c.backoffLimit = n; return c }
    public func activeDeadline(seconds n: Int) -> Job { var c = self; c.activeDeadlineSeconds = n; return c }
    public func ttlAfterFinished(seconds n: Int) -> Job { var c = self; c.ttlSecondsAfterFinished = n; return c }
    public func labels(_ l: [String: String]) -> Job { var c = self; c.labels.merge(l) { $1 }; return c }
    public func suspended(_ on: Bool = true) -> Job { var c = self; c.suspend = on; return c }
}

/// A CronJob: a Job on a schedule.
public struct CronJob: PodWorkload, Hashable {
    public var name: String
    public var schedule: String
    public var concurrencyPolicy: String?
    public var suspend: Bool?
    public var job: Job
    public var location: SourceLocation

    public var pod: PodTemplate {
        get { job.pod }
        set { job.pod = newValue }
    }

    public init(_ name: String, schedule: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<PodItem> _ items: () -> [PodItem]) {
        self.name = name
        self.schedule = schedule
        self.job = Job(name, file: file, line: line, items)
        self.location = SourceLocation(file: file, line: line)
    }

    /// `Allow`, `Forbid` or `Replace`.
    public func concurrencyPolicy(_ p: String) -> CronJob { var c = self; c.concurrencyPolicy = p; return c }
    public func suspend(_ s: Bool) -> CronJob { var c = self; c.suspend = s; return c }
    public func backoffLimit(_ n: Int) -> CronJob { var c = self; c.job = c.job.backoffLimit(n); return c }
}
