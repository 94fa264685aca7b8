import DSL

/// The catalog of every diagnostic message. Checks call these factories, so wording,
/// severity and code stay consistent and the valid alternatives are always named.
extension Diagnostic {
    static func invalidName(_ what: String, _ name: String, rule: NameRule, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidName, "\(what) name '\(name)' is not a valid \(rule.rawValue): \(problem)", at: loc)
    }

    static func invalidLabel(_ place: String, key: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidLabel, "\(place) '\(key)' is invalid: \(problem)", at: loc)
    }

    static func duplicateObject(_ id: ObjectID, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(.duplicateObject, "duplicate \(id): the same object is declared twice",
                   at: loc, notes: [.init("first declared here", at: first)])
    }

    static func duplicate(_ code: DiagnosticCode, _ what: String, _ name: String, at loc: SourceLocation,
                          first: SourceLocation?) -> Diagnostic {
        Diagnostic(code, "duplicate \(what) '\(name)'", at: loc,
                   notes: first.map { [.init("first declared here", at: $0)] } ?? [])
    }

    static func undeclaredNamespace(_ namespace: String, for what: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredNamespace, "\(what) is in namespace '\(namespace)', which the cluster does not declare",
                   at: loc, notes: [Suggestions.note(for: namespace, among: known, kind: "namespace")].compactMap { $0 })
    }

    static func selectorMatchesNothing(service: String, selector: [String: String], namespace: String,
                                       at loc: SourceLocation) -> Diagnostic {
        let shown = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return Diagnostic(.selectorMatchesNothing,
                          "Service '\(service)' selects {\(shown)}, which matches no workload's pod labels in namespace '\(namespace)'",
                          at: loc, notes: [.init("select a workload by value with Service(selecting:) so the selector cannot drift")])
    }

    static func targetPortNotExposed(service: String, port: ServicePort, exposed: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.targetPortNotExposed,
                   "Service '\(service)' port '\(port.name)' targets \(port.target), which no selected container exposes",
                   at: loc, notes: [Suggestions.note(for: port.target.plainName, among: exposed, kind: "container port")].compactMap { $0 })
    }

    static func duplicateContainerPort(_ description: String, workload: String, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(.duplicateContainerPort, "pod of '\(workload)' declares \(description) twice",
                   at: loc, notes: [.init("first declared here", at: first)])
    }

    static func invalidPort(_ number: Int, _ what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidPort, "\(what) \(number) is outside 1...65535", at: loc)
    }

    static func invalidQuantity(_ text: String, resource: String, container: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidQuantity, "container '\(container)' \(resource) '\(text)' is not a Kubernetes quantity (like \"250m\" or \"256Mi\")", at: loc)
    }

    static func requestsExceedLimits(container: String, resource: String, request: String, limit: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.requestsExceedLimits,
                   "container '\(container)' requests \(resource) \(request), more than its limit \(limit)", at: loc)
    }

    static func imageNotPinned(container: String, image: Image, latest: Bool, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.imageNotPinned,
                   latest ? "container '\(container)' uses image '\(image)' with the floating tag 'latest'"
                          : "container '\(container)' uses image '\(image)' without a tag or digest",
                   at: loc, notes: [.init("pin a version tag or a digest (name:1.2.3 or name@sha256:...)")])
    }

    static func unknownNode(_ node: String, workload: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownNode, "'\(workload)' is pinned to node '\(node)', which the cluster does not declare",
                   at: loc, notes: [Suggestions.note(for: node, among: known, kind: "node")].compactMap { $0 })
    }

    static func undeclaredSecret(_ secret: String, env: String, namespace: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredSecret,
                   "env '\(env)' references secret '\(secret)', which namespace '\(namespace)' does not declare",
                   at: loc, notes: [Suggestions.note(for: secret, among: known, kind: "secret")].compactMap { $0 })
    }

    static func unknownSecretKey(_ key: String, secret: String, env: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownSecretKey, "env '\(env)' uses key '\(key)' of secret '\(secret)', which declares no such key",
                   at: loc, notes: [Suggestions.note(for: key, among: known, kind: "key")].compactMap { $0 })
    }

    static func undeclaredConfigMap(_ name: String, user: String, namespace: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredConfigMap, "\(user) references ConfigMap '\(name)', which namespace '\(namespace)' does not declare",
                   at: loc, notes: [Suggestions.note(for: name, among: known, kind: "ConfigMap")].compactMap { $0 })
    }

    static func unknownConfigMapKey(_ key: String, configMap: String, env: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownConfigMapKey, "env '\(env)' uses key '\(key)' of ConfigMap '\(configMap)', which has no such key",
                   at: loc, notes: [Suggestions.note(for: key, among: known, kind: "key")].compactMap { $0 })
    }

    static func undeclaredServiceAccount(_ name: String, user: String, namespace: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredServiceAccount, "\(user) uses ServiceAccount '\(name)', which namespace '\(namespace)' does not declare",
                   at: loc, notes: [Suggestions.note(for: name, among: known, kind: "ServiceAccount")].compactMap { $0 })
    }

    static func undeclaredRole(_ name: String, binding: String, namespace: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredRole, "RoleBinding '\(binding)' binds Role '\(name)', which namespace '\(namespace)' does not declare",
                   at: loc, notes: [Suggestions.note(for: name, among: known, kind: "Role")].compactMap { $0 })
    }

    static func unknownVolume(_ volume: String, container: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownVolume, "container '\(container)' mounts volume '\(volume)', which its pod does not declare",
                   at: loc, notes: [Suggestions.note(for: volume, among: known, kind: "volume")].compactMap { $0 })
    }

    static func unknownProbePort(_ port: String, probe: String, container: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownProbePort, "container '\(container)' \(probe) probe uses port '\(port)', which the container does not declare",
                   at: loc, notes: [Suggestions.note(for: port, among: known, kind: "port")].compactMap { $0 })
    }

    static func noContainers(_ workload: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.noContainers, "'\(workload)' declares no containers", at: loc)
    }

    static func gpuWithoutGPUNode(container: String, node: String?, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.gpuWithoutGPUNode,
                   node.map { "container '\(container)' requests a GPU but is pinned to node '\($0)', which has none" }
                       ?? "container '\(container)' requests a GPU but is not pinned to a GPU node",
                   at: loc)
    }

    static func invalidAPIVersion(_ apiVersion: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidAPIVersion, "apiVersion '\(apiVersion)' is not of the form 'v1' or 'group/version'", at: loc)
    }

    static func invalidKind(_ kind: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidKind, "kind '\(kind)' must be an UpperCamelCase identifier", at: loc)
    }

    static func reservedBodyKey(_ key: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.reservedBodyKey, "escape-hatch body must not set '\(key)': give it as an argument so it is checked", at: loc)
    }

    static func unknownSetting(_ key: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownSetting, "override of unknown setting '\(key)'", at: loc,
                   notes: [Suggestions.note(for: key, among: known, kind: "setting")].compactMap { $0 })
    }

    static func invalidSetting(_ key: String, problem: String, at loc: SourceLocation, declared: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSetting, "malformed override of setting '\(key)': \(problem)", at: loc,
                   notes: [.init("setting declared here", at: declared)])
    }
}

