/// One Kubernetes cluster: its nodes, namespaces and cluster-scoped objects.
/// Its output lands in `clusters/<name>/`.
public struct Cluster: Hashable, Sendable {
    public var name: String
    public var items: [ClusterItem]
    public var location: SourceLocation

    /// ```swift
    /// Cluster("tethys") {
    ///     Node("tethys", role: .server)
    ///     Namespace("apps") { ... }
    /// }
    /// ```
    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<ClusterItem> _ items: () -> [ClusterItem]) {
        self.name = name
        self.items = items()
        self.location = SourceLocation(file: file, line: line)
    }

    public var nodes: [Node] { items.compactMap { if case .node(let n) = $0 { n } else { nil } } }
    public var namespaces: [Namespace] { items.compactMap { if case .namespace(let n) = $0 { n } else { nil } } }
    public var clusterObjects: [RawObject] { items.compactMap { if case .object(let o) = $0 { o } else { nil } } }
    /// How Flux reconciles this cluster, when it does.
    public var flux: FluxSync? { items.lazy.compactMap { if case .flux(let f) = $0 { f } else { nil } }.first }
    public var secretStores: [PulumiESCStore] { items.compactMap { if case .secretStore(let s) = $0 { s } else { nil } } }
}

/// A declaration directly inside a cluster.
public enum ClusterItem: Hashable, Sendable {
    case node(Node)
    case namespace(Namespace)
    /// A cluster-scoped object the DSL does not model (ClusterRole, CRD-level objects, ...).
    case object(RawObject)
    case flux(FluxSync)
    case secretStore(PulumiESCStore)
}

extension ListBuilder where Element == ClusterItem {
    public static func buildExpression(_ node: Node) -> [ClusterItem] { [.node(node)] }
    public static func buildExpression(_ nodes: [Node]) -> [ClusterItem] { nodes.map(ClusterItem.node) }
    public static func buildExpression(_ namespace: Namespace) -> [ClusterItem] { [.namespace(namespace)] }
    public static func buildExpression(_ object: RawObject) -> [ClusterItem] { [.object(object)] }
    public static func buildExpression(_ flux: FluxSync) -> [ClusterItem] { [.flux(flux)] }
}
