import DSL

/// Every connector of a tunnel serves the same routes. Cloudflare spreads a tunnel's requests
/// over all its connected cloudflared instances (Cloudflare docs, "Tunnel availability and
/// failover": replicas of one tunnel share its traffic), so a locally managed tunnel, whose
/// ingress lives in one host's `config.yaml`, must have no other connector: a cluster workload
/// that runs with the tunnel's token (reads its ESC key) answers part of the tunnel's
/// hostnames with ingress it does not have. Give that workload a tunnel of its own.
///
/// Also: a host-network workload whose configuration listens on `0.0.0.0` listens on every
/// address of the node, its public one included; bind the loopback (or the node's private
/// address) instead (a warning).
enum TunnelConnectors {
    static func problems(_ index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let tunnels = index.fleet.cloudflare.flatMap(\.tunnels)
        for tunnel in tunnels {
            guard case .local(let node, _) = tunnel.management, let key = tunnel.tokenKey else { continue }
            for cluster in index.clusters.keys.sorted() {
                guard let clusterIndex = index.clusters[cluster] else { continue }
                let declared = secrets(of: clusterIndex)
                for object in clusterIndex.objects {
                    guard let workload = object.workload, reads(key, workload, secrets: declared) else { continue }
                    out.append(
                        .sharedLocalTunnel(
                            tunnel.name, node: node, workload: "\(object.id.kind) \(object.id.name)",
                            at: object.location, tunnelAt: tunnel.location))
                }
            }
        }
        for cluster in index.clusters.keys.sorted() {
            guard let clusterIndex = index.clusters[cluster] else { continue }
            for object in clusterIndex.objects {
                guard let workload = object.workload, workload.pod.hostNetwork,
                    let address = allAddressListener(workload, in: clusterIndex)
                else { continue }
                out.append(
                    .hostNetworkListensOnAllAddresses(
                        "\(object.id.kind) \(object.id.name)", address: address, at: object.location))
            }
        }
        return out
    }

    /// The secrets a cluster declares.
    static func secrets(of index: ClusterIndex) -> [SecretDeclaration] {
        index.objects.compactMap { object -> SecretDeclaration? in
            if case .secret(let secret) = object.payload { secret } else { nil }
        }
    }

    /// Whether a container of `workload` reads the ESC key `key` through one of `secrets`.
    static func reads(_ key: String, _ workload: any PodWorkload, secrets: [SecretDeclaration]) -> Bool {
        workload.pod.allContainers.flatMap(\.env).contains { env in
            guard case .secret(let name, let secretKey) = env.source else { return false }
            return secrets.contains { $0.name == name && $0.keys[secretKey] == key }
        }
    }

    /// A `0.0.0.0:<port>` listen address in the workload's arguments, env values or the files of
    /// the ConfigMaps its pods mount, if any.
    static func allAddressListener(_ workload: any PodWorkload, in index: ClusterIndex) -> String? {
        var texts: [String] = []
        for container in workload.pod.allContainers {
            texts += container.args + container.command
            texts += container.env.compactMap { env in if case .literal(let v) = env.source { v } else { nil } }
        }
        let mounted = Set(
            workload.pod.volumes.compactMap { volume -> String? in
                if case .configMap(let name, _) = volume.source { name } else { nil }
            })
        for object in index.objects {
            guard case .configMap(let map) = object.payload, mounted.contains(map.name) else { continue }
            texts += map.data.values
            texts += map.files.values.map(ConfigFiles.render)
        }
        for text in texts {
            if let match = text.firstMatch(of: #/0\.0\.0\.0:[0-9]+/#) { return String(match.0) }
        }
        return nil
    }
}
