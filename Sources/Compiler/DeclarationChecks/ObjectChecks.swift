import DSL

/// Checks that apply to every object: names, labels, identity and namespaces.
enum ObjectChecks {
    /// The name grammar each kind must follow.
    static func rule(for kind: String) -> NameRule {
        switch kind {
        case "Namespace": .dnsLabel
        case "Service": .dns1035Label
        default: .dnsSubdomain
        }
    }

    static func names(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func checkLabels(_ labels: [String: String], place: String, at loc: SourceLocation) {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                if let p = LabelRules.keyViolation(key) {
                    out.append(.invalidLabel("\(place) key", key: key, problem: p, at: loc))
                }
                if let p = LabelRules.valueViolation(value) {
                    out.append(.invalidLabel("\(place) value", key: "\(key)=\(value)", problem: p, at: loc))
                }
            }
        }
        for node in index.cluster.nodes {
            if let p = NameRule.dnsSubdomain.violation(node.name) {
                out.append(.invalidName("node", node.name, rule: .dnsSubdomain, problem: p, at: node.location))
            }
            checkLabels(node.labels, place: "node label", at: node.location)
        }
        for component in index.components {
            if let p = NameRule.dnsLabel.violation(component.name) {
                out.append(
                    .invalidName("component", component.name, rule: .dnsLabel, problem: p, at: component.location))
            }
        }
        for object in index.objects {
            let rule = rule(for: object.id.kind)
            if let p = rule.violation(object.id.name) {
                out.append(.invalidName(object.id.kind, object.id.name, rule: rule, problem: p, at: object.location))
            }
            // Object and pod labels and annotations are checked on what is emitted (MetadataChecks).
            switch object.payload {
            case .service(let s):
                checkLabels(s.selector, place: "selector label", at: s.location)
                for port in s.ports {
                    if let p = NameRule.portName.violation(port.name) {
                        out.append(
                            .invalidName("service port", port.name, rule: .portName, problem: p, at: port.location))
                    }
                    if !(1...65535).contains(port.port) {
                        out.append(.invalidPort(port.port, "service port", at: port.location))
                    }
                }
            case .raw(let raw):
                if !isAPIVersion(raw.apiVersion) { out.append(.invalidAPIVersion(raw.apiVersion, at: raw.location)) }
                if !isKind(raw.kind) { out.append(.invalidKind(raw.kind, at: raw.location)) }
                for key in ["apiVersion", "kind", "metadata"] where raw.body[key] != nil {
                    out.append(.reservedBodyKey(key, at: raw.location))
                }
            case .configMap(let map):
                out += dataKeys(map.keys, of: "ConfigMap '\(map.name)'", at: map.location)
                for (key, file) in map.files.sorted(by: { $0.key < $1.key }) {
                    if case .yaml(let tree) = file, let (path, duplicate) = Self.firstDuplicateKey(tree, path: "") {
                        out.append(
                            .duplicateKey(
                                duplicate, path: path, in: "ConfigMap '\(map.name)' file '\(key)'", at: map.location))
                    }
                    guard case .directives(let directives) = file else { continue }
                    for directive in directives {
                        // Every word stays one word on one line: squid splits on whitespace and
                        // a '#' starts a comment (an 'allow all #' argument would open the proxy).
                        for word in [directive.name] + directive.arguments {
                            let problem: String? =
                                word.isEmpty
                                ? "an empty word"
                                : word.contains(where: { $0.isWhitespace || $0.isNewline })
                                    ? "whitespace or a line break in '\(word)'"
                                    : word.contains("#") ? "a '#' in '\(word)', which starts a comment" : nil
                            if let problem {
                                out.append(
                                    .invalidDirective(
                                        directive.name, file: key, configMap: map.name, problem: problem,
                                        at: directive.location))
                                break
                            }
                        }
                    }
                }
            case .secret(let secret):
                out += dataKeys(secret.keys.keys, of: "secret '\(secret.name)'", at: secret.location)
                out += dataKeys(
                    secret.template.keys, of: "secret '\(secret.name)' template",
                    at: secret.templateLocation ?? secret.location)
            case .secretStore(let store):
                if let p = NameRule.dnsLabel.violation(store.token.namespace) {
                    out.append(
                        .invalidName(
                            "access-token namespace", store.token.namespace, rule: .dnsLabel, problem: p,
                            at: store.location))
                }
                if let p = NameRule.dnsSubdomain.violation(store.token.name) {
                    out.append(
                        .invalidName(
                            "access-token Secret", store.token.name, rule: .dnsSubdomain, problem: p, at: store.location
                        ))
                }
                out += dataKeys([store.token.key], of: "access-token Secret '\(store.token.name)'", at: store.location)
            case .helmRelease(let release):
                if let target = release.targetNamespace {
                    if let p = NameRule.dnsLabel.violation(target) {
                        out.append(
                            .invalidName(
                                "HelmRelease target namespace", target, rule: .dnsLabel, problem: p,
                                at: release.location))
                    } else if index.namespaces[target] == nil && !NetworkPolicyChecks.systemNamespaces.contains(target)
                    {
                        out.append(
                            .undeclaredTargetNamespace(
                                target, release: release.name, known: Array(index.namespaces.keys),
                                at: release.location))
                    }
                }
            default: break
            }
            if let workload = object.workload {
                for volume in workload.pod.volumes {
                    if let p = NameRule.dnsLabel.violation(volume.name) {
                        out.append(
                            .invalidName("volume", volume.name, rule: .dnsLabel, problem: p, at: volume.location))
                    }
                }
                for container in workload.pod.allContainers {
                    if let p = NameRule.dnsLabel.violation(container.name) {
                        out.append(
                            .invalidName(
                                "container", container.name, rule: .dnsLabel, problem: p, at: container.location))
                    }
                    for port in container.ports {
                        if let p = NameRule.portName.violation(port.name) {
                            out.append(
                                .invalidName(
                                    "container port", port.name, rule: .portName, problem: p, at: port.location))
                        }
                        if !(1...65535).contains(port.number) {
                            out.append(.invalidPort(port.number, "container port", at: port.location))
                        }
                    }
                    for env in container.env {
                        if let p = EnvNameRule.violation(env.name) {
                            out.append(.invalidEnvName(env.name, problem: p, at: env.location))
                        }
                    }
                }
            }
        }
        return out
    }

    static func duplicates(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var seen: [String: SourceLocation] = [:]
        for object in index.objects {
            if let first = seen[object.id.identityKey] {
                out.append(.duplicateObject(object.id, at: object.location, first: first))
            } else {
                seen[object.id.identityKey] = object.location
            }
        }
        out += Diagnostic.duplicates(
            .duplicateComponent, "component (output folder)", in: index.components, name: \.name, location: \.location)
        return out
    }

    static func namespaces(_ index: ClusterIndex) -> [Diagnostic] {
        let known = Array(index.namespaces.keys)
        var out: [Diagnostic] = index.objects.compactMap { object in
            guard let ns = object.id.namespace, index.namespaces[ns] == nil else { return nil }
            return .undeclaredNamespace(ns, for: object.id.description, known: known, at: object.location)
        }
        // A namespaced kind at cluster level without a namespace would land in whatever
        // namespace kubectl or Flux defaults to.
        for object in index.objects where object.id.namespace == nil && ClusterScope.isNamespaced(object.id.kind) {
            out.append(.missingNamespace(object.id, at: object.location))
        }
        return out
    }

    /// ConfigMap and Secret data keys (`IsConfigMapKey`): `[-._a-zA-Z0-9]+`, at most 253
    /// characters, not `.`, `..` or starting with `..`.
    static func dataKeys(_ keys: some Collection<String>, of owner: String, at loc: SourceLocation) -> [Diagnostic] {
        keys.sorted().compactMap { key in
            DataKeyRule.violation(key).map { .invalidDataKey(key, of: owner, problem: $0, at: loc) }
        }
    }

    /// The first key written a second time among one mapping's entries (YAML 1.2 requires
    /// mapping keys to be unique; a later one silently wins in most readers).
    static func repeatedKey(_ entries: [Tree.Entry]) -> String? {
        guard entries.count > 1 else { return nil }
        var keys = Set<String>()
        return entries.first { !keys.insert($0.key).inserted }?.key
    }

    /// The first key written twice in one mapping of a tree (a typed config file).
    static func firstDuplicateKey(_ tree: Tree, path: String) -> (String, String)? {
        switch tree {
        case .map(let entries):
            if let repeated = repeatedKey(entries) { return (path, repeated) }
            for entry in entries {
                if let found = firstDuplicateKey(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)") {
                    return found
                }
            }
        case .list(let items):
            for (i, item) in items.enumerated() {
                if let found = firstDuplicateKey(item, path: "\(path)[\(i)]") { return found }
            }
        default: break
        }
        return nil
    }

    static func isAPIVersion(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let version = parts.last, isVersion(version) else { return false }
        return parts.count == 1 || NameRule.dnsSubdomain.violation(String(parts[0])) == nil
    }

    private static func isVersion(_ v: Substring) -> Bool {
        guard v.first == "v", v.count > 1, let digit = v.dropFirst().first, digit.isNumber else { return false }
        return v.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }

    static func isKind(_ s: String) -> Bool {
        guard let first = s.first, first.isUppercase, first.isASCII else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
