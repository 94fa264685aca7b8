/// A namespace and everything declared in it.
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
    public var name: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// The Flux layer of the namespace's implicit component (objects declared directly in it).
    public var layer: String?
    public var items: [NamespaceItem]
    public var location: SourceLocation

    public init(_ name: String, labels: [String: String] = [:], annotations: [String: String] = [:],
                layer: String? = nil, file: String = #filePath, line: Int = #line,
                @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem] = { [] }) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.layer = layer
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
public struct Component: Hashable, Sendable {
    public var name: String
    /// The Flux layer this component is reconciled in (nil: the cluster's last layer).
    public var layer: String?
    public var items: [NamespaceItem]
    public var location: SourceLocation

    public init(_ name: String, layer: String? = nil, file: String = #filePath, line: Int = #line,
                @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]) {
        self.init(name, layer: layer, location: SourceLocation(file: file, line: line), items: items())
    }

    public init(_ name: String, layer: String? = nil, location: SourceLocation, items: [NamespaceItem]) {
        self.name = name
        self.layer = layer
        self.items = items
        self.location = location
    }
}

/// A declaration inside a namespace.
public enum NamespaceItem: Hashable, Sendable {
    case deployment(Deployment)
    case daemonSet(DaemonSet)
    case job(Job)
    case cronJob(CronJob)
    case service(Service)
    case configMap(ConfigMap)
    case secret(SecretDeclaration)
    case serviceAccount(ServiceAccount)
    case role(Role)
    case roleBinding(RoleBinding)
    case networkPolicy(NetworkPolicy)
    case object(RawObject)
    case helmRepository(HelmRepository)
    case helmRelease(HelmRelease)
    case component(Component)
}

extension ListBuilder where Element == NamespaceItem {
    public static func buildExpression(_ x: Deployment) -> [NamespaceItem] { [.deployment(x)] }
    public static func buildExpression(_ x: DaemonSet) -> [NamespaceItem] { [.daemonSet(x)] }
    public static func buildExpression(_ x: Job) -> [NamespaceItem] { [.job(x)] }
    public static func buildExpression(_ x: CronJob) -> [NamespaceItem] { [.cronJob(x)] }
    public static func buildExpression(_ x: Service) -> [NamespaceItem] { [.service(x)] }
    public static func buildExpression(_ x: ConfigMap) -> [NamespaceItem] { [.configMap(x)] }
    public static func buildExpression(_ x: SecretDeclaration) -> [NamespaceItem] { [.secret(x)] }
    public static func buildExpression(_ x: ServiceAccount) -> [NamespaceItem] { [.serviceAccount(x)] }
    public static func buildExpression(_ x: Role) -> [NamespaceItem] { [.role(x)] }
    public static func buildExpression(_ x: RoleBinding) -> [NamespaceItem] { [.roleBinding(x)] }
    public static func buildExpression(_ x: NetworkPolicy) -> [NamespaceItem] { [.networkPolicy(x)] }
    public static func buildExpression(_ x: RawObject) -> [NamespaceItem] { [.object(x)] }
    public static func buildExpression(_ x: Component) -> [NamespaceItem] { [.component(x)] }
    public static func buildExpression(_ x: HelmRepository) -> [NamespaceItem] { [.helmRepository(x)] }
    public static func buildExpression(_ x: HelmRelease) -> [NamespaceItem] { [.helmRelease(x)] }
}
