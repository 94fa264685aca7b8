import DSL

/// The fleet's guardrails in Swift: the same rules as `policy/guardrails.rego`, evaluated on
/// the same document (`PolicyInput`), with the same messages, so `check` and `build` give the
/// verdicts OPA gives in CI without Python. A parity test runs regorus and these over
/// `policy/tests/` and requires identical verdicts; change both together.
public enum Guardrails {
    /// One denial: its message (starting with `[rule]`) and the object it names, if any
    /// (`namespace/name` with its kind), so the compiler can report it at the declaration.
    public struct Denial: Hashable, Sendable {
        public var message: String
        public var kind: String?
        public var key: String?
    }

    static let hostNetworkAllowed: Set<String> = ["node-tunnels/cloudflared-node"]
    static let capabilitiesAllowed: [String: Set<String>] = [
        "tailscale/tailscale-router": ["NET_ADMIN", "NET_RAW"],
        "egress-system/egress-gateway": ["SETUID", "SETGID", "CHOWN"],
    ]
    static let egressExempt: Set<String> = ["apps/egress-db-proxy"]
    static let fluxControllers: Set<String> = ["source-controller", "kustomize-controller", "helm-controller",
                                               "notification-controller", "image-reflector-controller", "image-automation-controller"]
    static let workloadKinds: Set<String> = ["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod"]

