import CloudState
import DSL
import Rendering

/// Lowers a checked fleet to the IR, once: every Kubernetes declaration becomes its object
/// as an ordered tree in the conventional key order (apiVersion, kind, metadata, spec/data),
/// with the fleet's standard labels (the Kubernetes emitter only lays the objects out in
/// files), and the sections beside the clusters are filled. Total: it lowers whatever it is
/// given, so the output checks also see what a fleet with declaration errors would emit.
public enum Lowering {
    /// The lower stage: the clusters, hosts and cloud state, the settings table, and the
    /// databases as planned (history, next migration, lock).
    public static func lower(_ checked: CheckedFleet) -> Staged<LoweredFleet> {
        let fleet = checked.fleet
        var ir = FleetIR(name: fleet.name, clusters: checked.resolved.clusters.map { lower($0, fleet: fleet.name) })
        ir.location = fleet.location
        ir.cloudLocation = fleet.cloudflare.first?.location
        ir.settings = checked.resolved.defined.settingsTable
        ir.databases = checked.plans.map { plan in
            var database = DatabaseIR(
                name: plan.database.name, history: plan.history, next: plan.next, lock: plan.lock,
                location: plan.database.location, provision: plan.provision)
            database.adopt = plan.adopt
            database.regenerated = plan.regenerated
            database.declarations = SchemaState.declared(plan.database).1
            return database
        }
        ir.hosts = EdgeLowering.hosts(checked.edge)
        ir.cloud.cloudflare = EdgeLowering.cloudflare(checked.edge)
        ir.tunnels = EdgeLowering.tunnels(checked.edge)
        if let firewall = fleet.firewall {
            ir.cloud.crunchyBridge = CrunchyBridgeState(
                networkId: firewall.network, apiKey: SecretReference(escKey: firewall.apiKeyKey),
                firewallRules: firewall.sources.compactMap { source in
                    source.publicIP.map { FirewallRule(rule: "\($0)/32", description: source.description) }
                })
        }
        if let labelStudio = fleet.labelStudio {
            ir.cloud.labelStudio = LabelStudioState(
                url: labelStudio.url, apiToken: SecretReference(escKey: labelStudio.apiTokenKey),
                storages: labelStudio.storages.map { storage in
                    LabelStudioStorage(
                        direction: storage.direction.rawValue,
                        title: storage.title + LabelStudioStorage.ownershipSuffix,
                        bucket: storage.bucket, prefix: storage.prefix, region: storage.region,
                        endpoint: storage.endpoint,
                        regexFilter: storage.regexFilter, presign: storage.presignedURLs,
                        syncOnCreate: storage.syncOnCreate,
                        accessKeyId: SecretReference(escKey: storage.accessKeyIdKey),
                        secretAccessKey: SecretReference(escKey: storage.secretAccessKeyKey))
                },
                bucketCORS: Self.bucketCORS(labelStudio))
        }
        ir.cloud.modelServing = ModelServingState(
            endpoints: fleet.modelRepositories.map { repository in
                ModelEndpoint(
                    url: repository.url, models: repository.models,
                    accessProtected: checked.edge.isAccessProtected(repository.url))
            })
        return Staged(LoweredFleet(checked: checked, ir: ir))
    }

    /// One `BucketCORS` per bucket the storages use (first storage's region and endpoint), with
    /// Label Studio's origin; path style for an S3-compatible endpoint. Empty without a rule.
    static func bucketCORS(_ labelStudio: LabelStudioStorages) -> [BucketCORS] {
        guard let rule = labelStudio.bucketCORS else { return [] }
        var seen: Set<String> = []
        return labelStudio.storages.filter { seen.insert($0.bucket).inserted }.map { storage in
            BucketCORS(
                bucket: storage.bucket, region: storage.region, endpoint: storage.endpoint,
                pathStyle: !storage.endpoint.isEmpty, exclusive: rule.exclusive,
                rules: [
                    CORSRule(
                        id: "oceanid-label-studio", allowedOrigins: [labelStudio.url], allowedMethods: rule.methods,
                        allowedHeaders: rule.headers, maxAgeSeconds: rule.maxAgeSeconds)
                ])
        }
    }

