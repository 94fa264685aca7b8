/// A Deployment (`apps/v1`): replicated pods, replaced by rolling update when the pod
/// template changes. Selected by `app.kubernetes.io/name: <name>`.
///
/// ```swift
/// Deployment("egress-db-proxy") {
///     Container("proxy", image: "alpine/socat:1.8.0.1") { Port("postgres", 5432) }
/// }
/// .replicas(2)
/// ```
public struct Deployment: PodWorkload, ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain; also the pods' selector label.
    public var name: String
    /// The Deployment's own `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones; pod labels are `.podLabels(_:)`.
    public var labels: [String: String] = [:]
    /// The Deployment's own `metadata.annotations`, from `.annotations(_:)`; pod template
    /// annotations (restart triggers, scrape hints) are `.podAnnotations(_:)`.
    public var annotations: [String: String] = [:]
    /// `spec.replicas`; nil: Kubernetes' 1.
    public var replicas: Int?
    /// `spec.strategy.type`: `RollingUpdate` (Kubernetes' default) or `Recreate`.
    public var strategy: String?
    /// `spec.revisionHistoryLimit`: old ReplicaSets kept for rollback; nil: Kubernetes' 10.
    public var revisionHistoryLimit: Int?
    /// The pod template.
    public var pod: PodTemplate
    /// Where the Deployment was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a Deployment; the body lists containers, init containers and volumes.
    ///
    /// ```swift
    /// let proxy = Deployment("egress-db-proxy") {
    ///     Container("proxy", image: Image(s[Settings.egressDbProxyImage])) { Port("postgres", 5432) }
    /// }
    /// .replicas(2)
    /// .pinned(to: Nodes.srv712429)
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<PodItem> _ items: () -> [PodItem]
    ) {
        self.name = name
        self.pod = PodTemplate(items: items())
        self.location = SourceLocation(file: file, line: line)
    }

    /// `spec.replicas`: how many pods run (0 or more).
    ///
    /// ```swift
    /// .replicas(2)
    /// ```
    public func replicas(_ n: Int) -> Deployment {
        var c = self
        c.replicas = n
        return c
    }
    /// `Recreate` or `RollingUpdate`.
    ///
    /// `Recreate` stops the old pod before starting the new one, for pods that must not run
    /// twice (a node-pinned router holding a device or state):
    ///
    /// ```swift
    /// .strategy("Recreate")
    /// ```
    ///
    /// Kept beside the typed `strategy(_: Strategy)` for a type a newer Kubernetes adds; the
    /// `unsupported-value` check still rejects anything else.
    public func strategy(_ s: String) -> Deployment {
        var c = self
        c.strategy = s
        return c
    }
    /// `spec.strategy.type`, typed: a misspelled strategy does not compile.
    ///
    /// ```swift
    /// .strategy(.recreate)
    /// ```
    public func strategy(_ s: Strategy) -> Deployment { strategy(s.rawValue) }

    /// apps/v1 `DeploymentStrategy.type`
    /// (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy).
    ///
    /// ```swift
    /// Deployment("router") { ... }.strategy(.recreate)
    /// ```
    public enum Strategy: String, Hashable, Sendable, CaseIterable {
        /// `RollingUpdate` (Kubernetes' default): new pods start before old ones stop.
        case rollingUpdate = "RollingUpdate"
        /// `Recreate`: every old pod stops before a new one starts.
        case recreate = "Recreate"
    }
    /// `spec.revisionHistoryLimit`: how many old ReplicaSets to keep for `kubectl rollout undo`.
    ///
    /// ```swift
    /// .revisionHistoryLimit(3)
    /// ```
    public func revisionHistoryLimit(_ n: Int) -> Deployment {
        var c = self
        c.revisionHistoryLimit = n
        return c
    }
}

