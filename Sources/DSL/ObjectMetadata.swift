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
    /// Object labels (`metadata.labels`), beside the standard `app.kubernetes.io/*` ones
    /// (a declared `app.kubernetes.io/name` wins; `part-of` and `managed-by` are the fleet's).
    var labels: [String: String] { get set }
    /// Object annotations (`metadata.annotations`).
    var annotations: [String: String] { get set }
}

extension ObjectMetadata {
    /// Adds object labels (`metadata.labels`); a key given twice keeps the later value.
    /// Keys are `[prefix/]name` label keys, values at most 63 characters.
    ///
    /// ```swift
    /// ServiceAccount("ls-triton-adapter").labels(["oceanid.dev/team": "ml"])
    /// ```
    public func labels(_ labels: [String: String]) -> Self {
        var copy = self
        copy.labels.merge(labels) { _, new in new }
        return copy
    }

    /// Adds object annotations (`metadata.annotations`); a key given twice keeps the later
    /// value. Pod template annotations are set with `.podAnnotations(_:)` instead.
    ///
    /// ```swift
    /// Namespace("flux-system").annotations(["kustomize.toolkit.fluxcd.io/prune": "disabled"])
    /// ```
    public func annotations(_ annotations: [String: String]) -> Self {
        var copy = self
        copy.annotations.merge(annotations) { _, new in new }
        return copy
    }

    /// Marks the object for recreation: Flux's kustomize-controller deletes and recreates it
    /// when a server-side apply fails on an immutable field (annotation
    /// `kustomize.toolkit.fluxcd.io/force: enabled`, fluxcd.io/flux/components/kustomize/kustomizations/#force).
    /// Required on an object whose immutable fields the definitions can change (a fixed
    /// `clusterIP`, a Job's template, a selector); the compiler refuses such an object without it.
    ///
    /// ```swift
    /// Service(selecting: proxy) { postgres }.fixedClusterIP("10.43.0.54").recreatedOnChange()
    /// ```
    public func recreatedOnChange() -> Self {
        annotations([ObjectMetadataKeys.force: "enabled"])
    }
}

/// Annotation keys the DSL and the compiler agree on.
public enum ObjectMetadataKeys {
    /// Flux's per-object force apply: recreate the object when an immutable field changes.
    public static let force = "kustomize.toolkit.fluxcd.io/force"
}
