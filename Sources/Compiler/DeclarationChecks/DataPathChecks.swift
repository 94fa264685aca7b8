import DSL
import Foundation

/// Data paths: every address a workload is configured to reach is reachable under the
/// NetworkPolicies that select its pods.
///
/// Kubernetes semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
/// a pod is isolated for egress once any NetworkPolicy with `Egress` in its policyTypes selects
/// it; an isolated pod may open a connection when any selecting policy's egress rule allows it
/// (policies are additive; rules are ORed, a rule's peers and ports are both required). A pod no
/// such policy selects may reach anything. Policies apply to pod traffic after a Service's
/// address is translated, so a rule allows a Service by its pods and their target ports.
///
/// The addresses: URLs (`scheme://[user@]host[:port]`) and `*.svc[.<domain>]` names in env
/// literals; URLs and `host:port` pairs in args and command (socat's `TCP:host:5432`); an env
/// taken from a Secret whose template writes a literal host (`…@egress-db-proxy.apps.svc…:5432`);
/// and an env taken from a Secret key fetched as it is from an ESC key. Such a value is known
/// only by its ESC key: one a database declares (`ConnectionURL`), or a key that starts with a
/// declared database's name and ends in `url` (`cleandataDbUrl`, `cleandata_postgraphile_url`),
/// holds that database's URL, on the host the `DatabaseFirewall` declares (`host:`, the
/// CrunchyBridge host) and PostgreSQL's port 5432; other fetched keys (tokens)
/// are not addresses. An `http(s)://` URL goes to the container's `HTTP(S)_PROXY` instead
/// unless `NO_PROXY` names it (the proxy's own URL is checked as an address). A host outside
/// the cluster (a public name or address) is reachable only through an ipBlock that covers it
/// (a host name: one covering every public address, `0.0.0.0/0` whose excepts are private);
/// an ipBlock is not taken to cover pods. Services a HelmRelease provides, names the fleet does
/// not declare and private addresses are not judged.
///
/// When blocked, the diagnostic names the address, the policy that isolates the pods (noted at
/// its line) and a path that works: a declared Service whose pods may reach the address and
/// which the workload may reach (the egress gateway, the DB proxy), or the rule to add.
enum DataPathChecks {
    /// One address a container is configured to reach.
    struct Address {
        /// How the message shows it: `host:port`, and what it is when known.
        var shown: String
        var host: String
        /// nil: any port (a name without one).
        var port: Int?
        var scheme: String?
        /// What configures it: "env 'DATABASE_URL'".
        var via: String
        var location: SourceLocation
    }

    /// Where an address leads.
    enum Destination {
        /// The pods of a declared Service, with the container ports the address may reach.
        case service(Service, namespace: String, pods: [any PodWorkload], ports: [(number: Int, name: String?)])
        /// Outside the cluster: a public address (nil: a host name, any public address).
        case outside(CIDR?)
    }

