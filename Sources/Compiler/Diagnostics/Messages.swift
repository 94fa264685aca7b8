import DSL

/// The catalog of every diagnostic message. Checks call these factories, so wording,
/// severity and code stay consistent and the valid alternatives are always named; no
/// `Diagnostic(` is built outside this folder (`DiagnosticCatalogTests`). The factories of
/// the edge, hosts, databases, Flux values and applications are in `Messages+<Area>.swift`,
/// each with its codes' documentation (`DiagnosticDoc`).
extension Diagnostic {
    static func invalidName(_ what: String, _ name: String, rule: NameRule, problem: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .invalidName, "\(what) name '\(name)' is not a valid \(rule.rawValue): \(problem)", at: loc, subject: name)
    }

    static func invalidLabel(
        _ place: String, key: String, problem: String, at loc: SourceLocation, subject: String? = nil
    ) -> Diagnostic {
        Diagnostic(.invalidLabel, "\(place) '\(key)' is invalid: \(problem)", at: loc, subject: subject ?? key)
    }

    static func invalidEnvName(_ name: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidName, "env name '\(name)' is invalid: \(problem)", at: loc, subject: name)
    }

    static func duplicateObject(_ id: ObjectID, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(
            .duplicateObject, "duplicate \(id): the same object is declared twice",
            at: loc, notes: [.init("first declared here", at: first)])
    }

    static func duplicate(
        _ code: DiagnosticCode, _ what: String, _ name: String, at loc: SourceLocation,
        first: SourceLocation?
    ) -> Diagnostic {
        Diagnostic(
            code, "duplicate \(what) '\(name)'", at: loc,
            notes: first.map { [.init("first declared here", at: $0)] } ?? [])
    }

    /// A `duplicate` diagnostic for every item whose name an earlier item already took, each
    /// with a note at the first declaration; items in declaration order.
    static func duplicates<Item>(
        _ code: DiagnosticCode, _ what: String, in items: some Sequence<Item>,
        name: (Item) -> String, location: (Item) -> SourceLocation
    ) -> [Diagnostic] {
        var firsts: [String: SourceLocation] = [:]
        return items.compactMap { item in
            let key = name(item)
            let here = location(item)
            if let first = firsts[key] { return .duplicate(code, what, key, at: here, first: first) }
            firsts[key] = here
            return nil
        }
    }

    static func undeclaredNamespace(_ namespace: String, for what: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .undeclaredNamespace, "\(what) is in namespace '\(namespace)', which the cluster does not declare",
            at: loc, notes: [Suggestions.note(for: namespace, among: known, kind: "namespace")].compactMap { $0 })
    }

    /// - Parameter closest: the workload of the namespace whose pod labels come closest, for a
    ///   note at its declaration (the other side of the mismatch).
    static func selectorMatchesNothing(
        service: String, selector: [String: String], namespace: String,
        at loc: SourceLocation,
        closest: (name: String, labels: [String: String], location: SourceLocation)? = nil, subject: String? = nil
    ) -> Diagnostic {
        func shown(_ labels: [String: String]) -> String {
            labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        var notes: [Diagnostic.Note] = []
        if let closest {
            notes.append(
                .init(
                    "the closest workload, '\(closest.name)', labels its pods {\(shown(closest.labels))}",
                    at: closest.location))
        }
        notes.append(.init("select a workload by value with Service(selecting:) so the selector cannot drift"))
        return Diagnostic(
            .selectorMatchesNothing,
            "Service '\(service)' selects {\(shown(selector))}, which matches no workload's pod labels in namespace '\(namespace)'",
            at: loc, notes: notes, subject: subject)
    }

    static func targetPortNotExposed(service: String, port: ServicePort, exposed: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .targetPortNotExposed,
            "Service '\(service)' port '\(port.name)' targets \(port.target), which no selected container exposes",
            at: loc,
            notes: [Suggestions.note(for: port.target.plainName, among: exposed, kind: "container port")].compactMap {
                $0
            })
    }

    static func duplicateContainerPort(
        _ description: String, workload: String, at loc: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateContainerPort, "pod of '\(workload)' declares \(description) twice",
            at: loc, notes: [.init("first declared here", at: first)])
    }

    static func invalidPort(_ number: Int, _ what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidPort, "\(what) \(number) is outside 1...65535", at: loc, subject: String(number))
    }

    static func invalidQuantity(_ text: String, resource: String, container: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .invalidQuantity,
            "container '\(container)' \(resource) '\(text)' is not a Kubernetes quantity (like \"250m\" or \"256Mi\")",
            at: loc,
            subject: text)
    }

    static func requestsExceedLimits(
        container: String, resource: String, request: String, limit: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .requestsExceedLimits,
            "container '\(container)' requests \(resource) \(request), more than its limit \(limit)", at: loc)
    }

    /// `owner`: what runs the image (`container 'api'`, `host service 'tritonserver'`).
    static func imageNotPinned(owner: String, image: Image, latest: Bool, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .imageNotPinned,
            latest
                ? "\(owner) uses image '\(image)' with the floating tag 'latest'"
                : "\(owner) uses image '\(image)' without a tag or digest",
            at: loc, notes: [.init("pin a version tag or a digest (name:1.2.3 or name@sha256:...)")],
            subject: image.reference)
    }

    /// A container on a moving tag (`Image.moves`) that declares a pull policy other than Always.
    static func movingTagNotPulled(container: String, image: Image, policy: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .movingTagNotPulled,
            "container '\(container)' uses the moving tag '\(image)' with imagePullPolicy \(policy), so a rollout "
                + "keeps the node's cached image",
            at: loc,
            notes: [
                .init("drop .imagePullPolicy (a moving tag is emitted with Always), or pin a version tag or a digest")
            ],
            subject: image.reference)
    }

    static func unknownNode(
        _ node: String, workload: String, known: [String], at loc: SourceLocation, bySelector: Bool = false
    ) -> Diagnostic {
        Diagnostic(
            .unknownNode,
            bySelector
                ? "'\(workload)' selects node 'kubernetes.io/hostname=\(node)', which the cluster does not declare"
                : "'\(workload)' is pinned to node '\(node)', which the cluster does not declare",
            at: loc, notes: [Suggestions.note(for: node, among: known, kind: "node")].compactMap { $0 }, subject: node)
    }

    /// `user`: who references it, e.g. "env 'TOKEN'", "volume 'tls'", "envFrom of container 'api'".
    static func undeclaredSecret(
        _ secret: String, user: String, namespace: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredSecret,
            "\(user) references secret '\(secret)', which namespace '\(namespace)' does not declare",
            at: loc, notes: [Suggestions.note(for: secret, among: known, kind: "secret")].compactMap { $0 })
    }

    /// `user`: who uses the key, e.g. "env 'DATABASE_URL'" or "mount of volume 'config'".
    static func unknownSecretKey(_ key: String, secret: String, user: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .unknownSecretKey, "\(user) uses key '\(key)' of secret '\(secret)', which declares no such key",
            at: loc, notes: [Suggestions.note(for: key, among: known, kind: "key")].compactMap { $0 })
    }

    static func undeclaredConfigMap(
        _ name: String, user: String, namespace: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredConfigMap,
            "\(user) references ConfigMap '\(name)', which namespace '\(namespace)' does not declare",
            at: loc, notes: [Suggestions.note(for: name, among: known, kind: "ConfigMap")].compactMap { $0 })
    }

    /// `user`: who uses the key, e.g. "env 'MODE'" or "mount of volume 'config'".
    static func unknownConfigMapKey(
        _ key: String, configMap: String, user: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownConfigMapKey, "\(user) uses key '\(key)' of ConfigMap '\(configMap)', which has no such key",
            at: loc, notes: [Suggestions.note(for: key, among: known, kind: "key")].compactMap { $0 })
    }

    static func undeclaredServiceAccount(
        _ name: String, user: String, namespace: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredServiceAccount,
            "\(user) uses ServiceAccount '\(name)', which namespace '\(namespace)' does not declare",
            at: loc, notes: [Suggestions.note(for: name, among: known, kind: "ServiceAccount")].compactMap { $0 })
    }

    static func undeclaredRole(
        _ name: String, binding: String, namespace: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredRole,
            "RoleBinding '\(binding)' binds Role '\(name)', which namespace '\(namespace)' does not declare",
            at: loc, notes: [Suggestions.note(for: name, among: known, kind: "Role")].compactMap { $0 })
    }

    static func unknownVolume(_ volume: String, container: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .unknownVolume, "container '\(container)' mounts volume '\(volume)', which its pod does not declare",
            at: loc, notes: [Suggestions.note(for: volume, among: known, kind: "volume")].compactMap { $0 })
    }

    static func unknownProbePort(
        _ port: String, probe: String, container: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownProbePort,
            "container '\(container)' \(probe) probe uses port '\(port)', which the container does not declare",
            at: loc, notes: [Suggestions.note(for: port, among: known, kind: "port")].compactMap { $0 })
    }

    static func mountedVolumeDiffers(
        _ volume: String, container: String, at loc: SourceLocation, podVolume: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownVolume,
            "container '\(container)' mounts a volume named '\(volume)', but the pod's volume of that name is another one",
            at: loc, notes: [.init("the pod's volume is declared here", at: podVolume)], subject: volume)
    }

    static func noContainers(_ workload: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.noContainers, "'\(workload)' declares no containers", at: loc)
    }

    static func gpuWithoutGPUNode(container: String, node: String?, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .gpuWithoutGPUNode,
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
        Diagnostic(
            .reservedBodyKey, "escape-hatch body must not set '\(key)': give it as an argument so it is checked",
            at: loc)
    }

    static func unknownSetting(_ key: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownSetting, "override of unknown setting '\(key)'", at: loc,
            notes: [Suggestions.note(for: key, among: known, kind: "setting")].compactMap { $0 }, subject: key)
    }

    /// settings.yaml itself cannot be used: not YAML, not a mapping, a non-string key, unreadable.
    public static func unreadableSettingsFile(_ file: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSetting, "\(file) \(problem)", at: loc)
    }

    /// The same setting given twice in settings.yaml.
    public static func duplicateOverride(_ key: String, firstLine: Int, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .duplicateSetting, "setting '\(key)' is given twice in settings.yaml", at: loc,
            notes: [.init("first given here", at: SourceLocation(file: loc.file, line: firstLine))], subject: key)
    }

    /// An override that could not be read as a value (before it is checked against its setting).
    public static func malformedOverride(_ key: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSetting, "malformed override of setting '\(key)': \(problem)", at: loc)
    }

    static func invalidSetting(_ key: String, problem: String, at loc: SourceLocation, declared: SourceLocation)
        -> Diagnostic
    {
        // A problem that is about the setting, not the value ("is a secret: ..."), reads as such.
        let message =
            problem.hasPrefix("is ")
            ? "setting '\(key)' \(problem)" : "malformed override of setting '\(key)': \(problem)"
        return Diagnostic(.invalidSetting, message, at: loc, notes: [.init("setting declared here", at: declared)])
    }
}

