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
                let runners = runners(of: map.name, key: key, in: index, namespace: object.id.namespace)
                let notes = runners.map(\.note)
                let user = directives.last(where: { $0.name == "cache_effective_user" })?.arguments.first ?? "proxy"
                out += unreadable(directives, file: key, configMap: map.name, runners: runners)
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

    /// A container that runs a ConfigMap's file (mounts it), and the note that points at the mount.
    struct Runner {
        var container: Container
        var note: Diagnostic.Note
    }

    /// The containers that mount the ConfigMap's file: the ones that run this config.
    static func runners(of configMap: String, key: String, in index: ClusterIndex, namespace: String?) -> [Runner] {
        guard let namespace else { return [] }
        var out: [Runner] = []
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
                    let note = Diagnostic.Note(
                        "container '\(container.name)' of \(object.id.kind) '\(workload.name)' runs it",
                        at: mount.location)
                    out.append(Runner(container: container, note: note))
                }
            }
        }
        return out
    }

    /// Does `directive` write a log file (not a pipe, `/dev/null`, syslog or the network)?
    static func writesFile(_ directive: Directive) -> Bool {
        guard let place = directive.arguments.first, place != "none" else { return false }
        var path = place
        if directive.name != "cache_log" {
            guard moduleLogs.contains(directive.name) else { return false }
            if let module = modules.first(where: { place.hasPrefix($0 + ":") }) {
                guard module == "stdio" || module == "daemon" else { return false }
                path = String(place.dropFirst(module.count + 1))
            }
        }
        return !path.hasPrefix("/dev/") && !path.hasPrefix("/proc/")
    }

    /// squid writes its files with its `umask` (027 unless the config says: mode 0640,
    /// http://www.squid-cache.org/Doc/config/umask/). The image's entrypoint reads them with
    /// `tail -F` as root; a container that drops every capability (no `DAC_OVERRIDE` or
    /// `DAC_READ_SEARCH`) reads them as "other", so a umask that takes others' read leaves the
    /// container's output empty: a warning at the first file log, a note at each such container.
    static func unreadable(_ directives: [Directive], file: String, configMap: String, runners: [Runner])
        -> [Diagnostic]
    {
        let written = directives.last(where: { $0.name == "umask" })?.arguments.first ?? "027"
        let umask = Int(written, radix: 8) ?? 0o027
        guard umask & 0o004 != 0, let log = directives.first(where: writesFile) else { return [] }
        let blind = runners.filter { runner in
            guard let context = runner.container.securityContext else { return false }
            let strip = { (name: String) in name.uppercased().hasPrefix("CAP_") ? String(name.dropFirst(4)) : name }
            let dropped = Set(context.dropCapabilities.map(strip))
            let added = Set(context.addCapabilities.map(strip))
            let root = (context.runAsUser ?? 0) == 0 && context.runAsNonRoot != true
            let drops = dropped.contains("ALL") || dropped.isSuperset(of: ["DAC_OVERRIDE", "DAC_READ_SEARCH"])
            return root && drops && added.isDisjoint(with: ["DAC_OVERRIDE", "DAC_READ_SEARCH"])
        }
        guard !blind.isEmpty else { return [] }
        return [
            .unreadableLog(
                log.name, place: log.arguments[0], file: file, configMap: configMap,
                umask: written, at: log.location, notes: blind.map(\.note))
        ]
    }
}
