import Compiler

/// The fleet's topology as a graph: the internet, each hostname (with who may pass), the
/// tunnel its record points at, what the tunnel routes it to (a Service, a host service, an
/// address), the nodes, the host services, and each cluster's Flux layers in order.
/// `oceanid-gen graph` prints it as Mermaid (`flowchart LR`) or, with `--json`, as this
/// value; vertex ids are stable (`hostname:gpu.boathou.se`, `service:tethys/apps/web`).
public struct Topology: Hashable, Sendable, Codable {
    public struct Vertex: Hashable, Sendable, Codable {
        /// `internet`, `hostname`, `tunnel`, `node`, `service`, `host-service`, `address`, `layer`.
        public var kind: String
        public var id: String
        public var label: String
        /// The group (cluster, host, Cloudflare) it is drawn in; nil at the top level.
        public var group: String?
        public init(kind: String, id: String, label: String, group: String?) {
            self.kind = kind
            self.id = id
            self.label = label
            self.group = group
        }
    }
    public struct Edge: Hashable, Sendable, Codable {
        public var from: String
        public var to: String
        public var label: String?
        public init(from: String, to: String, label: String? = nil) {
            self.from = from
            self.to = to
            self.label = label
        }
    }
    public struct Group: Hashable, Sendable, Codable {
        public var id: String
        public var label: String
        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }
    public var groups: [Group] = []
    public var vertices: [Vertex] = []
    public var edges: [Edge] = []

    /// An empty graph.
    public init() {}

    /// The topology of a lowered fleet, in a stable order (clusters by name, tunnels and
    /// routes as declared).
    public static func build(_ ir: FleetIR) -> Topology {
        var t = Topology()
        var known: Set<String> = []
        var drawn: Set<Edge> = []
        func vertex(_ kind: String, _ id: String, _ label: String, in group: String? = nil) {
            guard known.insert(id).inserted else { return }
            t.vertices.append(Vertex(kind: kind, id: id, label: label, group: group))
        }
        func edge(_ from: String, _ to: String, _ label: String? = nil) {
            let e = Edge(from: from, to: to, label: label)
            if drawn.insert(e).inserted { t.edges.append(e) }
        }
        let routed = ir.tunnels.contains { $0.routes.contains { $0.hostname != nil } }
        if routed {
            vertex("internet", "internet", "internet")
            t.groups.append(Group(id: "cloudflare", label: "Cloudflare \(ir.cloud.cloudflare.zoneName)"))
        }
        var nodeCluster: [String: String] = [:]
        for cluster in ir.clusters {
            let group = "cluster:\(cluster.name)"
            t.groups.append(Group(id: group, label: "cluster \(cluster.name)"))
            for node in cluster.nodes {
                nodeCluster[node] = cluster.name
                vertex("node", "node:\(node)", "node \(node)", in: group)
            }
            if let flux = cluster.flux {
                var previous: String?
                for layer in flux.layers {
                    let id = "layer:\(cluster.name)/\(layer)"
                    vertex("layer", id, "Flux layer \(layer)", in: group)
                    if let previous { edge(previous, id, "then") }
                    previous = id
                }
            }
        }
        for host in ir.hosts {
            let group = "host:\(host.node)"
            t.groups.append(Group(id: group, label: "host \(host.node) (systemd)"))
            for service in host.services {
                let ports = service.listens.map { ":\($0.port)" }.joined(separator: " ")
                vertex("host-service", "host-service:\(host.node)/\(service.name)", "\(service.unit) \(ports)", in: group)
                edge("node:\(host.node)", "host-service:\(host.node)/\(service.name)", "runs")
            }
        }
        for tunnel in ir.tunnels {
            let tunnelID = "tunnel:\(tunnel.name)"
            let group = tunnel.management == "remote" ? "cluster:\(tunnel.runsOn)" : "host:\(tunnel.runsOn)"
            vertex("tunnel", tunnelID, "tunnel \(tunnel.name) (\(tunnel.management))", in: group)
            for route in tunnel.routes {
                guard let hostname = route.hostname else { continue }
                let hostID = "hostname:\(hostname)"
                let access = route.publicReason.map { "public: \($0)" } ?? "Access: \(route.admits.joined(separator: ", "))"
                vertex("hostname", hostID, "\(hostname)\n\(access)", in: "cloudflare")
                edge("internet", hostID)
                edge(hostID, tunnelID, "CNAME")
                let target = Self.target(of: route.service, tunnel: tunnel, hosts: ir.hosts, nodeCluster: nodeCluster)
                vertex(target.kind, target.id, target.label, in: target.group ?? group)
                edge(tunnelID, target.id, route.path.map { "path \($0)" })
            }
        }
        return t
    }

    /// Where a route's service URL leads: a cluster Service, a host service on the tunnel's
    /// node, or an address the fleet does not model (the Kubernetes API).
    static func target(of url: String, tunnel: TunnelIR, hosts: [HostIR], nodeCluster: [String: String])
        -> (kind: String, id: String, label: String, group: String?) {
        let afterScheme = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? url
        let hostPort = afterScheme.split(separator: ":").map(String.init)
        if hostPort.count == 2, let port = Int(hostPort[1]) {
            let labels = hostPort[0].split(separator: ".").map(String.init)
            if tunnel.management == "remote", labels.count >= 3, labels[2] == "svc" {
                return ("service", "service:\(tunnel.runsOn)/\(labels[1])/\(labels[0])", "Service \(labels[1])/\(labels[0]) :\(port)",
                        "cluster:\(tunnel.runsOn)")
            }
            if tunnel.management == "local", hostPort[0] == "localhost" || hostPort[0] == "127.0.0.1",
               let service = hosts.first(where: { $0.node == tunnel.runsOn })?.services.first(where: { $0.listens.contains { $0.port == port } }) {
                return ("host-service", "host-service:\(tunnel.runsOn)/\(service.name)", service.unit, "host:\(tunnel.runsOn)")
            }
        }
        return ("address", "address:\(url)", url, nil)
    }

    /// Mermaid `flowchart LR`: groups as subgraphs, labels quoted (`"` as `#quot;`, line
    /// breaks as `<br/>`), vertex ids numbered in order so any name is safe.
    public var mermaid: String {
        var ids: [String: String] = [:]
        for (i, v) in vertices.enumerated() { ids[v.id] = "v\(i)" }
        func label(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;")
                .replacingOccurrences(of: ">", with: "#gt;").replacingOccurrences(of: "\n", with: "<br/>") + "\""
        }
        func shape(_ v: Vertex) -> String {
            let l = label(v.label)
            switch v.kind {
            case "internet": return "((\(l)))"
            case "tunnel": return "{{\(l)}}"
            case "hostname": return "([\(l)])"
            case "layer": return "[/\(l)/]"
            default: return "[\(l)]"
            }
        }
        var lines = ["flowchart LR"]
        for v in vertices where v.group == nil { lines.append("  \(ids[v.id]!)\(shape(v))") }
        for (i, group) in groups.enumerated() {
            let members = vertices.filter { $0.group == group.id }
            guard !members.isEmpty else { continue }
            lines.append("  subgraph g\(i)[\(label(group.label))]")
            for v in members { lines.append("    \(ids[v.id]!)\(shape(v))") }
            lines.append("  end")
        }
        for e in edges {
            guard let from = ids[e.from], let to = ids[e.to] else { continue }
            lines.append(e.label.map { "  \(from) -->|\(label($0))| \(to)" } ?? "  \(from) --> \(to)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
