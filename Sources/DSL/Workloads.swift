/// A Deployment: replicated pods.
///
/// ```swift
/// Deployment("egress-db-proxy") {
///     Container("proxy", image: "alpine/socat:1.8.0.3") { Port("postgres", 5432) }
/// }
/// .replicas(2)
/// ```
public struct Deployment: PodWorkload, ObjectMetadata, Hashable {
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
    public func revisionHistoryLimit(_ n: Int) -> Deployment { var c = self; c.revisionHistoryLimit = n; return c }
}

/// A DaemonSet: one pod per (selected) node.
public struct DaemonSet: PodWorkload, ObjectMetadata, Hashable {
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

}

/// A Job: pods that run to completion.
public struct Job: PodWorkload, ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
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
    public func suspended(_ on: Bool = true) -> Job { var c = self; c.suspend = on; return c }
}

/// What a CronJob does when a run is due while the previous one still runs
/// (`spec.concurrencyPolicy`, batch/v1).
public enum ConcurrencyPolicy: String, Hashable, Sendable {
    case allow = "Allow", forbid = "Forbid", replace = "Replace"
}

/// A CronJob: a Job on a schedule.
///
/// `schedule` is the five-field cron syntax the API server accepts (minute, hour, day of
/// month, month, day of week) or a macro (`@hourly`, `@daily`, ...); the compiler checks it
/// as the API server does. Put a time zone in `timeZone(_:)`, never a `TZ=` prefix.
///
/// ```swift
/// CronJob("nightly-export", schedule: "30 2 * * *") {
///     Container("export", image: "ghcr.io/goldfish-inc/oceanid/export:1.4.0")
/// }
/// .timeZone("Europe/Lisbon")
/// .concurrencyPolicy(.forbid)
/// .historyLimits(successful: 3, failed: 1)
/// ```
public struct CronJob: PodWorkload, ObjectMetadata, Hashable {
    public var name: String
    public var schedule: String
    /// IANA time zone name (`spec.timeZone`); nil: the controller manager's zone.
    public var timeZone: String?
    public var concurrencyPolicy: ConcurrencyPolicy?
    /// Seconds after the scheduled time a missed run may still start.
    public var startingDeadlineSeconds: Int?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var suspend: Bool?
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
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

    public func concurrencyPolicy(_ p: ConcurrencyPolicy) -> CronJob { var c = self; c.concurrencyPolicy = p; return c }
    /// An IANA time zone name such as `Europe/Lisbon` or `Etc/UTC`.
    public func timeZone(_ zone: String) -> CronJob { var c = self; c.timeZone = zone; return c }
    public func startingDeadline(seconds: Int) -> CronJob { var c = self; c.startingDeadlineSeconds = seconds; return c }
    /// How many finished Jobs of each outcome to keep (Kubernetes defaults: 3 and 1).
    public func historyLimits(successful: Int? = nil, failed: Int? = nil) -> CronJob {
        var c = self
        c.successfulJobsHistoryLimit = successful ?? c.successfulJobsHistoryLimit
        c.failedJobsHistoryLimit = failed ?? c.failedJobsHistoryLimit
        return c
    }
    public func suspend(_ s: Bool) -> CronJob { var c = self; c.suspend = s; return c }
    public func backoffLimit(_ n: Int) -> CronJob { var c = self; c.job = c.job.backoffLimit(n); return c }
}
