/// How Flux reconciles a cluster from git: a GitRepository and a root Kustomization in
/// `flux-system`, and one child Kustomization per layer, applied in `dependsOn` order.
///
/// Each layer is a folder `clusters/<cluster>/<layer>/` holding its components' folders;
/// components pick their layer with `Component(_:layer:)`.
///
/// ```swift
/// FluxSync(url: "https://github.com/goldfish-inc/oceanid", branch: "main", path: "clusters/tethys",
///          version: "v2.8.5", chartVersion: "2.18.3") {
///     Layer("infrastructure")
///     Layer("apps", dependsOn: ["infrastructure"])
/// }
/// ```
public struct FluxSync: Hashable, Sendable {
    /// The GitRepository's `spec.url`: an `http`, `https` or `ssh` URL.
    public var url: String
    /// The branch Flux follows (GitRepository `spec.ref.branch`).
    public var branch: String
    /// The cluster's folder in the repository, as the root Kustomization's path.
    public var path: String
    /// The Flux release the controllers are installed at (bootstrap).
    public var version: String
    /// The fluxcd-community `flux2` Helm chart version used to bootstrap the controllers.
    public var chartVersion: String
    /// How often the root Kustomization reconciles (`spec.interval`), a Go duration; default `10m`.
    public var interval: String
    /// The child Kustomizations, one per layer folder.
    public var layers: [Layer]
    /// What the bootstrap's flux2 chart at `chartVersion` runs (`.renders(_:)`), read with the
    /// bootstrap's values; nil: not described (`undescribed-chart`).
    public var rendering: ChartRendering?
    /// Where the sync was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares the cluster's Flux sync: `version` is an exact Flux release (`v2.8.5`),
    /// `chartVersion` an exact flux2 chart version (`2.18.3`), whose appVersion it must be; the body lists the layers.
    ///
    /// ```swift
    /// FluxSync(url: s[Settings.gitRepositoryUrl], branch: s[Settings.gitRepositoryBranch],
    ///          path: s[Settings.gitRepositoryPath], version: s[Settings.fluxVersion],
    ///          chartVersion: s[Settings.fluxChartVersion]) {
    ///     Layer("infrastructure", timeout: "10m")
    ///     Layer("secrets", dependsOn: ["infrastructure"])
    /// }
    /// ```
    public init(
        url: String, branch: String, path: String, version: String, chartVersion: String,
        interval: String = "10m", file: String = #filePath, line: Int = #line,
        @ListBuilder<Layer> layers: () -> [Layer]
    ) {
        self.url = url
        self.branch = branch
        self.path = path
        self.version = version
        self.chartVersion = chartVersion
        self.interval = interval
        self.layers = layers()
        self.location = SourceLocation(file: file, line: line)
    }

    /// The namespace Flux's controllers and sync objects live in (and nowhere else).
    public static let namespace = "flux-system"

    /// The same sync, with what its flux2 chart runs described.
    ///
    /// ```swift
    /// FluxSync(...) { Layers.all }.renders(FluxChart.rendering)
    /// ```
    public func renders(_ rendering: ChartRendering) -> FluxSync {
        var copy = self
        copy.rendering = rendering
        return copy
    }
}

/// One child Flux Kustomization (`kustomize.toolkit.fluxcd.io/v1`): a folder of components
/// reconciled together, after the layers it depends on are ready. Durations are Go
/// durations (`90s`, `10m`, `1h30m`).
///
/// A layer is Ready when Flux has applied it and its health checks pass: with `wait` every
/// object it applies; with `healthChecks` only those (then `wait` is false: Flux ignores
/// `spec.healthChecks` when `spec.wait` is true,
/// https://fluxcd.io/flux/components/kustomize/kustomizations/#wait and #health-checks).
/// Name there what the layers after it need, so one broken object elsewhere in it does not
/// hold them back.
///
/// ```swift
/// Layer("networking", dependsOn: ["secrets"],
///       healthChecks: [.deployment("egress-gateway", namespace: "egress-system")])
/// ```
public struct Layer: Hashable, Sendable, LayerNaming {
    /// The Kustomization's name and folder, `clusters/<cluster>/<name>/`.
    public var name: String
    /// Layers that must be ready first (`spec.dependsOn`); must be declared, without cycles.
    public var dependsOn: [String]
    /// Wait for every applied object to become ready (`spec.wait`); false when `healthChecks`
    /// name what to wait for instead.
    public var wait: Bool
    /// The objects Flux waits for when `wait` is false (`spec.healthChecks`), each one the layer
    /// applies; empty with `wait` false: the layer is Ready once applied.
    public var healthChecks: [HealthCheck]
    /// How often the layer reconciles (`spec.interval`).
    public var interval: String
    /// How soon a failed reconciliation is retried (`spec.retryInterval`).
    public var retryInterval: String
    /// How long applying and health checking may take (`spec.timeout`).
    public var timeout: String
    /// Where the layer was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a layer. Defaults: `wait` true unless `healthChecks` are given, `interval` `10m`,
    /// `retryInterval` `1m`, `timeout` `5m`; raise `timeout` for layers that install charts.
    ///
    /// ```swift
    /// Layer("apps", dependsOn: ["networking"], timeout: "10m")
    /// ```
    public init(
        _ name: String, dependsOn: [any LayerNaming] = [], wait: Bool? = nil, healthChecks: [HealthCheck] = [],
        interval: String = "10m", retryInterval: String = "1m", timeout: String = "5m", file: String = #filePath,
        line: Int = #line
    ) {
        self.name = name
        self.dependsOn = dependsOn.map(\.layerName)
        self.wait = wait ?? healthChecks.isEmpty
        self.healthChecks = healthChecks
        self.interval = interval
        self.retryInterval = retryInterval
        self.timeout = timeout
        self.location = SourceLocation(file: file, line: line)
    }

