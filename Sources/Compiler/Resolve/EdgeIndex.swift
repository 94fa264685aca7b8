import DSL
import Foundation

/// The fleet's edge, resolved once for the checks and the lowering: each tunnel with the
/// cluster or host it runs on, each ingress rule's service as the URL cloudflared gets, and
/// every host's services (the declared ones and the cloudflared units local tunnels add).
struct EdgeIndex {
    /// A host service with the node it runs on; `tunnel` is set for a local tunnel's cloudflared.
    struct NodeService {
        var service: HostService
        var tunnel: Tunnel?
    }

    /// Where a rule's requests go, or why that cannot be resolved.
    enum Target {
        case resolved(String)
        case unresolved(String)
    }

    let fleet: Fleet
    let clusters: [String: ClusterIndex]
    /// Each node's cluster.
    let nodeCluster: [String: String]
    /// Host services by node (declared first, then local tunnels' cloudflared), in order.
    let services: [String: [NodeService]]

    static let clusterDomain = "cluster.local"
    static let cloudflared = "/usr/bin/cloudflared"
    static let configDirectory = "/etc/cloudflared"

    init(_ fleet: Fleet, indexes: [ClusterIndex]) {
        self.fleet = fleet
        var clusters: [String: ClusterIndex] = [:]
        var nodeCluster: [String: String] = [:]
        for index in indexes {
            if clusters[index.cluster.name] == nil { clusters[index.cluster.name] = index }
            for node in index.nodes.keys where nodeCluster[node] == nil { nodeCluster[node] = index.cluster.name }
        }
        var services: [String: [NodeService]] = [:]
        for host in fleet.hosts {
            services[host.node, default: []] += host.services.map { NodeService(service: $0, tunnel: nil) }
        }
        for tunnel in fleet.cloudflare.flatMap(\.tunnels) {
            if case .local(let node, _) = tunnel.management {
                services[node, default: []].append(NodeService(service: Self.connector(tunnel), tunnel: tunnel))
            }
        }
        self.clusters = clusters
        self.nodeCluster = nodeCluster
        self.services = services
    }

    /// The cloudflared unit of a local tunnel: `cloudflared-<tunnel>.service`, running its
    /// config file, metrics on loopback.
    static func connector(_ tunnel: Tunnel) -> HostService {
        guard case .local(_, let metricsPort) = tunnel.management else {
            preconditionFailure("remote tunnels run in a cluster")
        }
        return HostService(
            "cloudflared-\(tunnel.name)", description: "cloudflared: tunnel \(tunnel.name) (\(tunnel.id.value))",
            exec: [cloudflared, "--no-autoupdate", "--config", configPath, "tunnel", "run"],
            ports: [HostPort("metrics", metricsPort)], restart: "on-failure", restartSeconds: 5,
            file: tunnel.location.file, line: tunnel.location.line)
    }

    /// `/etc/cloudflared/config.yaml`: where cloudflared looks by default (one local tunnel a node).
    static let configPath = "\(configDirectory)/config.yaml"

    /// `/etc/cloudflared/<tunnel id>.json`, cloudflared's convention for credentials files.
    static func credentialsPath(_ tunnel: Tunnel) -> String { "\(configDirectory)/\(tunnel.id.value).json" }

    /// The CNAME target of the tunnel's hostnames.
    static func dnsTarget(_ tunnel: Tunnel) -> String {
        if let override = tunnel.dnsTarget, !override.value.isEmpty { return Hostnames.normalized(override.value) }
        return "\(tunnel.id.value).cfargotunnel.com"
    }

