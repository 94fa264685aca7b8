import DSL

/// Node ports: only on `NodePort`/`LoadBalancer` Services, inside K3s's default
/// `--service-node-port-range` (30000-32767), and unique across the cluster (the API
/// server's allocator rejects a second claim with "provided port is already allocated").
enum NodePortChecks {
    static let range = 30000...32767

    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var taken: [String: (service: String, location: SourceLocation)] = [:]
        for object in index.objects {
            guard case .service(let service) = object.payload else { continue }
            for port in service.ports {
                guard let nodePort = port.nodePort else { continue }
                if service.kind != .nodePort && service.kind != .loadBalancer {
                    out.append(
                        .invalidNodePort(
                            nodePort, service: service.name,
                            problem: "needs a NodePort or LoadBalancer Service (this one is \(service.kind.rawValue))",
                            at: port.location))
                    continue
                }
                if !range.contains(nodePort) {
                    out.append(
                        .invalidNodePort(
                            nodePort, service: service.name, problem: "is outside the node port range 30000-32767",
                            at: port.location))
                    continue
                }
                let key = "\(nodePort)/\(port.proto.rawValue)"
                if let first = taken[key] {
                    out.append(
                        .duplicateNodePort(
                            nodePort, service: service.name, other: first.service, at: port.location,
                            first: first.location))
                } else {
                    taken[key] = ("\(object.id.namespace ?? "")/\(service.name)", port.location)
                }
            }
        }
        return out
    }
}
