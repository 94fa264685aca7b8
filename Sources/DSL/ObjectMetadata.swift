/// A declaration that becomes one Kubernetes object and so carries labels and annotations.
///
/// Every kind the DSL models conforms, so any object can be labelled without the escape
/// hatch; the compiler checks every key and value that reaches the output (label syntax,
/// annotation keys, the 256 KiB annotation total), whoever wrote it.
///
/// ```swift
/// ConfigMap("adapter-config", data: ["MODE": "async"])
///     .labels(["oceanid.dev/team": "ml"])
///     .annotations(["oceanid.dev/owner": "ml@goldfish.inc"])
/// ```
public protocol ObjectMetadata: Sendable {
    /// Object labels (`metadata.labels`), merged over the standard `app.kubernetes.io/*` ones.
    var labels: [String: String] { get set }
    /// Object annotations (`metadata.annotations`).
    var annotations: [String: String] { get set }
}

extension ObjectMetadata {
    /// Adds object labels; a key given twice keeps the later value.
    public func labels(_ labels: [String: String]) -> Self {
        var copy = self
        copy.labels.merge(labels) { _, new in new }
        return copy
    }

    /// Adds object annotations; a key given twice keeps the later value.
    public func annotations(_ annotations: [String: String]) -> Self {
        var copy = self
        copy.annotations.merge(annotations) { _, new in new }
        return copy
    }
}
