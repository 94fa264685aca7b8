import DSL

/// The lowered fleet: a closed set of Equatable values that the emitters render.
/// Tests assert on it directly; every object keeps the location that declared it.
public struct FleetIR: Hashable, Sendable {
    public var name: String
    public var clusters: [ClusterIR]
    public init(name: String, clusters: [ClusterIR]) {
        self.name = name
        self.clusters = clusters
    }
}

public struct ClusterIR: Hashable, Sendable {
    public var name: String
    /// Sorted by name: each is one output folder.
    public var components: [ComponentIR]
    public init(name: String, components: [ComponentIR]) {
        self.name = name
        self.components = components
    }
}

public struct ComponentIR: Hashable, Sendable {
    public var name: String
    /// The namespace of the component's objects; nil for the cluster-scoped component.
    public var namespace: String?
    public var location: SourceLocation
    /// Sorted by identity, so declaration order never changes the output.
    public var objects: [ObjectIR]
    public init(name: String, namespace: String?, location: SourceLocation, objects: [ObjectIR]) {
        self.name = name
        self.namespace = namespace
        self.location = location
        self.objects = objects
    }
}

/// One Kubernetes object: its identity, its full tree in conventional key order, and the
/// declaration it came from.
public struct ObjectIR: Hashable, Sendable {
    public var id: ObjectID
    public var tree: Tree
    public var origin: SourceLocation
    public init(id: ObjectID, tree: Tree, origin: SourceLocation) {
        self.id = id
        self.tree = tree
        self.origin = origin
    }
}

/// A file an emitter produced: a path relative to the repository root and its bytes.
/// Emitters return these; only the Workspace writes them.
public struct GeneratedFile: Hashable, Comparable, Sendable {
    public var path: String
    public var contents: String
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
    public static func < (a: GeneratedFile, b: GeneratedFile) -> Bool { a.path < b.path }
}
