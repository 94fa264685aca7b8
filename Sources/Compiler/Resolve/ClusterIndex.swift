import DSL

/// One object the fleet declares, with where it lands: the flattened view that the checks
/// and the lowering share, so both see exactly the same set of objects.
public struct DeclaredObject: Sendable {
    /// The declaration behind the object, by kind; the lowering turns each into its manifest.
    public enum Payload: Sendable {
        case namespace(Namespace)
        case deployment(Deployment)
        case daemonSet(DaemonSet)
        case job(Job)
        case cronJob(CronJob)
        case service(Service)
        case configMap(ConfigMap)
        case secret(SecretDeclaration)
        case serviceAccount(ServiceAccount)
        case role(Role)
        case roleBinding(RoleBinding)
        case networkPolicy(NetworkPolicy)
        case raw(RawObject)
        case helmRepository(HelmRepository)
        case helmRelease(HelmRelease)
        case gitRepository(FluxSync)
        /// The root Flux Kustomization (nil layer) or a layer's child Kustomization.
        case fluxKustomization(FluxSync, Layer?)
        case secretStore(PulumiESCStore)
    }

    /// The object's identity as it will be emitted (a secret is an `ExternalSecret`, a store a
    /// `ClusterSecretStore`, Flux's sync a `GitRepository` and `Kustomization`s in `flux-system`).
    public var id: ObjectID
    /// The name of the component (output folder) it is emitted in.
    public var component: String
    /// Where the object was declared.
    public var location: SourceLocation
    /// The declaration itself.
    public var payload: Payload

    /// The pod-carrying view of a workload declaration.
    public var workload: (any PodWorkload)? {
        switch payload {
        case .deployment(let w): w
        case .daemonSet(let w): w
        case .job(let w): w
        case .cronJob(let w): w
        default: nil
        }
    }
}

/// A component folder and where it was declared.
public struct ComponentDeclaration: Sendable {
    /// The component's name: its folder's last part.
    public var name: String
    /// The namespace of its objects; nil for the cluster-scoped `namespaces` and `secret-store`
    /// components.
    public var namespace: String?
    /// The Flux layer it is reconciled in (nil when the cluster has no Flux sync).
    public var layer: String?
    /// Where the component was declared (the `Cluster`, `FluxSync` or store for the tool's own).
    public var location: SourceLocation
    /// Its folder below `clusters/<cluster>/`: `<layer>/<component>` or `<component>`.
    public var folder: String { layer.map { "\($0)/\(name)" } ?? name }
}

/// Everything one cluster declares, flattened and looked up by name.
public struct ClusterIndex: Sendable {
    /// The cluster as declared.
    public let cluster: Cluster
    /// Every object in declaration order: Flux's sync objects first, then each namespace with its
    /// components' objects, the secret stores, and the cluster-scoped objects.
    public let objects: [DeclaredObject]
    /// Every component folder, in declaration order (the tool's own `flux-system`, `namespaces`
    /// and `secret-store` included when they have objects).
    public let components: [ComponentDeclaration]
    /// The cluster's nodes by name; the first declaration of a name wins.
    public let nodes: [String: Node]
    /// The cluster's namespaces by name; the first declaration of a name wins.
    public let namespaces: [String: Namespace]
    /// Objects by namespace, in declaration order (built once: checks look up per object).
    let byNamespace: [String: [DeclaredObject]]

    /// The component that holds the cluster's Namespace objects and cluster-scoped objects.
    public static let namespacesComponent = "namespaces"

    /// The component that holds the cluster's secret stores.
    public static let secretStoreComponent = "secret-store"

    /// The component that holds Flux's own sync objects.
    public static let fluxComponent = "flux-system"

