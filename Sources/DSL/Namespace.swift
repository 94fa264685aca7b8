/// A namespace (Kubernetes core/v1 `Namespace`) and everything declared in it. The
/// Namespace object itself is applied in the cluster's first Flux layer.
///
/// Objects are grouped into components: each component becomes one folder of the cluster
/// output with its own `kustomization.yaml`. Objects declared directly in the namespace
/// belong to the component named after the namespace.
///
/// ```swift
/// Namespace("apps") {
///     Component("egress-db-proxy") {
///         let proxy = Deployment("egress-db-proxy") { ... }
///         proxy
///         Service(selecting: proxy) { ServicePort("postgres", 5432) }
///     }
/// }
/// ```
public struct Namespace: ObjectMetadata, Hashable {
    /// The namespace's name, a DNS-1123 label (at most 63 characters).
    public var name: String
    /// The Namespace's `metadata.labels`, from `.labels(_:)`, beside the standard `app.kubernetes.io/*`
    /// ones.
    public var labels: [String: String]
    /// The Namespace's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String]
    /// The Flux layer of the namespace's components: of the objects declared directly in it,
    /// and of every `Component` that does not name its own.
    public var layer: String?
    /// Components and objects, in declaration order.
    public var items: [NamespaceItem]
    /// Where the namespace was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a namespace; `layer` places its directly declared objects, each `Component`
    /// may choose its own. The body may be empty for a namespace created for others.
    ///
    /// ```swift
    /// Namespace("egress-system", layer: Layers.networking) { egressGateway(s) }
    /// Namespace("flux-system", annotations: ["kustomize.toolkit.fluxcd.io/prune": "disabled"])
    /// ```
    public init(
        _ name: String, labels: [String: String] = [:], annotations: [String: String] = [:],
        layer: (any LayerNaming)? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem] = { [] }
    ) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.layer = layer?.layerName
        self.items = items()
        self.location = SourceLocation(file: file, line: line)
    }

    /// The components of this namespace in declaration order, the implicit one first.
    public var components: [Component] {
        var loose: [NamespaceItem] = []
        var named: [Component] = []
        for item in items {
            if case .component(let c) = item { named.append(c) } else { loose.append(item) }
        }
        let implicit = loose.isEmpty ? [] : [Component(name, layer: layer, location: location, items: loose)]
        return implicit + named
    }
}

/// A named group of objects in a namespace: one output folder, one unit of reconciliation.
/// Its files land in `clusters/<cluster>/<layer>/<name>/` with their own `kustomization.yaml`.
///
/// ```swift
/// Component("egress-db-proxy", layer: Layers.networking) {
///     let proxy = Deployment("egress-db-proxy") { ... }
///     proxy
///     Service(selecting: proxy) { ServicePort("postgres", 5432) }
/// }
/// ```
public struct Component: Hashable, Sendable {
    /// The folder name, a DNS-1123 label unique within the cluster.
    public var name: String
    /// The Flux layer this component is reconciled in (nil: the cluster's last layer).
    public var layer: String?
    /// The component's objects, in declaration order.
    public var items: [NamespaceItem]
    /// Where the component was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a component; `layer` must name a `Layer` of the cluster's `FluxSync`.
    ///
    /// ```swift
    /// Component("app-secrets") {
    ///     for secret in [cleandataDb, legacyDb, huggingFace] { secret }
    /// }
    /// ```
    public init(
        _ name: String, layer: (any LayerNaming)? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]
    ) {
        self.init(name, layer: layer, location: SourceLocation(file: file, line: line), items: items())
    }

    /// A component from an array of items with an explicit location, for helpers that
    /// pass their caller's.
    ///
    /// ```swift
    /// Component("cloudflared", layer: "networking", location: SourceLocation(file: file, line: line),
    ///           items: clusterTunnel(s))
    /// ```
    public init(_ name: String, layer: (any LayerNaming)? = nil, location: SourceLocation, items: [NamespaceItem]) {
        self.name = name
        self.layer = layer?.layerName
        self.items = items
        self.location = location
    }
}

