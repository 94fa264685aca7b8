import Compiler
import DSL

/// Which Kubernetes object names which, read from the lowered trees (what is emitted), for
/// `explain` and the docs. A reference is a field that names another object: a pod's
/// service account, Secrets and ConfigMaps (env, envFrom, volumes, image pull secrets) and
/// priority class; a Service's or NetworkPolicy's pod selector (to the workloads whose pod
/// template labels it matches, Kubernetes' equality-based selector rule); an
/// ExternalSecret's store and target Secret; a Flux Kustomization's source and
/// `dependsOn`; a HelmRelease's chart source; a RoleBinding's role and service accounts;
/// an Ingress backend's Service. Targets that are not declared are kept (`declared: false`):
/// a Secret made by an ExternalSecret, say.
public struct ObjectReferences: Sendable {
    /// One object of one cluster.
    public struct Key: Hashable, Comparable, Sendable {
        /// The cluster's name.
        public var cluster: String
        /// The object's kind, namespace and name.
        public var id: ObjectID
        /// Ordered by cluster, then object id.
        public static func < (a: Key, b: Key) -> Bool { (a.cluster, a.id) < (b.cluster, b.id) }
        /// `Deployment apps/web` (`ClusterRole flux-view` when cluster-scoped).
        public var label: String { "\(id.kind) \(id.namespace.map { "\($0)/" } ?? "")\(id.name)" }
    }

    /// `from` names `to` through `field` (`spec.template.spec.serviceAccountName`).
    public struct Reference: Hashable, Comparable, Sendable {
        /// The object holding the field.
        public var from: Key
        /// The object the field names.
        public var to: Key
        /// The field path in `from` (`spec.template.spec.serviceAccountName`, `spec.selector`).
        public var field: String
        /// Whether the fleet declares the target.
        public var declared: Bool
        /// Ordered by source, target, then field: the order of `all`.
        public static func < (a: Reference, b: Reference) -> Bool { (a.from, a.to, a.field) < (b.from, b.to, b.field) }
    }

    /// Every reference, sorted.
    public private(set) var all: [Reference] = []
    /// Every declared object with its declaration and its file.
    public private(set) var objects: [Key: (origin: SourceLocation, path: String)] = [:]

