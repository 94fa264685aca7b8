import DSL

/// What Flux's kustomize-controller reports for an object it has just applied, when the
/// object's Kustomization has `wait: true` (it waits until every object is Current, or fails
/// at `timeout`). The compiler restates the rules for the kinds it emits, at the
/// `fluxcd/pkg/runtime` the installed kustomize-controller is built with (`ChartRelease.fluxRuntime`):
/// - kstatus (fluxcd/cli-utils `pkg/kstatus/status/core.go`, `legacyTypes`): a Deployment,
///   DaemonSet, StatefulSet or ReplicaSet is Current when its new pods are rolled out and
///   available; a PersistentVolumeClaim when Bound; a Service of type LoadBalancer once it has a
///   clusterIP, any other Service at once; ConfigMap, Secret and CronJob (`batch/CronJob:
///   alwaysReady`) at once; any other kind by its status conditions: none (ServiceAccount, Role,
///   NetworkPolicy) is Current at once, a `Ready` condition (ExternalSecret, HelmRelease,
///   Kustomization, GitRepository, HelmRepository) when Ready.
/// - Flux's own Job reader (fluxcd/pkg `runtime/statusreaders/job.go`): a Job is Current only
///   when Complete; a suspended Job is Current from runtime v0.93.0 (fluxcd/pkg#1059, commit
///   077fa749) and InProgress for ever before it, so its layer never becomes Ready.
public enum FluxHealth {
    /// When a freshly applied object is Current.
    public enum Settles: Hashable, Sendable {
        /// As soon as it exists.
        case atOnce
        /// When its controller reports the rollout done (pods available, volume bound, address assigned).
        case whenRolledOut
        /// When a Job completes.
        case whenComplete
        /// When its `Ready` condition is True.
        case whenReady
        /// Never: the layer waits until its timeout and fails. The reason names the rule.
        case never(String)
    }

    /// The rule for one emitted object at `runtime` (kustomize-controller's fluxcd/pkg/runtime).
    public static func settles(_ object: Tree, runtime: SemanticVersion) -> Settles {
        let kind = object["kind"]?.stringValue ?? ""
        let spec = object["spec"]
        switch kind {
        case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "PersistentVolumeClaim": return .whenRolledOut
        case "Service": return spec?["type"]?.stringValue == "LoadBalancer" ? .whenRolledOut : .atOnce
        case "Job":
            guard spec?["suspend"] == .bool(true) else { return .whenComplete }
            return runtime >= ChartRelease.suspendedJobCurrentSince
                ? .atOnce
                : .never(
                    "a suspended Job is InProgress for ever before fluxcd/pkg runtime "
                        + "\(ChartRelease.suspendedJobCurrentSince) (fluxcd/pkg#1059); the installed one is \(runtime)")
        case "ExternalSecret", "SecretStore", "ClusterSecretStore", "HelmRelease", "HelmRepository", "Kustomization",
            "GitRepository", "OCIRepository", "HelmChart", "Bucket":
            return .whenReady
        default: return .atOnce
        }
    }

    /// Objects in a `wait: true` layer that never become Current on the installed Flux
    /// (`never-ready`), for every cluster whose flux2 chart is a recorded release.
    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for cluster in ir.clusters {
            guard let flux = cluster.flux, let release = ChartRelease.release("flux2", flux.chartVersion),
                let runtime = release.fluxRuntime
            else { continue }
            let objects = cluster.components.flatMap(\.objects)
            let waiting = Set(
                objects.filter { $0.id.kind == "Kustomization" && $0.tree["spec"]?["wait"] == .bool(true) }
                    .map(\.id.name))
            for component in cluster.components where waiting.contains(component.layer ?? "") {
                for object in component.objects {
                    if case .never(let why) = settles(object.tree, runtime: runtime) {
                        out.append(
                            .neverReady(
                                object.id, layer: component.layer ?? "", flux: release.appVersion, why: why,
                                at: object.origin))
                    }
                }
            }
        }
        return out
    }
}