/// A declaration inside a namespace. Helpers may return `[NamespaceItem]` built from these
/// cases, which a namespace or component body flattens.
///
/// ```swift
/// func clusterTunnel(_ s: SettingValues) -> [NamespaceItem] {
///     [.secret(token), .deployment(tunnel)]
/// }
/// ```
public enum NamespaceItem: Hashable, Sendable {
    /// An apps/v1 Deployment.
    case deployment(Deployment)
    /// An apps/v1 DaemonSet.
    case daemonSet(DaemonSet)
    /// A batch/v1 Job.
    case job(Job)
    /// A batch/v1 CronJob.
    case cronJob(CronJob)
    /// A core/v1 Service.
    case service(Service)
    /// A core/v1 ConfigMap.
    case configMap(ConfigMap)
    /// A secret, emitted as an External Secrets ExternalSecret.
    case secret(SecretDeclaration)
    /// A core/v1 ServiceAccount.
    case serviceAccount(ServiceAccount)
    /// An rbac.authorization.k8s.io/v1 Role.
    case role(Role)
    /// An rbac.authorization.k8s.io/v1 RoleBinding.
    case roleBinding(RoleBinding)
    /// A networking.k8s.io/v1 NetworkPolicy.
    case networkPolicy(NetworkPolicy)
    /// Any other namespaced object (the escape hatch).
    case object(RawObject)
    /// A Flux HelmRepository.
    case helmRepository(HelmRepository)
    /// A Flux HelmRelease.
    case helmRelease(HelmRelease)
    /// A named component (its own output folder).
    case component(Component)
}

extension ListBuilder where Element == NamespaceItem {
    /// A Deployment in a namespace or component body.
    public static func buildExpression(_ x: Deployment) -> [NamespaceItem] { [.deployment(x)] }
    /// A DaemonSet in a namespace or component body.
    public static func buildExpression(_ x: DaemonSet) -> [NamespaceItem] { [.daemonSet(x)] }
    /// A Job in a namespace or component body.
    public static func buildExpression(_ x: Job) -> [NamespaceItem] { [.job(x)] }
    /// A CronJob in a namespace or component body.
    public static func buildExpression(_ x: CronJob) -> [NamespaceItem] { [.cronJob(x)] }
    /// A Service in a namespace or component body.
    public static func buildExpression(_ x: Service) -> [NamespaceItem] { [.service(x)] }
    /// A ConfigMap in a namespace or component body.
    public static func buildExpression(_ x: ConfigMap) -> [NamespaceItem] { [.configMap(x)] }
    /// A secret (ExternalSecret) in a namespace or component body.
    public static func buildExpression(_ x: SecretDeclaration) -> [NamespaceItem] { [.secret(x)] }
    /// A ServiceAccount in a namespace or component body.
    public static func buildExpression(_ x: ServiceAccount) -> [NamespaceItem] { [.serviceAccount(x)] }
    /// A Role in a namespace or component body.
    public static func buildExpression(_ x: Role) -> [NamespaceItem] { [.role(x)] }
    /// A RoleBinding in a namespace or component body.
    public static func buildExpression(_ x: RoleBinding) -> [NamespaceItem] { [.roleBinding(x)] }
    /// A NetworkPolicy in a namespace or component body.
    public static func buildExpression(_ x: NetworkPolicy) -> [NamespaceItem] { [.networkPolicy(x)] }
    /// An escape-hatch object in a namespace or component body.
    public static func buildExpression(_ x: RawObject) -> [NamespaceItem] { [.object(x)] }
    /// A component in a namespace body.
    public static func buildExpression(_ x: Component) -> [NamespaceItem] { [.component(x)] }
    /// A HelmRepository in a namespace or component body.
    public static func buildExpression(_ x: HelmRepository) -> [NamespaceItem] { [.helmRepository(x)] }
    /// A HelmRelease in a namespace or component body.
    public static func buildExpression(_ x: HelmRelease) -> [NamespaceItem] { [.helmRelease(x)] }
}
