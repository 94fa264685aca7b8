/// A Service. Select a workload by value (`selecting:`), which cannot dangle, or by labels,
/// which the compiler checks against every workload's pod labels.
///
/// ```swift
/// Service(selecting: adapter) { ServicePort("http", 9090, target: "http") }
/// ```
public struct Service: ObjectMetadata, Hashable {
    public enum Kind: String, Hashable, Sendable { case clusterIP = "ClusterIP", nodePort = "NodePort", loadBalancer = "LoadBalancer", headless }

    public var name: String
    public var selector: [String: String]
    public var ports: [ServicePort]
    public var kind: Kind
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var location: SourceLocation

    public init(_ name: String, selector: [String: String], kind: Kind = .clusterIP,
                file: String = #filePath, line: Int = #line,
                @ListBuilder<ServicePort> ports: () -> [ServicePort]) {
        self.name = name
        self.selector = selector
        self.kind = kind
        self.ports = ports()
        self.location = SourceLocation(file: file, line: line)
    }

    /// A Service named after the workload (or `name`), selecting exactly its pods.
    public init(_ name: String? = nil, selecting workload: some PodWorkload, kind: Kind = .clusterIP,
                file: String = #filePath, line: Int = #line,
                @ListBuilder<ServicePort> ports: () -> [ServicePort]) {
        self.init(name ?? workload.name, selector: workload.selectorLabels, kind: kind, file: file, line: line,
                  ports: ports)
    }

    /// A Service of another type (`NodePort`, `LoadBalancer`, headless).
    public func type(_ kind: Kind) -> Service { var c = self; c.kind = kind; return c }

    /// The in-cluster DNS name of this service in `namespace`.
    public func host(in namespace: String, domain: String = "cluster.local") -> String {
        "\(name).\(namespace).svc.\(domain)"
    }
}

/// A port of a Service; `target` names (or numbers) the container port it forwards to.
public struct ServicePort: Hashable, Sendable {
    public var name: String
    public var port: Int
    public var target: PortRef
    public var proto: PortProtocol
    /// The port on every node (`NodePort`/`LoadBalancer` Services only): 30000-32767 on a
    /// default K3s, unique across the cluster.
    public var nodePort: Int?
    public var location: SourceLocation

    public init(_ name: String, _ port: Int, target: PortRef? = nil, _ proto: PortProtocol = .tcp, nodePort: Int? = nil,
                file: String = #filePath, line: Int = #line) {
        self.name = name
        self.port = port
        self.target = target ?? .name(name)
        self.proto = proto
        self.nodePort = nodePort
        self.location = SourceLocation(file: file, line: line)
    }
}
