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
                        let shared = { (w: any PodWorkload) in
                            service.selector.filter { w.podLabels[$0.key] == $0.value }.count
                        }
                        return (shared(a), b.name) < (shared(b), a.name)
                    }
                    out.append(
                        .selectorMatchesNothing(
                            service: service.name, selector: service.selector, namespace: namespace,
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
                        out.append(
                            .targetPortNotExposed(
                                service: service.name, port: port,
                                exposed: ports.map(\.name), at: port.location))
                    }
                }
            }
        }
        return out
    }
}
