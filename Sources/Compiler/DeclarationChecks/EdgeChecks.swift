import DSL
import Foundation

/// Checks across tunnels, DNS records, Access policies and hosts: the seams where the old
/// stack failed (a route to a port nobody listens on, a hostname without a record, a record
/// pointing at the wrong tunnel, a host port taken twice). Every problem is reported at the
/// declaration that is wrong, with a note at the other side.
enum EdgeChecks {
    static func run(_ index: EdgeIndex) -> [Diagnostic] {
        let fleet = index.fleet
        var out: [Diagnostic] = []
        out += Diagnostic.duplicates(.duplicateObject, "host", in: fleet.hosts, name: \.node, location: \.location)
        for host in fleet.hosts { out += hostProblems(host, index: index) }
        out += hostPortConflicts(index)
        for cloudflare in fleet.cloudflare { out += zoneProblems(cloudflare, index: index) }
        for case .firewall(let extra) in fleet.repeated {
            out.append(.secondFirewall(network: extra.network, at: extra.location, first: fleet.firewall?.location))
        }
        if let firewall = fleet.firewall { out += firewallProblems(firewall, index: index) }
        out += ApplicationStateChecks.run(index)
        out += TunnelConnectors.problems(index)
        let tunnels = fleet.cloudflare.flatMap(\.tunnels)
        out += Diagnostic.duplicates(.duplicateObject, "tunnel", in: tunnels, name: \.name, location: \.location)
        // A node has one /etc/cloudflared/config.yaml: one local tunnel each.
        let local = tunnels.compactMap { t -> (node: String, tunnel: Tunnel)? in
            if case .local(let node, _) = t.management { (node, t) } else { nil }
        }
        out += Diagnostic.duplicates(
            .duplicateObject, "local tunnel on node", in: local, name: \.node, location: \.tunnel.location)
        // Two tunnels with one ID would be one tunnel whose connectors answer each other's
        // hostnames (the placeholder aside, which is reported on its own).
        out += Diagnostic.duplicates(
            .duplicateObject, "tunnel ID", in: tunnels.filter { !$0.id.value.allSatisfy { $0 == "0" || $0 == "-" } },
            name: { $0.id.value.lowercased() }, location: \.location)
        return out
    }

    /// Whether a hostname (normalized) is routed by a tunnel or has a declared DNS record,
    /// wildcards included.
    static func servedHostnames(_ index: EdgeIndex) -> (String) -> Bool {
        let served = Set(index.routes.map(\.hostname)).union(
            index.fleet.cloudflare.flatMap(\.records).map { Hostnames.normalized($0.name) })
        let wildcards = served.filter { $0.hasPrefix("*.") }.map { String($0.dropFirst(1)) }
        return { host in served.contains(host) || wildcards.contains { host.hasSuffix($0) && host.count > $0.count } }
    }

    nonisolated(unsafe) static let urlHost = #/[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/@\s]*@)?([A-Za-z0-9.-]+)/#

    /// A firewall names a network and admits nodes the fleet declares, by the public IPv4
    /// address each declares, each once.
    static func firewallProblems(_ firewall: DatabaseFirewall, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if firewall.network.isEmpty || !firewall.network.allSatisfy({ $0.isLetter || $0.isNumber }) {
            out.append(.invalidFirewallNetwork(firewall.network, at: firewall.location))
        }
        if firewall.sources.isEmpty {
            out.append(.firewallAdmitsNothing(network: firewall.network, at: firewall.location))
        }
        for source in firewall.sources {
            if index.nodeCluster[source.node] == nil {
                out.append(.unknownFirewallNode(source.node, at: source.location))
            }
            guard let ip = source.publicIP else {
                out.append(.firewallNodeWithoutIP(source.node, at: source.location))
                continue
            }
            if CIDR.ipv4(ip) == nil {
                out.append(.invalidPublicIP(ip, node: source.node, at: source.location))
            }
            if source.description.isEmpty || controlCharacterProblem(source.description) != nil {
                out.append(.firewallSourceWithoutDescription(source.node, at: source.location))
            }
        }
        out += Diagnostic.duplicates(
            .duplicateObject, "firewall source", in: firewall.sources, name: { $0.publicIP ?? $0.node },
            location: \.location)
        return out
    }