// MARK: Correctness sweep: schedules, metadata, data keys, network policies, node ports
extension Diagnostic {
    static func conflictingPodLabel(
        _ key: String, declared: String, generated: String, workload: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .conflictingPodLabel,
            "pod label '\(key)=\(declared)' of '\(workload)' conflicts with the generated '\(key)=\(generated)'",
            at: loc,
            notes: [
                .init(
                    "'app' and 'app.kubernetes.io/name' name the workload: selectors and runbooks (kubectl -l app=\(generated)) rely on them"
                )
            ],
            subject: declared)
    }

    static func invalidAnnotation(
        _ object: ObjectID, place: String, key: String, problem: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidAnnotation, "\(place) key '\(key)' of \(object) is invalid: \(problem)", at: loc, subject: key)
    }

    static func annotationsTooLarge(_ object: ObjectID, place: String, bytes: Int, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(
            .invalidAnnotation,
            "\(place) of \(object) total \(bytes) bytes, more than the API server's 262144 (256 KiB, keys and values counted)",
            at: loc)
    }

    static func unrepresentableCharacter(
        _ object: ObjectID, path: String, scalar: Unicode.Scalar, at loc: SourceLocation, value: String? = nil
    ) -> Diagnostic {
        let code = String(scalar.value, radix: 16, uppercase: true)
        return Diagnostic(
            .unrepresentableCharacter,
            "\(object) has U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) at '\(path)', which kubectl and Flux cannot write back",
            at: loc,
            notes: [
                .init(
                    "DEL, the C1 controls (U+0080-U+009F) and U+FFFE/U+FFFF do not survive kustomize; remove the character"
                )
            ],
            subject: value)
    }

    static func invalidDataKey(_ key: String, of owner: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidDataKey, "\(owner) key '\(key)' is invalid: \(problem)", at: loc, subject: key)
    }

    static func invalidSchedule(
        _ schedule: String, cronJob: String, problem: String, at loc: SourceLocation, timeZoneHint: Bool = false
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchedule, "CronJob '\(cronJob)' schedule '\(schedule)' is invalid: \(problem)", at: loc,
            notes: timeZoneHint
                ? [.init("write the zone with .timeZone(\"Europe/Lisbon\") (spec.timeZone)")]
                : [
                    .init(
                        "five fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily, @hourly"
                    )
                ],
            subject: schedule)
    }

    static func invalidTimeZone(_ zone: String, cronJob: String, problem: String, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(
            .invalidTimeZone, "CronJob '\(cronJob)' time zone '\(zone)' is invalid: \(problem)", at: loc,
            notes: [.init("use an IANA name such as 'Etc/UTC' or 'Europe/Lisbon'")], subject: zone)
    }

    static func unlistedPolicyType(policy: String, rules: String, type: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unlistedPolicyType,
            "NetworkPolicy '\(policy)' has \(rules) rules, but its policyTypes do not list \(type): Kubernetes would ignore them",
            at: loc, notes: [.init("add .\(type.lowercased()) to types:, or remove the rules")])
    }

    static func invalidCIDR(_ cidr: String, policy: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidCIDR, "NetworkPolicy '\(policy)' ipBlock '\(cidr)' is invalid: \(problem)", at: loc, subject: cidr)
    }

    static func policySelectsNothing(
        policy: String, what: String, selector: [String: String], namespace: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        let shown = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return Diagnostic(
            .policySelectsNothing,
            "NetworkPolicy '\(policy)' \(what) selects {\(shown)}, which matches no pod in namespace '\(namespace)'",
            at: loc,
            notes: [.init("select a workload by value with .workload(_:) so the selector cannot drift")])
    }

    static func memoryInMillibytes(container: String, resource: String, text: String, at loc: SourceLocation)
        -> Diagnostic
    {
        let suggestion = String(text.dropLast()) + "Mi"
        return Diagnostic(
            .memoryInMillibytes,
            "container '\(container)' \(resource) '\(text)' is in millibytes ('m' = 1/1000 byte)",
            at: loc, notes: [.init("did you mean '\(suggestion)'?")], subject: text)
    }

    static func missingNamespace(_ object: ObjectID, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .missingNamespace,
            "\(object.kind) '\(object.name)' is namespaced but declared at cluster level without a namespace",
            at: loc, notes: [.init("declare it inside a Namespace, or pass namespace: to RawObject")])
    }

    static func invalidNodePort(_ port: Int, service: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidNodePort, "Service '\(service)' nodePort \(port) \(problem)", at: loc, subject: String(port))
    }

    static func duplicateNodePort(
        _ port: Int, service: String, other: String, at loc: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateNodePort, "Service '\(service)' nodePort \(port) is already taken by Service '\(other)'",
            at: loc, notes: [.init("first declared here", at: first)], subject: String(port))
    }

    static func unknownTemplateKey(
        _ key: String, secret: String, templateKey: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownTemplateKey,
            "secret '\(secret)' template '\(templateKey)' reads '.\(key)', which the secret does not fetch",
            at: loc, notes: [Suggestions.note(for: key, among: known, kind: "fetched key")].compactMap { $0 })
    }

    static func unbalancedTemplate(_ key: String, secret: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownTemplateKey,
            "secret '\(secret)' template '\(key)' has an unclosed or stray '{{ }}'; External Secrets would fail to render it",
            at: loc, subject: key)
    }

    static func secretInDefinition(_ what: String, in place: String, at loc: SourceLocation, value: String? = nil)
        -> Diagnostic
    {
        Diagnostic(
            .secretInDefinition, "\(place) holds \(what); a secret value must never be written in definitions/",
            at: loc,
            notes: [
                .init(
                    "declare a SecretSetting (an ESC key) and a SecretDeclaration, and reference it with Env(_:secret:key:)"
                )
            ],
            subject: value)
    }

    static func duplicateOutputPath(
        _ path: String, object: ObjectID, other: ObjectID, at loc: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateOutputPath, "\(object) would be written to '\(path)', where \(other) already goes", at: loc,
            notes: [.init("first declared here", at: first), .init("rename one of them")], subject: object.name)
    }

    static func invalidMount(
        _ path: String, volume: String, container: String, problem: String, at loc: SourceLocation,
        first: SourceLocation? = nil
    ) -> Diagnostic {
        Diagnostic(
            .invalidMount, "container '\(container)' mount of volume '\(volume)' at '\(path)' is invalid: \(problem)",
            at: loc,
            notes: first.map { [.init("first mounted here", at: $0)] } ?? [], subject: path)
    }

    static func invalidProbe(_ probe: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidProbe, "\(probe) is invalid: \(problem)", at: loc)
    }

    static func invalidImage(_ image: String, owner: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidImage,
            "\(owner) image '\(image)' is not an image reference ([registry/]name[:tag][@algorithm:hex])",
            at: loc, subject: image)
    }

    static func duplicateKey(_ key: String, path: String, in owner: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .duplicateKey,
            "\(owner) has the key '\(key)' twice in mapping '\(path.isEmpty ? "(top)" : path)'; YAML and JSON readers reject or drop one",
            at: loc, subject: key)
    }

    static func invalidMigration(_ path: String, problem: String) -> Diagnostic {
        Diagnostic(
            .invalidMigration, "migration '\(path)' \(problem)", at: SourceLocation(file: path, line: 1),
            notes: [
                .init(
                    "migrations are sql/<database>/migrations/V<NNNN>__<slug>.sql: four-digit versions, a lowercase slug of letters, digits and '_', each version once"
                )
            ],
            subject: path)
    }

    /// A denial of the fleet's guardrails (policy/guardrails.rego, evaluated natively).
    static func guardrail(_ message: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .guardrail, message, at: loc,
            notes: [.init("a guardrail of policy/guardrails.rego; CI runs the same rule with OPA")])
    }

    static func listObject(_ kind: String, name: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidKind,
            "RawObject '\(name)' is a \(kind), a client-side wrapper that hides its items from every check",
            at: loc, notes: [.init("declare each item as its own object")], subject: kind)
    }

    static func undeclaredTargetNamespace(_ namespace: String, release: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .undeclaredNamespace,
            "HelmRelease '\(release)' installs into namespace '\(namespace)', which the cluster does not declare",
            at: loc, notes: [Suggestions.note(for: namespace, among: known, kind: "namespace")].compactMap { $0 },
            subject: namespace)
    }

    static func unknownNumericProbePort(
        _ port: Int, probe: String, container: String, known: [Int], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownProbePort,
            "container '\(container)' \(probe) probe uses port \(port), which the container does not expose",
            at: loc,
            notes: [
                .init(
                    known.isEmpty
                        ? "the container declares no ports"
                        : "exposed: \(known.map(String.init).joined(separator: ", "))")
            ])
    }
}

