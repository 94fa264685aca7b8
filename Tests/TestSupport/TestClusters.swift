import DSL

/// Clusters the compiler's tests build fixtures on, so each fixture spells only what it is about.
public enum TestClusters {
    /// Cluster `c`: a server node (`n1` unless `node` says otherwise, none when nil), Flux
    /// reconciling it from `https://git.example/t.git` (branch `main`, path `clusters/c`) with
    /// `layers` in order, the `flux-system` namespace, then `items`.
    ///
    /// Flux `v2.8.5` from the flux2 chart `2.18.3` (a pair `ChartRelease` records) unless a test is
    /// about another pair; `line` places the `FluxSync` (and its diagnostics) at the caller.
    ///
    /// ```swift
    /// TestClusters.flux(layers: [Layer("apps")]) { Namespace("apps", layer: "apps") { ... } }
    /// ```
    public static func flux(
        version: String = "v2.8.5", chartVersion: String = "2.18.3", node: String? = "n1", layers: [Layer],
        file: String = #filePath, line: Int = #line,
        @ListBuilder<ClusterItem> _ items: () -> [ClusterItem] = { [] }
    ) -> Cluster {
        let rest = items()
        return Cluster("c", file: file, line: line) {
            if let node { Node(node, role: .server) }
            FluxSync(
                url: "https://git.example/t.git", branch: "main", path: "clusters/c", version: version,
                chartVersion: chartVersion, file: file, line: line
            ) {
                for layer in layers { layer }
            }
            Namespace("flux-system")
            rest
        }
    }
}
