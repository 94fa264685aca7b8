import DSL

/// The defined fleet with its names resolved once for the checks and the lowering: each
/// cluster flattened (`ClusterIndex`) and the edge (tunnels, routes, host services,
/// `EdgeIndex`). The output of the resolve stage.
public struct ResolvedFleet: Sendable {
    /// The fleet and its settings.
    public var defined: DefinedFleet
    /// One index per declared cluster, in declaration order.
    public var clusters: [ClusterIndex]
    /// Tunnels, routes and host services as resolved.
    let edge: EdgeIndex

    /// The fleet itself.
    public var fleet: Fleet { defined.fleet }

    /// Resolves a defined fleet. Total: what does not resolve is the checks' to report.
    public static func resolve(_ defined: DefinedFleet) -> Staged<ResolvedFleet> {
        let clusters = defined.fleet.clusters.map(ClusterIndex.init)
        return Staged(
            ResolvedFleet(defined: defined, clusters: clusters, edge: EdgeIndex(defined.fleet, indexes: clusters)))
    }
}