    /// Reads every object of every cluster in `ir`, with its file path, and every reference between
    /// them. Pure: the trees are read as the emitters will render them.
    public init(_ ir: FleetIR) {
        var found: Set<Reference> = []
        for cluster in ir.clusters {
            var byIdentity: [String: ObjectID] = [:]  // kind/namespace/name (any version) → declared id
            var workloads: [(Key, [String: String])] = []
            var madeSecrets: [String: Key] = [:]  // namespace/name of a Secret → the ExternalSecret that makes it
            for component in cluster.components {
                for object in component.objects {
                    let key = Key(cluster: cluster.name, id: object.id)
                    objects[key] = (
                        object.origin,
                        "\(cluster.root)/\(component.folder)/"
                            + OutputLayout.objectFile(object.id, componentNamespace: component.namespace)
                    )
                    byIdentity["\(object.id.kind)/\(object.id.namespace ?? "")/\(object.id.name)"] = object.id
                    if let labels = Self.podTemplate(object)?["metadata"]?["labels"] {
                        workloads.append((key, Self.strings(labels)))
                    }
                    if object.id.kind == "ExternalSecret" {
                        let target = object.tree["spec"]?["target"]?["name"]?.stringValue ?? object.id.name
                        madeSecrets["\(object.id.namespace ?? "")/\(target)"] = key
                    }
                }
            }
            func target(_ kind: String, _ namespace: String?, _ name: String) -> (Key, Bool) {
                if let id = byIdentity["\(kind)/\(namespace ?? "")/\(name)"] {
                    return (Key(cluster: cluster.name, id: id), true)
                }
                return (
                    Key(
                        cluster: cluster.name,
                        id: ObjectID(apiVersion: "", kind: kind, namespace: namespace, name: name)), false
                )
            }
            for component in cluster.components {
                for object in component.objects {
                    let from = Key(cluster: cluster.name, id: object.id)
                    let namespace = object.id.namespace
                    func add(_ kind: String, _ name: String?, _ field: String, namespace ns: String?? = nil) {
                        guard let name, !name.isEmpty else { return }
                        let (to, declared) = target(kind, ns ?? namespace, name)
                        // A Secret the fleet does not declare but an ExternalSecret makes: the ExternalSecret.
                        if !declared, kind == "Secret", object.id.kind != "ExternalSecret",
                            let maker = madeSecrets["\((ns ?? namespace) ?? "")/\(name)"]
                        {
                            found.insert(
                                Reference(
                                    from: from, to: maker, field: "\(field) (the Secret it makes)", declared: true))
                            return
                        }
                        if to != from { found.insert(Reference(from: from, to: to, field: field, declared: declared)) }
                    }
                    /// `selector` is a Service's plain map, or with `labelSelector` a
                    /// metav1.LabelSelector (`matchLabels`, `matchExpressions`; empty: every pod).
                    func selects(_ selector: Tree?, _ field: String, labelSelector: Bool = false) {
                        guard let selector else { return }
                        for (workload, labels) in workloads
                        where workload.id.namespace == namespace
                            && (labelSelector
                                ? Self.matches(selector, labels)
                                : Self.strings(selector).allSatisfy({ labels[$0.key] == $0.value }))
                        {
                            found.insert(Reference(from: from, to: workload, field: field, declared: true))
                        }
                    }
                    let tree = object.tree
                    if let pod = Self.podSpec(object) {
                        let path = Self.podSpecPath(object.id.kind)
                        add("ServiceAccount", pod["serviceAccountName"]?.stringValue, "\(path).serviceAccountName")
                        add(
                            "PriorityClass", pod["priorityClassName"]?.stringValue, "\(path).priorityClassName",
                            namespace: .some(nil))
                        for secret in pod["imagePullSecrets"]?.items ?? [] {
                            add("Secret", secret["name"]?.stringValue, "\(path).imagePullSecrets")
                        }
                        for volume in pod["volumes"]?.items ?? [] {
                            add("ConfigMap", volume["configMap"]?["name"]?.stringValue, "\(path).volumes.configMap")
                            add("Secret", volume["secret"]?["secretName"]?.stringValue, "\(path).volumes.secret")
                            add(
                                "PersistentVolumeClaim", volume["persistentVolumeClaim"]?["claimName"]?.stringValue,
                                "\(path).volumes.persistentVolumeClaim")
                        }
                        let containers = (pod["initContainers"]?.items ?? []) + (pod["containers"]?.items ?? [])
                        for container in containers {
                            for env in container["env"]?.items ?? [] {
                                add(
                                    "Secret", env["valueFrom"]?["secretKeyRef"]?["name"]?.stringValue,
                                    "\(path).containers.env.secretKeyRef")
                                add(
                                    "ConfigMap", env["valueFrom"]?["configMapKeyRef"]?["name"]?.stringValue,
                                    "\(path).containers.env.configMapKeyRef")
                            }
                            for source in container["envFrom"]?.items ?? [] {
                                add(
                                    "Secret", source["secretRef"]?["name"]?.stringValue,
                                    "\(path).containers.envFrom.secretRef")
                                add(
                                    "ConfigMap", source["configMapRef"]?["name"]?.stringValue,
                                    "\(path).containers.envFrom.configMapRef")
                            }
                        }
                    }
                    switch object.id.kind {
                    case "Service":
                        selects(tree["spec"]?["selector"], "spec.selector")
                    case "NetworkPolicy":
                        selects(tree["spec"]?["podSelector"] ?? [:], "spec.podSelector", labelSelector: true)
                    case "PodDisruptionBudget":
                        selects(tree["spec"]?["selector"], "spec.selector", labelSelector: true)
                    case "ExternalSecret":
                        let store = tree["spec"]?["secretStoreRef"]
                        let storeKind = store?["kind"]?.stringValue ?? "SecretStore"
                        add(
                            storeKind, store?["name"]?.stringValue, "spec.secretStoreRef",
                            namespace: storeKind == "ClusterSecretStore" ? .some(nil) : nil)
                        add("Secret", tree["spec"]?["target"]?["name"]?.stringValue ?? object.id.name, "spec.target")
                    case "Kustomization" where object.id.group == "kustomize.toolkit.fluxcd.io":
                        let source = tree["spec"]?["sourceRef"]
                        add(
                            source?["kind"]?.stringValue ?? "GitRepository", source?["name"]?.stringValue,
                            "spec.sourceRef",
                            namespace: source?["namespace"]?.stringValue.map { .some($0) })
                        for dependency in tree["spec"]?["dependsOn"]?.items ?? [] {
                            add(
                                "Kustomization", dependency["name"]?.stringValue, "spec.dependsOn",
                                namespace: dependency["namespace"]?.stringValue.map { .some($0) })
                        }
                    case "HelmRelease":
                        let source = tree["spec"]?["chart"]?["spec"]?["sourceRef"]
                        add(
                            source?["kind"]?.stringValue ?? "HelmRepository", source?["name"]?.stringValue,
                            "spec.chart.spec.sourceRef",
                            namespace: source?["namespace"]?.stringValue.map { .some($0) })
                    case "RoleBinding", "ClusterRoleBinding":
                        let role = tree["roleRef"]
                        let roleKind = role?["kind"]?.stringValue ?? "Role"
                        add(
                            roleKind, role?["name"]?.stringValue, "roleRef",
                            namespace: roleKind == "ClusterRole" ? .some(nil) : nil)
                        for subject in tree["subjects"]?.items ?? []
                        where subject["kind"]?.stringValue == "ServiceAccount" {
                            add(
                                "ServiceAccount", subject["name"]?.stringValue, "subjects",
                                namespace: subject["namespace"]?.stringValue.map { .some($0) })
                        }
                    case "Ingress":
                        for rule in tree["spec"]?["rules"]?.items ?? [] {
                            for path in rule["http"]?["paths"]?.items ?? [] {
                                add(
                                    "Service", path["backend"]?["service"]?["name"]?.stringValue,
                                    "spec.rules.http.paths.backend")
                            }
                        }
                    default:
                        break
                    }
                }
            }
        }
        all = found.sorted()
    }