    static func lower(_ index: ClusterIndex, fleet: String) -> ClusterIR {
        let cluster = index.cluster
        let context = LoweringContext(fleet: fleet, cluster: cluster.name, stores: cluster.secretStores)
        // Each object lowers alone (the context is a value): on every core, in declaration order.
        let lowered = Parallel.map(Array(index.objects.indices)) { sequence in
            let object = index.objects[sequence]
            return ObjectIR(id: object.id, tree: context.tree(for: object), origin: object.location, sequence: sequence)
        }
        // Pod templates carry the hashes of the generated config they read (RolloutHashes).
        let hashed = RolloutHashes.apply(lowered)
        var byComponent: [String: [ObjectIR]] = [:]
        for (object, ir) in zip(index.objects, hashed) {
            byComponent[object.component, default: []].append(ir)
        }
        var seen: Set<String> = []
        let components = index.components.compactMap { declaration -> ComponentIR? in
            guard seen.insert(declaration.name).inserted else { return nil }
            return ComponentIR(
                name: declaration.name, namespace: declaration.namespace, layer: declaration.layer,
                location: declaration.location,
                objects: (byComponent[declaration.name] ?? []).sorted { $0.id < $1.id })
        }
        let flux = cluster.flux.map { f in
            FluxIR(
                version: f.version, chartVersion: f.chartVersion, namespace: FluxSync.namespace,
                layers: f.layers.map(\.name), location: f.location)
        }
        var clusterIR = ClusterIR(
            name: cluster.name, components: components.filter { !$0.objects.isEmpty }.sorted { $0.folder < $1.folder },
            flux: flux, bootstrapSecrets: cluster.secretStores.map(\.token), nodes: index.nodes.keys.sorted(),
            location: cluster.location)
        clusterIR.chartObjects = ChartObjects.lower(index, bootstrapValues: flux?.bootstrapValues)
        return clusterIR
    }
}

/// What every lowered object shares: the fleet name for the standard labels.
struct LoweringContext {
    var fleet: String
    var cluster: String
    var stores: [PulumiESCStore]

    static let managedBy = "oceanid-gen"

    /// The standard labels every object carries, merged under any declared labels.
    func standardLabels(name: String, extra: [String: String] = [:]) -> [String: String] {
        var labels = extra
        labels["app.kubernetes.io/name"] = labels["app.kubernetes.io/name"] ?? name
        labels["app.kubernetes.io/part-of"] = fleet
        labels["app.kubernetes.io/managed-by"] = Self.managedBy
        return labels
    }

    func metadata(_ id: ObjectID, labels: [String: String] = [:], annotations: [String: String] = [:]) -> Tree {
        var m = MapBuilder()
        m.set("name", id.name)
        m.set("namespace", id.namespace)
        m.set("labels", Tree.sortedMap(standardLabels(name: id.name, extra: labels)))
        m.setNonEmpty("annotations", Tree.sortedMap(annotations))
        return m.tree
    }

    /// apiVersion, kind, metadata, then the rest in the given order.
    func object(
        _ id: ObjectID, labels: [String: String] = [:], annotations: [String: String] = [:],
        _ rest: [Tree.Entry]
    ) -> Tree {
        .map(
            [
                Tree.Entry("apiVersion", .string(id.apiVersion)), Tree.Entry("kind", .string(id.kind)),
                Tree.Entry("metadata", metadata(id, labels: labels, annotations: annotations)),
            ] + rest)
    }

