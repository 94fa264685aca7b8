/// A ConfigMap with literal, non-secret data. Keys are emitted sorted.
///
/// ```swift
/// ConfigMap("adapter-config", data: ["TRITON_MODEL_NAME": "ner-distilbert"])
/// ```
public struct ConfigMap: ObjectMetadata, Hashable {
    public var name: String
    /// Key → value. Keys follow Kubernetes' ConfigMap key rule: `[-._a-zA-Z0-9]+`, at most
    /// 253 characters, not `.` or `..`.
    public var data: [String: String]
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var location: SourceLocation

    public init(_ name: String, data: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.data = data
        self.location = SourceLocation(file: file, line: line)
    }
}
