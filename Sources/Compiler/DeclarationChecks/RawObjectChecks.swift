import DSL

/// The escape hatch loses the DSL's types, not its checks: a RawObject of a kind the DSL
/// models gets the reference checks of that kind, read from its body. A pod-carrying kind's
/// pod spec may use only declared ConfigMaps, secrets (with their keys), ServiceAccounts and
/// nodes; a Service's selector must match some pod of its namespace. (Names, namespaces,
/// labels and annotations are checked for every object anyway.)
enum RawObjectChecks {
    static let podKinds: Set<String> = [
        "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod",
    ]

    static func references(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .raw(let raw) = object.payload, let namespace = object.id.namespace else { continue }
            if podKinds.contains(raw.kind), let pod = podSpec(raw) {
                out += checkPod(
                    pod, raw: raw, scope: PodChecks.NamespaceScope(index: index, namespace: namespace), index: index)
            }
            if raw.kind == "Service", raw.apiVersion == "v1", let selector = raw.body["spec"]?["selector"]?.entries,
                !selector.isEmpty
            {
                let wanted = Dictionary(
                    selector.compactMap { e in e.value.stringValue.map { (e.key, $0) } },
                    uniquingKeysWith: { a, _ in a })
                let matches = podLabelSets(in: namespace, index: index).contains { labels in
                    wanted.allSatisfy { labels[$0.key] == $0.value }
                }
                if !matches {
                    out.append(
                        .selectorMatchesNothing(
                            service: raw.name, selector: wanted, namespace: namespace, at: raw.location))
                }
            }
        }
        return out
    }

    static func podSpec(_ raw: RawObject) -> Tree? {
        switch raw.kind {
        case "Pod": raw.body["spec"]
        case "CronJob": raw.body["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: raw.body["spec"]?["template"]?["spec"]
        }
    }

    /// Pod labels of every workload of a namespace, typed or written through the escape hatch.
    static func podLabelSets(in namespace: String, index: ClusterIndex) -> [[String: String]] {
        index.objects(in: namespace).compactMap { object -> [String: String]? in
            if let workload = object.workload { return workload.podLabels }
            guard case .raw(let raw) = object.payload, podKinds.contains(raw.kind) else { return nil }
            let template = raw.kind == "Pod" ? raw.body : MetadataChecks.podTemplate(raw.body)
            let labels =
                (raw.kind == "Pod"
                    ? raw.labels.map { Tree.Entry($0.key, .string($0.value)) }
                    : template?["metadata"]?["labels"]?.entries) ?? []
            return Dictionary(
                labels.compactMap { e in e.value.stringValue.map { (e.key, $0) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    static func checkPod(_ pod: Tree, raw: RawObject, scope: PodChecks.NamespaceScope, index: ClusterIndex)
        -> [Diagnostic]
    {
        var out: [Diagnostic] = []
        let at = raw.location
        let owner = "\(raw.kind) '\(raw.name)'"
        if let account = pod["serviceAccountName"]?.stringValue, account != "default",
            !scope.serviceAccounts.contains(account)
        {
            out.append(
                .undeclaredServiceAccount(
                    account, user: owner, namespace: scope.namespace, known: Array(scope.serviceAccounts), at: at))
        }
        if let node = pod["nodeSelector"]?["kubernetes.io/hostname"]?.stringValue, index.nodes[node] == nil {
            out.append(.unknownNode(node, workload: raw.name, known: Array(index.nodes.keys), at: at, bySelector: true))
        }
        for volume in list(pod["volumes"]) {
            let name = volume["name"]?.stringValue ?? "?"
            if let map = volume["configMap"], let ref = map["name"]?.stringValue, !optional(map),
                scope.configMaps[ref] == nil
            {
                out.append(
                    .undeclaredConfigMap(
                        ref, user: "volume '\(name)' of \(owner)", namespace: scope.namespace,
                        known: Array(scope.configMaps.keys), at: at))
            }
            if let secret = volume["secret"], let ref = secret["secretName"]?.stringValue, !optional(secret),
                scope.secrets[ref] == nil
            {
                out.append(
                    .undeclaredSecret(
                        ref, user: "volume '\(name)' of \(owner)", namespace: scope.namespace,
                        known: Array(scope.secrets.keys), at: at))
            }
        }
        for container in list(pod["containers"]) + list(pod["initContainers"]) {
            for env in list(container["env"]) {
                let name = env["name"]?.stringValue ?? "?"
                if let ref = env["valueFrom"]?["configMapKeyRef"], !optional(ref),
                    let mapName = ref["name"]?.stringValue, let key = ref["key"]?.stringValue
                {
                    if let map = scope.configMaps[mapName] {
                        if !map.hasKey(key) {
                            out.append(
                                .unknownConfigMapKey(
                                    key, configMap: mapName, user: "env '\(name)'", known: map.keys, at: at))
                        }
                    } else {
                        out.append(
                            .undeclaredConfigMap(
                                mapName, user: "env '\(name)'", namespace: scope.namespace,
                                known: Array(scope.configMaps.keys), at: at))
                    }
                }
                if let ref = env["valueFrom"]?["secretKeyRef"], !optional(ref),
                    let secretName = ref["name"]?.stringValue, let key = ref["key"]?.stringValue
                {
                    if let secret = scope.secrets[secretName] {
                        if !secret.secretKeys.contains(key) {
                            out.append(
                                .unknownSecretKey(
                                    key, secret: secretName, user: "env '\(name)'", known: secret.secretKeys, at: at))
                        }
                    } else {
                        out.append(
                            .undeclaredSecret(
                                secretName, user: "env '\(name)'", namespace: scope.namespace,
                                known: Array(scope.secrets.keys), at: at))
                    }
                }
            }
            for from in list(container["envFrom"]) {
                if let ref = from["configMapRef"], !optional(ref), let mapName = ref["name"]?.stringValue,
                    scope.configMaps[mapName] == nil
                {
                    out.append(
                        .undeclaredConfigMap(
                            mapName, user: "envFrom of \(owner)", namespace: scope.namespace,
                            known: Array(scope.configMaps.keys), at: at))
                }
                if let ref = from["secretRef"], !optional(ref), let secretName = ref["name"]?.stringValue,
                    scope.secrets[secretName] == nil
                {
                    out.append(
                        .undeclaredSecret(
                            secretName, user: "envFrom of \(owner)", namespace: scope.namespace,
                            known: Array(scope.secrets.keys), at: at))
                }
            }
        }
        return out
    }

    private static func list(_ tree: Tree?) -> [Tree] { tree?.items ?? [] }

    private static func optional(_ ref: Tree) -> Bool { ref["optional"] == .bool(true) }
}
