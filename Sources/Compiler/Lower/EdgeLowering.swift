import CloudState
import DSL
import Rendering

/// Lowers the checked edge: each node's host files and systemd units (`hosts/`), and the
/// Cloudflare desired state (`cloud/`): one proxied CNAME per routed hostname, the remote
/// tunnels' ingress configurations and the Access applications.
enum EdgeLowering {
    // MARK: Hosts

    static func hosts(_ edge: EdgeIndex) -> [HostIR] {
        let declared = Dictionary(edge.fleet.hosts.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        let localTunnels = edge.fleet.cloudflare.flatMap(\.tunnels).filter {
            if case .local = $0.management { true } else { false }
        }
        return edge.services.keys.sorted().compactMap { node -> HostIR? in
            let services = edge.services[node] ?? []
            guard !services.isEmpty else { return nil }
            let tunnels = localTunnels.filter { if case .local(node, _) = $0.management { true } else { false } }
            let files = tunnels.map { tunnel in
                HostFileIR(
                    installPath: EdgeIndex.configPath, syntax: .yaml, contents: localConfig(tunnel, edge: edge),
                    origin: tunnel.location)
            }
            let units = services.map { unit($0.service) }
            let listens = services.map { declared in
                HostServiceIR(
                    name: declared.service.name, unit: "\(declared.service.name).service",
                    listens: declared.service.ports.map { .init(name: $0.name, port: $0.port) })
            }
            let location = declared[node]?.location ?? tunnels.first?.location ?? services[0].service.location
            return HostIR(node: node, files: files, units: units, services: listens, location: location)
        }
    }

    /// `systemd.unit(5)` / `systemd.service(5)`: ordering on the network being up (and on the
    /// units it requires), restart policy, enabled for `multi-user.target`.
    static func unit(_ service: HostService) -> SystemdUnitIR {
        let after = (["network-online.target"] + service.requires).joined(separator: " ")
        var unitSection: [(key: String, value: String)] = [
            ("Description", SystemdRenderer.text(service.description)),
            ("Wants", "network-online.target"),
        ]
        if !service.requires.isEmpty { unitSection.append(("Requires", service.requires.joined(separator: " "))) }
        unitSection.append(("After", after))
        var serviceSection: [(key: String, value: String)] = [("Type", "simple")]
        for command in service.preStart {
            serviceSection.append(("ExecStartPre", SystemdRenderer.commandLine(command, prefix: "-")))
        }
        serviceSection.append(("ExecStart", SystemdRenderer.commandLine(service.exec)))
        if let stop = service.stop { serviceSection.append(("ExecStop", SystemdRenderer.commandLine(stop))) }
        serviceSection += [("Restart", service.restart), ("RestartSec", String(service.restartSeconds))]
        return SystemdUnitIR(
            name: "\(service.name).service",
            sections: [
                .init(name: "Unit", entries: unitSection),
                .init(name: "Service", entries: serviceSection),
                .init(name: "Install", entries: [("WantedBy", "multi-user.target")]),
            ], origin: service.location)
    }

    /// A locally managed tunnel's `config.yaml` (cloudflared config/configuration.go keys):
    /// the tunnel's UUID, the absolute credentials file (installed by hand, never in git),
    /// metrics on loopback, and the ingress rules with Go durations for timeouts.
    static func localConfig(_ tunnel: Tunnel, edge: EdgeIndex) -> Tree {
        guard case .local(_, let metricsPort) = tunnel.management else { return [:] }
        return CloudflaredConfig(
            tunnel: tunnel.id.value, credentialsFile: EdgeIndex.credentialsPath(tunnel),
            metrics: "127.0.0.1:\(metricsPort)",
            ingress: ingress(tunnel, edge: edge).map { rule in
                CloudflaredConfig.Rule(
                    hostname: rule.hostname, path: rule.path, service: rule.service,
                    originRequest: rule.originRequest.map { originRequestTree($0, durations: true) })
            }
        ).tree
    }

    static func originRequestTree(_ o: OriginRequestSettings, durations: Bool) -> Tree {
        var m = MapBuilder()
        func seconds(_ value: Int?) -> Tree? { value.map { durations ? .string("\($0)s") : .int($0) } }
        m.set("connectTimeout", seconds(o.connectTimeout))
        m.set("tlsTimeout", seconds(o.tlsTimeout))
        m.set("keepAliveTimeout", seconds(o.keepAliveTimeout))
        m.set("noTLSVerify", o.noTLSVerify.map(Tree.bool))
        m.set("originServerName", o.originServerName)
        m.set("httpHostHeader", o.httpHostHeader)
        m.set("caPool", o.caPool)
        m.set("http2Origin", o.http2Origin.map(Tree.bool))
        return m.tree
    }

    // MARK: Cloudflare

    static func ingress(_ tunnel: Tunnel, edge: EdgeIndex) -> [CloudState.IngressRule] {
        tunnel.ingress.map { rule in
            let service: String
            switch edge.target(of: rule, in: tunnel) {
            case .resolved(let url): service = url
            case .unresolved: service = ""  // unreachable: the checks refuse an unresolved target
            }
            let o = rule.originRequest
            return CloudState.IngressRule(
                hostname: rule.isCatchAll ? nil : rule.hostname, path: rule.path.flatMap { $0.isEmpty ? nil : $0 },
                service: service,
                originRequest: o.isEmpty
                    ? nil
                    : OriginRequestSettings(
                        connectTimeout: o.connectTimeoutSeconds, tlsTimeout: o.tlsTimeoutSeconds,
                        keepAliveTimeout: o.keepAliveTimeoutSeconds, noTLSVerify: o.noTLSVerify,
                        originServerName: o.originServerName, httpHostHeader: o.httpHostHeader, caPool: o.caPool,
                        http2Origin: o.http2Origin))
        }
    }

    /// Every tunnel of every zone with its routes resolved, in declaration order.
    static func tunnels(_ edge: EdgeIndex) -> [TunnelIR] {
        edge.fleet.cloudflare.flatMap { zone in
            let policies = Dictionary(
                zone.accessPolicies.map { (Hostnames.normalized($0.hostname), $0) }, uniquingKeysWith: { a, _ in a })
            return zone.tunnels.map { tunnel in
                let resolved = ingress(tunnel, edge: edge)
                let routes = zip(tunnel.ingress, resolved).map { rule, lowered in
                    let host = rule.routedHostname.map(Hostnames.normalized)
                    let policy = host.flatMap { policies[$0] }
                    return TunnelIR.Route(
                        hostname: host, path: lowered.path, service: lowered.service,
                        endpoint: edge.endpoint(of: rule, in: tunnel),
                        dnsTarget: host == nil ? nil : EdgeIndex.dnsTarget(tunnel),
                        admits: (policy?.serviceTokens.map(\.name) ?? []).sorted() + (policy?.emails ?? []).sorted(),
                        publicReason: rule.publicReason, location: rule.location)
                }
                let (management, runsOn): (String, String) =
                    switch tunnel.management {
                    case .remote(let cluster): ("remote", cluster)
                    case .local(let node, _): ("local", node)
                    }
                return TunnelIR(
                    name: tunnel.name, id: tunnel.id.value, management: management, runsOn: runsOn, routes: routes,
                    location: tunnel.location)
            }
        }
    }

    /// The first zone's desired state (a fleet declares one account and zone).
    static func cloudflare(_ edge: EdgeIndex) -> CloudflareState {
        guard let zone = edge.fleet.cloudflare.first else { return CloudflareState() }
        var records: [DNSRecord] = []
        var named: Set<String> = []
        var targetSettings: [String: String] = [:]
        for tunnel in zone.tunnels {
            // The setting a placeholder target comes from: the DNS target when one is set, else the ID.
            let setting = tunnel.dnsTarget.flatMap { $0.value.isEmpty ? nil : $0.key } ?? tunnel.id.key
            for rule in tunnel.ingress {
                guard let host = rule.routedHostname.map(Hostnames.normalized), named.insert(host).inserted else {
                    continue
                }
                targetSettings[host] = setting
                records.append(DNSRecord(type: "CNAME", name: host, content: EdgeIndex.dnsTarget(tunnel)))
            }
        }
        for record in zone.records {
            let proxied = record.proxied
            records.append(
                DNSRecord(
                    type: record.type.uppercased(), name: Hostnames.normalized(record.name), content: record.content,
                    proxied: proxied, ttl: 1))
        }
        records.sort { ($0.name, $0.type, $0.content) < ($1.name, $1.type, $1.content) }
        let tunnels = zone.tunnels.compactMap { tunnel -> TunnelConfiguration? in
            guard case .remote = tunnel.management else { return nil }
            return TunnelConfiguration(
                tunnelId: tunnel.id.value, name: tunnel.name, ingress: ingress(tunnel, edge: edge),
                idSetting: tunnel.id.key)
        }
        let access = zone.accessPolicies.map { policy in
            AccessApplication(
                name: Hostnames.normalized(policy.hostname) + AccessApplication.ownershipSuffix,
                domain: Hostnames.normalized(policy.hostname),
                sessionDurationSeconds: policy.sessionSeconds, serviceTokens: policy.serviceTokens.map(\.name).sorted(),
                emails: policy.emails.sorted())
        }.sorted { $0.domain < $1.domain }
        var state = CloudflareState(
            accountId: zone.accountId.value, zoneName: Hostnames.normalized(zone.zone), zoneId: zone.zoneId.value,
            apiToken: SecretReference(escKey: zone.apiTokenKey), dnsRecords: records,
            tunnels: tunnels.sorted { $0.name < $1.name }, accessApplications: access,
            dnsTargetSettings: targetSettings.isEmpty ? nil : targetSettings)
        state.privateRoutes = zone.privateRoutes.compactMap { route -> PrivateRoute? in
            guard let tunnel = zone.tunnels.first(where: { $0.name == route.tunnel }) else { return nil }
            return PrivateRoute(
                network: route.network, tunnelId: tunnel.id.value, tunnelName: tunnel.name,
                description: route.comment)
        }.sorted { $0.network < $1.network }
        return state
    }
}