    /// Flattens the cluster once (the resolve stage): puts every object in its component and,
    /// with Flux, every component in a layer. Total: duplicates are kept for the checks to report.
    public init(_ cluster: Cluster) {
        self.cluster = cluster
        var objects: [DeclaredObject] = []
        var components: [ComponentDeclaration] = []
        var nodes: [String: Node] = [:]
        var namespaces: [String: Namespace] = [:]
        for node in cluster.nodes where nodes[node.name] == nil { nodes[node.name] = node }

        let flux = cluster.flux
        // With Flux, every component lives in a layer: namespaces and cluster-scoped objects in
        // the first; a component without one takes its namespace's, and only when neither says
        // the last (so adding a layer never moves components that a namespace placed).
        func layer(_ declared: String?, first: Bool = false) -> String? {
            guard let layers = flux?.layers, !layers.isEmpty else { return nil }
            return declared ?? (first ? layers.first!.name : layers.last!.name)
        }

        if let flux {
            components.append(
                ComponentDeclaration(
                    name: Self.fluxComponent, namespace: FluxSync.namespace, layer: nil,
                    location: flux.location))
            func add(
                _ apiVersion: String, _ kind: String, _ name: String, _ location: SourceLocation,
                _ payload: DeclaredObject.Payload
            ) {
                objects.append(
                    DeclaredObject(
                        id: ObjectID(apiVersion: apiVersion, kind: kind, namespace: FluxSync.namespace, name: name),
                        component: Self.fluxComponent, location: location, payload: payload))
            }
            add("source.toolkit.fluxcd.io/v1", "GitRepository", Self.fluxComponent, flux.location, .gitRepository(flux))
            add(
                "kustomize.toolkit.fluxcd.io/v1", "Kustomization", Self.fluxComponent, flux.location,
                .fluxKustomization(flux, nil))
            for l in flux.layers {
                add("kustomize.toolkit.fluxcd.io/v1", "Kustomization", l.name, l.location, .fluxKustomization(flux, l))
            }
        }

        let hasClusterScoped = !cluster.namespaces.isEmpty || !cluster.clusterObjects.isEmpty
        if hasClusterScoped {
            components.append(
                ComponentDeclaration(
                    name: Self.namespacesComponent, namespace: nil, layer: layer(nil, first: true),
                    location: cluster.location))
        }
        for ns in cluster.namespaces {
            if namespaces[ns.name] == nil { namespaces[ns.name] = ns }
            objects.append(
                DeclaredObject(
                    id: ObjectID(apiVersion: "v1", kind: "Namespace", namespace: nil, name: ns.name),
                    component: Self.namespacesComponent, location: ns.location, payload: .namespace(ns)))
            for component in ns.components {
                components.append(
                    ComponentDeclaration(
                        name: component.name, namespace: ns.name, layer: layer(component.layer ?? ns.layer),
                        location: component.location))
                for item in component.items {
                    if let object = Self.declared(item, namespace: ns.name, component: component.name) {
                        objects.append(object)
                    }
                }
            }
        }
        for (i, store) in cluster.secretStores.enumerated() {
            if i == 0 {
                components.append(
                    ComponentDeclaration(
                        name: Self.secretStoreComponent, namespace: nil,
                        layer: layer(store.layer, first: true), location: store.location))
            }
            objects.append(
                DeclaredObject(
                    id: ObjectID(
                        apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", namespace: nil,
                        name: store.name),
                    component: Self.secretStoreComponent, location: store.location, payload: .secretStore(store)))
        }
        for raw in cluster.clusterObjects {
            objects.append(
                DeclaredObject(
                    id: ObjectID(apiVersion: raw.apiVersion, kind: raw.kind, namespace: raw.namespace, name: raw.name),
                    component: Self.namespacesComponent, location: raw.location, payload: .raw(raw)))
        }
        self.objects = objects
        self.byNamespace = Dictionary(grouping: objects.filter { $0.id.namespace != nil }, by: { $0.id.namespace! })
        self.components = components
        self.nodes = nodes
        self.namespaces = namespaces
    }

