/// A ConfigMap (Kubernetes core/v1) with literal, non-secret data. Keys are emitted sorted;
/// the whole object may hold at most 1 MiB of data, and a credential in it is an error.
/// Containers use it through `Volume.configMap`, `Env(_:configMap:key:)` or `EnvFrom`.
///
/// ```swift
/// ConfigMap("adapter-config", data: ["TRITON_MODEL_NAME": "ner-distilbert"])
/// ```
public struct ConfigMap: ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain, unique among the namespace's ConfigMaps.
    public var name: String
    /// Key → value. Keys follow Kubernetes' ConfigMap key rule: `[-._a-zA-Z0-9]+`, at most
    /// 253 characters, not `.` or `..`.
    public var data: [String: String]
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    /// Where the ConfigMap was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a ConfigMap in the enclosing namespace; keep the value to mount or reference it.
    ///
    /// ```swift
    /// let config = ConfigMap("cloudflared-node-config", data: [
    ///     "config.yaml": "warp-routing:\n  enabled: true\nmetrics: 0.0.0.0:2200\nno-autoupdate: true\n",
    /// ])
    /// ```
    public init(_ name: String, data: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.data = data
        self.location = SourceLocation(file: file, line: line)
    }
}
