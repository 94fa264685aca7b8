import DSL

/// Components name layers the cluster's FluxSync declares; secrets read declared ESC keys.
enum LayerAndSecretChecks {
    static func layers(_ index: ClusterIndex) -> [Diagnostic] {
        guard let flux = index.cluster.flux else { return [] }
        let known = flux.layers.map(\.name)
        var out: [Diagnostic] = []
        for store in index.cluster.secretStores {
            if let layer = store.layer, !known.contains(layer) {
                out.append(
                    .unknownLayer(layer, component: ClusterIndex.secretStoreComponent, known: known, at: store.location)
                )
            }
        }
        for ns in index.cluster.namespaces {
            for component in ns.components {
                if let layer = component.layer, !known.contains(layer) {
                    out.append(.unknownLayer(layer, component: component.name, known: known, at: component.location))
                }
            }
        }
        return out
    }

    static func escKeys(_ index: ClusterIndex, secretSettings: Set<String>) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .secret(let secret) = object.payload else { continue }
            for (_, escKey) in secret.keys.sorted(by: { $0.key < $1.key }) where !secretSettings.contains(escKey) {
                out.append(
                    .undeclaredESCKey(escKey, secret: secret.name, known: Array(secretSettings), at: secret.location))
            }
        }
        return out
    }
}
