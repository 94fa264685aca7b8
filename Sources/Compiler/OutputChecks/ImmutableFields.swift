import DSL

/// Objects Flux can always apply: an emitted object with a field the API server refuses to
/// change once created must carry `kustomize.toolkit.fluxcd.io/force: enabled`, so that
/// kustomize-controller deletes and recreates it when that field changes
/// (fluxcd.io/flux/components/kustomize/kustomizations/#force). Without it the first change fails
/// the server-side dry-run of the whole layer, and nothing in the layer is applied until someone
/// deletes the object by hand.
///
/// The immutable fields (Kubernetes API validation, `pkg/apis/*/validation` in kubernetes/kubernetes):
/// - a Job's `spec.template` (and `spec.selector`): `ValidateJobUpdate`, "field is immutable";
/// - a Service's `spec.clusterIP` once set: `ValidateServiceUpdate` (a fixed address is a
///   declared value the definitions can change; an address the API server picks is not);
/// - the `spec.selector` of a Deployment, DaemonSet, StatefulSet or ReplicaSet (apps/v1): a
///   selector other than the name-derived `app.kubernetes.io/name: <name>` is declared, so it can
///   change under the same name (the name-derived one changes only with the name, which makes a
///   new object);
/// - a StatefulSet's `spec.volumeClaimTemplates`, `spec.serviceName` and `spec.podManagementPolicy`
///   (`ValidateStatefulSetUpdate` allows only replicas, template, updateStrategy, minReadySeconds,
///   ordinals and the PVC retention policy to change);
/// - the `data` and `binaryData` of a ConfigMap or Secret marked `immutable: true`.
/// PersistentVolumeClaims are left alone: recreating one deletes its data.
public enum ImmutableFields {
    /// One problem per object that has a changeable immutable field and no force annotation.
    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for cluster in ir.clusters {
            for component in cluster.components {
                for object in component.objects { out += check(object) }
            }
        }
        return out
    }

    /// The immutable fields of one emitted object its declaration can change, as
    /// `(field, why)`; empty when it has none or is marked for recreation.
    static func changeable(_ tree: Tree, id: ObjectID) -> [(field: String, why: String)] {
        if tree["metadata"]?["annotations"]?[ObjectMetadataKeys.force]?.stringValue == "enabled" { return [] }
        let spec = tree["spec"]
        var out: [(field: String, why: String)] = []
        switch id.kind {
        case "Job":
            out.append(("spec.template", "a Job's pod template cannot change after it is created"))
        case "Service":
            if let ip = spec?["clusterIP"]?.stringValue, !ip.isEmpty {
                out.append(("spec.clusterIP", "a Service's clusterIP '\(ip)' cannot change after it is created"))
            }
        case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet":
            let selector = spec?["selector"]
            let derived: Tree = ["matchLabels": ["app.kubernetes.io/name": .string(id.name)]]
            if let selector, selector != derived {
                out.append(("spec.selector", "a \(id.kind)'s selector cannot change after it is created"))
            }
            if id.kind == "StatefulSet" {
                for field in ["volumeClaimTemplates", "serviceName", "podManagementPolicy"] where spec?[field] != nil {
                    out.append(("spec.\(field)", "a StatefulSet's \(field) cannot change after it is created"))
                }
            }
        case "ConfigMap", "Secret":
            if tree["immutable"] == .bool(true) {
                out.append(("data", "an immutable \(id.kind)'s data cannot change after it is created"))
            }
        default: break
        }
        return out
    }

    static func check(_ object: ObjectIR) -> [Diagnostic] {
        changeable(object.tree, id: object.id).map { problem in
            .immutableFieldWithoutForce(object.id, field: problem.field, why: problem.why, at: object.origin)
        }
    }
}
