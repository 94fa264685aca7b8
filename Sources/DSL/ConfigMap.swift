/// A ConfigMap with literal, non-secret data. Keys are emitted sorted.
///
/// ```swift
/// ConfigMap("adapter-config", data: ["TRITON_MODEL_NAME": "ner-distilbert"])
/// ```
public struct ConfigMap: Hashable, Sendable {
    public var name: String
    public var data: [String: String]
    public var location: SourceLocation

    public init(_ name: String, data: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.data = data
        self.location = SourceLocation(file: file, line: line)
    }
}