    /// The layer's name, so a declared `Layer` can be passed wherever a layer is picked.
    public var layerName: String { name }
}

/// One object a layer's Kustomization waits for (`spec.healthChecks[]`, a
/// `NamespacedObjectKindReference`): Flux reads its status as kstatus does (a Deployment rolled
/// out and available, a HelmRelease or ClusterSecretStore with condition Ready).
///
/// ```swift
/// HealthCheck.helmRelease("external-secrets", namespace: "external-secrets")
/// ```
public struct HealthCheck: Hashable, Sendable {
    /// `<group>/<version>` of the object (`apps/v1`).
    public var apiVersion: String
    /// Its kind (`Deployment`).
    public var kind: String
    /// Its `metadata.name`.
    public var name: String
    /// Its namespace; nil for a cluster-scoped object.
    public var namespace: String?

    /// A health check of any object by its four identifying fields.
    ///
    /// ```swift
    /// HealthCheck(apiVersion: "apps/v1", kind: "StatefulSet", name: "db", namespace: "apps")
    /// ```
    public init(apiVersion: String, kind: String, name: String, namespace: String?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    /// A Deployment, healthy once rolled out and available.
    public static func deployment(_ name: String, namespace: String) -> HealthCheck {
        HealthCheck(apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace)
    }

    /// A Flux HelmRelease, healthy once Ready (installed or upgraded, its own tests passed).
    public static func helmRelease(_ name: String, namespace: String) -> HealthCheck {
        HealthCheck(apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", name: name, namespace: namespace)
    }

    /// An External Secrets `ClusterSecretStore`, healthy once Ready (it reached its provider).
    public static func clusterSecretStore(_ name: String) -> HealthCheck {
        HealthCheck(apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", name: name, namespace: nil)
    }

    /// `Kind namespace/name`, or `Kind name` for a cluster-scoped object.
    public var description: String { namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)" }
}

/// What names a Flux layer where a component, namespace or store picks one: a declared
/// `Layer` value (preferred: declare layers once and pass them), or its name as a string.
/// A name that matches no declared layer is an `[unknown-layer]` diagnostic.
public protocol LayerNaming: Sendable {
    var layerName: String { get }
}

extension String: LayerNaming {
    /// The string itself: a layer picked by name, checked against the declared layers.
    public var layerName: String { self }
}

/// A Helm chart repository Flux fetches charts from (`source.toolkit.fluxcd.io/v1`
/// HelmRepository), declared in a namespace beside the releases that use it.
///
/// ```swift
/// let charts = HelmRepository("heartex", url: "https://charts.heartex.com/")
/// ```
public struct HelmRepository: ObjectMetadata, Hashable {
    /// `metadata.name`; releases refer to it with `from:` or `repositoryNamed:`.
    public var name: String
    /// The HelmRepository's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones.
    public var labels: [String: String] = [:]
    /// The HelmRepository's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// The repository's `spec.url`: `http`, `https` or `oci`.
    public var url: String
    /// How often Flux refreshes the index (`spec.interval`), a Go duration; default `1h`.
    public var interval: String
    /// Where the repository was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a chart repository in the enclosing namespace.
    ///
    /// ```swift
    /// HelmRepository("external-secrets", url: "https://charts.external-secrets.io")
    /// ```
    public init(_ name: String, url: String, interval: String = "1h", file: String = #filePath, line: Int = #line) {
        self.name = name
        self.url = url
        self.interval = interval
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A Helm release reconciled by Flux (`helm.toolkit.fluxcd.io/v2` HelmRelease), with a
/// pinned chart version and values as an ordered tree. Install and upgrade retry 3 times.
///
/// ```swift
/// HelmRelease("label-studio", chart: "label-studio", version: "2.0.8", from: heartex,
///             values: ["global": ["persistence": ["type": "s3"]]])
/// ```
public struct HelmRelease: ObjectMetadata, Hashable {
    /// `metadata.name`, also the Helm release name.
    public var name: String
    /// The HelmRelease's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones (not on the objects the chart creates; set those through `values`).
    public var labels: [String: String] = [:]
    /// The HelmRelease's `metadata.annotations`, from `.annotations(_:)`, written as declared (not on
    /// the objects the chart creates; set those through `values`).
    public var annotations: [String: String] = [:]
    /// The chart's name in the repository (`spec.chart.spec.chart`).
    public var chart: String
    /// The chart version (`spec.chart.spec.version`): pin an exact one (`2.0.8`).
    public var version: String
    /// The HelmRepository's name (`spec.chart.spec.sourceRef.name`).
    public var repository: String
    /// The repository's namespace when it is not the release's.
    public var repositoryNamespace: String?
    /// Chart values (`spec.values`), emitted in the order written; no secret values.
    public var values: Tree
    /// How often Flux reconciles the release (`spec.interval`), a Go duration; default `10m`.
    public var interval: String
    /// Install the chart's objects into this namespace (`spec.targetNamespace`); nil: the release's.
    public var targetNamespace: String?
    /// Create and replace the chart's CRDs on install and upgrade (`crds: CreateReplace`).
    public var installCRDs: Bool
    /// Services the chart creates that the fleet routes to (`.provides(_:ports:)`): not
    /// emitted, only resolved, so a tunnel route to a chart's Service can be checked.
    public var providedServices: [ChartService] = []
    /// What the chart at this version runs (`.renders(_:)`), which the guardrails then see; nil:
    /// not described (`undescribed-chart`).
    public var rendering: ChartRendering?
    /// Where the release was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A release of a chart from a declared HelmRepository (typed: cannot dangle).
    ///
    /// ```swift
    /// HelmRelease("external-secrets", chart: "external-secrets", version: "2.9.0", from: charts,
    ///             values: ["installCRDs": true], installCRDs: true)
    /// ```
    public init(
        _ name: String, chart: String, version: String, from repository: HelmRepository,
        repositoryNamespace: String? = nil, values: Tree = [:], interval: String = "10m",
        targetNamespace: String? = nil, installCRDs: Bool = false, file: String = #filePath, line: Int = #line
    ) {
        self.init(
            name, chart: chart, version: version, repositoryNamed: repository.name,
            repositoryNamespace: repositoryNamespace,
            values: values, interval: interval, targetNamespace: targetNamespace, installCRDs: installCRDs,
            file: file, line: line)
    }

    /// A release of a chart from a HelmRepository by name, e.g. one in another namespace;
    /// the compiler reports a repository the cluster does not declare.
    ///
    /// ```swift
    /// HelmRelease("label-studio", chart: "label-studio", version: "2.0.8",
    ///             repositoryNamed: "heartex", repositoryNamespace: "flux-system")
    /// ```
    public init(
        _ name: String, chart: String, version: String, repositoryNamed repository: String,
        repositoryNamespace: String? = nil, values: Tree = [:], interval: String = "10m",
        targetNamespace: String? = nil, installCRDs: Bool = false, file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.chart = chart
        self.version = version
        self.repository = repository
        self.repositoryNamespace = repositoryNamespace
        self.values = values
        self.interval = interval
        self.targetNamespace = targetNamespace
        self.installCRDs = installCRDs
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A Service a Helm chart creates, as the fleet relies on it (name and ports, from the
/// chart's templates and the values the release sets).
public struct ChartService: Hashable, Sendable {
    /// The Service's `metadata.name` as the chart renders it (often `<release>-<chart>`, see the
    /// chart's templates); routes find it in the release's own namespace.
    public var name: String
    /// The Service's ports as the chart exposes them; tunnel routes resolve port names and numbers
    /// against these.
    public var ports: [ServicePort]
    /// Where `.provides(_:ports:)` was written, or the value declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A Service a chart creates, as a value routes can take (`IngressService.service(_:port:)`);
    /// pass it to the release's `.provides(_:)`.
    ///
    /// ```swift
    /// static let app = ChartService("label-studio-ls-app", ports: [ServicePort("http", 80)])
    /// ```
    public init(_ name: String, ports: [ServicePort], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.ports = ports
        self.location = SourceLocation(file: file, line: line)
    }
}

extension HelmRelease {
    /// The same release, with what its chart at this version runs described.
    ///
    /// ```swift
    /// HelmRelease("label-studio", ...).renders(LabelStudioChart.rendering)
    /// ```
    public func renders(_ rendering: ChartRendering) -> HelmRelease {
        var copy = self
        copy.rendering = rendering
        return copy
    }

    /// Declares a Service the chart creates in the release's namespace, so routes to it resolve.
    ///
    /// ```swift
    /// HelmRelease("label-studio", ...).provides(LabelStudioChart.app)
    /// ```
    public func provides(_ service: ChartService) -> HelmRelease {
        var copy = self
        copy.providedServices.append(service)
        return copy
    }

    /// Declares a Service the chart creates by name and ports; prefer `provides(_: ChartService)`,
    /// whose value routes take. This form stays for a Service nothing routes to by value.
    ///
    /// ```swift
    /// HelmRelease("label-studio", ...).provides("label-studio-ls-app", ports: [ServicePort("http", 80)])
    /// ```
    public func provides(_ name: String, ports: [ServicePort], file: String = #filePath, line: Int = #line)
        -> HelmRelease
    {
        var copy = self
        copy.providedServices.append(
            ChartService(name, ports: ports, file: file, line: line))
        return copy
    }
}
