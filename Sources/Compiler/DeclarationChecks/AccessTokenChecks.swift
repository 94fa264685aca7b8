import DSL

/// Callers of hostnames behind Cloudflare Access carry a token the hostname's policy admits.
///
/// Access answers a request without a valid identity with a login page (a redirect for
/// browsers, 403 for programs): a program passes only by sending a service token's client ID
/// and secret as the `CF-Access-Client-Id` and `CF-Access-Client-Secret` request headers, and
/// only a token the application's `non_identity` (Service Auth) policy names
/// (https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/; the API's
/// `access_client_id` schema: "Access will check for this value in the `CF-Access-Client-ID`
/// request header"). An e-mail rule needs an interactive login, which no workload can do.
///
/// A URL is found wherever a container's or host service's configuration names one, whatever
/// the variable is called: env values, `command` and `args`, and the ConfigMaps the container
/// reads (env `configMapKeyRef`, `envFrom`, mounted volumes; data and config files alike). A
/// container carries a token when both of its Secret's keys reach it (`Env.accessToken(_:)`
/// or `envFrom` of `token.secret()`); a host service has no way to carry one.
enum AccessTokenChecks {
    /// One URL a caller's configuration names, where it is named, and what names it.
    struct Call {
        var host: String
        var url: String
        var what: String
        var location: SourceLocation
    }

    static func run(_ index: EdgeIndex) -> [Diagnostic] {
        let policies = Dictionary(
            index.fleet.cloudflare.flatMap(\.accessPolicies).map { (Hostnames.normalized($0.hostname), $0) },
            uniquingKeysWith: { a, _ in a })
        guard !policies.isEmpty else { return [] }
        let tokens = index.fleet.cloudflare.flatMap(\.serviceTokens)
        var out: [Diagnostic] = []
        for cluster in index.fleet.clusters {
            guard let clusterIndex = index.clusters[cluster.name] else { continue }
            for object in clusterIndex.objects {
                guard let workload = object.workload, let namespace = object.id.namespace else { continue }
                let configMaps = Dictionary(
                    clusterIndex.objects(in: namespace).compactMap { declared -> (String, ConfigMap)? in
                        if case .configMap(let map) = declared.payload { return (map.name, map) }
                        return nil
                    }, uniquingKeysWith: { a, _ in a })
                for container in workload.pod.allContainers {
                    let carried = carriedTokens(container, among: tokens)
                    var reported: Set<String> = []
                    for call in calls(container, pod: workload.pod, configMaps: configMaps)
                    where reported.insert(call.host).inserted {
                        guard let policy = policies[call.host],
                            !policy.serviceTokens.contains(where: { carried.contains($0.name) })
                        else { continue }
                        out.append(
                            .accessTokenMissing(
                                caller: "container '\(container.name)' of \(object.id)", call: call, policy: policy,
                                carried: carried.sorted(), canCarry: true))
                    }
                }
            }
        }
        for host in index.fleet.hosts {
            for service in host.services {
                var reported: Set<String> = []
                let words = service.exec + service.preStart.flatMap { $0 } + (service.stop ?? [])
                for call in urls(in: words.joined(separator: " "), what: "its command", at: service.location)
                where reported.insert(call.host).inserted {
                    guard let policy = policies[call.host] else { continue }
                    out.append(
                        .accessTokenMissing(
                            caller: "host service '\(service.name)' on '\(host.node)'", call: call, policy: policy,
                            carried: [], canCarry: false))
                }
            }
        }
        return out
    }

    /// The tokens whose Secret's two keys both reach the container (env or envFrom).
    static func carriedTokens(_ container: Container, among tokens: [AccessServiceToken]) -> Set<String> {
        var keys: [String: Set<String>] = [:]
        for env in container.env {
            if case .secret(let name, let key) = env.source { keys[name, default: []].insert(key) }
        }
        let whole = Set(
            container.envFrom.compactMap { from -> String? in
                if case .secret(let name) = from.source { return name }
                return nil
            })
        let needed: Set<String> = [AccessServiceToken.secretKeys.clientId, AccessServiceToken.secretKeys.clientSecret]
        return Set(
            tokens.filter { whole.contains($0.secretName) || needed.isSubset(of: keys[$0.secretName] ?? []) }.map(
                \.name))
    }

    /// Every URL the container's configuration names: env values, command and args, and the
    /// ConfigMaps it reads.
    static func calls(_ container: Container, pod: PodTemplate, configMaps: [String: ConfigMap]) -> [Call] {
        var out: [Call] = []
        for env in container.env {
            switch env.source {
            case .literal(let value): out += urls(in: value, what: "env \(env.name)", at: env.location)
            case .configMap(let name, let key):
                if let map = configMaps[name] {
                    out += texts(of: map, keys: [key]).flatMap {
                        urls(in: $0.text, what: "env \(env.name) (ConfigMap '\(name)' key \($0.key))", at: env.location)
                    }
                }
            default: break
            }
        }
        out += urls(
            in: (container.command + container.args).joined(separator: " "), what: "its command and args",
            at: container.location)
        for from in container.envFrom {
            guard case .configMap(let name) = from.source, let map = configMaps[name] else { continue }
            out += texts(of: map, keys: nil).flatMap {
                urls(in: $0.text, what: "envFrom ConfigMap '\(name)' key \($0.key)", at: from.location)
            }
        }
        let volumes = Dictionary(pod.volumes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for mount in container.mounts {
            guard case .configMap(let name, let items)? = volumes[mount.volume]?.source ?? mount.declaredSource,
                let map = configMaps[name]
            else { continue }
            let keys = items.isEmpty ? nil : Set(items.map(\.key))
            out += texts(of: map, keys: keys).flatMap {
                urls(
                    in: $0.text, what: "ConfigMap '\(name)' file \($0.key) mounted at \(mount.path)", at: mount.location
                )
            }
        }
        return out
    }

    /// The strings of a ConfigMap's keys (all when `keys` is nil): data values, and every
    /// string of its config files.
    static func texts(of map: ConfigMap, keys: Set<String>?) -> [(key: String, text: String)] {
        var out: [(key: String, text: String)] = []
        for (key, value) in map.data.sorted(by: { $0.key < $1.key }) where keys?.contains(key) ?? true {
            out.append((key: key, text: value))
        }
        for (key, file) in map.files.sorted(by: { $0.key < $1.key }) where keys?.contains(key) ?? true {
            switch file {
            case .yaml(let tree): tree.forEachString { out.append((key: key, text: $0)) }
            case .directives(let directives):
                out += directives.map { (key: key, text: $0.arguments.joined(separator: " ")) }
            }
        }
        return out
    }

    /// The URLs in a text, each with its normalized host.
    static func urls(in text: String, what: String, at location: SourceLocation) -> [Call] {
        guard text.contains("://") else { return [] }
        return text.matches(of: EdgeChecks.urlHost).map { match in
            Call(
                host: Hostnames.normalized(String(match.1)), url: String(match.0), what: what, location: location)
        }
    }
}
