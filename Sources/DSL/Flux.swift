/// How Flux reconciles a cluster from git: a GitRepository and a root Kustomization in
/// `flux-system`, and one child Kustomization per layer, applied in `dependsOn` order.
///
/// Each layer is a folder `clusters/<cluster>/<layer>/` holding its components' folders;
/// components pick their layer with `Component(_:layer:)`.
///
/// ```swift
/// FluxSync(url: "https://github.com/goldfish-inc/oceanid", branch: "main", path: "clusters/tethys",
///          version: "v2.9.0") {
///     Layer("infrastructure")
///     Layer("apps", dependsOn: ["infrastructure"])
/// }
/// ```
public struct FluxSync: Hashable, Sendable {
    public var url: String
    public var branch: String
    /// The cluster's folder in the repository, as the root Kustomization's path.
    public var path: String
    /// The Flux release the controllers are installed at (bootstrap).
    public var version: String
    /// The fluxcd-community `flux2` Helm chart version used to bootstrap the controllers.
    public var chartVersion: String
    public var interval: String
    public var layers: [Layer]
    public var location: SourceLocation

    public init(url: String, branch: String, path: String, version: String, chartVersion: String,
                interval: String = "10m", file: String = #filePath, line: Int = #line,
                @ListBuilder<Layer> layers: () -> [Layer]) {
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
}

/// One child Flux Kustomization: a folder of components reconciled together, after the
/// layers it depends on are ready.
public struct Layer: Hashable, Sendable {
    public var name: String
    public var dependsOn: [String]
    /// Wait for every applied object to become ready (Flux health checking).
    public var wait: Bool
    public var interval: String
    public var retryInterval: String
    public var timeout: String
    public var location: SourceLocation

    public init(_ name: String, dependsOn: [String] = [], wait: Bool = true, interval: String = "10m",
                retryInterval: String = "1m", timeout: String = "5m", file: String = #filePath, line: Int = #line) {
        self.name = name
        self.dependsOn = dependsOn
        self.wait = wait
        self.interval = interval
        self.retryInterval = retryInterval
        self.timeout = timeout
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A Helm chart repository Flux fetches charts from.
public struct HelmRepository: ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var url: String
    public var interval: String
    public var location: SourceLocation

    public init(_ name: String, url: String, interval: String = "1h", file: String = #filePath, line: Int = #line) {
        self.name = name
        self.url = url
        self.interval = interval
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A Helm release reconciled by Flux, with a pinned chart version and values as an ordered tree.
///
/// ```swift
/// HelmRelease("label-studio", chart: "label-studio", version: "2.0.8", from: heartex,
///             values: ["global": ["persistence": ["type": "s3"]]])
/// ```
public struct HelmRelease: ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var chart: String
    public var version: String
    public var repository: String
    /// The repository's namespace when it is not the release's.
    public var repositoryNamespace: String?
    public var values: Tree
    public var interval: String
    public var targetNamespace: String?
    public var installCRDs: Bool
    public var location: SourceLocation

    public init(_ name: String, chart: String, version: String, from repository: HelmRepository,
                repositoryNamespace: String? = nil, values: Tree = [:], interval: String = "10m",
                targetNamespace: String? = nil, installCRDs: Bool = false, file: String = #filePath, line: Int = #line) {
        self.init(name, chart: chart, version: version, repositoryNamed: repository.name, repositoryNamespace: repositoryNamespace,
                  values: values, interval: interval, targetNamespace: targetNamespace, installCRDs: installCRDs,
                  file: file, line: line)
    }

    public init(_ name: String, chart: String, version: String, repositoryNamed repository: String,
                repositoryNamespace: String? = nil, values: Tree = [:], interval: String = "10m",
                targetNamespace: String? = nil, installCRDs: Bool = false, file: String = #filePath, line: Int = #line) {
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