    /// Every denial for one policy input document, sorted by message (as a Rego set prints).
    public static func evaluate(_ input: Tree) -> [Denial] {
        var out: [Denial] = []
        let objects = list(input["objects"])
        let nodes = Set(list(input["nodes"]).compactMap(\.stringValue))
        let workloads = objects.filter { workloadKinds.contains($0["kind"]?.stringValue ?? "") }
        func deny(_ object: Tree?, _ message: String) {
            out.append(Denial(message: message, kind: object?["kind"]?.stringValue, key: object.map(key)))
        }

        for o in workloads {
            let ref = self.ref(o), key = self.key(o)
            let spec = podSpec(o)
            let name = o["metadata"]?["name"]?.stringValue ?? ""
            let namespace = o["metadata"]?["namespace"]?.stringValue ?? ""
            if fluxControllers.contains(name), namespace != "flux-system" {
                deny(o, "[flux-system-only] \(ref) runs a Flux controller outside flux-system")
            }
            let containers = list(spec?["initContainers"]) + list(spec?["containers"])
            for c in containers {
                let container = c["name"]?.stringValue ?? ""
                for part in ["requests", "limits"] {
                    for resource in ["cpu", "memory"] where c["resources"]?[part]?[resource] == nil {
                        deny(o, "[resources] \(ref) container \(container) has no \(part).\(resource)")
                    }
                }
                if c["securityContext"]?["privileged"] == .bool(true) {
                    deny(o, "[privileged] \(ref) container \(container) is privileged")
                }
                for capability in list(c["securityContext"]?["capabilities"]?["add"]).compactMap(\.stringValue)
                where !(capabilitiesAllowed[key]?.contains(capability) ?? false) {
                    deny(o, "[capabilities] \(ref) container \(container) adds \(capability)")
                }
                if let image = c["image"]?.stringValue, !pinned(image) {
                    deny(o, "[image-pinned] \(ref) container \(container) uses the unpinned image \(image)")
                }
            }
            if spec?["hostNetwork"] == .bool(true), !hostNetworkAllowed.contains(key) {
                deny(o, "[host-network] \(ref) uses the host network")
            }
            if let node = spec?["nodeSelector"]?["kubernetes.io/hostname"]?.stringValue, !nodes.contains(node) {
                deny(o, "[node-exists] \(ref) is pinned to node \(node), which the cluster does not have")
            }
            if namespace == "apps" {
                if !egressExempt.contains(key) {
                    for c in list(spec?["containers"]) {
                        let env = Set(list(c["env"]).compactMap { $0["name"]?.stringValue })
                        for variable in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] where !env.contains(variable) {
                            deny(o, "[egress-gateway] \(ref) container \(c["name"]?.stringValue ?? "") does not set \(variable)")
                        }
                    }
                }
                if !gatewayReachable(objects) {
                    deny(o, "[egress-gateway] \(ref): no NetworkPolicy in apps allows egress to egress-system")
                }
            }
        }
        for o in objects {
            switch o["kind"]?.stringValue {
            case "Secret":
                for field in ["data", "stringData"] where !(o[field]?.entries?.isEmpty ?? true) {
                    deny(o, "[no-secret-data] \(ref(o)) holds literal \(field)")
                }
            case "Service":
                guard let selector = o["spec"]?["selector"]?.entries, !selector.isEmpty else { continue }
                let namespace = o["metadata"]?["namespace"]?.stringValue
                let selects = workloads.contains { w in
                    guard w["metadata"]?["namespace"]?.stringValue == namespace else { return false }
                    let labels = podLabels(w)
                    return selector.allSatisfy { labels?[$0.key] == $0.value }
                }
                if !selects { deny(o, "[service-selects] \(ref(o)) selects no pod") }
            default: break
            }
        }
        let cloudflare = input["cloud"]?["cloudflare"]
        let tunnels = Set(list(cloudflare?["tunnels"]).compactMap { $0["tunnelId"]?.stringValue })
        for record in list(cloudflare?["dnsRecords"]) {
            guard let content = record["content"]?.stringValue, content.hasSuffix(".cfargotunnel.com") else { continue }
            let id = String(content.dropLast(".cfargotunnel.com".count))
            if !tunnels.contains(id) {
                deny(nil, "[dns-tunnel] DNS record \(record["name"]?.stringValue ?? "") points at tunnel \(id), which the fleet does not declare")
            }
        }
        return Array(Set(out)).sorted { $0.message < $1.message }
    }

    /// The items of a list (none for anything else).
    public static func list(_ tree: Tree?) -> [Tree] {
        if case .list(let items)? = tree { return items }
        return []
    }

    static func ref(_ o: Tree) -> String {
        "\(o["kind"]?.stringValue ?? "") \(o["metadata"]?["namespace"]?.stringValue ?? "")/\(o["metadata"]?["name"]?.stringValue ?? "")"
    }

    static func key(_ o: Tree) -> String {
        "\(o["metadata"]?["namespace"]?.stringValue ?? "")/\(o["metadata"]?["name"]?.stringValue ?? "")"
    }

    static func podSpec(_ o: Tree) -> Tree? {
        switch o["kind"]?.stringValue {
        case "Pod": o["spec"]
        case "CronJob": o["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: o["spec"]?["template"]?["spec"]
        }
    }

    static func podLabels(_ o: Tree) -> Tree? {
        switch o["kind"]?.stringValue {
        case "Pod": o["metadata"]?["labels"]
        case "CronJob": o["spec"]?["jobTemplate"]?["spec"]?["template"]?["metadata"]?["labels"]
        default: o["spec"]?["template"]?["metadata"]?["labels"]
        }
    }

    /// A digest, or a tag on the last path component that is not `latest`.
    static func pinned(_ image: String) -> Bool {
        if image.contains("@") { return true }
        let last = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        return last.contains(":") && !last.hasSuffix(":latest")
    }

    static func gatewayReachable(_ objects: [Tree]) -> Bool {
        objects.contains { p in
            p["kind"] == "NetworkPolicy" && p["metadata"]?["namespace"] == "apps"
                && list(p["spec"]?["egress"]).contains { rule in
                    list(rule["to"]).contains { $0["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"] == "egress-system" }
                }
        }
    }

    /// The denials of every cluster of the IR as diagnostics at the declarations that produced
    /// the objects they name (the FluxSync's location for a cluster-wide one).
    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for cluster in ir.clusters {
            var origins: [String: SourceLocation] = [:]
            for object in cluster.components.flatMap(\.objects) {
                origins["\(object.id.kind) \(object.id.namespace ?? "")/\(object.id.name)"] = object.origin
            }
            for denial in evaluate(PolicyInput.document(cluster, ir)) {
                let origin = denial.kind.flatMap { kind in denial.key.flatMap { origins["\(kind) \($0)"] } }
                    ?? cluster.flux?.location ?? SourceLocation(file: OutputLayout.policyInput(cluster.name), line: 1)
                out.append(.guardrail(denial.message, at: origin))
            }
        }
        return out
    }
}
