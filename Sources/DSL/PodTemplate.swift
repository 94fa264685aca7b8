/// The pod part shared by every workload kind (Kubernetes core/v1 `PodTemplateSpec`):
/// filled from the workload body (containers, `InitContainer`s, volumes) and its modifiers.
///
/// ```swift
/// Deployment("tailscale-router") { Container("tailscale", image: Image(s[Settings.tailscaleImage])) }
///     .serviceAccount(account)
///     .pinned(to: Nodes.tethys)
/// ```
public struct PodTemplate: Hashable, Sendable {
    /// Declared pod labels (`.podLabels(_:)`); the workload's selector and runbook labels are added.
    public var labels: [String: String] = [:]
    /// Pod annotations (`.podAnnotations(_:)`); changing one rolls a Deployment's pods.
    public var annotations: [String: String] = [:]
    /// The app containers (`spec.containers`), in declaration order.
    public var containers: [Container] = []
    /// Containers run to completion, one by one, before the app containers (`spec.initContainers`).
    public var initContainers: [Container] = []
    /// The pod's volumes (`spec.volumes`).
    public var volumes: [Volume] = []
    /// `spec.serviceAccountName`; nil: the namespace's `default` account.
    public var serviceAccount: String?
    /// Where the service account was chosen, for its diagnostics.
    public var serviceAccountLocation: SourceLocation?
    /// Node placement (`spec.nodeSelector`); nil: any node.
    public var placement: Placement?
    /// `spec.tolerations`: taints the pod may be scheduled despite.
    public var tolerations: [Toleration] = []
    /// Use the node's network namespace (`spec.hostNetwork`); default false.
    public var hostNetwork: Bool = false
    /// `spec.dnsPolicy`: `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`.
    public var dnsPolicy: String?
    /// `spec.restartPolicy`: `Always` for Deployments and DaemonSets; `OnFailure` or `Never` for Jobs.
    public var restartPolicy: String?
    /// `spec.priorityClassName`, a PriorityClass's name.
    public var priorityClassName: String?
    /// `spec.runtimeClassName`, a RuntimeClass's name (the fleet's GPU Jobs use `nvidia`).
    public var runtimeClassName: String?
    /// `spec.terminationGracePeriodSeconds`; nil: Kubernetes' 30 seconds.
    public var terminationGracePeriod: Int?
    /// `spec.automountServiceAccountToken`; nil: the service account's setting.
    public var automountServiceAccountToken: Bool?
    /// `spec.hostAliases`: IP → host names written into the pod's `/etc/hosts`.
    public var hostAliases: [HostAlias] = []
    /// The model repository the pods publish to (`.publishesModels(to:)`); not emitted.
    public var publishesModels: ModelPublication?

    /// An empty template; workloads build theirs from their body.
    ///
    /// ```swift
    /// var pod = PodTemplate()
    /// pod.hostNetwork = true
    /// ```
    public init() {}

    init(items: [PodItem]) {
        for item in items {
            switch item {
            case .container(let c): containers.append(c)
            case .initContainer(let c): initContainers.append(c.container)
            case .volume(let v): volumes.append(v)
            }
        }
    }

    /// Init containers, then app containers: every container of the pod.
    public var allContainers: [Container] { initContainers + containers }
}

/// Where a pod may run. Pinning names a node of the fleet; the compiler checks it exists.
/// Set with `.pinned(to:)` or `.nodeSelector(_:)`; both become `spec.nodeSelector`.
public struct Placement: Hashable, Sendable {
    /// How the nodes are chosen.
    public enum Rule: Hashable, Sendable {
        /// `kubernetes.io/hostname: <node>`
        case node(String)
        /// Arbitrary node labels.
        case labels([String: String])
    }
    /// The node or labels.
    public var rule: Rule
    /// Where the placement was written, for its diagnostics.
    public var location: SourceLocation
}

/// A toleration of a node taint (Kubernetes core/v1 `Toleration`).
///
/// ```swift
/// Toleration(key: "nvidia.com/gpu", effect: "NoSchedule")
/// ```
public struct Toleration: Hashable, Sendable {
    /// The taint key; empty with `Exists` tolerates every taint.
    public var key: String
    /// `operator`: `Exists` (any value) or `Equal` (this `value`).
    public var op: String
    /// The taint value, for `Equal` only.
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; nil: every effect.
    public var effect: String?

