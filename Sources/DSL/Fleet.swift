/// The whole fleet: every cluster with its nodes, namespaces and workloads.
///
/// ```swift
/// let fleet = Fleet("oceanid") {
///     Cluster("tethys") {
///         Node("tethys", role: .server)
///         Namespace("apps") { ... }
///     }
/// }
/// ```
public struct Fleet: Hashable, Sendable {
    /// The fleet's name; every object carries it as `app.kubernetes.io/part-of`.
    public var name: String
    /// The clusters, each compiled into `clusters/<name>/`.
    public var clusters: [Cluster]
    /// The PostgreSQL databases, each with its migrations under `sql/<name>/`.
    public var databases: [Database]
    /// What nodes run outside Kubernetes, each compiled into `hosts/<node>/`.
    public var hosts: [Host]
    /// The Cloudflare accounts and zones (tunnels, DNS, Access), compiled into `cloud/`.
    public var cloudflare: [Cloudflare]
    /// The database network firewall (CrunchyBridge), compiled into `cloud/`; a fleet has one.
    public var firewall: DatabaseFirewall?
    /// Label Studio's per-project S3 storages, compiled into `cloud/`; a fleet has one set.
    public var labelStudio: LabelStudioStorages?
    /// Declarations of which a fleet has one (a database firewall, Label Studio's storages)
    /// declared again after the first, in order: the check reports each at its line.
    public var repeated: [FleetItem]
    /// Triton servers' models to keep loaded, compiled into `cloud/`.
    public var modelRepositories: [ModelRepository]
    /// Where the fleet was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares the fleet from a body of `Cluster`s, `Database`s, `Host`s and `Cloudflare` zones.
    ///
    /// ```swift
    /// Fleet("oceanid") {
    ///     tethys(values)
    ///     Database("cleandata", schemas: ["stage", "control", "curated", "label", "raw"])
    /// }
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<FleetItem> clusters items: () -> [FleetItem]
    ) {
        self.name = name
        self.clusters = []
        self.databases = []
        self.hosts = []
        self.cloudflare = []
        self.firewall = nil
        self.labelStudio = nil
        self.repeated = []
        self.modelRepositories = []
        for item in items() {
            switch item {
            case .cluster(let c): clusters.append(c)
            case .database(let d): databases.append(d)
            case .host(let h): hosts.append(h)
            case .cloudflare(let c): cloudflare.append(c)
            case .firewall(let f):
                if firewall == nil { firewall = f } else { repeated.append(item) }
            case .labelStudio(let l):
                if labelStudio == nil { labelStudio = l } else { repeated.append(item) }
            case .modelRepository(let m): modelRepositories.append(m)
            }
        }
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A declaration directly inside a fleet.
public enum FleetItem: Hashable, Sendable {
    case cluster(Cluster)
    case database(Database)
    case host(Host)
    case cloudflare(Cloudflare)
    case firewall(DatabaseFirewall)
    case labelStudio(LabelStudioStorages)
    case modelRepository(ModelRepository)
}

extension ListBuilder where Element == FleetItem {
    /// A cluster in a `Fleet` body.
    public static func buildExpression(_ x: Cluster) -> [FleetItem] { [.cluster(x)] }
    /// Several clusters at once (a helper that declares a set of clusters).
    public static func buildExpression(_ x: [Cluster]) -> [FleetItem] { x.map(FleetItem.cluster) }
    /// A database in a `Fleet` body.
    public static func buildExpression(_ x: Database) -> [FleetItem] { [.database(x)] }
    /// A host's systemd services in a `Fleet` body.
    public static func buildExpression(_ x: Host) -> [FleetItem] { [.host(x)] }
    /// A Cloudflare account and zone in a `Fleet` body.
    public static func buildExpression(_ x: Cloudflare) -> [FleetItem] { [.cloudflare(x)] }
    /// The database firewall in a `Fleet` body; a second one is reported, not used.
    public static func buildExpression(_ x: DatabaseFirewall) -> [FleetItem] { [.firewall(x)] }
    /// Label Studio's storages in a `Fleet` body; a second set is reported, not used.
    public static func buildExpression(_ x: LabelStudioStorages) -> [FleetItem] { [.labelStudio(x)] }
    /// A Triton model repository in a `Fleet` body.
    public static func buildExpression(_ x: ModelRepository) -> [FleetItem] { [.modelRepository(x)] }
}

/// What a fleet module exports: its settings and how to build the fleet from their values.
///
/// The pipeline validates overrides against `settings` first, then calls `build` with the
/// resolved values, so a fleet can use any setting (ports, images, resources) while
/// staying a plain value.
///
/// ```swift
/// public static let definition = FleetDefinition(settings: Settings.all) { values in
///     Fleet("oceanid") { tethys(values) }
/// }
/// ```
public struct FleetDefinition: Sendable {
    /// Every setting the fleet reads; an override in settings.yaml for any other key is an error.
    public var settings: [AnySetting]
    /// Builds the fleet from the resolved setting values.
    public var build: @Sendable (SettingValues) -> Fleet
    /// The fleet's guardrail policy (its allowlists and namespaces, `GuardrailPolicy`): with one,
    /// the guardrails (policy/guardrails.rego, evaluated natively) hold the build and the policy
    /// input carries it as `policy`; nil (fixtures and other fleets by default) runs none.
    public var guardrails: GuardrailPolicy?

    /// A fleet that reads settings: `build` receives defaults merged with settings.yaml's overrides.
    ///
    /// ```swift
    /// FleetDefinition(settings: Settings.all, guardrails: Oceanid.guardrails) { values in
    ///     Fleet("oceanid") { tethys(values) }
    /// }
    /// ```
    public init(
        settings: [AnySetting] = [], guardrails: GuardrailPolicy? = nil,
        build: @escaping @Sendable (SettingValues) -> Fleet
    ) {
        self.settings = settings
        self.guardrails = guardrails
        self.build = build
    }

    /// A definition without settings, for fixtures and small fleets.
    ///
    /// ```swift
    /// FleetDefinition(Fleet("fixture") { Cluster("test") { Node("test", role: .server) } })
    /// ```
    public init(_ fleet: Fleet, guardrails: GuardrailPolicy? = nil) {
        self.settings = []
        self.guardrails = guardrails
        self.build = { _ in fleet }
    }

    /// Builds the fleet from `values` and returns, beside it, every setting read the
    /// definitions made (key and line, sorted): the reads are data, nothing is recorded
    /// anywhere else.
    ///
    /// ```swift
    /// let (fleet, uses) = Oceanid.definition.define(SettingValues())
    /// uses.filter { $0.key == "squidImage" }   // the lines that read it
    /// ```
    public func define(_ values: SettingValues) -> (fleet: Fleet, uses: [SettingUse]) {
        let recorder = SettingUseRecorder()
        let fleet = SettingUseRecorder.$current.withValue(recorder) { build(values) }
        return (fleet, recorder.recorded)
    }
}