// MARK: Flux and secrets
extension Diagnostic {
    static func unknownLayer(_ layer: String, component: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.unknownLayer, "component '\(component)' is in Flux layer '\(layer)', which the cluster's FluxSync does not declare",
                   at: loc, notes: [Suggestions.note(for: layer, among: known, kind: "layer")].compactMap { $0 })
    }

    static func danglingSourceRef(_ object: ObjectID, kind: String, name: String, namespace: String, known: [String],
                                  at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.danglingSourceRef, "\(object) refers to \(kind) \(namespace)/\(name), which the cluster does not declare",
                   at: loc, notes: [Suggestions.note(for: name, among: known, kind: kind)].compactMap { $0 })
    }

    static func danglingDependsOn(_ object: ObjectID, name: String, namespace: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.danglingDependsOn, "\(object) depends on Kustomization \(namespace)/\(name), which the cluster does not declare",
                   at: loc, notes: [Suggestions.note(for: name, among: known, kind: "Kustomization")].compactMap { $0 })
    }

    static func dependencyCycle(_ cycle: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.dependencyCycle, "Flux Kustomizations depend on each other in a cycle: \(cycle.joined(separator: " -> "))", at: loc,
                   notes: [.init("Flux would wait forever; remove one dependsOn edge")])
    }

    static func missingKustomizePath(_ object: ObjectID, path: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.missingKustomizePath,
                   "\(object) reconciles path '\(path)', which the output does not contain (or has no kustomization.yaml)",
                   at: loc, notes: [.init("a layer with no components produces no folder")])
    }

    static func duplicateKustomizePath(_ object: ObjectID, path: String, owner: ObjectID, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(.duplicateKustomizePath, "\(object) reconciles path '\(path)', which \(owner) already owns",
                   at: loc, notes: [.init("first owner declared here", at: first)])
    }

    static func undeclaredSecretStore(_ store: String, secret: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredSecretStore, "secret '\(secret)' reads from ClusterSecretStore '\(store)', which the cluster does not declare",
                   at: loc, notes: [.init("declare a PulumiESCStore in the cluster")])
    }

    static func secretInOutput(_ what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.secretInOutput, "generated output would contain \(what); nothing was written", at: loc,
                   notes: [.init("declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead")])
    }

    static func undeclaredESCKey(_ key: String, secret: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.undeclaredESCKey, "secret '\(secret)' is filled from ESC key '\(key)', which the fleet's settings do not declare as a secret",
                   at: loc, notes: [Suggestions.note(for: key, among: known, kind: "secret setting")].compactMap { $0 })
    }
}