    // MARK: Hosts

    /// Units a host already has (the distribution's, Docker's, K3s', Tailscale's): a host
    /// service with one of these names would replace it when the folder is installed.
    static let hostOwnedUnits: Set<String> = [
        "docker", "containerd", "ssh", "sshd", "cron", "rsyslog", "k3s", "k3s-agent", "kubelet", "tailscaled",
        "cloudflared", "systemd-networkd", "systemd-resolved", "systemd-timesyncd", "networking", "network-online",
        "nvidia-persistenced", "multi-user", "getty", "dbus", "ufw", "apparmor",
    ]

    /// Why a text cannot be one line of a unit file, a DNS record or a name: a control
    /// character (in a unit, a newline would start a new key or section: systemd.syntax(7)).
    static func controlCharacterProblem(_ value: String) -> String? {
        guard let bad = value.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return
            "holds the control character U+\(String(format: "%04X", bad.value)), which systemd unit files cannot carry"
    }

    static func hostProblems(_ host: DSL.Host, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if index.nodeCluster[host.node] == nil {
            out.append(.unknownHostNode(host.node, known: Array(index.nodeCluster.keys), at: host.location))
        }
        let units = (index.services[host.node] ?? []).map(\.service)
        out += Diagnostic.duplicates(
            .duplicateObject, "host service on '\(host.node)'", in: units, name: \.name, location: \.location)
        for service in host.services {
            let what = "host service '\(service.name)'"
            if let problem = NameRule.dnsLabel.violation(service.name) {
                out.append(
                    .invalidName("host service", service.name, rule: .dnsLabel, problem: problem, at: service.location))
            } else if hostOwnedUnits.contains(service.name) || service.name.hasPrefix("systemd-") {
                out.append(.hostOwnedUnit(service.name, at: service.location))
            }
            // Every value that reaches the unit file is one line of text.
            let texts =
                [("description", service.description)] + service.requires.map { ("Requires=", $0) }
                + (service.exec + (service.stop ?? []) + service.preStart.flatMap { $0 }).map {
                    ("command argument", $0)
                }
            for (field, text) in texts {
                if let problem = controlCharacterProblem(text) {
                    out.append(
                        .unrepresentableUnitValue(
                            text, field: field, service: service.name, problem: problem,
                            at: service.location))
                }
            }
            for unit in service.requires where controlCharacterProblem(unit) == nil {
                let suffixes = [
                    ".service", ".target", ".socket", ".mount", ".device", ".path", ".timer", ".slice", ".scope",
                    ".swap", ".automount",
                ]
                if !suffixes.contains(where: unit.hasSuffix) || unit.contains(where: { $0 == " " || $0 == "/" }) {
                    out.append(.invalidUnitDependency(unit, service: service.name, at: service.location))
                }
            }
            for command in [service.exec, service.stop ?? []] + service.preStart where !command.isEmpty {
                if !command[0].hasPrefix("/") {
                    out.append(.relativeHostCommand(command[0], service: service.name, at: service.location))
                }
            }
            if let image = service.image {
                let syntax = APIValueChecks.imageSyntax(image, owner: what, at: service.location)
                out += syntax.isEmpty ? PodChecks.pinned(image, owner: what, at: service.location) : syntax
                if image.reference.hasPrefix("-") {
                    out.append(.invalidImage(image.reference, owner: what, at: service.location))
                }
            }
            for volume in service.volumes {
                let parts = volume.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count != 2 || !parts[0].hasPrefix("/") || !parts[1].hasPrefix("/") {
                    out.append(.invalidBind(volume, service: service.name, at: service.location))
                }
            }
            if service.exec.isEmpty {
                out.append(.missingHostCommand(service: service.name, at: service.location))
            }
            if !["no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"].contains(
                service.restart)
            {
                out.append(.invalidRestart(service.restart, service: service.name, at: service.location))
            }
            if service.restartSeconds < 0 {
                out.append(.negativeRestartDelay(service.restartSeconds, service: service.name, at: service.location))
            }
            for port in service.ports where !(1...65535).contains(port.port) {
                out.append(.invalidPort(port.port, "\(what) port '\(port.name)'", at: service.location))
            }
            out += Diagnostic.duplicates(
                .duplicateObject, "port name of \(what)", in: service.ports,
                name: \.name, location: { _ in service.location })
        }
        return out
    }

