import DSL

/// Services must select some workload's pods, and forward to ports those pods expose.
enum ServiceChecks {
    static func selectorsAndPorts(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for namespace in index.byNamespace.keys.sorted() {
            let objects = index.objects(in: namespace)
            let workloads = objects.compactMap(\.workload)
            // Posting lists: "key=value" → workloads whose pods carry that label.
            var byLabel: [String: [Int]] = [:]
            for (i, workload) in workloads.enumerated() {
                for (key, value) in workload.podLabels { byLabel["\(key)=\(value)", default: []].append(i) }
            }
            for object in objects {
                guard case .service(let service) = object.payload, !service.selector.isEmpty else { continue }
                // A selector-less service is managed by hand; otherwise start from the rarest label.
                let lists = service.selector.map { byLabel["\($0.key)=\($0.value)"] ?? [] }
                let candidates = lists.min { $0.count < $1.count } ?? []
                let selected = candidates.map { workloads[$0] }.filter { workload in
                    let labels = workload.podLabels
                    return service.selector.allSatisfy { labels[$0.key] == $0.value }
                }
                if selected.isEmpty {
                    // The other side: the workload whose pod labels come closest (most selector labels shared).
                    let closest = workloads.max { a, b in
                        let shared = { (w: any PodWorkload) in service.selector.filter { w.podLabels[$0.key] == $0.value }.count }
                        return (shared(a), b.name) < (shared(b), a.name)
                    }
                    out.append(.selectorMatchesNothing(service: service.name, selector: service.selector, namespace: namespace,
                                                       at: service.location,
                                                       closest: closest.map { ($0.name, $0.podLabels, $0.location) }))
                    continue
                }
                let ports = selected.flatMap { $0.pod.containers.flatMap(\.ports) }
                for port in service.ports {
                    let exposed: Bool
                    switch port.target {
                    case .name(let name): exposed = ports.contains { $0.name == name && $0.proto == port.proto }
                    case .number(let n): exposed = ports.contains { $0.number == n && $0.proto == port.proto }
                    }
                    if !exposed {
                        out.append(.targetPortNotExposed(service: service.name, port: port,
                                                         exposed: ports.map(\.name), at: port.location))
                    }
                }
            }
        }
        return out
    }
}

/// RoleBindings bind declared Roles to declared ServiceAccounts.
enum RBACChecks {
    static func references(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .roleBinding(let binding) = object.payload, let ns = object.id.namespace else { continue }
            let objects = index.objects(in: ns)
            let roles = objects.filter { $0.id.kind == "Role" }.map(\.id.name)
            let accounts = objects.filter { $0.id.kind == "ServiceAccount" }.map(\.id.name)
            if !roles.contains(binding.role) {
                out.append(.undeclaredRole(binding.role, binding: binding.name, namespace: ns, known: roles, at: binding.location))
            }
            for account in binding.serviceAccounts where !accounts.contains(account) {
                out.append(.undeclaredServiceAccount(account, user: "RoleBinding '\(binding.name)'", namespace: ns,
                                                     known: accounts, at: binding.location))
            }
        }
        return out
    }
}

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
                    out.append(.invalidNodePort(nodePort, service: service.name,
                                                problem: "needs a NodePort or LoadBalancer Service (this one is \(service.kind.rawValue))",
                                                at: port.location))
                    continue
                }
                if !range.contains(nodePort) {
                    out.append(.invalidNodePort(nodePort, service: service.name, problem: "is outside the node port range 30000-32767",
                                                at: port.location))
                    continue
                }
                let key = "\(nodePort)/\(port.proto.rawValue)"
                if let first = taken[key] {
                    out.append(.duplicateNodePort(nodePort, service: service.name, other: first.service, at: port.location, first: first.location))
                } else {
                    taken[key] = ("\(object.id.namespace ?? "")/\(service.name)", port.location)
                }
            }
        }
        return out
    }
}
