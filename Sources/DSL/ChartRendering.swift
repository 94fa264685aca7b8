/// What one pinned version of a Helm chart runs, read from its templates and `values.yaml`: the
/// workloads its templates render with the values a release sets. No helm binary is available
/// at build time and charts are not downloaded then, so the fleet commits this description
/// (citing the files read) and the compiler adds the workloads it describes to the policy input,
/// where the guardrails see them like the fleet's own objects.
///
/// Where a template copies a value into the pod (`toYaml .Values.app.resources`, a range over
/// `.Values.global.extraEnvironmentVars`), the description names that value's path; the compiler
/// reads it from the chart's defaults (`defaults`, the parts of `values.yaml` those paths read)
/// merged with the release's values, so the input follows the values the release really sets.
///
/// ```swift
/// ChartRendering(chart: "nvidia-device-plugin", version: "0.20.0",
///                source: "https://github.com/NVIDIA/k8s-device-plugin/tree/v0.20.0/deployments/helm",
///                defaults: ["resources": [:]]) {
///     ChartWorkload(.daemonSet, "{release}") {
///         ChartContainer("nvidia-device-plugin-ctr", image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
///                        resources: ["resources"])
///     }
/// }
/// ```
public struct ChartRendering: Hashable, Sendable {
    /// The chart's name (`Chart.yaml` `name`).
    public var chart: String
    /// The chart version described (`Chart.yaml` `version`); a release of another version is
    /// not described (`undescribed-chart`).
    public var version: String
    /// Where the templates and values were read (URLs at that version).
    public var source: String
    /// The chart's default values the paths below read (`values.yaml`, in part).
    public var defaults: Tree
    /// The workloads the templates render (with the release's values).
    public var workloads: [ChartWorkload]

    /// Describes `chart` at `version`; `source` cites the files read.
    public init(
        chart: String, version: String, source: String, defaults: Tree = [:],
        @ListBuilder<ChartWorkload> workloads: () -> [ChartWorkload]
    ) {
        self.chart = chart
        self.version = version
        self.source = source
        self.defaults = defaults
        self.workloads = workloads()
    }
}

/// One workload a chart renders.
public struct ChartWorkload: Hashable, Sendable {
    /// The kinds of pod-running objects a chart may render.
    public enum Kind: String, Hashable, Sendable {
        case deployment = "Deployment"
        case daemonSet = "DaemonSet"
        case statefulSet = "StatefulSet"
        case job = "Job"
        case cronJob = "CronJob"
    }
    /// Its kind.
    public var kind: Kind
    /// Its `metadata.name` as the chart's helpers spell it; `{release}` is the release's name.
    public var name: String
    /// Its namespace; nil: the release's target namespace.
    public var namespace: String?
    /// Whether the pod uses the host network (`hostNetwork: true` in the template).
    public var hostNetwork: Bool
    /// The init containers (`initContainers`).
    public var initContainers: [ChartContainer]
    /// The containers.
    public var containers: [ChartContainer]

    /// A workload; `initContainers` are listed apart from the body's containers.
    public init(
        _ kind: Kind, _ name: String, namespace: String? = nil, hostNetwork: Bool = false,
        initContainers: [ChartContainer] = [], @ListBuilder<ChartContainer> containers: () -> [ChartContainer]
    ) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.hostNetwork = hostNetwork
        self.initContainers = initContainers
        self.containers = containers()
    }
}

/// One container of a chart's workload: its image as the chart defaults it, and the values paths
/// its template reads.
public struct ChartContainer: Hashable, Sendable {
    /// The container's name.
    public var name: String
    /// The image the template renders with the chart's defaults (`repository:tag`, the tag
    /// often the chart's `appVersion`).
    public var image: String
    /// The values path whose mapping the template writes as `resources` (empty: none).
    public var resources: [String]
    /// Values paths of name → value mappings the template writes as `env`.
    public var env: [[String]]
    /// Whether the template makes it privileged.
    public var privileged: Bool
    /// The capabilities the template adds.
    public var capabilities: [String]

    /// A container of a chart's workload.
    public init(
        _ name: String, image: String, resources: [String] = [], env: [[String]] = [], privileged: Bool = false,
        capabilities: [String] = []
    ) {
        self.name = name
        self.image = image
        self.resources = resources
        self.env = env
        self.privileged = privileged
        self.capabilities = capabilities
    }
}
