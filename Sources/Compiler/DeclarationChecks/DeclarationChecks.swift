import DSL

/// The declaration checks: every check over the resolved fleet's declarations, each a pure
/// function to diagnostics; none stops the others, so one run reports everything. The
/// checks of what the declarations lower to (labels and annotations as emitted, output
/// paths, the Flux graph, the guardrails, the secret scan) are `OutputChecks`.
public enum DeclarationChecks {
    typealias ClusterCheck = @Sendable (ClusterIndex) -> [Diagnostic]

    static let clusterChecks: [ClusterCheck] = [
        ObjectChecks.names, ObjectChecks.duplicates, ObjectChecks.namespaces,
        PodChecks.all, WorkloadChecks.all, ServiceChecks.selectorsAndPorts, NodePortChecks.all, RBACChecks.references,
        NetworkPolicyChecks.peers, RawObjectChecks.references, SecretChecks.templates, SecretChecks.literals,
        LayerAndSecretChecks.layers, FluxValueChecks.all, APIValueChecks.all, NodeChecks.all, SquidLogChecks.all,
        ChartDescriptionChecks.all, ModelRepositoryChecks.all, PrivateRouteChecks.warpRouting,
    ]

    /// The check stage: every declaration check, the committed migration history's files,
    /// and, when none is an error, the databases' migration plans (the committed history
    /// against its lock, each declaration against the locked schema).
    public static func check(_ resolved: ResolvedFleet) -> Staged<CheckedFleet> {
        let fleet = resolved.fleet
        let source = resolved.defined.source
        var diagnostics =
            run(resolved)
            + MigrationHistory.problems(databases: fleet.databases.map(\.name), inputs: source.inputs)
        var plans: [DatabasePlan] = []
        if !diagnostics.hasErrors {
            let (problems, planned) = MigrationPlanner.plan(
                fleet.databases, inputs: source.inputs,
                consumers: DatabaseRoleChecks.consumers(resolved.clusters, fleet: fleet))
            diagnostics += problems
            plans = planned
        }
        diagnostics.sort()
        return Staged(
            CheckedFleet(resolved: resolved, diagnostics: diagnostics, plans: plans), diagnostics: diagnostics)
    }

    /// Every declaration problem of a resolved fleet, sorted. When the fleet declares settings,
    /// every secret must be filled from an ESC key declared as a `SecretSetting` (the env →
    /// Secret → ExternalSecret → ESC key chain).
    static func run(_ resolved: ResolvedFleet) -> [Diagnostic] {
        let fleet = resolved.fleet
        let settings = resolved.defined.source.definition.settings
        let secretSettings = Set(settings.filter(\.isSecret).map(\.key))
        var diagnostics: [Diagnostic] = []
        diagnostics += Diagnostic.duplicates(
            .duplicateCluster, "cluster", in: fleet.clusters, name: \.name, location: \.location)
        diagnostics += NodeChecks.acrossClusters(fleet.clusters)
        for (cluster, index) in zip(fleet.clusters, resolved.clusters) {
            if let problem = NameRule.dnsLabel.violation(cluster.name) {
                diagnostics.append(
                    .invalidName("cluster", cluster.name, rule: .dnsLabel, problem: problem, at: cluster.location))
            }
            // Each check is a pure function of the index: all of them on every core, results in this order.
            var checks: [@Sendable () -> [Diagnostic]] = clusterChecks.map { check in { check(index) } }
            checks.append { DataPathChecks.check(index, fleet: fleet) }
            checks.append { DatabaseRoleChecks.check(index, fleet: fleet) }
            if !settings.isEmpty {
                checks.append { LayerAndSecretChecks.escKeys(index, secretSettings: secretSettings) }
            }
            for found in Parallel.map(checks, minimum: 2, { $0() }) { diagnostics += found }
        }
        diagnostics += DatabaseChecks.run(fleet.databases)
        diagnostics += EdgeChecks.run(resolved.edge)
        diagnostics += AccessTokenChecks.run(resolved.edge)
        diagnostics += PrivateRouteChecks.routes(fleet)
        return diagnostics.sorted()
    }
}

/// Every problem of a fleet, declarations and output alike, without settings (tests and
/// fixtures): the diagnostics of `CompilerPipeline` up to the output checks.
public enum FleetCheck {
    /// Every problem of the fleet, sorted.
    ///
    /// ```swift
    /// FleetCheck.run(Fixtures.demo())   // [] for a clean fleet
    /// ```
    public static func run(_ fleet: Fleet, settings: [AnySetting] = []) -> [Diagnostic] {
        let definition = FleetDefinition(settings: settings) { _ in fleet }
        return CompilerPipeline(guardrails: false, blame: false).run(FleetSource(definition)).diagnostics
    }
}

/// Databases: each declared once, each declaration well-formed (`SchemaChecks`).
enum DatabaseChecks {
    static func run(_ databases: [Database]) -> [Diagnostic] {
        Diagnostic.duplicates(.duplicateObject, "database", in: databases, name: \.name, location: \.location)
            + databases.flatMap(SchemaChecks.run) + SchemaChecks.roles(across: databases)
            + databases.flatMap(DatabaseRoleChecks.urls)
    }
}
