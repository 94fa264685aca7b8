import DSL

/// What each Flux layer waits for, checked on the lowered objects: a layer that names its
/// `healthChecks` (and so `wait: false`) must wait for everything a later layer needs from it,
/// and each check must name an object the layer applies.
///
/// Restates Flux's Kustomization API (https://fluxcd.io/flux/components/kustomize/kustomizations/,
/// sections "Wait" and "Health checks"): with `spec.wait: true` every applied object is
/// health-checked and `spec.healthChecks` is ignored; with `wait: false` only the listed objects
/// are, and a dependent Kustomization (`spec.dependsOn`) starts once those are Ready. An object
/// that does not exist fails its health check until `spec.timeout`.
///
/// What a later layer needs from a layer (the needs this check knows):
/// - a Service of the layer that an object of the later layer names (a string containing
///   `<service>.<namespace>.svc`, in env, args or chart values) or dials by its fixed ClusterIP
///   (`hostAliases`): the Deployments, StatefulSets and DaemonSets that Service selects;
/// - the store an ExternalSecret of the later layer reads (`spec.secretStoreRef`);
/// - a HelmRelease of the layer that installs CRDs (`spec.install.crds`), when the later layer
///   applies objects of an API group that is neither Kubernetes' own nor Flux's.
public enum LayerHealthCheck {
    /// Checks every cluster's layers (the check-output stage, on a fleet without errors).
    ///
    /// - Returns: `uncheckedDependency` (at the layer that should wait, noting the object that
    ///   needs it), `unknownHealthCheck` and `healthChecksIgnored`, sorted.
    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        ir.clusters.flatMap(check).sorted()
    }

    /// The groups whose kinds the API server serves without a chart's CRDs.
    static let builtInGroups: Set<String> = [
        "", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "policy", "autoscaling",
        "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io",
    ]

    static func check(_ cluster: ClusterIR) -> [Diagnostic] {
        guard let flux = cluster.flux else { return [] }
        let layerNames = Set(flux.layers)
        let kustomizations = cluster.components.flatMap(\.objects).filter {
            $0.id.group == "kustomize.toolkit.fluxcd.io" && $0.id.kind == "Kustomization"
                && $0.id.namespace == flux.namespace && layerNames.contains($0.id.name)
        }
        var applied: [String: [ObjectIR]] = [:]
        for component in cluster.components {
            if let layer = component.layer { applied[layer, default: []] += component.objects }
        }
        let dependsOn = Dictionary(
            kustomizations.map { ($0.id.name, FluxGraphCheck.dependsOn($0).map(\.name)) },
            uniquingKeysWith: { a, _ in a })

        var out: [Diagnostic] = []
        for layer in kustomizations {
            let name = layer.id.name
            let spec = layer.tree["spec"]
            let wait = spec?["wait"] == .bool(true)
            let checks = (spec?["healthChecks"]?.items ?? []).compactMap(reference)
            let own = applied[name] ?? []
            for check in checks where !own.contains(where: { matches($0.id, check) }) {
                let known = own.filter { $0.id.kind == check.kind }.map(\.id.description)
                out.append(.unknownHealthCheck(check.description, layer: name, known: known, at: layer.origin))
            }
            if wait {
                if !checks.isEmpty { out.append(.healthChecksIgnored(layer: name, at: layer.origin)) }
                continue
            }
            var reported: Set<String> = []
            for later in dependents(of: name, dependsOn: dependsOn) {
                for object in applied[later] ?? [] {
                    for need in needs(of: object, from: own)
                    where !checks.contains(where: { matches(need.object.id, $0) })
                        && reported.insert(need.object.id.identityKey).inserted
                    {
                        out.append(
                            .uncheckedDependency(
                                layer: name, needed: need.object.id, dependentLayer: later, dependent: object.id,
                                why: need.why, check: swift(need.object.id), at: layer.origin,
                                neededBy: object.origin))
                    }
                }
            }
        }
        return out
    }

    /// One object of the layer that an object of a later layer needs, and how.
    struct Need {
        var object: ObjectIR
        var why: String
    }

    /// What `object` needs from `own` (the earlier layer's objects).
    static func needs(of object: ObjectIR, from own: [ObjectIR]) -> [Need] {
        var out: [Need] = []
        let texts = strings(object.tree)
        for service in own where service.id.kind == "Service" && service.id.group.isEmpty {
            let host = "\(service.id.name).\(service.id.namespace ?? "").svc"
            let clusterIP = service.tree["spec"]?["clusterIP"]?.stringValue
            let named = texts.contains { $0.contains(host) }
            let dialled = clusterIP.map { ip in ip != "None" && texts.contains(ip) } ?? false
            guard named || dialled else { continue }
            let how = named ? "reaches \(service.id) by name" : "dials \(service.id)'s ClusterIP \(clusterIP ?? "")"
            for workload in selected(by: service, among: own) { out.append(Need(object: workload, why: how)) }
        }
        if object.id.kind == "ExternalSecret", let ref = object.tree["spec"]?["secretStoreRef"],
            let name = ref["name"]?.stringValue
        {
            let kind = ref["kind"]?.stringValue ?? "SecretStore"
            for store in own where store.id.kind == kind && store.id.name == name {
                out.append(Need(object: store, why: "reads its secrets from \(store.id)"))
            }
        }
        if !builtInGroups.contains(object.id.group), !object.id.group.hasSuffix("toolkit.fluxcd.io") {
            for release in own
            where release.id.kind == "HelmRelease" && release.tree["spec"]?["install"]?["crds"] != nil {
                out.append(Need(object: release, why: "is a \(object.id.kind), served by CRDs \(release.id) installs"))
            }
        }
        return out
    }

    /// The workloads of `own` a Service selects (its selector ⊆ their pod template's labels).
    static func selected(by service: ObjectIR, among own: [ObjectIR]) -> [ObjectIR] {
        guard let selector = service.tree["spec"]?["selector"]?.entries, !selector.isEmpty else { return [] }
        return own.filter { workload in
            guard ["Deployment", "StatefulSet", "DaemonSet"].contains(workload.id.kind),
                workload.id.namespace == service.id.namespace,
                let labels = workload.tree["spec"]?["template"]?["metadata"]?["labels"]
            else { return false }
            return selector.allSatisfy { labels[$0.key] == $0.value }
        }
    }

    /// Every string leaf of a tree (values, not keys).
    static func strings(_ tree: Tree) -> [String] {
        switch tree {
        case .string(let text): [text]
        case .list(let items): items.flatMap(strings)
        case .map(let entries): entries.flatMap { strings($0.value) }
        default: []
        }
    }

    /// A `healthChecks` entry as a `HealthCheck`.
    static func reference(_ tree: Tree) -> HealthCheck? {
        guard let kind = tree["kind"]?.stringValue, let name = tree["name"]?.stringValue else { return nil }
        return HealthCheck(
            apiVersion: tree["apiVersion"]?.stringValue ?? "", kind: kind, name: name,
            namespace: tree["namespace"]?.stringValue)
    }

    /// Whether a health check names the object (same group, kind, namespace and name).
    static func matches(_ id: ObjectID, _ check: HealthCheck) -> Bool {
        let group = ObjectID(apiVersion: check.apiVersion, kind: check.kind, namespace: nil, name: "").group
        return id.group == group && id.kind == check.kind && id.name == check.name && id.namespace == check.namespace
    }

    /// The layers that depend on `layer`, directly or through others, in name order.
    static func dependents(of layer: String, dependsOn: [String: [String]]) -> [String] {
        func reaches(_ from: String, _ seen: Set<String>) -> Bool {
            for next in dependsOn[from] ?? [] where !seen.contains(next) {
                if next == layer || reaches(next, seen.union([next])) { return true }
            }
            return false
        }
        return dependsOn.keys.filter { $0 != layer && reaches($0, [$0]) }.sorted()
    }

    /// The `HealthCheck` that names `id`, as the definitions would write it.
    static func swift(_ id: ObjectID) -> String {
        let namespace = id.namespace ?? ""
        switch id.kind {
        case "Deployment": return ".deployment(\"\(id.name)\", namespace: \"\(namespace)\")"
        case "HelmRelease": return ".helmRelease(\"\(id.name)\", namespace: \"\(namespace)\")"
        case "ClusterSecretStore": return ".clusterSecretStore(\"\(id.name)\")"
        default:
            let ns = id.namespace.map { "\"\($0)\"" } ?? "nil"
            return "HealthCheck(apiVersion: \"\(id.apiVersion)\", kind: \"\(id.kind)\", name: \"\(id.name)\", "
                + "namespace: \(ns))"
        }
    }
}
