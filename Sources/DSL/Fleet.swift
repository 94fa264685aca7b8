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
    public var name: String
    public var clusters: [Cluster]
    public var location: SourceLocation

    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<Cluster> clusters: () -> [Cluster]) {
        self.name = name
        self.clusters = clusters()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// What a fleet module exports: its settings and how to build the fleet from their values.
///
/// The pipeline validates overrides against `settings` first, then calls `build` with the
/// resolved values, so a fleet can use any setting (ports, images, resources) while
/// staying a plain value.
public struct FleetDefinition: Sendable {
    public var settings: [AnySetting]
    public var build: @Sendable (SettingValues) -> Fleet

    public init(settings: [AnySetting] = [], build: @escaping @Sendable (SettingValues) -> Fleet) {
        self.settings = settings
        self.build = build
    }

    /// A definition without settings, for fixtures and small fleets.
    public init(_ fleet: Fleet) {
        self.settings = []
        self.build = { _ in fleet }
    }
}