    static func check(_ index: ClusterIndex, fleet: Fleet) -> [Diagnostic] {
        let domain = "cluster.local"
        var out: [Diagnostic] = []
        for object in index.objects {
            guard let workload = object.workload, let namespace = object.id.namespace, !workload.pod.hostNetwork
            else { continue }
            let selecting = policies(selecting: workload, in: namespace, index: index)
            let aliases = workload.pod.hostAliases
            for container in workload.pod.allContainers {
                for address in addresses(of: container, namespace: namespace, index: index, fleet: fleet) {
                    guard
                        let destination = resolve(
                            address, from: namespace, aliases: aliases, index: index, domain: domain)
                    else { continue }
                    if container.verifiesServerName == true,
                        let rewritten = rewrittenName(address, to: destination, aliases: aliases, container: container)
                    {
                        out.append(rewritten)
                    }
                    if container.verifiesServerName == true, let untrusted = untrustedCA(address, container: container)
                    {
                        out.append(untrusted)
                    }
                    if selecting.isEmpty || allows(selecting, from: namespace, to: destination, port: address.port) {
                        continue
                    }
                    let isolating = selecting.first { $0.policy.egress.isEmpty } ?? selecting[0]
                    let path = paths(
                        to: destination, address: address, from: workload, namespace: namespace,
                        policies: selecting, index: index, domain: domain)
                    out.append(
                        .unreachableAddress(
                            workload: "\(object.id.kind) '\(workload.name)'", via: address.via, address: address.shown,
                            policies: selecting.map(\.policy.name), isolating: isolating.policy,
                            path: path, at: address.location))
                }
            }
            if !selecting.isEmpty, let api = apiServer(of: workload, namespace: namespace, index: index),
                !allows(selecting, from: namespace, to: .outside(api.cidr), port: Node.apiServerPort)
            {
                let isolating = selecting.first { $0.policy.egress.isEmpty } ?? selecting[0]
                out.append(
                    .unreachableAddress(
                        workload: "\(object.id.kind) '\(workload.name)'", via: api.via,
                        address:
                            "the API server \(api.ip):\(Node.apiServerPort) (kubernetes.default.svc:443 after its DNAT)",
                        policies: selecting.map(\.policy.name), isolating: isolating.policy,
                        path: "allow it in a policy selecting '\(workload.name)': EgressRule(to: [.ipBlock(cidr: "
                            + "\"\(api.ip)/\(api.ip.contains(":") ? 128 : 32)\")], ports: [.tcp(\(Node.apiServerPort))]) "
                            + "(kube-router filters after the Service's DNAT: a rule for the ClusterIP never matches)",
                        at: api.location))
            }
        }
        return out
    }

    // MARK: The API server

    /// The API server a workload talks to, when it does: its pods run as a ServiceAccount that a
    /// RoleBinding binds (the token is mounted unless the pod says `automountServiceAccountToken:
    /// false`), and a server node declares its `address`. In-cluster clients dial the
    /// `kubernetes` Service (`KUBERNETES_SERVICE_HOST`, 443), whose endpoint is the server's
    /// address on 6443. K3s enforces NetworkPolicies with kube-router's controller
    /// (https://docs.k3s.io/networking/networking-services#network-policy-controller), whose
    /// filter chains run in netfilter's FORWARD/OUTPUT hooks, after kube-proxy's DNAT in
    /// PREROUTING/OUTPUT (cloudnativelabs/kube-router pkg/controllers/netpol): a policy must allow
    /// the endpoint, `<server address>:6443`, not the ClusterIP.
    static func apiServer(of workload: any PodWorkload, namespace: String, index: ClusterIndex)
        -> (ip: String, cidr: CIDR, via: String, location: SourceLocation)?
    {
        guard let account = workload.pod.serviceAccount, workload.pod.automountServiceAccountToken != false,
            let server = index.cluster.nodes.first(where: { $0.role == .server && $0.address != nil }),
            let ip = server.address, let cidr = CIDR(ip.contains(":") ? "\(ip)/128" : "\(ip)/32")
        else { return nil }
        for object in index.objects(in: namespace) {
            guard case .roleBinding(let binding) = object.payload, binding.serviceAccounts.contains(account) else {
                continue
            }
            return (
                ip, cidr, "uses the API (ServiceAccount '\(account)', bound by RoleBinding '\(binding.name)') and",
                workload.location
            )
        }
        return nil
    }

    // MARK: Policies

    typealias Selecting = (policy: NetworkPolicy, namespace: String)

    /// The egress policies of `namespace` whose podSelector matches the workload's pods.
    static func policies(selecting workload: any PodWorkload, in namespace: String, index: ClusterIndex)
        -> [Selecting]
    {
        index.objects(in: namespace).compactMap { object -> Selecting? in
            guard case .networkPolicy(let policy) = object.payload, policy.types.contains(.egress),
                matches(policy.pods, workload.podLabels)
            else { return nil }
            return (policy, namespace)
        }
    }