/// A DaemonSet (`apps/v1`): one pod per (selected) node, e.g. node-level agents on the
/// host network.
///
/// ```swift
/// DaemonSet("cloudflared-node") {
///     Container("cloudflared", image: Image(s[Settings.cloudflaredImage])) { Port("metrics", 2200) }
/// }
/// .hostNetwork()
/// .dnsPolicy("ClusterFirstWithHostNet")
/// ```
public struct DaemonSet: PodWorkload, ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain; also the pods' selector label.
    public var name: String
    /// The DaemonSet's own `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones; pod labels are `.podLabels(_:)`.
    public var labels: [String: String] = [:]
    /// The DaemonSet's own `metadata.annotations`, from `.annotations(_:)`; pod template
    /// annotations (restart triggers, scrape hints) are `.podAnnotations(_:)`.
    public var annotations: [String: String] = [:]
    /// The pod template.
    public var pod: PodTemplate
    /// Where the DaemonSet was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a DaemonSet; restrict its nodes with `.nodeSelector(_:)`.
    ///
    /// ```swift
    /// DaemonSet("cloudflared-node") {
    ///     Container("cloudflared", image: Image(s[Settings.cloudflaredImage])) {
    ///         Mount("config", at: "/etc/cloudflared", readOnly: true)
    ///     }
    ///     Volume.configMap("config", config)
    /// }
    /// .nodeSelector(["oceanid.dev/gpu": "rtx-4090"])
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<PodItem> _ items: () -> [PodItem]
    ) {
        self.name = name
        self.pod = PodTemplate(items: items())
        self.location = SourceLocation(file: file, line: line)
    }

}

/// A Job (`batch/v1`): pods that run to completion. Pods restart `Never` unless
/// `.restartPolicy("OnFailure")`; failed pods are retried up to `backoffLimit` times.
///
/// ```swift
/// Job("training-template") {
///     Container("train", image: Image(s[Settings.trainingJobImage])) { Mount("work", at: "/work") }
///     Volume.emptyDir("work")
/// }
/// .suspended()
/// .backoffLimit(1)
/// ```
public struct Job: PodWorkload, ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain; also the pods' selector label.
    public var name: String
    /// The Job's own `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones; pod labels are `.podLabels(_:)`.
    public var labels: [String: String] = [:]
    /// The Job's own `metadata.annotations`, from `.annotations(_:)`; pod template
    /// annotations (restart triggers, scrape hints) are `.podAnnotations(_:)`.
    public var annotations: [String: String] = [:]
    /// `spec.backoffLimit`: retries before the Job fails; nil: Kubernetes' 6.
    public var backoffLimit: Int?
    /// `spec.activeDeadlineSeconds`: the Job's whole running time, retries included.
    public var activeDeadlineSeconds: Int?
    /// `spec.ttlSecondsAfterFinished`: the finished Job and its pods are deleted after this.
    public var ttlSecondsAfterFinished: Int?
    /// A suspended Job never runs: the fleet uses one as a typed, checked template that a
    /// workload copies to start real Jobs.
    public var suspend: Bool?
    /// The pod template.
    public var pod: PodTemplate
    /// Where the Job was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a Job; the body lists containers, init containers and volumes.
    ///
    /// ```swift
    /// Job("backfill-stage") {
    ///     Container("worker", image: Image(s[Settings.csvIngestionWorkerImage])).args(["--backfill"])
    /// }
    /// .ttlAfterFinished(seconds: 3_600)
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<PodItem> _ items: () -> [PodItem]
    ) {
        self.name = name
        var pod = PodTemplate(items: items())
        pod.restartPolicy = "Never"
        self.pod = pod
        self.location = SourceLocation(file: file, line: line)
    }

    /// `spec.backoffLimit`: how many failed pods are retried before the Job fails.
    ///
    /// ```swift
    /// .backoffLimit(1)
    /// ```
    public func backoffLimit(_ n: Int) -> Job {
        var c = self
        c.backoffLimit = n
        return c
    }
    /// `spec.activeDeadlineSeconds`: the Job fails once it has run this long.
    ///
    /// ```swift
    /// .activeDeadline(seconds: 6 * 3_600)
    /// ```
    public func activeDeadline(seconds n: Int) -> Job {
        var c = self
        c.activeDeadlineSeconds = n
        return c
    }
    /// `spec.ttlSecondsAfterFinished`: delete the finished Job (and its pods) after this many seconds.
    ///
    /// ```swift
    /// .ttlAfterFinished(seconds: 86_400)
    /// ```
    public func ttlAfterFinished(seconds n: Int) -> Job {
        var c = self
        c.ttlSecondsAfterFinished = n
        return c
    }
    /// `spec.suspend`: a suspended Job creates no pods until unsuspended.
    ///
    /// ```swift
    /// Job("training-template") { ... }.suspended()
    /// ```
    public func suspended(_ on: Bool = true) -> Job {
        var c = self
        c.suspend = on
        return c
    }
}

/// What a CronJob does when a run is due while the previous one still runs
/// (`spec.concurrencyPolicy`, batch/v1): `Allow` (Kubernetes' default) runs both, `Forbid`
/// skips the new run, `Replace` stops the running Job and starts the new one.
///
/// ```swift
/// .concurrencyPolicy(.forbid)
/// ```
public enum ConcurrencyPolicy: String, Hashable, Sendable {
    case allow = "Allow"
    case forbid = "Forbid"
    case replace = "Replace"
}

