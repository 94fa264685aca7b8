import DSL

/// Checks of every pod template: containers, ports, resources, images, placement and the
/// references from a pod to secrets, config maps, service accounts and volumes.
enum PodChecks {
    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for namespace in index.byNamespace.keys.sorted() {
            let scope = NamespaceScope(index: index, namespace: namespace)
            for workload in index.workloads(in: namespace) {
                out += check(workload, scope: scope, index: index)
            }
        }
        return out
    }

    /// What a pod of one namespace may refer to.
    struct NamespaceScope {
        var namespace: String
        var secrets: [String: SecretDeclaration] = [:]
        var configMaps: [String: ConfigMap] = [:]
        var serviceAccounts: Set<String> = []

        init(index: ClusterIndex, namespace: String) {
            self.namespace = namespace
            for object in index.objects(in: namespace) {
                switch object.payload {
                case .secret(let s): secrets[s.name] = secrets[s.name] ?? s
                case .configMap(let c): configMaps[c.name] = configMaps[c.name] ?? c
                case .serviceAccount(let a): serviceAccounts.insert(a.name)
                case .raw(let r) where r.kind == "ServiceAccount": serviceAccounts.insert(r.name)
                default: break
                }
            }
        }
    }

    static func check(_ workload: any PodWorkload, scope: NamespaceScope, index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let pod = workload.pod
        if pod.containers.isEmpty { out.append(.noContainers(workload.name, at: workload.location)) }

        // Containers of one pod share a network namespace: ports must be unique across them.
        var numbers: [String: SourceLocation] = [:]
        var names: [String: SourceLocation] = [:]
        out += Diagnostic.duplicates(
            .duplicateContainer, "container", in: pod.allContainers, name: \.name, location: \.location)
        for container in pod.allContainers {
            for port in container.ports {
                let key = "\(port.number)/\(port.proto.rawValue)"
                if let first = numbers[key] {
                    out.append(
                        .duplicateContainerPort(
                            "port \(port.number)/\(port.proto.rawValue)", workload: workload.name,
                            at: port.location, first: first))
                } else {
                    numbers[key] = port.location
                }
                if let first = names[port.name] {
                    out.append(
                        .duplicateContainerPort(
                            "port name '\(port.name)'", workload: workload.name,
                            at: port.location, first: first))
                } else {
                    names[port.name] = port.location
                }
            }
        }

        // The selector and runbook labels name the workload; a declared one may not disagree.
        for (key, generated) in workload.runbookLabels.merging(workload.selectorLabels, uniquingKeysWith: { $1 })
            .sorted(by: { $0.key < $1.key })
        {
            if let declared = pod.labels[key], declared != generated {
                out.append(
                    .conflictingPodLabel(
                        key, declared: declared, generated: generated, workload: workload.name, at: workload.location))
            }
        }

        let volumes = Set(pod.volumes.map(\.name))
        // The files each ConfigMap/Secret volume holds (nil: unknown, e.g. an emptyDir).
        var volumeFiles: [String: (owner: String, files: [String], isSecret: Bool, source: String)] = [:]
        for volume in pod.volumes {
            switch volume.source {
            case .configMap(let name, let items):
                guard let map = scope.configMaps[name] else {
                    out.append(
                        .undeclaredConfigMap(
                            name, user: "volume '\(volume.name)'", namespace: scope.namespace,
                            known: Array(scope.configMaps.keys), at: volume.location))
                    continue
                }
                for item in items where !map.hasKey(item.key) {
                    out.append(
                        .unknownConfigMapKey(
                            item.key, configMap: name, user: "volume '\(volume.name)' item",
                            known: map.keys, at: volume.location))
                }
                out += itemPaths(items, volume: volume)
                volumeFiles[volume.name] = (name, items.isEmpty ? map.keys : items.map(\.path), false, name)
            case .secret(let name, let items):
                guard let secret = scope.secrets[name] else {
                    out.append(
                        .undeclaredSecret(
                            name, user: "volume '\(volume.name)'", namespace: scope.namespace,
                            known: Array(scope.secrets.keys), at: volume.location))
                    continue
                }
                for item in items where !secret.secretKeys.contains(item.key) {
                    out.append(
                        .unknownSecretKey(
                            item.key, secret: name, user: "volume '\(volume.name)' item",
                            known: secret.secretKeys, at: volume.location))
                }
                out += itemPaths(items, volume: volume)
                volumeFiles[volume.name] = (name, items.isEmpty ? secret.secretKeys : items.map(\.path), true, name)
            default: break
            }
        }

        for container in pod.allContainers {
            out += checkImage(container)
            out += checkResources(container)
            out += checkEnv(container, scope: scope)
            for mount in container.mounts {
                guard volumes.contains(mount.volume) else {
                    out.append(
                        .unknownVolume(
                            mount.volume, container: container.name, known: Array(volumes), at: mount.location))
                    continue
                }
                if let declared = mount.declaredSource,
                    let podVolume = pod.volumes.first(where: { $0.name == mount.volume }),
                    podVolume.source != declared
                {
                    out.append(
                        .mountedVolumeDiffers(
                            mount.volume, container: container.name, at: mount.location, podVolume: podVolume.location))
                }
                // A subPath into a ConfigMap or Secret volume names one of its files.
                if let subPath = mount.subPath, let first = subPath.split(separator: "/").first.map(String.init),
                    let volume = volumeFiles[mount.volume], !volume.files.contains(first)
                {
                    let user = "mount of volume '\(mount.volume)' (subPath)"
                    out.append(
                        volume.isSecret
                            ? .unknownSecretKey(
                                first, secret: volume.source, user: user, known: volume.files, at: mount.location)
                            : .unknownConfigMapKey(
                                first, configMap: volume.source, user: user, known: volume.files, at: mount.location))
                }
            }
            let portNames = container.ports.map(\.name)
            for (kind, probe) in [
                ("liveness", container.liveness), ("readiness", container.readiness), ("startup", container.startup),
            ] {
                guard let probe else { continue }
                if let name = probe.portName, !portNames.contains(name) {
                    out.append(
                        .unknownProbePort(
                            name, probe: kind, container: container.name, known: portNames, at: probe.location))
                }
                // A probe on a number must hit a port the container exposes (hostNetwork pods
                // may probe node ports the fleet does not model, so they are left alone).
                if let n = probe.portNumber, !pod.hostNetwork, !container.ports.contains(where: { $0.number == n }) {
                    out.append(
                        .unknownNumericProbePort(
                            n, probe: kind, container: container.name,
                            known: container.ports.map(\.number), at: probe.location))
                }
                for (field, value, minimum) in [
                    ("initialDelaySeconds", probe.initialDelay, 0), ("periodSeconds", probe.period, 1),
                    ("timeoutSeconds", probe.timeout, 1), ("failureThreshold", probe.failureThreshold, 1),
                    ("successThreshold", probe.successThreshold, 1),
                ] {
                    if let value, value < minimum {
                        let rule = minimum == 0 ? "0 or more" : "at least \(minimum)"
                        out.append(
                            .numberOutOfRange(
                                field, of: "container '\(container.name)' \(kind) probe",
                                value: value, rule: rule, at: probe.location))
                    }
                }
            }
            for from in container.envFrom {
                switch from.source {
                case .configMap(let name) where scope.configMaps[name] == nil:
                    out.append(
                        .undeclaredConfigMap(
                            name, user: "envFrom of container '\(container.name)'", namespace: scope.namespace,
                            known: Array(scope.configMaps.keys), at: from.location))
                case .secret(let name) where scope.secrets[name] == nil:
                    out.append(
                        .undeclaredSecret(
                            name, user: "envFrom of container '\(container.name)'", namespace: scope.namespace,
                            known: Array(scope.secrets.keys), at: from.location))
                default: break
                }
                if let prefix = from.prefix, let p = EnvNameRule.violation(prefix + "X") {
                    out.append(.invalidEnvName(prefix, problem: p, at: from.location))
                }
            }
        }
        if let seconds = pod.terminationGracePeriod, seconds < 0 {
            out.append(
                .numberOutOfRange(
                    "terminationGracePeriodSeconds", of: "'\(workload.name)'", value: seconds,
                    rule: "0 or more", at: workload.location))
        }

        if let account = pod.serviceAccount, account != "default", !scope.serviceAccounts.contains(account) {
            out.append(
                .undeclaredServiceAccount(
                    account, user: "'\(workload.name)'", namespace: scope.namespace,
                    known: Array(scope.serviceAccounts), at: pod.serviceAccountLocation ?? workload.location))
        }

        var pinnedNode: String?
        if let placement = pod.placement {
            switch placement.rule {
            case .node(let node):
                pinnedNode = node
                if index.nodes[node] == nil {
                    out.append(
                        .unknownNode(
                            node, workload: workload.name, known: Array(index.nodes.keys), at: placement.location))
                }
            case .labels(let labels):
                // A hostname selector is a pin by another spelling.
                if let node = labels["kubernetes.io/hostname"] {
                    pinnedNode = node
                    if index.nodes[node] == nil {
                        out.append(
                            .unknownNode(
                                node, workload: workload.name, known: Array(index.nodes.keys), at: placement.location,
                                bySelector: true))
                    }
                }
            }
        }
        for container in pod.allContainers where (container.resources.limits.gpu ?? 0) > 0 {
            if let node = pinnedNode, let declared = index.nodes[node], declared.gpus == 0 {
                out.append(.gpuWithoutGPUNode(container: container.name, node: node, at: container.location))
            } else if pinnedNode == nil && pod.placement == nil {
                out.append(.gpuWithoutGPUNode(container: container.name, node: nil, at: container.location))
            }
        }
        return out
    }

    /// `items[].path`: relative, without `..` components (Kubernetes' volume path rule).
    static func itemPaths(_ items: [VolumeItem], volume: Volume) -> [Diagnostic] {
        items.compactMap { item in
            if item.path.isEmpty || item.path.hasPrefix("/") || item.path.split(separator: "/").contains("..") {
                return .invalidDataKey(
                    item.path, of: "volume '\(volume.name)' item path", problem: "must be a relative path without '..'",
                    at: volume.location)
            }
            return nil
        }
    }

    static func checkImage(_ container: Container) -> [Diagnostic] {
        var out = pinned(container.image, owner: "container '\(container.name)'", at: container.location)
        // A moving tag is emitted with imagePullPolicy Always; saying otherwise ships stale code.
        if container.image.moves, let policy = container.imagePullPolicy, policy != "Always" {
            out.append(
                .movingTagNotPulled(
                    container: container.name, image: container.image, policy: policy, at: container.location))
        }
        return out
    }

    /// A tag that is not `latest`, or a digest: what runs is what was reviewed.
    static func pinned(_ image: Image, owner: String, at location: SourceLocation) -> [Diagnostic] {
        if image.digest != nil { return [] }
        guard let tag = image.tag, !tag.isEmpty else {
            return [.imageNotPinned(owner: owner, image: image, latest: false, at: location)]
        }
        return tag == "latest" ? [.imageNotPinned(owner: owner, image: image, latest: true, at: location)] : []
    }

    static func checkResources(_ container: Container) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let r = container.resources
        for (resource, request, limit) in [
            ("cpu", r.requests.cpu, r.limits.cpu), ("memory", r.requests.memory, r.limits.memory),
        ] {
            let req = request.map { ($0, Quantity.parse($0)) }
            let lim = limit.map { ($0, Quantity.parse($0)) }
            if let (text, value) = req, value == nil {
                out.append(
                    .invalidQuantity(
                        text, resource: "\(resource) request", container: container.name, at: container.location))
            }
            if let (text, value) = lim, value == nil {
                out.append(
                    .invalidQuantity(
                        text, resource: "\(resource) limit", container: container.name, at: container.location))
            }
            // 'm' is milli: "512m" of memory is half a byte, almost always a typo for "512Mi".
            if resource == "memory" {
                for (text, which) in [(request, "memory request"), (limit, "memory limit")] {
                    if let text, text.hasSuffix("m"), Quantity.parse(text) != nil {
                        out.append(
                            .memoryInMillibytes(
                                container: container.name, resource: which, text: text, at: container.location))
                    }
                }
            }
            if let (reqText, reqValue) = req, let (limText, limValue) = lim,
                let reqValue, let limValue, reqValue > limValue
            {
                out.append(
                    .requestsExceedLimits(
                        container: container.name, resource: resource, request: reqText,
                        limit: limText, at: container.location))
            }
        }
        return out
    }

    static func checkEnv(_ container: Container, scope: NamespaceScope) -> [Diagnostic] {
        var out: [Diagnostic] = Diagnostic.duplicates(
            .duplicateEnv, "env variable in container '\(container.name)'", in: container.env,
            name: \.name, location: \.location)
        for env in container.env {
            switch env.source {
            case .secret(let name, let key):
                guard let secret = scope.secrets[name] else {
                    out.append(
                        .undeclaredSecret(
                            name, user: "env '\(env.name)'", namespace: scope.namespace,
                            known: Array(scope.secrets.keys), at: env.location))
                    continue
                }
                if !secret.secretKeys.contains(key) {
                    out.append(
                        .unknownSecretKey(
                            key, secret: name, user: "env '\(env.name)'", known: secret.secretKeys, at: env.location))
                }
            case .configMap(let name, let key):
                guard let map = scope.configMaps[name] else {
                    out.append(
                        .undeclaredConfigMap(
                            name, user: "env '\(env.name)'", namespace: scope.namespace,
                            known: Array(scope.configMaps.keys), at: env.location))
                    continue
                }
                if !map.hasKey(key) {
                    out.append(
                        .unknownConfigMapKey(
                            key, configMap: name, user: "env '\(env.name)'", known: map.keys, at: env.location))
                }
            case .literal, .field:
                break
            }
        }
        return out
    }
}
