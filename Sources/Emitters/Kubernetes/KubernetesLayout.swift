import Compiler
import DSL
import Rendering

/// IR → files under `clusters/<cluster>/`. The lowering already wrote each Kubernetes object
/// (an ordered `Tree`); this only lays them out: one folder per component with an explicit
/// kustomization.yaml listing its files in sorted order, plus the root and layer
/// kustomization.yaml files the IR lays out (`ClusterIR.structuralKustomizations`, which
/// the Flux path check reads too). Pure: returns files, writes nothing.
public enum KubernetesLayout {
    /// `FleetIR.clusters` → `clusters/<cluster>/<layer>/<component>/<kind>-<name>.yaml` for every
    /// object (its `tree` rendered by `YAMLRenderer`), a `kustomization.yaml` in each component
    /// folder, and the structural ones; sorted by path.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for cluster in ir.clusters {
            for component in cluster.components {
                let names = component.objects.map {
                    OutputLayout.objectFile($0.id, componentNamespace: component.namespace)
                }
                files.append(
                    kustomization(
                        at: "\(cluster.root)/\(component.folder)", resources: names, origin: component.location))
            }
            for (folder, resources) in cluster.structuralKustomizations {
                files.append(
                    kustomization(at: folder, resources: resources, origin: cluster.flux?.location ?? cluster.location))
            }
        }
        // Each object renders alone: on every core, in order (`Parallel.map`).
        files += Parallel.map(objectFiles(ir)) { path, object in
            GeneratedFile(path: path, syntax: .yaml, body: YAMLRenderer.render(object.tree), origin: object.origin)
        }
        return files.sorted()
    }

    /// Every object with the path of its file (`clusters/<cluster>/<layer>/<component>/<kind>-<name>.yaml`),
    /// in declaration order: the files `emit` renders, one object each.
    public static func objectFiles(_ ir: FleetIR) -> [(path: String, object: ObjectIR)] {
        ir.clusters.flatMap { cluster in
            cluster.components.flatMap { component in
                component.objects.map { object in
                    (
                        "\(cluster.root)/\(component.folder)/"
                            + OutputLayout.objectFile(object.id, componentNamespace: component.namespace), object
                    )
                }
            }
        }
    }

    /// A kustomize `Kustomization` listing `resources` (files or folders), sorted; `origin`
    /// is the declaration whose folder it is (component, Flux sync or cluster).
    public static func kustomization(at folder: String, resources: [String], origin: SourceLocation? = nil)
        -> GeneratedFile
    {
        let tree: Tree = [
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": .list(resources.sorted().map(Tree.string)),
        ]
        return GeneratedFile(
            path: "\(folder)/\(OutputLayout.kustomization)", syntax: .yaml, body: YAMLRenderer.render(tree),
            origin: origin)
    }
}
