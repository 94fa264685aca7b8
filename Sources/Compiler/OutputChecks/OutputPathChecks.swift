import DSL

/// Two objects must not land in one file: `<kind>-<namespace>-<name>.yaml` of one object can
/// equal `<kind>-<name>.yaml` of another (a name that starts with another namespace's name),
/// and two kinds of one name in different API groups share a file name. The writer would
/// keep one and drop the other; this reports both declarations instead.
enum OutputPathChecks {
    static func run(_ ir: FleetIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for cluster in ir.clusters {
            for component in cluster.components {
                var first: [String: ObjectIR] = [:]
                for object in component.objects.sorted(by: { $0.sequence < $1.sequence }) {
                    let path =
                        "\(cluster.root)/\(component.folder)/"
                        + OutputLayout.objectFile(object.id, componentNamespace: component.namespace)
                    // The same object declared twice is a duplicate-object, reported on its own.
                    if let earlier = first[path], earlier.id.identityKey != object.id.identityKey {
                        out.append(
                            .duplicateOutputPath(
                                path, object: object.id, other: earlier.id, at: object.origin, first: earlier.origin))
                    } else if first[path] == nil {
                        first[path] = object
                    }
                }
            }
        }
        return out
    }
}
