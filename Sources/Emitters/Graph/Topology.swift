import Compiler
import Foundation

/// The fleet's topology as a graph: the internet, each hostname (with who may pass), the
/// tunnel its record points at, what the tunnel routes it to (a Service, a host service, an
/// address), the nodes, the host services, and each cluster's Flux layers in order.
/// `oceanid-gen graph` prints it as Mermaid (`flowchart LR`) or, with `--json`, as this
/// value; vertex ids are stable (`hostname:gpu.boathou.se`, `service:tethys/apps/web`).
public struct Topology: Hashable, Sendable, Codable {
    /// One thing drawn: a hostname, tunnel, node, Service, host service, address or Flux layer.
    public struct Vertex: Hashable, Sendable, Codable {
        /// `internet`, `hostname`, `tunnel`, `node`, `service`, `host-service`, `address`, `layer`.
        public var kind: String
        /// Stable and unique in the graph: `<kind>:<name>` (`hostname:gpu.boathou.se`, `node:calypso`),
        /// or just `internet`.
        public var id: String
        /// The text drawn in the box (`node calypso`, `Flux layer apps`).
        public var label: String
        /// The group (cluster, host, Cloudflare) it is drawn in; nil at the top level.
        public var group: String?
        /// A vertex; `group` is a `Group.id` or nil.
        public init(kind: String, id: String, label: String, group: String?) {
            self.kind = kind
            self.id = id
            self.label = label
            self.group = group
        }
    }
    /// A directed connection between two vertices, drawn as an arrow.
    public struct Edge: Hashable, Sendable, Codable {
        /// The `Vertex.id` it starts at.
        public var from: String
        /// The `Vertex.id` it ends at.
        public var to: String
        /// Text on the arrow (`then` between Flux layers, `runs`, `CNAME`, `path /v2`), or nil.
        public var label: String?
        /// An edge from one vertex id to another.
        public init(from: String, to: String, label: String? = nil) {
            self.from = from
            self.to = to
            self.label = label
        }
    }
    /// A box vertices are drawn in (a Mermaid `subgraph`): Cloudflare, a cluster or a host.
    public struct Group: Hashable, Sendable, Codable {
        /// `cloudflare`, `cluster:<name>` or `host:<node>`: what `Vertex.group` names.
        public var id: String
        /// The box's title (`cluster tethys`, `host calypso (systemd)`).
        public var label: String
        /// A group.
        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }
    /// Every group, in drawing order.
    public var groups: [Group] = []
    /// Every vertex once, in drawing order.
    public var vertices: [Vertex] = []
    /// Every edge once, in drawing order.
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
        for cluster in ir.clusters {
            let group = "cluster:\(cluster.name)"
            t.groups.append(Group(id: group, label: "cluster \(cluster.name)"))
            for node in cluster.nodes {
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
                vertex(
                    "host-service", "host-service:\(host.node)/\(service.name)", "\(service.unit) \(ports)", in: group)
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
                vertex("hostname", hostID, "\(hostname)\n\(route.access)", in: "cloudflare")
                edge("internet", hostID)
                edge(hostID, tunnelID, "CNAME")
                guard let target = Self.target(of: route, tunnel: tunnel, hosts: ir.hosts) else { continue }
                vertex(target.kind, target.id, target.label, in: target.group ?? group)
                edge(tunnelID, target.id, route.path.map { "path \($0)" })
            }
        }
        return t
    }

    /// The vertex of what a route reaches, from the endpoint the compiler resolved.
    static func target(of route: TunnelIR.Route, tunnel: TunnelIR, hosts: [HostIR])
        -> (kind: String, id: String, label: String, group: String?)?
    {
        switch route.endpoint {
        case .service(let cluster, let namespace, let name):
            let port = URLComponents(string: route.service)?.port.map { " :\($0)" } ?? ""
            return (
                "service", "service:\(cluster)/\(namespace)/\(name)", "Service \(namespace)/\(name)\(port)",
                "cluster:\(cluster)"
            )
        case .hostService(let node, let name):
            let unit = hosts.first { $0.node == node }?.services.first { $0.name == name }?.unit ?? "\(name).service"
            return ("host-service", "host-service:\(node)/\(name)", unit, "host:\(node)")
        case .address(let url):
            return ("address", "address:\(url)", url, nil)
        case .none:
            return nil
        }
    }

    /// Mermaid `flowchart LR`: groups as subgraphs, labels quoted (`"` as `#quot;`, line
    /// breaks as `<br/>`), vertex ids numbered in order so any name is safe.
    public var mermaid: String {
        var ids: [String: String] = [:]
        for (i, v) in vertices.enumerated() { ids[v.id] = "v\(i)" }
        func label(_ text: String) -> String {
            "\""
                + text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;")
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