    /// The service URL cloudflared gets for a rule of `tunnel`, resolving Services (and
    /// named ports) in the tunnel's cluster and host ports on its node.
    func target(of rule: TunnelIngressRule, in tunnel: Tunnel) -> Target {
        switch rule.service {
        case .httpStatus(let code):
            return .resolved("http_status:\(code)")
        case .url(let url):
            return .resolved(url)
        case .service(let name, let declaredNamespace, let port, let scheme):
            guard case .remote(let cluster) = tunnel.management else {
                let shown = declaredNamespace.map { "\($0)/\(name)" } ?? name
                return .unresolved(
                    "a host's cloudflared cannot reach the cluster Service '\(shown)'; route it through a remote tunnel"
                )
            }
            guard let index = clusters[cluster] else {
                return .unresolved("the tunnel's cluster '\(cluster)' is not declared")
            }
            let namespace: String
            switch serviceNamespace(name, declared: declaredNamespace, in: index) {
            case .success(let found): namespace = found
            case .failure(let why): return .unresolved(why.message)
            }
            let ports = servicePorts(name, namespace: namespace, in: index)
            guard let ports else {
                let known = index.objects(in: namespace).compactMap { object -> String? in
                    if case .service(let s) = object.payload { return s.name } else { return nil }
                }
                let hint = Suggestions.closest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                return .unresolved("Service '\(namespace)/\(name)' is not declared in cluster '\(cluster)'\(hint)")
            }
            guard let number = Self.portNumber(port, in: ports) else {
                return .unresolved(
                    "Service '\(namespace)/\(name)' has no port \(port) (it has \(ports.map { "\($0.name)=\($0.port)" }.joined(separator: ", ")))"
                )
            }
            return .resolved("\(scheme)://\(name).\(namespace).svc.\(Self.clusterDomain):\(number)")
        case .host(let service, let port, let scheme):
            guard case .local(let node, _) = tunnel.management else {
                return .unresolved(
                    "a remote tunnel runs in the cluster and cannot reach host service '\(service.name)'; route it through the node's local tunnel"
                )
            }
            guard let declared = services[node]?.first(where: { $0.service.name == service.name && $0.tunnel == nil })
            else {
                return .unresolved("host service '\(service.name)' is not declared on node '\(node)'")
            }
            guard let listen = declared.service.ports.first(where: { $0.name == port }) else {
                return .unresolved(
                    "host service '\(service.name)' on '\(node)' has no port '\(port)' (it has \(declared.service.ports.map { "\($0.name)=\($0.port)" }.joined(separator: ", ")))"
                )
            }
            return .resolved("\(scheme)://localhost:\(listen.port)")
        }
    }

    /// Why a route's Service has no one namespace: no namespace of the cluster declares it, or
    /// several do (the route must then name one).
    struct NamespaceProblem: Error {
        var message: String
    }

    /// The namespace of a route's Service: the one it names, or else the one namespace of the
    /// cluster that declares a Service called `name` (or a HelmRelease providing it).
    func serviceNamespace(_ name: String, declared: String?, in index: ClusterIndex)
        -> Result<String, NamespaceProblem>
    {
        if let declared { return .success(declared) }
        let holders = index.namespaces.keys.sorted().filter { servicePorts(name, namespace: $0, in: index) != nil }
        switch holders.count {
        case 1: return .success(holders[0])
        case 0:
            var known: [String: String] = [:]
            for namespace in index.namespaces.keys.sorted() {
                for object in index.objects(in: namespace) {
                    if case .service(let s) = object.payload, known[s.name] == nil { known[s.name] = namespace }
                }
            }
            let hint = Suggestions.closest(to: name, among: known.keys.sorted()).map {
                "; did you mean '\($0)' (namespace '\(known[$0] ?? "")')?"
            }
            return .failure(
                NamespaceProblem(
                    message: "Service '\(name)' is not declared in any namespace of cluster '\(index.cluster.name)'"
                        + (hint ?? "")))
        default:
            let listed = holders.map { "'\($0)'" }.joined(separator: ", ")
            return .failure(
                NamespaceProblem(
                    message: "Service '\(name)' is declared in namespaces \(listed) of cluster "
                        + "'\(index.cluster.name)'; name the one meant: .service(\"\(name)\", namespace: "
                        + "\"\(holders[0])\", port: ...)"))
        }
    }

    /// The ports of a Service (declared, or provided by a HelmRelease) in a namespace.
    func servicePorts(_ name: String, namespace: String, in index: ClusterIndex) -> [ServicePort]? {
        for object in index.objects(in: namespace) {
            switch object.payload {
            case .service(let s) where s.name == name: return s.ports
            case .helmRelease(let release):
                if let provided = release.providedServices.first(where: { $0.name == name }) { return provided.ports }
            default: continue
            }
        }
        return nil
    }