    /// Ports taken on a node's network: host services (and local tunnels' metrics), and
    /// every hostNetwork pod or hostPort that may run there (a DaemonSet or an unpinned pod
    /// on every node of its cluster, a pinned one on its node).
    static func hostPortConflicts(_ index: EdgeIndex) -> [Diagnostic] {
        struct Taker {
            var what: String
            var location: SourceLocation
        }
        var taken: [String: [Int: Taker]] = [:]
        var out: [Diagnostic] = []
        func take(_ node: String, _ port: Int, _ taker: Taker) {
            if let first = taken[node]?[port] {
                out.append(
                    .hostPortConflict(
                        port, node: node, taker: taker.what, first: first.what, at: taker.location,
                        firstDeclared: first.location))
            } else {
                taken[node, default: [:]][port] = taker
            }
        }
        for clusterIndex in index.clusters.values.sorted(by: { $0.cluster.name < $1.cluster.name }) {
            let allNodes = clusterIndex.nodes.keys.sorted()
            for object in clusterIndex.objects {
                guard let workload = object.workload else { continue }
                let nodes: [String]
                if case .node(let pinned)? = workload.pod.placement?.rule { nodes = [pinned] } else { nodes = allNodes }
                for container in workload.pod.allContainers {
                    for port in container.ports {
                        let number = workload.pod.hostNetwork ? port.number : port.hostPort
                        guard let number else { continue }
                        let taker = Taker(
                            what:
                                "\(object.id.kind) '\(object.id.namespace ?? "")/\(workload.name)' (port '\(port.name)')",
                            location: port.location)
                        for node in nodes { take(node, number, taker) }
                    }
                }
            }
        }
        for node in index.services.keys.sorted() {
            for declared in index.services[node] ?? [] {
                for port in declared.service.ports {
                    let what =
                        declared.tunnel.map { "the metrics of tunnel '\($0.name)'" }
                        ?? "host service '\(declared.service.name)' (port '\(port.name)')"
                    take(node, port.port, Taker(what: what, location: declared.service.location))
                }
            }
        }
        return out
    }

    // MARK: Zone, tunnels, records, Access

    static func zoneProblems(_ zone: Cloudflare, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let needed = !zone.tunnels.isEmpty || !zone.records.isEmpty || !zone.accessPolicies.isEmpty
        if let problem = Hostnames.problem(zone.zone, wildcard: false)
            ?? (zone.zone != zone.zone.lowercased()
                ? "has upper-case letters; Cloudflare stores names in lower case" : nil)
        {
            out.append(.invalidZone(zone.zone, problem: problem, at: zone.location))
        }
        if needed {
            out += identifier(zone.accountId, format: .hex32, what: "Cloudflare account ID", at: zone.location)
            out += identifier(zone.zoneId, format: .hex32, what: "ID of zone '\(zone.zone)'", at: zone.location)
        }
        for tunnel in zone.tunnels {
            out += tunnelProblems(tunnel, zone: zone, index: index)
        }
        out += recordProblems(zone, index: index)
        out += accessProblems(zone, index: index)
        return out
    }

