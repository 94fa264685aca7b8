import DSL

/// Runs every check over the whole fleet and returns all problems, sorted by location.
///
/// Each check is a pure function from the cluster index to diagnostics; none stops the
/// others, so one run reports everything.
public enum FleetCheck {
    typealias ClusterCheck = @Sendable (ClusterIndex) -> [Diagnostic]

    static let clusterChecks: [ClusterCheck] = [
        ObjectChecks.names, ObjectChecks.duplicates, ObjectChecks.namespaces,
        PodChecks.all, WorkloadChecks.all, ServiceChecks.selectorsAndPorts, NodePortChecks.all, RBACChecks.references,
        NetworkPolicyChecks.peers, RawObjectChecks.references, SecretChecks.templates, SecretChecks.literals,
        LayerAndSecretChecks.layers, FluxValueChecks.all, APIValueChecks.all,
    ]

    /// The check stage: every check over the fleet (on its declarations, and on the objects
    /// they lower to), then, on a fleet without errors, the Flux graph. Returns every problem,
    /// sorted, and the checked fleet when none is an error: the only input `Lowering.lower`
    /// takes.
    ///
    /// - Parameter settings: the fleet's declared settings; when given, every secret must be
    ///   filled from an ESC key declared as a `SecretSetting` (the env → Secret →
    ///   ExternalSecret → ESC key chain).
    /// - Parameter blame: moves a problem whose value came from settings.yaml to its line there.
    public static func check(_ fleet: Fleet, settings: [AnySetting] = [],
                             blame: (([Diagnostic]) -> [Diagnostic])? = nil) -> (diagnostics: [Diagnostic], checked: CheckedFleet?) {
        let indexes = fleet.clusters.map(ClusterIndex.init)  // built once, shared by the checks and the lowering
        let objects = Lowering.lower(fleet, indexes: indexes)
        let edge = EdgeIndex(fleet, indexes: indexes)
        var diagnostics = run(fleet, indexes: indexes, edge: edge, lowered: objects, settings: settings)
        if !diagnostics.hasErrors { diagnostics += FluxGraphCheck.run(objects) }
        diagnostics = (blame?(diagnostics) ?? diagnostics).sorted()
        guard !diagnostics.hasErrors else { return (diagnostics, nil) }
        return (diagnostics, CheckedFleet(fleet: fleet, warnings: diagnostics, objects: objects, edge: edge))
    }

    /// Every problem of the fleet (`check(_:settings:)`'s diagnostics).
    public static func run(_ fleet: Fleet, settings: [AnySetting] = []) -> [Diagnostic] {
        check(fleet, settings: settings).diagnostics
    }

    /// The same, over cluster indexes and the lowering the caller already built (the pipeline
    /// shares them). The lowered objects are what the metadata checks read: every label and
    /// annotation that reaches the output, whoever wrote it.
    static func run(_ fleet: Fleet, indexes: [ClusterIndex], edge: EdgeIndex, lowered: FleetIR, settings: [AnySetting]) -> [Diagnostic] {
        let secretSettings = Set(settings.filter(\.isSecret).map(\.key))
        var diagnostics: [Diagnostic] = []
        diagnostics += Diagnostic.duplicates(.duplicateCluster, "cluster", in: fleet.clusters, name: \.name, location: \.location)
        for (cluster, index) in zip(fleet.clusters, indexes) {
            if let problem = NameRule.dnsLabel.violation(cluster.name) {
                diagnostics.append(.invalidName("cluster", cluster.name, rule: .dnsLabel, problem: problem, at: cluster.location))
            }
            for check in clusterChecks { diagnostics += check(index) }
            if !settings.isEmpty { diagnostics += LayerAndSecretChecks.escKeys(index, secretSettings: secretSettings) }
        }
        diagnostics += DatabaseChecks.run(fleet.databases)
        diagnostics += EdgeChecks.run(edge)
        diagnostics += EdgeChecks.unroutedHostnames(edge, lowered: lowered)
        diagnostics += MetadataChecks.run(lowered, reported: diagnostics)
        diagnostics += OutputPathChecks.run(lowered)
        return diagnostics.sorted()
    }
}

/// A fleet the check stage found free of errors: only `FleetCheck.check` can make one, and
/// it is the only input `Lowering.lower` accepts, so nothing unchecked is ever emitted.
public struct CheckedFleet: Sendable {
    public let fleet: Fleet
    /// Warnings of the check (errors never reach a checked fleet).
    public let warnings: [Diagnostic]
    /// The clusters as lowered while checking (the metadata checks read them).
    let objects: FleetIR
    /// Tunnels, routes and host services as the checks resolved them.
    let edge: EdgeIndex

    init(fleet: Fleet, warnings: [Diagnostic], objects: FleetIR, edge: EdgeIndex) {
        self.fleet = fleet
        self.warnings = warnings
        self.objects = objects
        self.edge = edge
    }
}

/// Databases: each declared once, each declaration well-formed (`SchemaChecks`).
enum DatabaseChecks {
    static func run(_ databases: [Database]) -> [Diagnostic] {
        Diagnostic.duplicates(.duplicateObject, "database", in: databases, name: \.name, location: \.location)
            + databases.flatMap(SchemaChecks.run) + SchemaChecks.roles(across: databases)
    }
}
