/// A fleet's own guardrail policy: the exceptions and namespaces that the guardrails'
/// rules (policy/guardrails.rego, and the same rules natively in `oceanid-gen check` and
/// `build`) read from the policy input document (`input.policy`). The rules themselves, and
/// the facts of Flux and Kubernetes they rest on (Flux's controllers, the workload kinds),
/// stay in the compiler; what a fleet allows itself is declared with the fleet.
///
/// A fleet whose `FleetDefinition.guardrails` is nil runs no guardrails.
///
/// ```swift
/// GuardrailPolicy(
///     hostNetwork: [.init("node-tunnels", "cloudflared-node")],
///     capabilities: [.init("tailscale", "tailscale-router"): ["NET_ADMIN", "NET_RAW"]],
///     egress: .init(namespace: "apps", gatewayNamespace: "egress-system", exempt: [.init("apps", "egress-db-proxy")])
/// )
/// ```
public struct GuardrailPolicy: Hashable, Sendable {
    /// A workload (Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob or Pod) by its
    /// namespace and name; the rules and the policy input name it `namespace/name`.
    public struct Workload: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The workload's namespace.
        public var namespace: String
        /// The workload's name.
        public var name: String

        /// The workload `name` of `namespace`.
        public init(_ namespace: String, _ name: String) {
            self.namespace = namespace
            self.name = name
        }

        /// `namespace/name`, as the policy input and the rules' keys read.
        public var description: String { "\(namespace)/\(name)" }

        /// Ordered by `namespace/name`, so the policy input lists workloads in a stable order.
        public static func < (lhs: Workload, rhs: Workload) -> Bool { lhs.description < rhs.description }
    }

    /// The rule `[egress-gateway]`: every workload of `namespace` sends HTTP(S) through the
    /// egress gateway (each container sets `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`), and a
    /// NetworkPolicy of `namespace` lets its pods reach `gatewayNamespace`.
    public struct EgressGateway: Hashable, Sendable {
        /// The namespace whose workloads must use the gateway.
        public var namespace: String
        /// The namespace the gateway runs in, which a NetworkPolicy of `namespace` must allow egress to.
        public var gatewayNamespace: String
        /// Workloads of `namespace` that need not set the proxy variables (they reach nothing
        /// over HTTP(S)); the NetworkPolicy part of the rule still holds for them.
        public var exempt: Set<Workload>

        /// The rule for `namespace` and the gateway in `gatewayNamespace`, with `exempt` excused
        /// from the proxy variables.
        public init(namespace: String, gatewayNamespace: String, exempt: Set<Workload> = []) {
            self.namespace = namespace
            self.gatewayNamespace = gatewayNamespace
            self.exempt = exempt
        }
    }

    /// The rule `[host-network]`: the only workloads that may use the host network.
    public var hostNetwork: Set<Workload>
    /// The rule `[capabilities]`: the only Linux capabilities each workload's containers may add
    /// (`securityContext.capabilities.add`); a workload not listed may add none.
    public var capabilities: [Workload: Set<String>]
    /// The rule `[egress-gateway]`, or nil for a fleet without an egress gateway (the rule does not run).
    public var egress: EgressGateway?

    /// A policy; the defaults allow nothing and run no egress-gateway rule.
    public init(
        hostNetwork: Set<Workload> = [], capabilities: [Workload: Set<String>] = [:],
        egress: EgressGateway? = nil
    ) {
        self.hostNetwork = hostNetwork
        self.capabilities = capabilities
        self.egress = egress
    }
}