    enum IdentifierFormat { case hex32, uuid }

    /// An ID from a setting: empty is an error naming the setting, a malformed one too, the
    /// all-zero placeholder a warning (nothing can be deployed with it). Each says how to fix it.
    static func identifier(
        _ id: SettingRead<String>, format: IdentifierFormat, what: String, at location: SourceLocation
    ) -> [Diagnostic] {
        identifierProblems(id, format: format, what: what, at: location).map { $0.blaming(id.key) }
    }

    static func identifierProblems(
        _ id: SettingRead<String>, format: IdentifierFormat, what: String, at location: SourceLocation
    ) -> [Diagnostic] {
        let value = id.value
        let readAt: [Diagnostic.Note] = id.location == location ? [] : [.init("read here", at: id.location)]
        let shape =
            format == .hex32 ? "32 lower-case hexadecimal digits" : "a lower-case UUID (8-4-4-4-12 hexadecimal digits)"
        let fix = "set '\(id.key): <\(format == .hex32 ? "32 hex digits" : "uuid")>' in settings.yaml"
        guard !value.isEmpty else {
            return [.emptySetting(id.key, what: what, fix: fix, at: location, notes: readAt)]
        }
        let hex = value.unicodeScalars.filter { "0123456789abcdef".unicodeScalars.contains($0) }.count
        let wellFormed: Bool
        switch format {
        case .hex32: wellFormed = value.count == 32 && hex == 32
        case .uuid:
            let groups = value.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
            wellFormed = groups == [8, 4, 4, 4, 12] && hex == 32
        }
        guard wellFormed else {
            return [
                .malformedCloudflareID(
                    value, setting: id.key, what: what, shape: shape, at: location,
                    notes: readAt)
            ]
        }
        if value.allSatisfy({ $0 == "0" || $0 == "-" }) {
            return [.placeholderSetting(value, setting: id.key, what: what, fix: fix, at: location, notes: readAt)]
        }
        return []
    }

    static func tunnelProblems(_ tunnel: Tunnel, zone: Cloudflare, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if let problem = NameRule.dnsLabel.violation(tunnel.name) {
            out.append(.invalidName("tunnel", tunnel.name, rule: .dnsLabel, problem: problem, at: tunnel.location))
        }
        out += identifier(tunnel.id, format: .uuid, what: "UUID of tunnel '\(tunnel.name)'", at: tunnel.location)
        switch tunnel.management {
        case .remote(let cluster):
            if index.clusters[cluster] == nil {
                out.append(.unknownTunnelCluster(cluster, tunnel: tunnel.name, at: tunnel.location))
            }
        case .local(let node, let metricsPort):
            if index.nodeCluster[node] == nil {
                out.append(.unknownTunnelNode(node, tunnel: tunnel.name, at: tunnel.location))
            }
            if !(1...65535).contains(metricsPort) {
                out.append(.invalidPort(metricsPort, "tunnel '\(tunnel.name)' metrics port", at: tunnel.location))
            }
        }
        if let target = tunnel.dnsTarget, !target.value.isEmpty, !tunnel.id.value.isEmpty {
            let expected = "\(tunnel.id.value).cfargotunnel.com"
            if Hostnames.normalized(target.value) != expected {
                let wrong = Diagnostic.wrongDNSTarget(
                    target.value, setting: target.key, tunnel: tunnel.name,
                    expected: expected, at: tunnel.location, readAt: target.location)
                out.append(wrong.blaming(target.key))
            }
        }
        out += IngressRules.problems(tunnel, zone: zone.zone)
        for rule in tunnel.ingress {
            if case .unresolved(let why) = index.target(of: rule, in: tunnel) {
                out.append(
                    .unknownRouteTarget(
                        rule.hostname ?? "the catch-all", tunnel: tunnel.name, why: why,
                        at: rule.location))
            }
            if case .url(let url) = rule.service, let why = urlTarget(url, tunnel: tunnel, index: index) {
                out.append(
                    .unknownRouteTarget(
                        rule.hostname ?? "the catch-all", tunnel: tunnel.name, why: why,
                        at: rule.location, subject: url))
            }
        }
        return out
    }