    /// Tolerates taint `key` (`op` defaults to `Exists`).
    ///
    /// ```swift
    /// Toleration(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")
    /// Toleration(key: "oceanid.dev/gpu", op: "Equal", value: "rtx-4090", effect: "NoSchedule")
    /// ```
    public init(key: String, op: String = "Exists", value: String? = nil, effect: String? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
    }
}

/// Marks a container as an init container inside a workload body (`spec.initContainers`):
/// run to completion, in order, before the app containers start.
///
/// ```swift
/// InitContainer(Container("wait-for-db", image: "alpine/socat:1.8.0.1")
///     .args(["-T", "2", "-u", "OPEN:/dev/null", "TCP:egress-db-proxy.apps.svc.cluster.local:5432"]))
/// ```
public struct InitContainer: Hashable, Sendable {
    /// The container to run first.
    public var container: Container
    /// Wraps a container as an init container.
    ///
    /// ```swift
    /// InitContainer(Container("check-config", image: Image(s[Settings.squidImage])) {
    ///     Mount("config", at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf")
    /// }.command(["squid", "-k", "parse", "-f", "/etc/squid/squid.conf"]))
    /// ```
    public init(_ container: Container) { self.container = container }
}

/// A declaration inside a workload body.
public enum PodItem: Hashable, Sendable {
    /// An app container.
    case container(Container)
    /// An init container.
    case initContainer(InitContainer)
    /// A pod volume.
    case volume(Volume)
}

extension ListBuilder where Element == PodItem {
    /// A `Container` in a workload body.
    public static func buildExpression(_ x: Container) -> [PodItem] { [.container(x)] }
    /// An `InitContainer` in a workload body.
    public static func buildExpression(_ x: InitContainer) -> [PodItem] { [.initContainer(x)] }
    /// A `Volume` in a workload body.
    public static func buildExpression(_ x: Volume) -> [PodItem] { [.volume(x)] }
}

/// A workload with a pod template; its modifiers are shared by every kind
/// (`Deployment`, `DaemonSet`, `Job`, `CronJob`).
///
/// ```swift
/// Deployment("tailscale-router") { ... }
///     .serviceAccount(account)
///     .pinned(to: Nodes.tethys)
/// ```
public protocol PodWorkload: Sendable {
    /// The workload's name; its pods' selector label `app.kubernetes.io/name` is this name.
    var name: String { get }
    /// The pod template.
    var pod: PodTemplate { get set }
    /// Where the workload was declared.
    var location: SourceLocation { get }
}

