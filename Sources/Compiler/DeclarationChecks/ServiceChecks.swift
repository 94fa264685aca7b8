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
                    // The other side: the workload whose pod labels come closest to the selector,
                    // by edit distance (a typo `apj` names `api`, not the alphabetically first).
                    let closest = workloads.min { a, b in
                        (Self.distance(service.selector, a.podLabels), a.name)
                            < (Self.distance(service.selector, b.podLabels), b.name)
                    }
                    out.append(
                        .selectorMatchesNothing(
                            service: service.name, selector: service.selector, namespace: namespace,
                            at: service.location,
                            closest: closest.map { ($0.name, $0.podLabels, $0.location) },
                            // The caret goes under the first value no pod carries (the typo).
                            subject: service.selector.sorted { $0.key < $1.key }
                                .first { byLabel["\($0.key)=\($0.value)"] == nil }?.value))
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

    /// How far pod labels are from a selector: per selector label, the Levenshtein distance of the
    /// value to the pod's value under the same key, or, when the pod lacks the key, the distance of
    /// `key=value` to the nearest of the pod's `key=value` labels (the whole text when it has none).
    /// 0 exactly when the pods match.
    static func distance(_ selector: [String: String], _ labels: [String: String]) -> Int {
        let pairs = labels.map { "\($0.key)=\($0.value)" }
        return selector.reduce(0) { total, wanted in
            if let value = labels[wanted.key] { return total + Suggestions.distance(wanted.value, value) }
            let text = "\(wanted.key)=\(wanted.value)"
            return total + (pairs.map { Suggestions.distance(text, $0) }.min() ?? text.count)
        }
    }
}