    static func matches(_ selector: PodSelector, _ labels: [String: String]) -> Bool {
        switch selector {
        case .all: true
        case .labels(let wanted): wanted.allSatisfy { labels[$0.key] == $0.value }
        }
    }

    /// Whether any rule of the selecting policies allows the destination on the port.
    static func allows(_ selecting: [Selecting], from namespace: String, to destination: Destination, port: Int?)
        -> Bool
    {
        selecting.contains { entry in
            entry.policy.egress.contains { rule in
                let peerOK = rule.to.isEmpty || rule.to.contains { peer(peer: $0, of: namespace, admits: destination) }
                return peerOK && portOK(rule.ports, destination: destination, port: port)
            }
        }
    }

    static func peer(peer: Peer, of namespace: String, admits destination: Destination) -> Bool {
        switch (peer, destination) {
        case (.pods(let selector), .service(_, let ns, let pods, _)):
            return ns == namespace && !pods.isEmpty && pods.allSatisfy { matches(selector, $0.podLabels) }
        case (.namespace(let name, let selector), .service(_, let ns, let pods, _)):
            return ns == name && !pods.isEmpty && pods.allSatisfy { matches(selector, $0.podLabels) }
        case (.ipBlock(let cidr, let except), .outside(let ip)):
            guard let block = CIDR(cidr) else { return false }
            let excluded = except.compactMap(CIDR.init)
            if let ip {
                return block.covers(ip) && !excluded.contains { $0.covers(ip) }
            }
            return block.prefix == 0 && excluded.allSatisfy { inner in privateRanges.contains { $0.covers(inner) } }
        default:
            return false
        }
    }

    static func portOK(_ ports: [PolicyPort], destination: Destination, port: Int?) -> Bool {
        if ports.isEmpty { return true }
        return ports.contains { allowed in
            guard allowed.proto == .tcp else { return false }
            switch destination {
            case .service(_, _, _, let targets):
                return targets.contains { target in
                    switch allowed.port {
                    case .number(let n): n == target.number
                    case .name(let name): name == target.name
                    }
                }
            case .outside:
                guard case .number(let n) = allowed.port else { return false }
                return port.map { $0 == n } ?? true
            }
        }
    }

    /// This, private, shared and loopback networks (RFC 1122, RFC 1918, RFC 6598, RFC 3927, RFC 4193): never the
    /// outside a host name resolves to.
    static let privateRanges = [
        "0.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8",
        "fc00::/7", "fe80::/10", "::1/128",
    ].compactMap(CIDR.init)

    // MARK: Addresses

    static func addresses(of container: Container, namespace: String, index: ClusterIndex, fleet: Fleet)
        -> [Address]
    {
        var out: [Address] = []
        var literal: [String: String] = [:]
        for env in container.env { if case .literal(let value) = env.source { literal[env.name] = value } }
        func proxied(_ address: Address) -> Bool {
            guard let scheme = address.scheme, scheme == "http" || scheme == "https" else { return false }
            let proxy = literal["\(scheme.uppercased())_PROXY"] ?? literal["\(scheme)_proxy"]
            guard let proxy, !proxy.isEmpty else { return false }
            let noProxy = (literal["NO_PROXY"] ?? literal["no_proxy"] ?? "").split(separator: ",")
            let host = address.host
            return !noProxy.contains { entry in
                let e = entry.trimmingCharacters(in: .whitespaces)
                if let block = CIDR(e), let ip = CIDR(host.contains(":") ? "\(host)/128" : "\(host)/32") {
                    return block.covers(ip)
                }
                return host == e || (e.hasPrefix(".") ? host.hasSuffix(e) : host.hasSuffix("." + e))
            }
        }
        for env in container.env {
            let via = "env '\(env.name)'"
            switch env.source {
            case .literal(let value):
                out += urls(in: value, via: via, at: env.location) + serviceNames(in: value, via: via, at: env.location)
            case .secret(let name, let key):
                out += secretAddress(name, key: key, namespace: namespace, via: via, at: env.location, index, fleet)
            default: break
            }
        }
        for arg in container.command + container.args {
            let via = "argument '\(arg)'"
            let found = urls(in: arg, via: via, at: container.location)
            out += found.isEmpty ? hostPorts(in: arg, via: via, at: container.location) : found
        }
        return out.filter { !proxied($0) }
    }