/// A CronJob (`batch/v1`): a Job on a schedule. Its name may have at most 52 characters
/// (the Job names it creates add a suffix).
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
    /// `metadata.name`, a DNS-1123 subdomain of at most 52 characters.
    public var name: String
    /// `spec.schedule`: five cron fields or a macro, checked as the API server does.
    public var schedule: String
    /// IANA time zone name (`spec.timeZone`); nil: the controller manager's zone.
    public var timeZone: String?
    /// `spec.concurrencyPolicy`; nil: `Allow`.
    public var concurrencyPolicy: ConcurrencyPolicy?
    /// Seconds after the scheduled time a missed run may still start.
    public var startingDeadlineSeconds: Int?
    /// `spec.successfulJobsHistoryLimit`; nil: Kubernetes' 3.
    public var successfulJobsHistoryLimit: Int?
    /// `spec.failedJobsHistoryLimit`; nil: Kubernetes' 1.
    public var failedJobsHistoryLimit: Int?
    /// `spec.suspend`: no new runs start while true.
    public var suspend: Bool?
    /// The CronJob's own `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones; pod labels are `.podLabels(_:)`.
    public var labels: [String: String] = [:]
    /// The CronJob's own `metadata.annotations`, from `.annotations(_:)`; pod template
    /// annotations (restart triggers, scrape hints) are `.podAnnotations(_:)`.
    public var annotations: [String: String] = [:]
    /// The Job each run creates (`spec.jobTemplate`).
    public var job: Job
    /// Where the CronJob was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The pod template of the Job each run creates.
    public var pod: PodTemplate {
        get { job.pod }
        set { job.pod = newValue }
    }

    /// Declares a CronJob running the body's pod on `schedule` (e.g. `"0 3 * * *"`, `"@daily"`).
    ///
    /// ```swift
    /// CronJob("refresh-curated", schedule: "0 3 * * *") {
    ///     Container("worker", image: Image(s[Settings.csvIngestionWorkerImage])).args(["--refresh-curated"])
    /// }
    /// .timeZone("Etc/UTC")
    /// ```
    public init(
        _ name: String, schedule: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<PodItem> _ items: () -> [PodItem]
    ) {
        self.name = name
        self.schedule = schedule
        self.job = Job(name, file: file, line: line, items)
        self.location = SourceLocation(file: file, line: line)
    }

    /// `spec.concurrencyPolicy`: what happens when a run is due while the last still runs.
    ///
    /// ```swift
    /// .concurrencyPolicy(.forbid)
    /// ```
    public func concurrencyPolicy(_ p: ConcurrencyPolicy) -> CronJob {
        var c = self
        c.concurrencyPolicy = p
        return c
    }
    /// An IANA time zone name such as `Europe/Lisbon` or `Etc/UTC`.
    ///
    /// ```swift
    /// .timeZone("Europe/Lisbon")
    /// ```
    public func timeZone(_ zone: String) -> CronJob {
        var c = self
        c.timeZone = zone
        return c
    }
    /// `spec.startingDeadlineSeconds`: a run missed by more than this (controller down,
    /// `Forbid` overlap) is skipped.
    ///
    /// ```swift
    /// .startingDeadline(seconds: 600)
    /// ```
    public func startingDeadline(seconds: Int) -> CronJob {
        var c = self
        c.startingDeadlineSeconds = seconds
        return c
    }
    /// How many finished Jobs of each outcome to keep (Kubernetes defaults: 3 and 1).
    ///
    /// ```swift
    /// .historyLimits(successful: 3, failed: 1)
    /// ```
    public func historyLimits(successful: Int? = nil, failed: Int? = nil) -> CronJob {
        var c = self
        c.successfulJobsHistoryLimit = successful ?? c.successfulJobsHistoryLimit
        c.failedJobsHistoryLimit = failed ?? c.failedJobsHistoryLimit
        return c
    }
    /// `spec.suspend`: stops scheduling new runs (running Jobs continue).
    ///
    /// ```swift
    /// .suspend(true)
    /// ```
    public func suspend(_ s: Bool) -> CronJob {
        var c = self
        c.suspend = s
        return c
    }
    /// The created Jobs' `spec.backoffLimit`: retries before a run fails.
    ///
    /// ```swift
    /// .backoffLimit(2)
    /// ```
    public func backoffLimit(_ n: Int) -> CronJob {
        var c = self
        c.job = c.job.backoffLimit(n)
        return c
    }
}