    /// A URL target that names something the fleet declares must find it: a
    /// `<service>.<namespace>.svc[.cluster.local]` host in the tunnel's cluster, a
    /// `localhost` port among the node's host services.
    static func urlTarget(_ url: String, tunnel: Tunnel, index: EdgeIndex) -> String? {
        guard let parsed = EdgeIndex.ServiceURL(url) else { return nil }
        let host = parsed.host
        switch tunnel.management {
        case .local(let node, _):
            guard parsed.isLoopback else {
                return parsed.isClusterName
                    ? "'\(host)' is a cluster name, which a host's cloudflared cannot resolve" : nil
            }
            guard let port = parsed.port else { return "'\(url)' names no port on node '\(node)'" }
            let listening = (index.services[node] ?? []).filter { $0.tunnel == nil }
            guard let owner = listening.first(where: { $0.service.ports.contains { $0.port == port } }) else {
                return "nothing on node '\(node)' listens on port \(port) (declare the host service)"
            }
            // Docker publishes a loopback port on 127.0.0.1 only: ::1 does not reach it.
            if host == "::1" || host == "::", owner.service.image != nil,
                owner.service.ports.contains(where: { $0.port == port && $0.loopback })
            {
                return
                    "host service '\(owner.service.name)' publishes port \(port) on 127.0.0.1 only; route to http://localhost:\(port)"
            }
            return nil
        case .remote(let cluster):
            if parsed.isLoopback {
                return "'\(host)' in a remote tunnel is the cloudflared pod itself; route to a Service"
            }
            guard let service = parsed.clusterService, let clusterIndex = index.clusters[cluster] else { return nil }
            guard let ports = index.servicePorts(service.name, namespace: service.namespace, in: clusterIndex) else {
                return "Service '\(service.namespace)/\(service.name)' is not declared in cluster '\(cluster)'"
            }
            guard let port = parsed.port, ports.contains(where: { $0.port == port }) else {
                return
                    "Service '\(service.namespace)/\(service.name)' has no port \(parsed.port.map(String.init) ?? "(none given)")"
            }
            return nil
        }
    }

