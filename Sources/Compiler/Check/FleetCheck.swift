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

    /// - Parameter settings: the fleet's declared settings; when given, every secret must be
    ///   filled from an ESC key declared as a `SecretSetting` (the env → Secret →
    ///   ExternalSecret → ESC key chain).
    public static func run(_ fleet: Fleet, settings: [AnySetting] = []) -> [Diagnostic] {
        let indexes = fleet.clusters.map(ClusterIndex.init)
        return run(fleet, indexes: indexes, lowered: Lowering.lower(fleet, indexes: indexes), settings: settings)
    }

    /// The same, over cluster indexes and the lowering the caller already built (the pipeline
    /// shares them). The lowered objects are what the metadata checks read: every label and
    /// annotation that reaches the output, whoever wrote it.
    static func run(_ fleet: Fleet, indexes: [ClusterIndex], lowered: FleetIR, settings: [AnySetting]) -> [Diagnostic] {
        let secretSettings = Set(settings.filter(\.isSecret).map(\.key))
        var diagnostics: [Diagnostic] = []
        var clusterNames: [String: SourceLocation] = [:]
        for (cluster, index) in zip(fleet.clusters, indexes) {
            if let problem = NameRule.dnsLabel.violation(cluster.name) {
                diagnostics.append(.invalidName("cluster", cluster.name, rule: .dnsLabel, problem: problem, at: cluster.location))
            }
            if let first = clusterNames[cluster.name] {
                diagnostics.append(.duplicate(.duplicateCluster, "cluster", cluster.name, at: cluster.location, first: first))
            } else {
                clusterNames[cluster.name] = cluster.location
            }
            for check in clusterChecks { diagnostics += check(index) }
            if !settings.isEmpty { diagnostics += LayerAndSecretChecks.escKeys(index, secretSettings: secretSettings) }
        }
        diagnostics += MetadataChecks.run(lowered)
        diagnostics += OutputPathChecks.run(lowered)
        diagnostics += SecretChecks.objects(lowered, reported: diagnostics)
        return diagnostics.sorted()
    }
}
