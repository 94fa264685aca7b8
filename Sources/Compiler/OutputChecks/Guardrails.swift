import DSL

/// The fleet's guardrails in Swift: the same rules as `policy/guardrails.rego`, evaluated on
/// the same document (`PolicyInput`), with the same messages, so `check` and `build` give the
/// verdicts OPA gives in CI without Python. A parity test runs regorus and these over
/// `policy/tests/` and requires identical verdicts; change both together.
///
/// The rules are generic; what a fleet allows itself (workloads on the host network, added
/// capabilities, the egress-gateway namespaces and its exemptions) is read from the document's
/// `policy` section, the fleet's `GuardrailPolicy` (Oceanid's: definitions/OceanidGuardrails.swift).
/// Only Flux's and Kubernetes' facts (Flux's controllers, the workload kinds) live here.
public enum Guardrails {
    /// One denial: its message (starting with `[rule]`) and the object it names, if any
    /// (`namespace/name` with its kind), so the compiler can report it at the declaration.
    public struct Denial: Hashable, Sendable {
        /// The message, `[rule] ...`, as the Rego's `deny` set holds it.
        public var message: String
        /// The kind of the object it names (nil for a denial of no object, such as `[dns-tunnel]`).
        public var kind: String?
        /// The object it names, `namespace/name`.
        public var key: String?
    }

    /// Flux's own controllers (Flux's fact, not a fleet's): the rule `[flux-system-only]`.
    static let fluxControllers: Set<String> = [
        "source-controller", "kustomize-controller", "helm-controller", "notification-controller",
        "image-reflector-controller", "image-automation-controller",
    ]
    /// The Kubernetes kinds that run pods: the objects the workload rules look at.
    static let workloadKinds: Set<String> = [
        "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod",
    ]

    // Total accessors, as in the Rego: a missing, null or mistyped field reads as empty.
    static func obj(_ t: Tree?) -> Tree {
        if case .map? = t { return t! }
        return .map([])
    }
    static func arr(_ t: Tree?) -> [Tree] { t?.items ?? [] }
    static func str(_ t: Tree?) -> String { t?.stringValue ?? "" }
    static func field(_ t: Tree?, _ key: String) -> Tree? {
        guard let value = obj(t)[key], value != .null else { return nil }
        return value
    }
    static func meta(_ o: Tree) -> Tree { obj(field(o, "metadata")) }
    static func name(_ o: Tree) -> String { str(field(meta(o), "name")) }
    static func namespace(_ o: Tree) -> String { str(field(meta(o), "namespace")) }
    static func kind(_ o: Tree) -> String { str(field(o, "kind")) }
    static func spec(_ o: Tree) -> Tree { obj(field(o, "spec")) }

