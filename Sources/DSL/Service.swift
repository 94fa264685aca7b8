/// A Service (Kubernetes core/v1): a stable name and virtual IP in front of pods. Select a
/// workload by value (`selecting:`), which cannot dangle, or by labels, which the compiler
/// checks against every workload's pod labels. Reached as `<name>.<namespace>.svc.cluster.local`.
///
/// ```swift
/// Service(selecting: adapter) { ServicePort("http", 9090, target: "http") }
/// ```
public struct Service: ObjectMetadata, Hashable {
    /// The Service type (`spec.type`): `ClusterIP` (in-cluster only, the default), `NodePort`,
    /// `LoadBalancer` (K3s: ServiceLB on the nodes' addresses) or `headless` (`clusterIP: None`,
    /// DNS returns the pod IPs).
    ///
    /// ```swift
    /// Service("egress-db-proxy-pods", selecting: proxy, kind: .headless) { ServicePort("postgres", 5432) }
    /// ```
    public enum Kind: String, Hashable, Sendable {
        case clusterIP = "ClusterIP"
        case nodePort = "NodePort"
        case loadBalancer = "LoadBalancer"
        case headless
    }

    /// `metadata.name`, a DNS-1035 label (starts with a letter, at most 63 characters).
    public var name: String
    /// `spec.selector`: the pod labels the Service routes to; it must match some workload's pods.
    public var selector: [String: String]
    /// `spec.ports`; names and port/protocol pairs are unique.
    public var ports: [ServicePort]
    /// The Service type; default `clusterIP`.
    public var kind: Kind
    /// The Service's `metadata.labels`, from `.labels(_:)`, beside the standard `app.kubernetes.io/*`
    /// ones.
    public var labels: [String: String] = [:]
    /// The Service's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// A fixed `spec.clusterIP` inside the service CIDR; nil: the API server picks one.
    public var clusterIP: String?
    /// Where the Service was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A Service selecting pods by labels; prefer `init(_:selecting:kind:ports:)`.
    ///
    /// ```swift
    /// Service("egress-gateway", selector: ["app.kubernetes.io/name": "egress-gateway"]) {
    ///     ServicePort("proxy", 3128)
    /// }
    /// ```
    public init(
        _ name: String, selector: [String: String], kind: Kind = .clusterIP,
        file: String = #filePath, line: Int = #line,
        @ListBuilder<ServicePort> ports: () -> [ServicePort]
    ) {
        self.name = name
        self.selector = selector
        self.kind = kind
        self.ports = ports()
        self.location = SourceLocation(file: file, line: line)
    }

    /// A Service named after the workload (or `name`), selecting exactly its pods.
    ///
    /// ```swift
    /// Service(selecting: proxy) { ServicePort("postgres", 5432) }
    /// Service("gpu-metrics", selecting: daemon, kind: .headless) { ServicePort("metrics", 2200) }
    /// ```
    public init(
        _ name: String? = nil, selecting workload: some PodWorkload, kind: Kind = .clusterIP,
        file: String = #filePath, line: Int = #line,
        @ListBuilder<ServicePort> ports: () -> [ServicePort]
    ) {
        self.init(
            name ?? workload.name, selector: workload.selectorLabels, kind: kind, file: file, line: line,
            ports: ports)
    }

    /// A fixed ClusterIP (`spec.clusterIP`), for pods that reach the Service through
    /// `hostAliases`; pick it from the range's lower band, which dynamic allocation avoids
    /// (https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation/).
    ///
    /// ```swift
    /// Service(selecting: proxy) { ServicePort("postgres", 5432) }.fixedClusterIP("10.43.0.54")
    /// ```
    public func fixedClusterIP(_ ip: String) -> Service {
        var c = self
        c.clusterIP = ip
        return c
    }

    /// A Service of another type (`NodePort`, `LoadBalancer`, headless).
    ///
    /// ```swift
    /// Service(selecting: gateway) { ServicePort("proxy", 3128, nodePort: 31280) }.type(.nodePort)
    /// ```
    public func type(_ kind: Kind) -> Service {
        var c = self
        c.kind = kind
        return c
    }

    /// `host:port` of one of this Service's ports, as pods reach it: derived from the
    /// Service, never typed by hand.
    ///
    /// ```swift
    /// let proxy = ServicePort("proxy", 3128)
    /// let gateway = Service(selecting: squid) { proxy }
    /// gateway.address(in: "egress-system", port: proxy)   // egress-gateway.egress-system.svc.cluster.local:3128
    /// ```
    public func address(in namespace: String, port: ServicePort, domain: String = "cluster.local") -> String {
        "\(host(in: namespace, domain: domain)):\(port.port)"
    }

    /// The in-cluster DNS name of this service in `namespace`.
    ///
    /// ```swift
    /// service.host(in: "apps")   // "egress-db-proxy.apps.svc.cluster.local"
    /// ```
    public func host(in namespace: String, domain: String = "cluster.local") -> String {
        "\(name).\(namespace).svc.\(domain)"
    }
}

/// A port of a Service (Kubernetes core/v1 `ServicePort`); `target` names (or numbers) the
/// container port it forwards to.
///
/// ```swift
/// ServicePort("http", 80, target: "http")
/// ```
public struct ServicePort: Hashable, Sendable {
    /// The port's name (an IANA port name), unique within the Service.
    public var name: String
    /// The Service's own port (`port`), what clients connect to.
    public var port: Int
    /// `targetPort`: a container port's name or number; a name must be a declared `Port`
    /// of the selected pods, a number one they expose.
    public var target: PortRef
    /// `protocol`; default TCP.
    public var proto: PortProtocol
    /// The port on every node (`NodePort`/`LoadBalancer` Services only): 30000-32767 on a
    /// default K3s, unique across the cluster.
    public var nodePort: Int?
    /// Where the port was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a Service port; `target` defaults to the container port of the same name.
    ///
    /// ```swift
    /// ServicePort("postgres", 5432)                  // targetPort: postgres
    /// ServicePort("http", 80, target: "http")
    /// ```
    public init(
        _ name: String, _ port: Int, target: PortRef? = nil, _ proto: PortProtocol = .tcp, nodePort: Int? = nil,
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.port = port
        self.target = target ?? .name(name)
        self.proto = proto
        self.nodePort = nodePort
        self.location = SourceLocation(file: file, line: line)
    }
}
