import CloudState
import DSL
import Rendering

/// The lowered fleet: a closed set of Equatable values that the emitters render, one
/// section per kind of output. Tests assert on it directly; every value keeps the location
/// that declared it.
public struct FleetIR: Hashable, Sendable {
    /// The fleet's name as declared in `Fleet(...)`, shown in the generated docs.
    public var name: String
    /// Kubernetes: what Flux reconciles (`clusters/`, `bootstrap/`).
    public var clusters: [ClusterIR]
    /// Files and services on hosts outside Kubernetes (`hosts/`).
    public var hosts: [HostIR]
    /// Declared schemas and their committed migration history (`sql/`).
    public var databases: [DatabaseIR]
    /// What the applier reconciles in the cloud (`cloud/`).
    public var cloud: DesiredState
    /// Every tunnel with its resolved routes, remote and local (the topology, `graph`).
    public var tunnels: [TunnelIR] = []
    /// Every setting with its value and where that came from (docs, `explain`).
    public var settings: [SettingRowIR]
    /// The `Fleet(...)` declaration: the origin of fleet-wide files (docs).
    public var location: SourceLocation?
    /// The `Cloudflare(...)` declaration, when the fleet has one: the origin of the desired
    /// cloud state and the hostname table.
    public var cloudLocation: SourceLocation?
    /// The fleet's guardrail policy when the guardrails ran on it (set by `OutputChecks`): the
    /// `policy` section of each cluster's policy input (`PolicyInput`).
    public var guardrails: GuardrailPolicy?
    /// The same fleet lowered with its settings marked, which the emitters read provenance
    /// from (`Provenance`); nil when not traced. Not part of equality.
    public var traces: SettingTraces?
    /// Each cluster's policy input and its guardrail denials as `OutputChecks` evaluated them (cluster name →
    /// `Guardrails.Evaluation`), nil when the guardrails did not run; `plan` reads the head's verdicts from
    /// it. Derived from the clusters, so not part of equality; whoever changes `clusters` afterwards sets
    /// it to nil.
    public var policyInputs: [String: Guardrails.Evaluation]?

    /// Equal when every section and location is; `traces` is left out, so a traced IR equals its
    /// untraced self.
    public static func == (a: FleetIR, b: FleetIR) -> Bool {
        (a.name, a.location, a.cloudLocation) == (b.name, b.location, b.cloudLocation) && a.clusters == b.clusters
            && a.hosts == b.hosts && a.databases == b.databases && a.cloud == b.cloud && a.tunnels == b.tunnels
            && a.settings == b.settings && a.guardrails == b.guardrails
    }

    /// Hashes what `==` compares (not `traces`).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(clusters)
        hasher.combine(hosts)
        hasher.combine(databases)
        hasher.combine(cloud)
        hasher.combine(tunnels)
        hasher.combine(settings)
        hasher.combine(location)
        hasher.combine(cloudLocation)
        hasher.combine(guardrails)
    }

    /// An IR of these sections; `tunnels`, `location`, `cloudLocation`, `guardrails` and `traces`
    /// are set afterwards by the lowering and the pipeline.
    public init(
        name: String, clusters: [ClusterIR], hosts: [HostIR] = [], databases: [DatabaseIR] = [],
        cloud: DesiredState = DesiredState(), settings: [SettingRowIR] = []
    ) {
        self.name = name
        self.clusters = clusters
        self.hosts = hosts
        self.databases = databases
        self.cloud = cloud
        self.settings = settings
    }
}

/// One cluster: its component folders under `clusters/<cluster>/`, their kustomization.yaml
/// files, and, with Flux, the one-time bootstrap under `bootstrap/<cluster>/`.
public struct ClusterIR: Hashable, Sendable {
    /// The cluster's name: its folders `clusters/<name>/` and `bootstrap/<name>/`.
    public var name: String
    /// Sorted by folder: each is one output folder.
    public var components: [ComponentIR]
    /// How Flux reconciles the cluster; nil when it does not.
    public var flux: FluxIR?
    /// Secrets the bootstrap creates by hand (the secret stores' access tokens).
    public var bootstrapSecrets: [PulumiESCStore.TokenSecret]
    /// The names of the cluster's nodes, sorted.
    public var nodes: [String]
    /// The `Cluster(...)` declaration: the origin of the cluster's folder-level files.
    public var location: SourceLocation?
    /// The workloads Helm installs (Flux's controllers, described releases), as their
    /// `ChartRendering`s describe them: in the policy input only, never in clusters/.
    public var chartObjects: [ObjectIR] = []

    /// A cluster section; `components` should already be sorted by folder.
    public init(
        name: String, components: [ComponentIR], flux: FluxIR? = nil,
        bootstrapSecrets: [PulumiESCStore.TokenSecret] = [], nodes: [String] = [], location: SourceLocation? = nil
    ) {
        self.location = location
        self.name = name
        self.components = components
        self.flux = flux
        self.bootstrapSecrets = bootstrapSecrets
        self.nodes = nodes
    }

    /// The cluster's folder in the repository.
    public var root: String { OutputLayout.cluster(name) }

    /// The folders above the components and what each one's kustomization.yaml lists:
    /// without Flux, the root lists every component folder; with Flux, each layer folder
    /// lists its components and the root lists only the folders outside layers
    /// (flux-system), so that nothing is applied both by the root and by a layer.
    public var structuralKustomizations: [(folder: String, resources: [String])] {
        guard flux != nil else { return [(root, components.map(\.folder).sorted())] }
        let byLayer = Dictionary(grouping: components.filter { $0.layer != nil }, by: { $0.layer! })
        let layers = byLayer.keys.sorted().map { layer in ("\(root)/\(layer)", byLayer[layer]!.map(\.name).sorted()) }
        return [(root, components.filter { $0.layer == nil }.map(\.folder).sorted())] + layers
    }