    /// What `key` names.
    public func references(from key: Key) -> [Reference] { all.filter { $0.from == key } }
    /// What names `key`.
    public func references(to key: Key) -> [Reference] { all.filter { $0.to == key } }

    static func podSpecPath(_ kind: String) -> String {
        switch kind {
        case "Pod": "spec"
        case "CronJob": "spec.jobTemplate.spec.template.spec"
        default: "spec.template.spec"
        }
    }

    static let podKinds: Set<String> = [
        "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod",
    ]

    static func podTemplate(_ object: ObjectIR) -> Tree? {
        guard podKinds.contains(object.id.kind) else { return nil }
        switch object.id.kind {
        case "Pod": return object.tree
        case "CronJob": return object.tree["spec"]?["jobTemplate"]?["spec"]?["template"]
        default: return object.tree["spec"]?["template"]
        }
    }

    static func podSpec(_ object: ObjectIR) -> Tree? { podTemplate(object)?["spec"] }

    /// Whether pod `labels` match a metav1.LabelSelector: every `matchLabels` pair and every
    /// `matchExpressions` requirement (In, NotIn, Exists, DoesNotExist); an empty selector
    /// matches every pod (Kubernetes API conventions, "Label selectors").
    static func matches(_ selector: Tree, _ labels: [String: String]) -> Bool {
        let exact = selector["matchLabels"].map(strings) ?? [:]
        guard exact.allSatisfy({ labels[$0.key] == $0.value }) else { return false }
        for requirement in selector["matchExpressions"]?.items ?? [] {
            guard let key = requirement["key"]?.stringValue, let op = requirement["operator"]?.stringValue else {
                return false
            }
            let values = Set((requirement["values"]?.items ?? []).compactMap(\.stringValue))
            switch op {
            case "In": guard let value = labels[key], values.contains(value) else { return false }
            case "NotIn": if let value = labels[key], values.contains(value) { return false }
            case "Exists": guard labels[key] != nil else { return false }
            case "DoesNotExist": guard labels[key] == nil else { return false }
            default: return false
            }
        }
        return true
    }

    /// A mapping's string values by key.
    static func strings(_ tree: Tree) -> [String: String] {
        var out: [String: String] = [:]
        for entry in tree.entries ?? [] { if let value = entry.value.stringValue { out[entry.key] = value } }
        return out
    }
}
