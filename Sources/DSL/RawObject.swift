/// The typed escape hatch: any Kubernetes object the DSL does not model yet.
///
/// apiVersion, kind and the name are checked like every other object; the rest of the
/// object is an ordered tree emitted as written (after `metadata`).
///
/// ```swift
/// RawObject(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "tunnels",
///           body: ["value": 1000000, "globalDefault": false])
/// ```
public struct RawObject: ObjectMetadata, Hashable {
    /// `apiVersion`: `v1` or `<group>/<version>` (`scheduling.k8s.io/v1`).
    public var apiVersion: String
    /// `kind`, in UpperCamelCase (`PriorityClass`).
    public var kind: String
    /// `metadata.name`.
    public var name: String
    /// Set for namespaced objects declared at cluster level, or overriding the enclosing namespace.
    public var namespace: String?
    /// The object's `metadata.labels`, from `labels:` or `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones (`body` may not hold `metadata`).
    public var labels: [String: String]
    /// The object's `metadata.annotations`, from `annotations:` or `.annotations(_:)`, written as
    /// declared.
    public var annotations: [String: String]
    /// Everything after `metadata`, in order (`spec`, `data`, `rules`, ...).
    public var body: Tree
    /// Where the object was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares any object. `body` must be a mapping without `apiVersion`, `kind` or
    /// `metadata` (give those as arguments); a plain `Secret` is rejected like every secret value.
    ///
    /// ```swift
    /// RawObject(apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", name: "nvidia", body: ["handler": "nvidia"])
    /// ```
    public init(
        apiVersion: String, kind: String, name: String, namespace: String? = nil,
        labels: [String: String] = [:], annotations: [String: String] = [:], body: Tree = [:],
        file: String = #filePath, line: Int = #line
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.body = body
        self.location = SourceLocation(file: file, line: line)
    }
}