    /// Every folder that gets a kustomization.yaml: the structural ones and each component's.
    public var kustomizeFolders: [String] {
        (structuralKustomizations.map(\.folder) + components.map { "\(root)/\($0.folder)" }).sorted()
    }
}

/// What the bootstrap of Flux's controllers needs, and the layer folders it reconciles.
public struct FluxIR: Hashable, Sendable {
    /// The Flux release (`v2.8.5`), named in the bootstrap script's comment.
    public var version: String
    /// The fluxcd-community `flux2` Helm chart version (`2.18.3`) that `bootstrap.sh` installs
    /// (`helm upgrade --install ... --version`).
    public var chartVersion: String
    /// The namespace the chart is installed into (`flux-system`, `FluxSync.namespace`).
    public var namespace: String
    /// The layer names in declaration order: each a folder `clusters/<cluster>/<layer>/` that a
    /// Flux Kustomization reconciles.
    public var layers: [String]
    /// The `FluxSync(...)` declaration: the origin of the bootstrap files.
    public var location: SourceLocation

    /// The values `bootstrap.sh` gives the flux2 chart (`bootstrap/<cluster>/flux2-values.yaml`):
    /// the controllers the fleet uses (source, kustomize, helm, notification; image automation
    /// off), each with requests and limits (the chart's `values.yaml` sets requests only,
    /// `limits: {}`, and suggests cpu 1000m and memory 1Gi in a comment:
    /// https://github.com/fluxcd-community/helm-charts/blob/main/charts/flux2/values.yaml).
    /// Each controller's image `tag` is the one the pinned chart release ships (`ChartRelease.flux2`),
    /// written out so the values name the controllers the schemas and health rules were read for.
    public var bootstrapValues: Tree {
        let resources: Tree = [
            "requests": ["cpu": "100m", "memory": "64Mi"], "limits": ["cpu": "1000m", "memory": "1Gi"],
        ]
        let images = ChartRelease.release("flux2", chartVersion)?.images ?? [:]
        func controller(_ key: String) -> Tree {
            var m = MapBuilder()
            m.set("create", true)
            m.set("tag", images[key])
            m.set("resources", resources)
            return m.tree
        }
        return [
            "installCRDs": true,
            "sourceController": controller("sourceController"),
            "kustomizeController": controller("kustomizeController"),
            "helmController": controller("helmController"),
            "notificationController": controller("notificationController"),
            "imageAutomationController": ["create": false],
            "imageReflectionController": ["create": false],
        ]
    }

    /// A Flux section from the `FluxSync` declaration.
    public init(version: String, chartVersion: String, namespace: String, layers: [String], location: SourceLocation) {
        self.version = version
        self.chartVersion = chartVersion
        self.namespace = namespace
        self.layers = layers
        self.location = location
    }
}

/// One component: an output folder `clusters/<cluster>/<folder>/` holding one YAML file per
/// object (`OutputLayout.objectFile`) and a kustomization.yaml listing them.
public struct ComponentIR: Hashable, Sendable {
    /// The component's name: its folder below the cluster or its layer.
    public var name: String
    /// The namespace of the component's objects; nil for the cluster-scoped component.
    public var namespace: String?
    /// The Flux layer (a folder level) it belongs to, if the cluster has layers.
    public var layer: String?
    /// The component's declaration: the origin of its kustomization.yaml.
    public var location: SourceLocation
    /// Sorted by identity, so declaration order never changes the output.
    public var objects: [ObjectIR]
    /// A component; `objects` should already be sorted by identity.
    public init(name: String, namespace: String?, layer: String? = nil, location: SourceLocation, objects: [ObjectIR]) {
        self.name = name
        self.namespace = namespace
        self.layer = layer
        self.location = location
        self.objects = objects
    }

    /// The folder below `clusters/<cluster>/`.
    public var folder: String { layer.map { "\($0)/\(name)" } ?? name }
}

/// One Kubernetes object: its identity, its full tree in conventional key order, and the
/// declaration it came from.
public struct ObjectIR: Hashable, Sendable {
    /// Its identity, which names its file (`<kind>-<name>.yaml`, `OutputLayout.objectFile`).
    public var id: ObjectID
    /// The whole manifest (`apiVersion`, `kind`, `metadata`, ...) in conventional key order, rendered
    /// as the object's YAML file.
    public var tree: Tree
    /// The declaration that produced the object: the file's origin and where diagnostics point.
    public var origin: SourceLocation
    /// Its position in the fleet's declaration order (components sort objects by identity;
    /// checks that name "the first" declaration use this). Not part of equality: the IR of a
    /// reordered fleet is the same IR.
    public var sequence: Int
    /// An object; `sequence` is its index in declaration order (0 when unknown).
    public init(id: ObjectID, tree: Tree, origin: SourceLocation, sequence: Int = 0) {
        self.id = id
        self.tree = tree
        self.origin = origin
        self.sequence = sequence
    }

    /// Same identity, tree and origin; `sequence` is left out.
    public static func == (a: ObjectIR, b: ObjectIR) -> Bool {
        a.id == b.id && a.tree == b.tree && a.origin == b.origin
    }
    /// Hashes what `==` compares (not `sequence`).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(tree)
        hasher.combine(origin)
    }
}