    func tree(for object: DeclaredObject) -> Tree {
        let id = object.id
        switch object.payload {
        case .namespace(let ns):
            return self.object(id, labels: ns.labels, annotations: ns.annotations, [])
        case .deployment(let d):
            var spec = MapBuilder()
            spec.set("replicas", d.replicas)
            spec.set("revisionHistoryLimit", d.revisionHistoryLimit)
            spec.set("strategy", d.strategy.map { ["type": .string($0)] as Tree })
            spec.set("selector", ["matchLabels": Tree.sortedMap(d.selectorLabels)] as Tree)
            spec.set("template", podTemplate(d))
            return self.object(id, labels: d.labels, annotations: d.annotations, [Tree.Entry("spec", spec.tree)])
        case .daemonSet(let d):
            var spec = MapBuilder()
            spec.set("selector", ["matchLabels": Tree.sortedMap(d.selectorLabels)] as Tree)
            spec.set("template", podTemplate(d))
            return self.object(id, labels: d.labels, annotations: d.annotations, [Tree.Entry("spec", spec.tree)])
        case .job(let j):
            return self.object(id, labels: j.labels, annotations: j.annotations, [Tree.Entry("spec", jobSpec(j))])
        case .cronJob(let c):
            var spec = MapBuilder()
            spec.set("schedule", c.schedule)
            spec.set("timeZone", c.timeZone)
            spec.set("concurrencyPolicy", c.concurrencyPolicy?.rawValue)
            spec.set("startingDeadlineSeconds", c.startingDeadlineSeconds)
            spec.set("successfulJobsHistoryLimit", c.successfulJobsHistoryLimit)
            spec.set("failedJobsHistoryLimit", c.failedJobsHistoryLimit)
            spec.set("suspend", c.suspend)
            spec.set("jobTemplate", ["spec": jobSpec(c.job)] as Tree)
            return self.object(id, labels: c.labels, annotations: c.annotations, [Tree.Entry("spec", spec.tree)])
        case .service(let s):
            return self.object(id, labels: s.labels, annotations: s.annotations, [Tree.Entry("spec", serviceSpec(s))])
        case .configMap(let c):
            let data = c.data.merging(c.files.mapValues(ConfigFiles.render)) { literal, _ in literal }
            return self.object(
                id, labels: c.labels, annotations: c.annotations, [Tree.Entry("data", Tree.sortedMap(data))])
        case .secret(let s):
            return externalSecret(id, s)
        case .serviceAccount(let a):
            return self.object(id, labels: a.labels, annotations: a.annotations, [])
        case .role(let r):
            let rules = r.rules.map { rule -> Tree in
                [
                    "apiGroups": .list(rule.apiGroups.map(Tree.string)),
                    "resources": .list(rule.resources.map(Tree.string)),
                    "verbs": .list(rule.verbs.map(Tree.string)),
                ]
            }
            return self.object(id, labels: r.labels, annotations: r.annotations, [Tree.Entry("rules", .list(rules))])
        case .roleBinding(let b):
            let subjects = b.serviceAccounts.map { account -> Tree in
                ["kind": "ServiceAccount", "name": .string(account), "namespace": .string(id.namespace ?? "")]
            }
            return self.object(
                id, labels: b.labels, annotations: b.annotations,
                [
                    Tree.Entry(
                        "roleRef", ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(b.role)]),
                    Tree.Entry("subjects", .list(subjects)),
                ])
        case .networkPolicy(let p):
            return self.object(
                id, labels: p.labels, annotations: p.annotations, [Tree.Entry("spec", networkPolicySpec(p))])
        case .raw(let r):
            return self.object(id, labels: r.labels, annotations: r.annotations, r.body.entries ?? [])
        case .helmRepository(let r):
            return self.object(
                id, labels: r.labels, annotations: r.annotations,
                [Tree.Entry("spec", ["interval": .string(r.interval), "url": .string(r.url)])])
        case .helmRelease(let r):
            return self.object(
                id, labels: r.labels, annotations: r.annotations,
                [Tree.Entry("spec", helmReleaseSpec(r, namespace: id.namespace))])
        case .gitRepository(let f):
            return self.object(
                id,
                [
                    Tree.Entry(
                        "spec",
                        [
                            "interval": "1m", "url": .string(f.url), "ref": ["branch": .string(f.branch)],
                        ])
                ])
        case .fluxKustomization(let f, let layer):
            return self.object(id, [Tree.Entry("spec", fluxKustomizationSpec(f, layer))])
        case .secretStore(let store):
            return self.object(
                id,
                [
                    Tree.Entry(
                        "spec",
                        [
                            "provider": [
                                "pulumi": [
                                    "organization": .string(store.organization),
                                    "project": .string(store.project),
                                    "environment": .string(store.environment),
                                    "auth": [
                                        "accessToken": [
                                            "secretRef": [
                                                "namespace": .string(store.token.namespace),
                                                "name": .string(store.token.name), "key": .string(store.token.key),
                                            ]
                                        ]
                                    ],
                                ]
                            ]
                        ])
                ])
        }
    }

    /// `./clusters/<cluster>` for the root, `./clusters/<cluster>/<layer>` for a layer.
    func fluxKustomizationSpec(_ f: FluxSync, _ layer: Layer?) -> Tree {
        var spec = MapBuilder()
        spec.set("interval", layer?.interval ?? f.interval)
        if let layer {
            spec.set("retryInterval", layer.retryInterval)
            spec.set("timeout", layer.timeout)
            spec.setNonEmpty("dependsOn", .list(layer.dependsOn.map { ["name": .string($0)] }))
            spec.set("path", "./clusters/\(cluster)/\(layer.name)")
        } else {
            spec.set("path", "./" + f.path)
        }
        spec.set("prune", true)
        if let layer {
            spec.set("wait", layer.wait)
            spec.setNonEmpty(
                "healthChecks",
                .list(
                    layer.healthChecks.map { check in
                        var entry = MapBuilder()
                        entry.set("apiVersion", check.apiVersion)
                        entry.set("kind", check.kind)
                        entry.set("name", check.name)
                        entry.set("namespace", check.namespace)
                        return entry.tree
                    }))
        }
        spec.set("sourceRef", ["kind": "GitRepository", "name": .string(ClusterIndex.fluxComponent)] as Tree)
        return spec.tree
    }

    func helmReleaseSpec(_ r: HelmRelease, namespace: String?) -> Tree {
        var source = MapBuilder()
        source.set("kind", "HelmRepository")
        source.set("name", r.repository)
        source.set("namespace", r.repositoryNamespace)
        var spec = MapBuilder()
        spec.set("interval", r.interval)
        spec.set("targetNamespace", r.targetNamespace)
        spec.set(
            "chart",
            [
                "spec": [
                    "chart": .string(r.chart), "version": .string(r.version), "sourceRef": source.tree,
                    "interval": "1h",
                ]
            ] as Tree)
        var install = MapBuilder()
        if r.installCRDs { install.set("crds", "CreateReplace") }
        install.set("remediation", ["retries": 3] as Tree)
        spec.set("install", install.tree)
        var upgrade = MapBuilder()
        if r.installCRDs { upgrade.set("crds", "CreateReplace") }
        upgrade.set("remediation", ["retries": 3] as Tree)
        spec.set("upgrade", upgrade.tree)
        spec.setNonEmpty("values", r.values)
        return spec.tree
    }

    func jobSpec(_ j: Job) -> Tree {
        var spec = MapBuilder()
        spec.set("backoffLimit", j.backoffLimit)
        spec.set("activeDeadlineSeconds", j.activeDeadlineSeconds)
        spec.set("ttlSecondsAfterFinished", j.ttlSecondsAfterFinished)
        spec.set("suspend", j.suspend)
        spec.set("template", podTemplate(j))
        return spec.tree
    }

    func serviceSpec(_ s: Service) -> Tree {
        var spec = MapBuilder()
        switch s.kind {
        case .headless: spec.set("clusterIP", "None")
        case .clusterIP: spec.set("clusterIP", s.clusterIP)
        default: spec.set("type", s.kind.rawValue)
        }
        spec.setNonEmpty("selector", Tree.sortedMap(s.selector))
        spec.set(
            "ports",
            Tree.list(
                s.ports.map { port in
                    var m = MapBuilder()
                    m.set("name", port.name)
                    m.set("port", port.port)
                    m.set("targetPort", port.target.tree)
                    m.set("protocol", port.proto.rawValue)
                    m.set("nodePort", port.nodePort)
                    return m.tree
                }))
        return spec.tree
    }

    /// A declared secret becomes an ExternalSecret that names ESC keys, never values; with a
    /// template, the target Secret holds only the templated keys (engine v2, `Replace`).
    func externalSecret(_ id: ObjectID, _ s: SecretDeclaration) -> Tree {
        let store = stores.first
        let data = s.keys.sorted { $0.key < $1.key }.map { key, remote -> Tree in
            ["secretKey": .string(key), "remoteRef": ["key": .string(store?.remoteKey(remote) ?? remote)]]
        }
        var target = MapBuilder()
        target.set("name", s.name)
        target.set("creationPolicy", "Owner")
        if !s.template.isEmpty {
            target.set(
                "template",
                ["engineVersion": "v2", "mergePolicy": "Replace", "data": Tree.sortedMap(s.template)] as Tree)
        }
        return object(
            id, labels: s.labels, annotations: s.annotations,
            [
                Tree.Entry(
                    "spec",
                    [
                        "refreshInterval": "1h",
                        "secretStoreRef": [
                            "kind": "ClusterSecretStore", "name": .string(store?.name ?? PulumiESCStore.defaultName),
                        ],
                        "target": target.tree,
                        "data": .list(data),
                    ])
            ])
    }

    func networkPolicySpec(_ p: NetworkPolicy) -> Tree {
        func selector(_ s: PodSelector) -> Tree {
            switch s {
            case .all: return .map([])
            case .labels(let l): return ["matchLabels": Tree.sortedMap(l)]
            }
        }
        func peer(_ p: Peer) -> Tree {
            switch p {
            case .pods(let s): return ["podSelector": selector(s)]
            case .namespace(let ns, let pods):
                var m = MapBuilder()
                m.set("namespaceSelector", ["matchLabels": ["kubernetes.io/metadata.name": .string(ns)]] as Tree)
                if case .labels = pods { m.set("podSelector", selector(pods)) }
                return m.tree
            case .ipBlock(let cidr, let except):
                var block = MapBuilder()
                block.set("cidr", cidr)
                block.setNonEmpty("except", .list(except.map(Tree.string)))
                return ["ipBlock": block.tree]
            }
        }
        func ports(_ ports: [PolicyPort]) -> Tree {
            .list(ports.map { ["protocol": .string($0.proto.rawValue), "port": $0.port.tree] })
        }
        var spec = MapBuilder()
        spec.set("podSelector", selector(p.pods))
        spec.set("policyTypes", Tree.list(p.types.map { .string($0.rawValue) }))
        if p.types.contains(.ingress) {
            spec.set(
                "ingress",
                Tree.list(
                    p.ingress.map { rule in
                        var m = MapBuilder()
                        m.setNonEmpty("from", .list(rule.from.map(peer)))
                        m.setNonEmpty("ports", ports(rule.ports))
                        return m.tree
                    }))
        }
        if p.types.contains(.egress) {
            spec.set(
                "egress",
                Tree.list(
                    p.egress.map { rule in
                        var m = MapBuilder()
                        m.setNonEmpty("to", .list(rule.to.map(peer)))
                        m.setNonEmpty("ports", ports(rule.ports))
                        return m.tree
                    }))
        }
        return spec.tree
    }
}

extension PortRef {
    var tree: Tree {
        switch self {
        case .name(let n): .string(n)
        case .number(let n): .int(n)
        }
    }
}