    /// The address an env taken from a Secret holds, when the Secret says.
    static func secretAddress(
        _ name: String, key: String, namespace: String, via: String, at location: SourceLocation,
        _ index: ClusterIndex, _ fleet: Fleet
    ) -> [Address] {
        let secret = index.objects(in: namespace).lazy.compactMap { object -> SecretDeclaration? in
            if case .secret(let s) = object.payload, s.name == name { return s }
            return nil
        }.first
        guard let secret else { return [] }
        var fetched = key
        if let template = secret.template[key] {
            let literalPart = stripPlaceholders(template)
            var found = urls(in: literalPart, via: via, at: location)
            if found.isEmpty { found = hostPorts(in: literalPart, via: via, at: location) }
            if !found.isEmpty {
                return found.map { (address: Address) -> Address in
                    var shown = address
                    shown.shown += " (Secret '\(name)' key '\(key)')"
                    return shown
                }
            }
            // Only a key passed through as it is (`{{ .url }}`) still holds the fetched value.
            let trimmed = template.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}") else { return [] }
            let inner = trimmed.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            guard inner.hasPrefix("."),
                !inner.dropFirst().contains(where: { !$0.isLetter && !$0.isNumber && $0 != "_" })
            else { return [] }
            fetched = String(inner.dropFirst())
        } else if !secret.template.isEmpty {
            return []
        }
        guard let escKey = secret.keys[fetched] else { return [] }
        let flat = escKey.lowercased().filter { $0.isLetter || $0.isNumber }
        for database in fleet.databases {
            let db = database.name.lowercased().filter { $0.isLetter || $0.isNumber }
            guard database.urls.contains(where: { $0.key == escKey }) || (flat.hasPrefix(db) && flat.hasSuffix("url"))
            else { continue }
            let host = fleet.firewall?.host ?? "the database server"
            return [
                Address(
                    shown: "\(host):5432 (database '\(database.name)', ESC key '\(escKey)')", host: host, port: 5432,
                    scheme: "postgresql", via: via, location: location)
            ]
        }
        return []
    }

    static func stripPlaceholders(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static let defaultPorts = [
        "http": 80, "https": 443, "postgres": 5432, "postgresql": 5432, "redis": 6379, "mysql": 3306,
        "amqp": 5672, "nats": 4222,
    ]

    /// `scheme://[userinfo@]host[:port]` URLs in a value; the userinfo is never shown.
    static func urls(in value: String, via: String, at location: SourceLocation) -> [Address] {
        var out: [Address] = []
        var rest = Substring(value)
        while let sep = rest.range(of: "://") {
            let schemeStart =
                rest[..<sep.lowerBound].lastIndex { !($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-") }
                .map { rest.index(after: $0) } ?? rest.startIndex
            let scheme = rest[schemeStart..<sep.lowerBound].lowercased()
            let tail = rest[sep.upperBound...]
            let end = tail.firstIndex { "/?#, \"'".contains($0) } ?? tail.endIndex
            var authority = tail[..<end]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            rest = tail[end...]
            guard let (host, port) = splitHostPort(authority), !host.isEmpty else { continue }
            let number = port ?? defaultPorts[scheme]
            out.append(
                Address(
                    shown: number.map { "\(host):\($0)" } ?? host, host: host, port: number,
                    scheme: scheme.isEmpty ? nil : scheme, via: via, location: location))
        }
        return out
    }

    static func splitHostPort(_ authority: Substring) -> (String, Int?)? {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            return (host, after.hasPrefix(":") ? Int(after.dropFirst()) : nil)
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        return (parts[0].lowercased(), parts.count == 2 ? Int(parts[1]) : nil)
    }

    /// Bare in-cluster names (`name.ns.svc`, `name.ns.svc.cluster.local`), any port.
    static func serviceNames(in value: String, via: String, at location: SourceLocation) -> [Address] {
        guard !value.contains("://") else { return [] }
        return value.split(whereSeparator: { ", ;".contains($0) }).compactMap { token in
            guard let (host, port) = splitHostPort(token), host.split(separator: ".").count >= 3,
                host.hasSuffix(".svc") || host.contains(".svc.")
            else { return nil }
            return Address(
                shown: port.map { "\(host):\($0)" } ?? host, host: host, port: port, scheme: nil, via: via,
                location: location)
        }
    }

    /// `host:port` pairs with a dotted host (socat's `TCP:db.example.com:5432`, `--db=h.example:5432`).
    static func hostPorts(in value: String, via: String, at location: SourceLocation) -> [Address] {
        let tokens = value.split(whereSeparator: { ",= @".contains($0) })
        return tokens.compactMap { token -> Address? in
            let parts = token.split(separator: ":")
            guard parts.count >= 2, let port = Int(parts[parts.count - 1]), (1...65535).contains(port) else {
                return nil
            }
            let host = parts[parts.count - 2].lowercased()
            guard host.contains("."), host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }),
                host.contains(where: \.isLetter) || CIDR("\(host)/32") != nil
            else { return nil }
            return Address(
                shown: "\(host):\(port)", host: host, port: port, scheme: nil, via: via, location: location)
        }
    }

    // MARK: Destinations

    /// Where a host leads: a declared Service's pods, the outside, or nil when the fleet cannot
    /// say (a name it does not declare, a private address, localhost).
    static func resolve(
        _ address: Address, from namespace: String, aliases: [HostAlias] = [], index: ClusterIndex, domain: String
    ) -> Destination? {
        let host = address.host.hasSuffix(".") ? String(address.host.dropLast()) : address.host
        // The pod's hostAliases come first (its /etc/hosts): a name mapped to a Service's fixed
        // ClusterIP leads to that Service's pods.
        if let alias = aliases.first(where: { $0.hostnames.contains(host) }) {
            for object in index.objects {
                if case .service(let s) = object.payload, s.clusterIP == alias.ip, let ns = object.id.namespace {
                    return destination(of: s, in: ns, port: address.port, index: index)
                }
            }
            return nil
        }
        if let ip = CIDR(host.contains(":") ? "\(host)/128" : "\(host)/32") {
            return privateRanges.contains { $0.covers(ip) } ? nil : .outside(ip)
        }
        let labels = host.split(separator: ".").map(String.init)
        var service: String?
        var ns = namespace
        if labels.count == 1 {
            service = labels[0]
        } else if labels.count >= 3, labels[2] == "svc",
            labels.count == 3 || labels.dropFirst(3).joined(separator: ".") == domain
        {
            (service, ns) = (labels[0], labels[1])
        } else if labels.count == 2, index.namespaces[labels[1]] != nil {
            (service, ns) = (labels[0], labels[1])
        } else if host == "localhost" || host.hasSuffix(".local") || host.hasSuffix(".internal")
            || host.hasSuffix(".svc") || host.contains(".svc.")
        {
            return nil
        }
        guard let service else { return host.contains(".") ? .outside(nil) : nil }
        let declared = index.objects(in: ns).lazy.compactMap { object -> Service? in
            if case .service(let s) = object.payload, s.name == service { return s }
            return nil
        }.first
        guard let declared else { return nil }
        return destination(of: declared, in: ns, port: address.port, index: index)
    }

    /// The pods of a declared Service and the container ports `port` (nil: any) reaches.
    static func destination(of declared: Service, in ns: String, port wanted: Int?, index: ClusterIndex)
        -> Destination?
    {
        guard !declared.selector.isEmpty else { return nil }
        let pods = index.workloads(in: ns).filter { w in
            declared.selector.allSatisfy { w.podLabels[$0.key] == $0.value }
        }
        guard !pods.isEmpty else { return nil }
        let used = declared.ports.filter { wanted == nil || $0.port == wanted }
        guard !used.isEmpty else { return nil }  // a port the Service lacks: ServiceChecks' concern
        var targets: [(number: Int, name: String?)] = []
        for port in used {
            for container in pods.flatMap(\.pod.containers) {
                for exposed in container.ports {
                    switch port.target {
                    case .number(let n) where n == exposed.number: targets.append((n, exposed.name))
                    case .name(let name) where name == exposed.name: targets.append((exposed.number, name))
                    default: break
                    }
                }
            }
            if case .number(let n) = port.target, !targets.contains(where: { $0.number == n }) {
                targets.append((n, nil))
            }
        }
        return .service(declared, namespace: ns, pods: pods, ports: targets)
    }

    // MARK: Server names

    /// A client that verifies the server's name, dialling a Service by its own name when that
    /// Service's pods forward to a host outside (a TCP proxy like egress-db-proxy): the server's
    /// certificate names the outside host, so verification fails (node-postgres: "Hostname/IP
    /// does not match certificate's altnames"). Reached through a hostAlias, the name is kept.
    static func rewrittenName(
        _ address: Address, to destination: Destination, aliases: [HostAlias], container: Container
    ) -> Diagnostic? {
        guard case .service(let service, let ns, let pods, let targets) = destination,
            !aliases.contains(where: { $0.hostnames.contains(address.host) })
        else { return nil }
        let listening = Set(targets.map(\.number))
        for pod in pods {
            for forwarder in pod.pod.containers where forwarder.ports.contains(where: { listening.contains($0.number) })
            {
                let upstream = (forwarder.command + forwarder.args).flatMap {
                    hostPorts(in: $0, via: "", at: forwarder.location)
                }
                guard let target = upstream.first(where: { $0.host != address.host && CIDR("\($0.host)/32") == nil })
                else { continue }
                return .rewrittenServerName(
                    container: container.name, via: address.via, dialled: address.host,
                    service: "\(service.name).\(ns)", upstream: target.host, port: target.port ?? 0,
                    clusterIP: service.clusterIP, at: address.location)
            }
        }
        return nil
    }

    // MARK: Certificate authorities

    /// The variables a TLS client reads a CA file from: Node adds `NODE_EXTRA_CA_CERTS` to its
    /// roots (https://nodejs.org/api/cli.html#node_extra_ca_certsfile); libpq reads
    /// `PGSSLROOTCERT` (https://www.postgresql.org/docs/current/libpq-envars.html), as pgx
    /// (github.com/jackc/pgx pgconn/config.go) and lib/pq (github.com/lib/pq conn.go) do; Go's
    /// crypto/x509 and OpenSSL take their roots from `SSL_CERT_FILE` (go/src/crypto/x509/root_unix.go).
    static let caVariables = ["NODE_EXTRA_CA_CERTS", "PGSSLROOTCERT", "SSL_CERT_FILE"]

    /// A verifying client of a database (an address from a database URL) must trust the CA that
    /// signs the server's certificate: CrunchyBridge signs it with a CA of the team's own
    /// (https://docs.crunchybridge.com/api/certificate: per-team server certificates), which no image's public roots hold.
    /// Trusted: one of `caVariables` set to a file under one of the container's mounts.
    static func untrustedCA(_ address: Address, container: Container) -> Diagnostic? {
        guard address.scheme == "postgresql" || address.scheme == "postgres" else { return nil }
        let set = container.env.compactMap { env -> (String, String)? in
            guard caVariables.contains(env.name), case .literal(let value) = env.source else { return nil }
            return (env.name, value)
        }
        let shown = address.shown.split(separator: " ").first.map(String.init) ?? address.shown
        guard !set.isEmpty else {
            return .untrustedServerCA(
                container: container.name, via: address.via, address: shown,
                problem: "trusts no CA beyond its image's", at: address.location)
        }
        for (name, path) in set {
            let mounted = container.mounts.contains { mount in
                let dir = mount.path.hasSuffix("/") ? mount.path : mount.path + "/"
                return path == mount.path || path.hasPrefix(dir)
            }
            if mounted { return nil }
            if name == set.last?.0 {
                return .untrustedServerCA(
                    container: container.name, via: address.via, address: shown,
                    problem: "\(name) names '\(path)', which is under none of its mounts", at: address.location)
            }
        }
        return nil
    }

    // MARK: Paths that work

    /// A path that would work: for the outside, declared Services the workload may reach whose
    /// pods may reach the address; for a Service, the rule to add.
    static func paths(
        to destination: Destination, address: Address, from workload: any PodWorkload, namespace: String,
        policies: [Selecting], index: ClusterIndex, domain: String
    ) -> String {
        switch destination {
        case .service(let service, let ns, let pods, let targets):
            let port =
                targets.first.map { (target: (number: Int, name: String?)) -> String in
                    target.name.map { "\"\($0)\"" } ?? String(target.number)
                } ?? "?"
            let peer =
                ns == namespace
                ? ".pods(.workload(\(pods[0].name)))" : ".namespace(\"\(ns)\", pods: .workload(\(pods[0].name)))"
            return "allow it in a policy selecting '\(workload.name)': "
                + "EgressRule(to: [\(peer)], ports: [.tcp(\(port))]) (Service '\(service.name)')"
        case .outside:
            var exits: [String] = []
            for object in index.objects {
                guard case .service(let service) = object.payload, let ns = object.id.namespace,
                    !service.selector.isEmpty
                else { continue }
                let pods = index.workloads(in: ns).filter { w in
                    service.selector.allSatisfy { w.podLabels[$0.key] == $0.value }
                }
                guard !pods.isEmpty, !pods.contains(where: { $0.name == workload.name && ns == namespace }) else {
                    continue
                }
                // Its pods may reach the address (not isolated, or allowed on the port).
                let mayLeave = pods.allSatisfy { pod in
                    let theirs = Self.policies(selecting: pod, in: ns, index: index)
                    return theirs.isEmpty || allows(theirs, from: ns, to: destination, port: address.port)
                }
                guard mayLeave else { continue }
                // An HTTP(S) URL may go through a proxy on any port; anything else needs a
                // forwarder on its own port (egress-db-proxy's 5432).
                let web = address.scheme == "http" || address.scheme == "https"
                for port in service.ports where web || address.port == nil || address.port == port.port {
                    let hop = Address(
                        shown: "", host: service.host(in: ns, domain: domain), port: port.port, scheme: nil,
                        via: "", location: address.location)
                    if let through = resolve(hop, from: namespace, index: index, domain: domain),
                        allows(policies, from: namespace, to: through, port: port.port)
                    {
                        exits.append("\(service.host(in: ns, domain: domain)):\(port.port)")
                    }
                }
            }
            if exits.isEmpty {
                return "leave through the egress gateway or the DB proxy: no declared Service that "
                    + "'\(workload.name)' may reach may reach it"
            }
            return "connect through \(exits.sorted().joined(separator: " or ")), whose pods may reach it"
        }
    }
}

extension CIDR {
    /// Whether `other` lies inside this network (the same network included).
    func covers(_ other: CIDR) -> Bool {
        guard other.address.count == address.count, other.prefix >= prefix else { return false }
        var bits = prefix
        for (a, b) in zip(address, other.address) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }
}
