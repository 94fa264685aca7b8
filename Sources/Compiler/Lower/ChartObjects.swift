import DSL

/// The objects Helm installs, as the fleet's `ChartRendering`s describe them: Flux's controllers
/// (the bootstrap's flux2 chart, with `FluxIR.bootstrapValues`) and every described
/// `HelmRelease` (with its values). They enter the policy input only (`ClusterIR.chartObjects`),
/// never clusters/: Helm, not this tree, applies them.
enum ChartObjects {
    /// The annotation naming what installs an object (`HelmRelease apps/label-studio, chart
    /// label-studio 2.0.5`), so a denial of it reads as the chart's.
    static let installedBy = "oceanid.dev/installed-by"

    /// Every described chart's workloads in `index`'s cluster, each with the declaration that
    /// installs it as its origin.
    static func lower(_ index: ClusterIndex, bootstrapValues: Tree?) -> [ObjectIR] {
        var out: [ObjectIR] = []
        if let flux = index.cluster.flux, let rendering = flux.rendering, rendering.version == flux.chartVersion {
            out += objects(
                rendering, release: "flux2", namespace: FluxSync.namespace, values: bootstrapValues ?? [:],
                installer: "bootstrap.sh", at: flux.location)
        }
        for object in index.objects {
            guard case .helmRelease(let release) = object.payload, let rendering = release.rendering,
                rendering.version == release.version, rendering.chart == release.chart
            else { continue }
            let namespace = release.targetNamespace ?? object.id.namespace ?? "default"
            out += objects(
                rendering, release: release.name, namespace: namespace, values: release.values,
                installer: "HelmRelease \(object.id.namespace ?? "")/\(release.name)", at: release.location)
        }
        return out.enumerated().map { index, object in
            var object = object
            object.sequence = index
            return object
        }
    }

    /// One rendering's workloads as Kubernetes objects, `values` merged over its defaults.
    static func objects(
        _ rendering: ChartRendering, release: String, namespace: String, values: Tree, installer: String,
        at location: SourceLocation
    ) -> [ObjectIR] {
        let merged = rendering.defaults.merging(values)
        return rendering.workloads.map { workload in
            let name = workload.name.replacingOccurrences(of: "{release}", with: release)
            let namespace = workload.namespace ?? namespace
            var pod = MapBuilder()
            if workload.hostNetwork { pod.set("hostNetwork", true) }
            pod.setNonEmpty("initContainers", .list(workload.initContainers.map { container($0, merged) }))
            pod.set("containers", .list(workload.containers.map { container($0, merged) }))
            let template: Tree = [
                "metadata": ["labels": ["app.kubernetes.io/instance": .string(release)]], "spec": pod.tree,
            ]
            let spec: Tree =
                switch workload.kind {
                case .cronJob: ["jobTemplate": ["spec": ["template": template]]]
                case .job: ["template": template]
                default: ["template": template]
                }
            let id = ObjectID(
                apiVersion: workload.kind == .cronJob || workload.kind == .job ? "batch/v1" : "apps/v1",
                kind: workload.kind.rawValue, namespace: namespace, name: name)
            let tree: Tree = [
                "apiVersion": .string(id.apiVersion), "kind": .string(id.kind),
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace),
                    "annotations": .map([
                        Tree.Entry(installedBy, .string("\(installer), chart \(rendering.chart) \(rendering.version)"))
                    ]),
                ],
                "spec": spec,
            ]
            return ObjectIR(id: id, tree: tree, origin: location)
        }
    }

    /// A container as the template renders it with `values`.
    static func container(_ container: ChartContainer, _ values: Tree) -> Tree {
        var out = MapBuilder()
        out.set("name", container.name)
        out.set("image", container.image)
        let env = container.env.flatMap { path -> [Tree] in
            (lookup(values, path)?.entries ?? []).map { entry in
                ["name": .string(entry.key), "value": entry.value]
            }
        }
        out.setNonEmpty("env", .list(env))
        if !container.resources.isEmpty, let resources = lookup(values, container.resources) {
            out.setNonEmpty("resources", nonEmpty(resources))
        }
        var security = MapBuilder()
        if container.privileged { security.set("privileged", true) }
        if !container.capabilities.isEmpty {
            security.set("capabilities", ["add": .list(container.capabilities.map(Tree.string))] as Tree)
        }
        out.setNonEmpty("securityContext", security.tree)
        return out.tree
    }

    /// The value at a path of mapping keys.
    static func lookup(_ tree: Tree, _ path: [String]) -> Tree? {
        path.reduce(Optional(tree)) { $0?[$1] }
    }

    /// A mapping without its empty mappings (`limits: {}` renders as nothing a rule can read).
    static func nonEmpty(_ tree: Tree) -> Tree {
        guard let entries = tree.entries else { return tree }
        return .map(
            entries.compactMap { entry in
                if let inner = entry.value.entries, inner.isEmpty { return nil }
                return Tree.Entry(entry.key, entry.value)
            })
    }
}