    /// Each routed hostname has exactly one record: two tunnels may not serve one name, and a
    /// declared record may not take a routed name; a record into a tunnel must be for a
    /// hostname that tunnel serves.
    static func recordProblems(_ zone: Cloudflare, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var servedBy: [String: (tunnel: Tunnel, rule: TunnelIngressRule)] = [:]
        for tunnel in zone.tunnels {
            var own: Set<String> = []
            for rule in tunnel.ingress {
                guard let host = rule.routedHostname?.lowercased(), own.insert(host).inserted else { continue }
                if let first = servedBy[host] {
                    out.append(
                        .hostnameRoutedTwice(
                            host, tunnel: tunnel.name, firstTunnel: first.tunnel.name,
                            at: rule.location, first: first.rule.location))
                } else {
                    servedBy[host] = (tunnel, rule)
                }
            }
        }
        out += Diagnostic.duplicates(
            .duplicateDNSRecord, "DNS record", in: zone.records,
            name: { "\($0.type) \(Hostnames.normalized($0.name)) \($0.content)" }, location: \.location)
        var byName: [String: [DNSRecordDeclaration]] = [:]
        for record in zone.records { byName[Hostnames.normalized(record.name), default: []].append(record) }
        for record in zone.records {
            let name = Hostnames.normalized(record.name)
            let type = record.type.uppercased()
            if let problem = recordContentProblem(type: type, content: record.content) {
                out.append(
                    .invalidDNSRecord(
                        record.name, problem: problem, content: record.content,
                        at: record.location))
            }
            if record.proxied && !["A", "AAAA", "CNAME"].contains(type) {
                out.append(.proxiedRecordType(record.name, type: type, declaredType: record.type, at: record.location))
            }
            // A CNAME stands alone at its name (RFC 1034 3.6.2; Cloudflare refuses A/AAAA beside it).
            let others = (byName[name] ?? []).filter { $0.location != record.location }
            if type == "CNAME", let other = others.first {
                out.append(
                    .cnameNotAlone(
                        name, otherType: other.type.uppercased(), declaredName: record.name,
                        at: record.location, other: other.location))
            }
            if let problem = Hostnames.problem(name, wildcard: true) {
                out.append(.invalidRecordName(record.name, problem: problem, at: record.location))
            } else if !Hostnames.inside(name, zone: zone.zone) {
                out.append(.recordOutsideZone(record.name, zone: zone.zone, at: record.location))
            }
            if let route = servedBy[name], ["CNAME", "A", "AAAA"].contains(record.type.uppercased()) {
                out.append(
                    .recordTakesRoutedName(
                        name, type: record.type, tunnel: route.tunnel.name,
                        declaredName: record.name, at: record.location,
                        routed: route.rule.location))
            }
            let content = Hostnames.normalized(record.content)
            if content.hasSuffix(".cfargotunnel.com") {
                let id = String(content.dropLast(".cfargotunnel.com".count))
                let owner = zone.tunnels.first { $0.id.value.lowercased() == id }
                if let owner, !owner.ingress.contains(where: { $0.hostname?.lowercased() == name }) {
                    out.append(
                        .recordIntoWrongTunnel(
                            name, tunnel: owner.name, content: record.content,
                            at: record.location, tunnelDeclared: owner.location))
                } else if owner == nil {
                    out.append(.recordIntoUnknownTunnel(name, id: id, content: record.content, at: record.location))
                }
            }
        }
        return out
    }

    static let recordTypes: Set<String> = [
        "A", "AAAA", "CNAME", "TXT", "MX", "CAA", "NS", "SRV", "HTTPS", "SVCB", "PTR",
    ]

    /// What Cloudflare refuses in a declared record's content (code 9005 and kin).
    static func recordContentProblem(type: String, content: String) -> String? {
        guard recordTypes.contains(type) else {
            return "has type '\(type)'; the fleet declares \(recordTypes.sorted().joined(separator: ", "))"
        }
        switch type {
        case "A": return CIDR.ipv4(content) == nil ? "is an A record, but '\(content)' is not an IPv4 address" : nil
        case "AAAA":
            return CIDR.ipv6(content) == nil ? "is an AAAA record, but '\(content)' is not an IPv6 address" : nil
        case "CNAME", "NS", "PTR":
            return Hostnames.problem(Hostnames.normalized(content), wildcard: false).map {
                "is a \(type) record, but its target '\(content)' \($0)"
            }
        default: return content.isEmpty ? "has no content" : controlCharacterProblem(content).map { "content \($0)" }
        }
    }