// MARK: Flux and secrets
extension Diagnostic {
    static func unknownLayer(_ layer: String, component: String, known: [String], at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(
            .unknownLayer,
            "component '\(component)' is in Flux layer '\(layer)', which the cluster's FluxSync does not declare",
            at: loc, notes: [Suggestions.note(for: layer, among: known, kind: "layer")].compactMap { $0 })
    }

    static func danglingSourceRef(
        _ object: ObjectID, kind: String, name: String, namespace: String, known: [String],
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .danglingSourceRef, "\(object) refers to \(kind) \(namespace)/\(name), which the cluster does not declare",
            at: loc, notes: [Suggestions.note(for: name, among: known, kind: kind)].compactMap { $0 })
    }

    static func danglingDependsOn(
        _ object: ObjectID, name: String, namespace: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .danglingDependsOn,
            "\(object) depends on Kustomization \(namespace)/\(name), which the cluster does not declare",
            at: loc, notes: [Suggestions.note(for: name, among: known, kind: "Kustomization")].compactMap { $0 })
    }

    static func dependencyCycle(_ cycle: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .dependencyCycle, "Flux Kustomizations depend on each other in a cycle: \(cycle.joined(separator: " -> "))",
            at: loc,
            notes: [.init("Flux would wait forever; remove one dependsOn edge")])
    }

    static func missingKustomizePath(_ object: ObjectID, path: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .missingKustomizePath,
            "\(object) reconciles path '\(path)', which the output does not contain (or has no kustomization.yaml)",
            at: loc, notes: [.init("a layer with no components produces no folder")], subject: path)
    }

    static func duplicateKustomizePath(
        _ object: ObjectID, path: String, owner: ObjectID, at loc: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateKustomizePath, "\(object) reconciles path '\(path)', which \(owner) already owns",
            at: loc, notes: [.init("first owner declared here", at: first)])
    }

    static func undeclaredSecretStore(_ store: String, secret: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .undeclaredSecretStore,
            "secret '\(secret)' reads from ClusterSecretStore '\(store)', which the cluster does not declare",
            at: loc, notes: [.init("declare a PulumiESCStore in the cluster")])
    }

    static func secretInOutput(_ what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .secretInOutput, "generated output would contain \(what); nothing was written", at: loc,
            notes: [
                .init("declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead")
            ])
    }

    static func undeclaredESCKey(_ key: String, secret: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .undeclaredESCKey,
            "secret '\(secret)' is filled from ESC key '\(key)', which the fleet's settings do not declare as a secret",
            at: loc, notes: [Suggestions.note(for: key, among: known, kind: "secret setting")].compactMap { $0 })
    }
}