    private static func declared(_ item: NamespaceItem, namespace: String, component: String) -> DeclaredObject? {
        func make(
            _ apiVersion: String, _ kind: String, _ name: String, _ location: SourceLocation,
            _ payload: DeclaredObject.Payload, namespace ns: String? = namespace
        ) -> DeclaredObject {
            DeclaredObject(
                id: ObjectID(apiVersion: apiVersion, kind: kind, namespace: ns, name: name),
                component: component, location: location, payload: payload)
        }
        switch item {
        case .deployment(let x): return make("apps/v1", "Deployment", x.name, x.location, .deployment(x))
        case .daemonSet(let x): return make("apps/v1", "DaemonSet", x.name, x.location, .daemonSet(x))
        case .job(let x): return make("batch/v1", "Job", x.name, x.location, .job(x))
        case .cronJob(let x): return make("batch/v1", "CronJob", x.name, x.location, .cronJob(x))
        case .service(let x): return make("v1", "Service", x.name, x.location, .service(x))
        case .configMap(let x): return make("v1", "ConfigMap", x.name, x.location, .configMap(x))
        case .secret(let x): return make("external-secrets.io/v1", "ExternalSecret", x.name, x.location, .secret(x))
        case .serviceAccount(let x): return make("v1", "ServiceAccount", x.name, x.location, .serviceAccount(x))
        case .role(let x): return make("rbac.authorization.k8s.io/v1", "Role", x.name, x.location, .role(x))
        case .roleBinding(let x):
            return make("rbac.authorization.k8s.io/v1", "RoleBinding", x.name, x.location, .roleBinding(x))
        case .networkPolicy(let x):
            return make("networking.k8s.io/v1", "NetworkPolicy", x.name, x.location, .networkPolicy(x))
        case .object(let x):
            let ns = ClusterScope.isClusterScoped(x.kind) ? nil : (x.namespace ?? namespace)
            return make(x.apiVersion, x.kind, x.name, x.location, .raw(x), namespace: ns)
        case .helmRepository(let x):
            return make("source.toolkit.fluxcd.io/v1", "HelmRepository", x.name, x.location, .helmRepository(x))
        case .helmRelease(let x):
            return make("helm.toolkit.fluxcd.io/v2", "HelmRelease", x.name, x.location, .helmRelease(x))
        case .component:
            return nil  // components are flattened by Namespace.components
        }
    }

    /// Objects of one namespace, in declaration order.
    public func objects(in namespace: String) -> [DeclaredObject] {
        byNamespace[namespace] ?? []
    }

    /// Workloads of one namespace, in declaration order.
    public func workloads(in namespace: String) -> [any PodWorkload] {
        objects(in: namespace).compactMap(\.workload)
    }
}

/// Kinds that live outside namespaces.
public enum ClusterScope {
    static let kinds: Set<String> = [
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "PriorityClass", "StorageClass", "RuntimeClass", "IngressClass", "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "APIService", "ClusterSecretStore", "ClusterExternalSecret",
        "ClusterIssuer", "CSIDriver", "VolumeSnapshotClass",
    ]
    /// Whether `kind` is known to be cluster-scoped (Kubernetes: the object has no
    /// `metadata.namespace`). False for namespaced and unknown kinds alike.
    public static func isClusterScoped(_ kind: String) -> Bool { kinds.contains(kind) }

    /// Kinds known to live in a namespace (core, apps, batch, networking, RBAC, policy,
    /// autoscaling, Flux, External Secrets, cert-manager). Kinds in neither list are
    /// custom resources whose scope the compiler cannot know.
    static let namespacedKinds: Set<String> = [
        "ConfigMap", "Secret", "Service", "ServiceAccount", "Pod", "PodTemplate", "Endpoints", "EndpointSlice",
        "PersistentVolumeClaim", "LimitRange", "ResourceQuota", "Event", "ReplicationController",
        "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ControllerRevision", "Job", "CronJob",
        "Role", "RoleBinding", "NetworkPolicy", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Lease",
        "GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket", "Kustomization", "HelmRelease",
        "Alert", "Provider", "Receiver", "ImageRepository", "ImagePolicy", "ImageUpdateAutomation",
        "ExternalSecret", "SecretStore", "PushSecret", "Certificate", "Issuer", "CertificateRequest",
    ]
    /// Whether `kind` is known to live in a namespace. False for cluster-scoped kinds and for
    /// custom resources the list does not name, whose scope the compiler cannot know.
    public static func isNamespaced(_ kind: String) -> Bool { namespacedKinds.contains(kind) }
}