    static func portNumber(_ port: PortRef, in ports: [ServicePort]) -> Int? {
        switch port {
        case .name(let name): ports.first { $0.name == name }?.port
        case .number(let number): ports.contains { $0.port == number } ? number : nil
        }
    }

    /// A service URL as cloudflared reaches it: host normalised (lower case, no brackets, no
    /// trailing dot), the port (the scheme's default for http and https), whether the host
    /// is this machine, and the Service a `<name>.<namespace>.svc[.cluster.local]` host names.
    struct ServiceURL {
        var scheme: String
        var host: String
        var port: Int?
        /// The path, empty when the URL has none.
        var path: String
        var isLoopback: Bool {
            host == "localhost" || host == "::1" || host == "0.0.0.0" || host == "::" || host.hasPrefix("127.")
        }
        var isClusterName: Bool { host.hasSuffix(".svc") || host.hasSuffix(".svc.\(EdgeIndex.clusterDomain)") }
        /// (namespace, name) of the Service the host names, when it is a cluster name.
        var clusterService: (namespace: String, name: String)? {
            let labels = host.split(separator: ".").map(String.init)
            guard isClusterName, labels.count >= 3, labels[2] == "svc",
                labels.count == 3 || labels.dropFirst(3).joined(separator: ".") == EdgeIndex.clusterDomain
            else { return nil }
            return (labels[1], labels[0])
        }

        init?(_ url: String) {
            guard let components = URLComponents(string: url), let rawHost = components.host,
                let scheme = components.scheme
            else { return nil }
            var host = rawHost.lowercased()
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            while host.hasSuffix(".") { host.removeLast() }
            self.scheme = scheme.lowercased()
            self.host = host
            self.port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
            self.path = components.path
        }
    }

    /// Whether an Access policy guards the URL's host (the applier then sends a service token).
    func isAccessProtected(_ url: String) -> Bool {
        guard let host = ServiceURL(url)?.host else { return false }
        return fleet.cloudflare.flatMap(\.accessPolicies).contains { Hostnames.normalized($0.hostname) == host }
    }

    /// What a rule reaches, for the topology: a cluster Service, a host service on the
    /// tunnel's node, or an address the fleet does not model (the Kubernetes API).
    func endpoint(of rule: TunnelIngressRule, in tunnel: Tunnel) -> TunnelIR.Endpoint {
        switch (rule.service, tunnel.management) {
        case (.httpStatus, _): return .none
        case (.service(let name, let declared, _, _), .remote(let cluster)):
            guard let index = clusters[cluster],
                case .success(let namespace) = serviceNamespace(name, declared: declared, in: index)
            else { return .none }
            return .service(cluster: cluster, namespace: namespace, name: name)
        case (.host(let service, _, _), .local(let node, _)): return .hostService(node: node, name: service.name)
        case (.url(let url), .remote(let cluster)):
            if let service = ServiceURL(url)?.clusterService {
                return .service(cluster: cluster, namespace: service.namespace, name: service.name)
            }
            return .address(url)
        case (.url(let url), .local(let node, _)):
            if let parsed = ServiceURL(url), parsed.isLoopback, let port = parsed.port,
                let owner = (services[node] ?? []).first(where: {
                    $0.tunnel == nil && $0.service.ports.contains { $0.port == port }
                })
            {
                return .hostService(node: node, name: owner.service.name)
            }
            return .address(url)
        default: return .none
        }
    }

    /// Every (hostname, tunnel, rule) routed by any tunnel, in declaration order.
    var routes: [(hostname: String, tunnel: Tunnel, rule: TunnelIngressRule)] {
        fleet.cloudflare.flatMap(\.tunnels).flatMap { tunnel in
            tunnel.ingress.compactMap { rule in
                guard let host = rule.routedHostname else { return nil }
                return (host.lowercased(), tunnel, rule)
            }
        }
    }
}
