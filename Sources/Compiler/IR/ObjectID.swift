/// The identity of a Kubernetes object: two declarations with the same group, kind,
/// namespace and name would overwrite each other in the cluster.
public struct ObjectID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// `<group>/<version>` (`apps/v1`), or the version alone for the core group (`v1`).
    public var apiVersion: String
    /// The object's kind (`Deployment`), as in its `kind` field.
    public var kind: String
    /// `metadata.namespace`; nil for a cluster-scoped object (`Namespace`, `ClusterRole`).
    public var namespace: String?
    /// `metadata.name`.
    public var name: String

    /// An identity from the object's four identifying fields.
    public init(apiVersion: String, kind: String, namespace: String?, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// The API group ("" for the core group).
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// What makes two objects the same in the cluster (the version does not).
    public var identityKey: String { "\(group)/\(kind)/\(namespace ?? "")/\(name)" }

    /// Output order: by namespace (cluster-scoped first), kind, name, then apiVersion.
    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.namespace ?? "", a.kind, a.name, a.apiVersion) < (b.namespace ?? "", b.kind, b.name, b.apiVersion)
    }

    /// `Kind namespace/name`, or `Kind name` for a cluster-scoped object, as messages name it.
    public var description: String {
        namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
    }
}
