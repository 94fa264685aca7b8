/// The identity of a Kubernetes object: two declarations with the same group, kind,
/// namespace and name would overwrite each other in the cluster.
public struct ObjectID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String

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

    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.namespace ?? "", a.kind, a.name, a.apiVersion) < (b.namespace ?? "", b.kind, b.name, b.apiVersion)
    }

    public var description: String {
        namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
    }
}