    /// Every routed hostname is protected by exactly one Access policy unless its rule says it
    /// is public on purpose; a policy protects a routed hostname and admits someone declared.
    static func accessProblems(_ zone: Cloudflare, index: EdgeIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let routes = zone.tunnels.flatMap { tunnel in tunnel.ingress.filter { $0.routedHostname != nil } }
        let routed = Dictionary(routes.map { ($0.routedHostname!.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let policies = Dictionary(
            zone.accessPolicies.map { ($0.hostname.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        out += Diagnostic.duplicates(
            .duplicateObject, "Access policy", in: zone.accessPolicies, name: { $0.hostname.lowercased() },
            location: \.location)
        let declaredTokens = Set(zone.serviceTokens.map(\.name))
        out += Diagnostic.duplicates(
            .duplicateObject, "Access service token", in: zone.serviceTokens, name: \.name, location: \.location)
        for token in zone.serviceTokens
        where token.name.isEmpty || controlCharacterProblem(token.name) != nil || token.name.count > 255 {
            out.append(.invalidServiceTokenName(token.name, at: token.location))
        }
        for policy in zone.accessPolicies {
            let host = policy.hostname.lowercased()
            if let rule = routed[host] {
                if rule.publicReason != nil {
                    out.append(.accessPolicyOnPublicRoute(host, at: policy.location, markedPublic: rule.location))
                }
            } else {
                out.append(.accessWithoutRoute(host, routed: Array(routed.keys), at: policy.location))
            }
            if policy.serviceTokens.isEmpty && policy.emails.isEmpty {
                out.append(.accessPolicyAdmitsNobody(host, at: policy.location))
            }
            for token in policy.serviceTokens where !declaredTokens.contains(token.name) {
                out.append(
                    .undeclaredServiceToken(
                        token.name, host: host, at: policy.location,
                        created: token.location))
            }
            out += Diagnostic.duplicates(
                .duplicateObject, "e-mail address of the Access policy for '\(host)'", in: policy.emails,
                name: { $0.lowercased() }, location: { _ in policy.location })
            if policy.sessionSeconds > 8_760 * 3600 {
                out.append(
                    .invalidSessionDuration(
                        policy.sessionSeconds, host: host,
                        rule: "at most 8760 hours (one year)", at: policy.location))
            }
            for email in policy.emails where !Hostnames.isEmail(email) {
                out.append(.invalidAccessEmail(email, host: host, at: policy.location))
            }
            if policy.sessionSeconds <= 0 {
                out.append(
                    .invalidSessionDuration(
                        policy.sessionSeconds, host: host,
                        rule: "a positive number of seconds", at: policy.location))
            }
        }
        for rule in routes where policies[rule.routedHostname!.lowercased()] == nil && rule.publicReason == nil {
            out.append(.unprotectedHostname(rule.hostname!, at: rule.location))
        }
        return out
    }
}

/// DNS names as Cloudflare and cloudflared compare them: lower-case, no trailing dot.
enum Hostnames {
    static func normalized(_ name: String) -> String {
        var n = name.lowercased()
        while n.hasSuffix(".") { n.removeLast() }
        return n
    }

    /// Is `name` the zone or below it?
    static func inside(_ name: String, zone: String) -> Bool {
        let n = normalized(name)
        let z = normalized(zone)
        return n == z || n.hasSuffix("." + z)
    }

    /// Why `name` is not a DNS name (RFC 1123 labels of letters, digits and '-', at most 63
    /// characters each and 253 in all); with `wildcard`, a leading `*.` is allowed.
    static func problem(_ name: String, wildcard: Bool) -> String? {
        var rest = Substring(name)
        if wildcard, rest.hasPrefix("*.") { rest = rest.dropFirst(2) }
        guard !rest.isEmpty else { return "is empty" }
        guard rest.count <= 253 else { return "is longer than 253 characters" }
        for label in rest.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "has an empty label" }
            guard label.count <= 63 else { return "has a label longer than 63 characters" }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                return "may hold only letters, digits, '-' and '.'"
            }
            guard label.first != "-", label.last != "-" else { return "has a label that starts or ends with '-'" }
        }
        return nil
    }

    /// A plain `local@domain` address (what Access `email` rules take).
    static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[0].contains(where: \.isWhitespace)
            && problem(String(parts[1]), wildcard: false) == nil && parts[1].contains(".")
    }
}

extension Tree {
    /// Calls `body` with every string value (not keys) in the tree, depth first.
    func forEachString(_ body: (String) -> Void) {
        switch self {
        case .string(let s): body(s)
        case .list(let items): for item in items { item.forEachString(body) }
        case .map(let entries): for entry in entries { entry.value.forEachString(body) }
        default: break
        }
    }
}