extension PodWorkload {
    /// Runs the pod on one node of the fleet only (`nodeSelector` on
    /// `kubernetes.io/hostname`); the compiler reports a node the cluster does not declare.
    ///
    /// ```swift
    /// .pinned(to: "srv712429")
    /// ```
    public func pinned(to node: NodeRef, file: String = #filePath, line: Int = #line) -> Self {
        with { $0.pod.placement = Placement(rule: .node(node.name), location: SourceLocation(file: file, line: line)) }
    }
    /// Runs the pod on one declared node of the fleet (typed: cannot dangle).
    ///
    /// ```swift
    /// .pinned(to: Nodes.calypso)
    /// ```
    public func pinned(to node: Node, file: String = #filePath, line: Int = #line) -> Self {
        pinned(to: NodeRef(node), file: file, line: line)
    }
    /// Runs the pod on nodes carrying these labels (`spec.nodeSelector`); replaces a pin.
    ///
    /// ```swift
    /// .nodeSelector(["oceanid.dev/gpu": "rtx-4090"])
    /// ```
    public func nodeSelector(_ labels: [String: String], file: String = #filePath, line: Int = #line) -> Self {
        with { $0.pod.placement = Placement(rule: .labels(labels), location: SourceLocation(file: file, line: line)) }
    }
    /// Runs the pods as a declared ServiceAccount (`spec.serviceAccountName`; typed: cannot dangle).
    ///
    /// ```swift
    /// .serviceAccount(account)
    /// ```
    public func serviceAccount(_ account: ServiceAccount) -> Self {
        with {
            $0.pod.serviceAccount = account.name
            $0.pod.serviceAccountLocation = account.location
        }
    }
    /// Runs the pods as a ServiceAccount by name; the compiler reports one the namespace
    /// does not declare.
    ///
    /// ```swift
    /// .serviceAccount(named: "ls-triton-adapter")
    /// ```
    public func serviceAccount(named account: String, file: String = #filePath, line: Int = #line) -> Self {
        with {
            $0.pod.serviceAccount = account
            $0.pod.serviceAccountLocation = SourceLocation(file: file, line: line)
        }
    }
    /// Adds pod template labels (`spec.template.metadata.labels`); a key given twice keeps
    /// the later value. A different `app` or `app.kubernetes.io/name` is an error.
    ///
    /// ```swift
    /// .podLabels(["oceanid.dev/egress": "gateway"])
    /// ```
    public func podLabels(_ labels: [String: String]) -> Self {
        with { $0.pod.labels.merge(labels) { _, new in new } }
    }
    /// Adds pod template annotations (`spec.template.metadata.annotations`); changing one
    /// rolls a Deployment's or DaemonSet's pods.
    ///
    /// ```swift
    /// .podAnnotations(["oceanid.dev/rollout-token": s[Settings.cloudflareTunnelRolloutToken]])
    /// ```
    public func podAnnotations(_ annotations: [String: String]) -> Self {
        with { $0.pod.annotations.merge(annotations) { _, new in new } }
    }
    /// Runs the pod in the node's network namespace (`spec.hostNetwork`); pair it with
    /// `.dnsPolicy("ClusterFirstWithHostNet")` to keep cluster DNS.
    ///
    /// ```swift
    /// .hostNetwork()
    /// ```
    public func hostNetwork(_ on: Bool = true) -> Self { with { $0.pod.hostNetwork = on } }
    /// Adds a `spec.hostAliases` entry: the pod resolves `hostnames` to `ip` (its `/etc/hosts`),
    /// e.g. a database's real host name to the fixed ClusterIP of the proxy in front of it, so
    /// TLS still sees the name the certificate carries.
    ///
    /// ```swift
    /// .hostAlias(ip: "10.43.0.54", hostnames: [s[Settings.crunchyBridgeHost]])
    /// ```
    public func hostAlias(ip: String, hostnames: [String]) -> Self {
        with { $0.pod.hostAliases.append(HostAlias(ip: ip, hostnames: hostnames)) }
    }
    /// `spec.dnsPolicy`: `ClusterFirst` (the default), `ClusterFirstWithHostNet`, `Default`
    /// (the node's resolver) or `None`.
    ///
    /// ```swift
    /// .dnsPolicy("ClusterFirstWithHostNet")
    /// ```
    ///
    /// Kept beside the typed `dnsPolicy(_: DNSPolicy)` for a value a newer Kubernetes adds; the
    /// `unsupported-value` check still rejects anything else.
    public func dnsPolicy(_ policy: String) -> Self { with { $0.pod.dnsPolicy = policy } }
    /// `spec.dnsPolicy`, typed: a misspelled policy does not compile.
    ///
    /// ```swift
    /// .dnsPolicy(.clusterFirstWithHostNet)
    /// ```
    public func dnsPolicy(_ policy: DNSPolicy) -> Self { dnsPolicy(policy.rawValue) }
    /// Replaces the pod's tolerations (`spec.tolerations`).
    ///
    /// ```swift
    /// .tolerations([Toleration(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")])
    /// ```
    public func tolerations(_ tolerations: [Toleration]) -> Self { with { $0.pod.tolerations = tolerations } }
    /// `spec.priorityClassName`: a PriorityClass (declare one with `RawObject`), a DNS-1123 subdomain.
    ///
    /// ```swift
    /// .priorityClass("tunnels")
    /// ```
    public func priorityClass(_ name: String) -> Self { with { $0.pod.priorityClassName = name } }
    /// `spec.runtimeClassName`: the container runtime handler, e.g. NVIDIA's for GPU pods.
    ///
    /// ```swift
    /// .runtimeClass("nvidia")
    /// ```
    public func runtimeClass(_ name: String) -> Self { with { $0.pod.runtimeClassName = name } }
    /// Seconds between SIGTERM and SIGKILL on shutdown (`spec.terminationGracePeriodSeconds`;
    /// Kubernetes default 30).
    ///
    /// ```swift
    /// .terminationGracePeriod(60)
    /// ```
    public func terminationGracePeriod(_ seconds: Int) -> Self { with { $0.pod.terminationGracePeriod = seconds } }
    /// Whether the service account token is mounted (`spec.automountServiceAccountToken`);
    /// turn it off for pods that never call the Kubernetes API.
    ///
    /// ```swift
    /// .automountServiceAccountToken(false)
    /// ```
    public func automountServiceAccountToken(_ on: Bool) -> Self { with { $0.pod.automountServiceAccountToken = on } }
    /// `spec.restartPolicy`: only `Always` for Deployments and DaemonSets; `OnFailure` or
    /// `Never` (the DSL's default) for Jobs and CronJobs.
    ///
    /// ```swift
    /// Job("training-template") { ... }.restartPolicy("OnFailure")
    /// ```
    ///
    /// Kept beside the typed `restartPolicy(_: RestartPolicy)` for a value a newer Kubernetes adds;
    /// the `unsupported-value` check still rejects anything else (and `Always` on a Job).
    public func restartPolicy(_ policy: String) -> Self { with { $0.pod.restartPolicy = policy } }
    /// `spec.restartPolicy`, typed: a misspelled policy does not compile; which policies a kind
    /// allows (`Always` only for Deployments and DaemonSets) is still checked.
    ///
    /// ```swift
    /// Job("training-template") { ... }.restartPolicy(.onFailure)
    /// ```
    public func restartPolicy(_ policy: RestartPolicy) -> Self { restartPolicy(policy.rawValue) }

