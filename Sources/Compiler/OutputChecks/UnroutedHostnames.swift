import DSL

/// URLs in the objects as emitted that name a hostname nothing serves.
enum UnroutedHostnames {
    /// A URL in the cluster's objects (an env value, ConfigMap data, Helm values) naming a
    /// host inside a declared zone that no tunnel routes and no record declares would fail at
    /// run time (switching the calypso connector off leaves the adapter's TRITON_URL behind):
    /// a warning at the object's declaration.
    static func check(_ index: EdgeIndex, lowered: FleetIR) -> [Diagnostic] {
        let zones = index.fleet.cloudflare.map { Hostnames.normalized($0.zone) }
        guard !zones.isEmpty else { return [] }
        let isServed = EdgeChecks.servedHostnames(index)
        var out: [Diagnostic] = []
        for cluster in lowered.clusters {
            for object in cluster.components.flatMap(\.objects) {
                var reported: Set<String> = []
                object.tree.forEachString { text in
                    guard text.contains("://") else { return }
                    for match in text.matches(of: EdgeChecks.urlHost) {
                        let host = Hostnames.normalized(String(match.1))
                        guard zones.contains(where: { Hostnames.inside(host, zone: $0) }), !isServed(host),
                            reported.insert(host).inserted
                        else { continue }
                        out.append(.unroutedHostname(host, in: object.id, at: object.origin))
                    }
                }
            }
        }
        return out
    }
}
