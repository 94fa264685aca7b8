/// A NetworkPolicy over pods of its namespace (`networking.k8s.io/v1`). Policies are
/// additive allow-lists: a pod selected by any policy of a type accepts only what some rule
/// of that type allows; a policy with a type and no rules denies that direction.
///
/// ```swift
/// NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
/// NetworkPolicy("allow-dns", pods: .all, types: [.egress]) {
///     EgressRule(to: [.namespace("kube-system")], ports: [.udp(53), .tcp(53)])
/// }
/// ```
public struct NetworkPolicy: ObjectMetadata, Hashable {
    /// The directions a policy governs (`spec.policyTypes`).
    ///
    /// ```swift
    /// NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
    /// ```
    public enum PolicyType: String, Hashable, Sendable {
        case ingress = "Ingress"
        case egress = "Egress"
    }

    /// `metadata.name`, a DNS-1123 subdomain.
    public var name: String
    /// The NetworkPolicy's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones.
    public var labels: [String: String] = [:]
    /// The NetworkPolicy's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// The pods the policy applies to (`spec.podSelector`).
    public var pods: PodSelector
    /// `spec.policyTypes`; rules of a type not listed here are an error (Kubernetes ignores them).
    public var types: [PolicyType]
    /// Allowed incoming traffic (`spec.ingress`).
    public var ingress: [IngressRule]
    /// Allowed outgoing traffic (`spec.egress`).
    public var egress: [EgressRule]
    /// Where the policy was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a policy over `pods` for `types`; the body lists `EgressRule`s and
    /// `IngressRule`s (an empty body denies every listed direction).
    ///
    /// ```swift
    /// NetworkPolicy("allow-db-proxy-upstream", pods: .labels(["app.kubernetes.io/name": "egress-db-proxy"]),
    ///               types: [.egress]) {
    ///     EgressRule(to: [.ipBlock(cidr: "0.0.0.0/0", except: ["10.0.0.0/8"])], ports: [.tcp(5432)])
    /// }
    /// ```
    public init(
        _ name: String, pods: PodSelector, types: [PolicyType], file: String = #filePath, line: Int = #line,
        @ListBuilder<NetworkRule> _ rules: () -> [NetworkRule]
    ) {
        self.name = name
        self.pods = pods
        self.types = types
        self.ingress = []
        self.egress = []
        self.location = SourceLocation(file: file, line: line)
        for rule in rules() {
            switch rule {
            case .ingress(let r): ingress.append(r)
            case .egress(let r): egress.append(r)
            }
        }
    }
}

/// Which pods a policy or peer selects (a `podSelector`): all of them, or those with every
/// given label (`matchLabels`). A label selector matching no declared pod is a warning.
///
/// ```swift
/// NetworkPolicy("allow-kube-api", pods: .workload(adapter), types: [.egress]) { ... }
/// ```
public enum PodSelector: Hashable, Sendable {
    /// Every pod (`{}`).
    case all
    /// Pods carrying all of these labels (`matchLabels`).
    case labels([String: String])

    /// Exactly the pods of a declared workload, by its selector labels (typed: cannot dangle).
    ///
    /// ```swift
    /// EgressRule(to: [.pods(.workload(proxy))], ports: [.tcp("postgres")])
    /// ```
    public static func workload(_ w: some PodWorkload) -> PodSelector { .labels(w.selectorLabels) }
}

/// A peer of a network rule (`to` of an egress rule, `from` of an ingress rule).
/// A namespace peer must be declared in the cluster or be a K3s system namespace
/// (`kube-system`, `default`, ...).
///
/// ```swift
/// EgressRule(to: [.namespace("kube-system", pods: .labels(["k8s-app": "kube-dns"]))], ports: [.udp(53), .tcp(53)])
/// EgressRule(to: [.pods(.all)])
/// ```
public enum Peer: Hashable, Sendable {
    /// Pods of this namespace matching the selector.
    case pods(PodSelector)
    /// Pods (all, or matching) of another namespace, selected by its name.
    case namespace(String, pods: PodSelector = .all)
    /// An IPv4 or IPv6 CIDR (`ipBlock`); each `except` must be a strict subset of `cidr`.
    case ipBlock(cidr: String, except: [String] = [])
}

/// A protocol and port a rule allows (`ports[]`), by number or by the container port's name.
///
/// ```swift
/// EgressRule(to: [.namespace("kube-system")], ports: [.udp(53), .tcp(53)])
/// ```
public struct PolicyPort: Hashable, Sendable {
    /// `protocol`: TCP, UDP or SCTP.
    public var proto: PortProtocol
    /// `port`: 1-65535 or an IANA port name of the destination pod.
    public var port: PortRef
    /// A TCP port.
    ///
    /// ```swift
    /// .tcp(5432)
    /// .tcp(.number(Egress.proxyPort))
    /// ```
    public static func tcp(_ port: PortRef) -> PolicyPort { PolicyPort(proto: .tcp, port: port) }
    /// A UDP port.
    ///
    /// ```swift
    /// .udp(53)
    /// ```
    public static func udp(_ port: PortRef) -> PolicyPort { PolicyPort(proto: .udp, port: port) }
}

/// An egress rule (`spec.egress[]`): traffic to any of `to` on any of `ports` is allowed.
/// An empty `to` means every destination; empty `ports`, every port.
///
/// ```swift
/// EgressRule(to: [.namespace("egress-system", pods: .labels(["app.kubernetes.io/name": "egress-gateway"]))],
///            ports: [.tcp(3128)])
/// ```
public struct EgressRule: Hashable, Sendable {
    /// Destinations (`to`).
    public var to: [Peer]
    /// Destination ports (`ports`); empty: all.
    public var ports: [PolicyPort]
    /// Allows traffic to `to` on `ports`.
    ///
    /// ```swift
    /// EgressRule(to: [.ipBlock(cidr: "10.43.0.1/32")], ports: [.tcp(443)])
    /// ```
    public init(to: [Peer], ports: [PolicyPort] = []) {
        self.to = to
        self.ports = ports
    }
}

/// An ingress rule (`spec.ingress[]`): traffic from any of `from` to any of `ports` is
/// allowed. An empty `from` means every source; empty `ports`, every port.
///
/// ```swift
/// IngressRule(from: [.namespace("cloudflared")], ports: [.tcp("http")])
/// ```
public struct IngressRule: Hashable, Sendable {
    /// Sources (`from`).
    public var from: [Peer]
    /// Ports of the selected pods (`ports`); empty: all.
    public var ports: [PolicyPort]
    /// Allows traffic from `from` to `ports`.
    ///
    /// ```swift
    /// IngressRule(from: [.pods(.all)])
    /// ```
    public init(from: [Peer], ports: [PolicyPort] = []) {
        self.from = from
        self.ports = ports
    }
}

/// A rule inside a `NetworkPolicy` body.
public enum NetworkRule: Hashable, Sendable {
    /// An ingress rule.
    case ingress(IngressRule)
    /// An egress rule.
    case egress(EgressRule)
}

extension ListBuilder where Element == NetworkRule {
    /// An `EgressRule` in a `NetworkPolicy` body.
    public static func buildExpression(_ x: EgressRule) -> [NetworkRule] { [.egress(x)] }
    /// An `IngressRule` in a `NetworkPolicy` body.
    public static func buildExpression(_ x: IngressRule) -> [NetworkRule] { [.ingress(x)] }
}
