import DSL

/// squid's logs in the generated directive files (`squid.conf`): every log goes where squid's
/// unprivileged user can open it.
///
/// Started as root (as the `ubuntu/squid` image and Debian's unit start it), squid drops to
/// its `cache_effective_user` (`proxy` in Debian and Ubuntu) before it opens `access_log`,
/// `icap_log` and `cache_store_log`
/// (http://www.squid-cache.org/Doc/config/cache_effective_user/). That user cannot reopen the
/// container's stdout or stderr pipe through `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` or
/// `/proc/self/fd/N`: squid stops with `FATAL: Cannot open '/dev/stdout' for writing. The parent
/// directory must be writeable by the user 'proxy', which is the cache_effective_user`
/// (reproduced with Debian's squid 5.7 by `SquidConsumerTests`; upstream reports in
/// jacobalberty/squid-docker#1 and b4tman/docker-squid#125). The fix is the image's own way: log
/// to files in a writable volume (`access_log daemon:/var/log/squid/access.log`), which the
/// `ubuntu/squid` entrypoint tails to the container's output (its `tail -F /var/log/squid/*.log`,
/// copied as "Squid OCI image entrypoint" in wolfi-dev/os `squid/entrypoint.sh` and
/// langgenius/dify `docker/ssrf_proxy/docker-entrypoint.sh`).
///
/// `cache_log` takes a file name, not a `module:` place (http://www.squid-cache.org/Doc/config/cache_log/;
/// the modules are `access_log`'s, http://www.squid-cache.org/Doc/config/access_log/): squid reads
/// `cache_log stdio:/dev/stderr` as a relative file named `stdio:/dev/stderr`, cannot open it and
/// warns `Cannot write log file`.
enum SquidLogChecks {
    /// The directives whose first argument is `[module:]place`, opened after the drop.
    static let moduleLogs: Set<String> = ["access_log", "icap_log", "cache_store_log"]
    /// `access_log`'s modules (http://www.squid-cache.org/Doc/config/access_log/).
    static let modules = ["stdio", "daemon", "syslog", "udp", "tcp", "none"]

    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .configMap(let map) = object.payload else { continue }
            for (key, file) in map.files.sorted(by: { $0.key < $1.key }) {
                guard case .directives(let directives) = file else { continue }
                let notes = mounts(of: map.name, key: key, in: index, namespace: object.id.namespace)
                let user = directives.last(where: { $0.name == "cache_effective_user" })?.arguments.first ?? "proxy"
                for directive in directives {
                    guard let place = directive.arguments.first,
                        let problem = problem(directive.name, place, user: user)
                    else { continue }
                    out.append(
                        .unwritableLog(
                            directive.name, place: place, file: key, configMap: map.name, problem: problem,
                            at: directive.location, notes: notes))
                }
            }
        }
        return out
    }

    /// Why squid's unprivileged user (`user`: the config's `cache_effective_user`, Debian's
    /// `proxy` by default) cannot open `place` as the log of `directive`, or nil.
    static func problem(_ directive: String, _ place: String, user: String = "proxy") -> String? {
        let module = modules.first { place.hasPrefix($0 + ":") }
        if directive == "cache_log" {
            guard let module else { return nil }
            return "cache_log takes a file name, not a '\(module):' module; squid opens '\(place)' as a relative file"
        }
        guard moduleLogs.contains(directive), module == nil || module == "stdio" || module == "daemon" else {
            return nil
        }
        let path = module.map { String(place.dropFirst($0.count + 1)) } ?? place
        let pipes = ["/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"]
        guard pipes.contains(where: { path == $0 || ($0.hasSuffix("/") && path.hasPrefix($0)) }) else { return nil }
        return "squid opens it after dropping root to its cache_effective_user ('\(user)'), who cannot open the "
            + "container's output pipe ('FATAL: Cannot open '\(path)' for writing')"
    }

    /// Notes at the mounts of the ConfigMap's file: the containers that run this config.
    static func mounts(of configMap: String, key: String, in index: ClusterIndex, namespace: String?)
        -> [Diagnostic.Note]
    {
        guard let namespace else { return [] }
        var notes: [Diagnostic.Note] = []
        for object in index.objects(in: namespace) {
            guard let workload = object.workload else { continue }
            let volumes = Set(
                workload.pod.volumes.compactMap { volume -> String? in
                    guard case .configMap(let name, _) = volume.source, name == configMap else { return nil }
                    return volume.name
                })
            for container in workload.pod.allContainers {
                for mount in container.mounts where volumes.contains(mount.volume) {
                    if let sub = mount.subPath, sub != key { continue }
                    notes.append(
                        .init(
                            "container '\(container.name)' of \(object.id.kind) '\(workload.name)' runs it",
                            at: mount.location))
                }
            }
        }
        return notes
    }
}
