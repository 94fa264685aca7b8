/// One Kubernetes cluster: its nodes, namespaces and cluster-scoped objects.
/// Its output lands in `clusters/<name>/`.
///
/// ```swift
/// Cluster("tethys") {
///     Nodes.all
///     FluxSync(url: s[Settings.gitRepositoryUrl], branch: "main", path: "clusters/tethys",
///              version: "v2.8.5", chartVersion: "2.18.3") { Layer("apps") }
///     Namespace("apps", layer: "apps") { ... }
/// }
/// ```
public struct Cluster: Hashable, Sendable {
    /// The cluster's name, a DNS-1123 label (`tethys`); names the output folder `clusters/<name>/`.
    public var name: String
    /// Nodes, namespaces, Flux sync, secret store and cluster-scoped objects, in declaration order.
    public var items: [ClusterItem]
    /// Where the cluster was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a cluster from a body of nodes, namespaces, one `FluxSync`, one
    /// `PulumiESCStore` and cluster-scoped `RawObject`s.
    ///
    /// ```swift
    /// Cluster("tethys") {
    ///     Node("tethys", role: .server)
    ///     Namespace("apps") { ... }
    /// }
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<ClusterItem> _ items: () -> [ClusterItem]
    ) {
        self.name = name
        self.items = items()
        self.location = SourceLocation(file: file, line: line)
    }

    /// The cluster's nodes (K3s servers and agents), in declaration order.
    public var nodes: [Node] { items.compactMap { if case .node(let n) = $0 { n } else { nil } } }
    /// The cluster's namespaces, in declaration order.
    public var namespaces: [Namespace] { items.compactMap { if case .namespace(let n) = $0 { n } else { nil } } }
    /// Cluster-scoped escape-hatch objects declared directly in the cluster.
    public var clusterObjects: [RawObject] { items.compactMap { if case .object(let o) = $0 { o } else { nil } } }
    /// How Flux reconciles this cluster, when it does.
    public var flux: FluxSync? { items.lazy.compactMap { if case .flux(let f) = $0 { f } else { nil } }.first }
    /// The External Secrets ClusterSecretStores (Pulumi ESC) the cluster's ExternalSecrets read from.
    public var secretStores: [PulumiESCStore] {
        items.compactMap { if case .secretStore(let s) = $0 { s } else { nil } }
    }
}

/// A declaration directly inside a cluster.
public enum ClusterItem: Hashable, Sendable {
    /// A K3s node.
    case node(Node)
    /// A namespace with its components.
    case namespace(Namespace)
    /// A cluster-scoped object the DSL does not model (ClusterRole, CRD-level objects, ...).
    case object(RawObject)
    /// The cluster's Flux sync (GitRepository and Kustomizations).
    case flux(FluxSync)
    /// A Pulumi ESC ClusterSecretStore.
    case secretStore(PulumiESCStore)
}

extension ListBuilder where Element == ClusterItem {
    /// A node in a `Cluster` body.
    public static func buildExpression(_ node: Node) -> [ClusterItem] { [.node(node)] }
    /// Several nodes at once (`Nodes.all`).
    public static func buildExpression(_ nodes: [Node]) -> [ClusterItem] { nodes.map(ClusterItem.node) }
    /// A namespace in a `Cluster` body.
    public static func buildExpression(_ namespace: Namespace) -> [ClusterItem] { [.namespace(namespace)] }
    /// A cluster-scoped escape-hatch object in a `Cluster` body.
    public static func buildExpression(_ object: RawObject) -> [ClusterItem] { [.object(object)] }
    /// The cluster's `FluxSync` in a `Cluster` body.
    public static func buildExpression(_ flux: FluxSync) -> [ClusterItem] { [.flux(flux)] }
}