    /// The labels that identify this workload's pods (selectors use exactly these).
    public var selectorLabels: [String: String] { ["app.kubernetes.io/name": name] }

    /// The label the fleet's runbooks select pods by (`kubectl -l app=<workload>`), on every
    /// pod template beside the selector labels. Selectors never use it: they are immutable.
    public var runbookLabels: [String: String] { ["app": name] }

    /// Pod template labels: the declared ones, then the runbook and selector labels (which win).
    public var podLabels: [String: String] {
        pod.labels.merging(runbookLabels.merging(selectorLabels) { $1 }) { _, generated in generated }
    }

    private func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

/// One `spec.hostAliases` entry of a pod (core/v1 `HostAlias`).
///
/// ```swift
/// HostAlias(ip: "10.43.0.54", hostnames: ["p.abc.db.postgresbridge.com"])
/// ```
public struct HostAlias: Hashable, Sendable {
    /// The address the names resolve to.
    public var ip: String
    /// The names.
    public var hostnames: [String]

    /// An entry mapping `hostnames` to `ip`.
    public init(ip: String, hostnames: [String]) {
        self.ip = ip
        self.hostnames = hostnames
    }
}

/// Kubernetes core/v1 `PodSpec.dnsPolicy`
/// (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy).
///
/// ```swift
/// DaemonSet("node-tunnels") { ... }.hostNetwork().dnsPolicy(.clusterFirstWithHostNet)
/// ```
public enum DNSPolicy: String, Hashable, Sendable, CaseIterable {
    /// `ClusterFirst` (the default): cluster names first, then the node's upstream resolvers.
    case clusterFirst = "ClusterFirst"
    /// `ClusterFirstWithHostNet`: cluster DNS for a pod on the host network.
    case clusterFirstWithHostNet = "ClusterFirstWithHostNet"
    /// `Default`: the node's own resolver configuration.
    case `default` = "Default"
    /// `None`: only what `spec.dnsConfig` says.
    case none = "None"
}

/// Kubernetes core/v1 `PodSpec.restartPolicy`
/// (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy): Deployments
/// and DaemonSets take only `Always`, Jobs and CronJobs `OnFailure` or `Never`.
///
/// ```swift
/// Job("migrate") { ... }.restartPolicy(.onFailure)
/// ```
public enum RestartPolicy: String, Hashable, Sendable, CaseIterable {
    /// `Always`: restart every container that exits.
    case always = "Always"
    /// `OnFailure`: restart a container that exits non-zero.
    case onFailure = "OnFailure"
    /// `Never`: a Job's failed pod is replaced, not restarted.
    case never = "Never"
}