    /// Every denial for one policy input document, sorted by message (as a Rego set prints),
    /// each message once.
    public static func evaluate(_ input: Tree) -> [Denial] {
        var out: [Denial] = []
        let objects = arr(input["objects"]).map { obj($0) }
        let nodes = Set(arr(input["nodes"]).compactMap(\.stringValue))
        let workloads = objects.filter { workloadKinds.contains(kind($0)) }
        // The fleet's policy (PolicyInput.policy); a missing or mistyped one allows nothing.
        let policy = obj(input["policy"])
        let hostNetworkAllowed = arr(field(policy, "hostNetwork"))
        let capabilitiesAllowed = obj(field(policy, "capabilities"))
        let egress = obj(field(policy, "egressGateway"))
        let egressNamespace = str(field(egress, "namespace"))
        let gatewayNamespace = str(field(egress, "gatewayNamespace"))
        let egressExempt = arr(field(egress, "exempt"))
        func deny(_ object: Tree?, _ message: String) {
            out.append(Denial(message: message, kind: object.map(kind), key: object.map(key)))
        }
        let reachable = gatewayReachable(objects, from: egressNamespace, to: gatewayNamespace)

        // Each workload's rules read only it and the policy: on every core, its denials in workload order.
        out += Parallel.map(workloads, minimum: 512) { o -> [Denial] in
            var out: [Denial] = []
            func deny(_ object: Tree?, _ message: String) {
                out.append(
                    Denial(message: message, kind: object.map(Guardrails.kind), key: object.map(Guardrails.key)))
            }
            let ref = self.ref(o)
            let key = self.key(o)
            let pod = podSpec(o)
            if fluxControllers.contains(name(o)), namespace(o) != "flux-system" {
                deny(o, "[flux-system-only] \(ref) runs a Flux controller outside flux-system")
            }
            let containers = (arr(field(pod, "initContainers")) + arr(field(pod, "containers"))).map { obj($0) }
            for c in containers {
                let container = str(field(c, "name"))
                let security = obj(field(c, "securityContext"))
                for part in ["requests", "limits"] {
                    let declared = obj(field(obj(field(c, "resources")), part))
                    for resource in ["cpu", "memory"] where field(declared, resource) == nil {
                        deny(o, "[resources] \(ref) container \(container) has no \(part).\(resource)")
                    }
                }
                if field(security, "privileged") == .bool(true) {
                    deny(o, "[privileged] \(ref) container \(container) is privileged")
                }
                for capability in arr(field(obj(field(security, "capabilities")), "add")).compactMap(\.stringValue)
                where !arr(field(capabilitiesAllowed, key)).contains(.string(capability)) {
                    deny(o, "[capabilities] \(ref) container \(container) adds \(capability)")
                }
                let image = str(field(c, "image"))
                if !pinned(image) {
                    deny(o, "[image-pinned] \(ref) container \(container) uses the unpinned image \(image)")
                }
                // The DSL's one rule for a tag that moves (a branch, a channel; `Image.moves`), so the
                // lowering's pull policy and this verdict cannot drift; the Rego keeps its own copy.
                if pinned(image), Image(image).moves, str(field(c, "imagePullPolicy")) != "Always" {
                    deny(
                        o,
                        "[image-pinned] \(ref) container \(container) uses the moving tag \(image) "
                            + "without imagePullPolicy Always")
                }
            }
            if field(pod, "hostNetwork") == .bool(true), !hostNetworkAllowed.contains(.string(key)) {
                deny(o, "[host-network] \(ref) uses the host network")
            }
            if let node = field(obj(field(pod, "nodeSelector")), "kubernetes.io/hostname")?.stringValue,
                !nodes.contains(node)
            {
                deny(o, "[node-exists] \(ref) is pinned to node \(node), which the cluster does not have")
            }
            if !egressNamespace.isEmpty, namespace(o) == egressNamespace {
                if !egressExempt.contains(.string(key)) {
                    for c in arr(field(pod, "containers")).map({ obj($0) }) {
                        let env = Set(arr(field(c, "env")).map { str(field($0, "name")) })
                        for variable in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] where !env.contains(variable) {
                            let container = str(field(c, "name"))
                            deny(o, "[egress-gateway] \(ref) container \(container) does not set \(variable)")
                        }
                    }
                }
                if !reachable {
                    deny(
                        o,
                        "[egress-gateway] \(ref): no NetworkPolicy in \(egressNamespace) "
                            + "allows egress to \(gatewayNamespace)")
                }
            }
            return out
        }.flatMap { $0 }
        // Pod label sets by namespace and one label (`ns`, `key=value`), so a Service's selector is
        // matched against the workloads carrying its first label rather than every workload (a
        // fleet of 10,000 apps made this loop quadratic: 30 s in `plan`, which evaluates twice).
        var labelled: [String: [Tree]] = [:]
        for w in workloads {
            let labels = podLabels(w)
            for entry in labels.entries ?? [] {
                guard let value = entry.value.stringValue else { continue }
                labelled["\(namespace(w))\u{0}\(entry.key)=\(value)", default: []].append(labels)
            }
        }
        for o in objects {
            switch kind(o) {
            case "Secret":
                for f in ["data", "stringData"] where !(obj(field(o, f)).entries?.isEmpty ?? true) {
                    deny(o, "[no-secret-data] \(ref(o)) holds literal \(f)")
                }
            case "Service":
                let selector = obj(field(spec(o), "selector")).entries ?? []
                guard !selector.isEmpty else { continue }
                let first = selector[0]
                let candidates =
                    first.value.stringValue.flatMap { labelled["\(namespace(o))\u{0}\(first.key)=\($0)"] } ?? []
                let selects = candidates.contains { labels in
                    selector.allSatisfy { entry in
                        entry.value.stringValue != nil && labels[entry.key] == entry.value
                    }
                }
                if !selects { deny(o, "[service-selects] \(ref(o)) selects no pod") }
            default: break
            }
        }
        let cloudflare = obj(field(obj(input["cloud"]), "cloudflare"))
        let tunnels = Set(arr(input["tunnels"]).map { str(field($0, "tunnelId")) })
        let records = arr(field(cloudflare, "dnsRecords")).map { obj($0) }
        for record in records where str(field(record, "type")).uppercased() == "CNAME" {
            var target = str(field(record, "content")).lowercased()
            if target.hasSuffix(".") { target.removeLast() }
            guard target.hasSuffix(".cfargotunnel.com") else { continue }
            let id = String(target.dropLast(".cfargotunnel.com".count))
            if !tunnels.contains(id) {
                let name = str(field(record, "name"))
                deny(nil, "[dns-tunnel] DNS record \(name) points at tunnel \(id), which the fleet does not declare")
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0.message).inserted }.sorted { $0.message < $1.message }
    }

    static func ref(_ o: Tree) -> String { "\(kind(o)) \(namespace(o))/\(name(o))" }

    static func key(_ o: Tree) -> String { "\(namespace(o))/\(name(o))" }

    static func podTemplate(_ o: Tree) -> Tree {
        kind(o) == "CronJob"
            ? obj(field(obj(field(obj(field(spec(o), "jobTemplate")), "spec")), "template"))
            : obj(field(spec(o), "template"))
    }

    static func podSpec(_ o: Tree) -> Tree { kind(o) == "Pod" ? spec(o) : obj(field(podTemplate(o), "spec")) }

    static func podLabels(_ o: Tree) -> Tree {
        kind(o) == "Pod" ? obj(field(meta(o), "labels")) : obj(field(meta(podTemplate(o)), "labels"))
    }

    /// A digest after '@', or a non-empty tag other than `latest` on the last path component.
    static func pinned(_ image: String) -> Bool {
        let at = image.split(separator: "@", omittingEmptySubsequences: false)
        if at.count == 2 { return !at[1].isEmpty }
        if at.count > 2 { return false }
        let last = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        let tag = last.split(separator: ":", omittingEmptySubsequences: false)
        return tag.count == 2 && !tag[1].isEmpty && tag[1] != "latest"
    }

    /// Whether a NetworkPolicy of `namespace` lets its pods reach `gateway` (the namespace the
    /// egress gateway runs in) by a namespace selector.
    static func gatewayReachable(_ objects: [Tree], from namespace: String, to gateway: String) -> Bool {
        objects.contains { p in
            kind(p) == "NetworkPolicy" && self.namespace(p) == namespace
                && arr(field(spec(p), "egress")).contains { rule in
                    arr(field(rule, "to")).contains { peer in
                        let labels = obj(field(obj(field(peer, "namespaceSelector")), "matchLabels"))
                        return field(labels, "kubernetes.io/metadata.name") == .string(gateway)
                    }
                }
        }
    }

    /// One cluster's policy input as the guardrails read it: the document (`PolicyInput.document`, what
    /// `policy/input/<cluster>.json` renders) and its denials (`evaluate`).
    public struct Evaluation: Hashable, Sendable {
        /// The policy input document.
        public var document: Tree
        /// Its denials, sorted by message.
        public var denials: [Denial]

        /// The evaluation of `document` that found `denials`.
        public init(document: Tree, denials: [Denial]) {
            self.document = document
            self.denials = denials
        }
    }

    /// The denials of every cluster of the IR as diagnostics at the declarations that produced
    /// the objects they name (the FluxSync's location for a cluster-wide one).
    public static func run(_ ir: FleetIR) -> [Diagnostic] { check(ir).diagnostics }

    /// `run`'s diagnostics, and each cluster's evaluation by cluster name (what `OutputChecks` keeps in
    /// `FleetIR.policyInputs`, so `plan` neither builds nor evaluates the head's documents again).
    public static func check(_ ir: FleetIR) -> (diagnostics: [Diagnostic], evaluations: [String: Evaluation]) {
        var out: [Diagnostic] = []
        var evaluations: [String: Evaluation] = [:]
        for cluster in ir.clusters {
            var origins: [String: SourceLocation] = [:]
            for object in cluster.components.flatMap(\.objects) + cluster.chartObjects {
                origins["\(object.id.kind) \(object.id.namespace ?? "")/\(object.id.name)"] = object.origin
            }
            let document = PolicyInput.document(cluster, ir)
            let denials = evaluate(document)
            evaluations[cluster.name] = Evaluation(document: document, denials: denials)
            for denial in denials {
                let origin =
                    denial.kind.flatMap { kind in denial.key.flatMap { origins["\(kind) \($0)"] } }
                    ?? cluster.flux?.location ?? SourceLocation(file: OutputLayout.policyInput(cluster.name), line: 1)
                out.append(.guardrail(denial.message, at: origin))
            }
        }
        return (out, evaluations)
    }
}
