import Compiler
import DSL
import Testing

/// `[unwritable-log]`: squid logs only where its unprivileged user can open them
/// (`SquidLogChecks`), in the fleet's egress gateway and in any other squid workload.
@Suite struct SquidLogCheckTests {
    func check(@ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]) -> [Diagnostic] {
        FleetCheck.run(Fleet("t") { Cluster("c") { Namespace("egress", items) } })
    }

    /// A squid Deployment that mounts `config`'s squid.conf, as the egress gateway does.
    static func proxy(_ name: String, _ config: ConfigMap, mountLine: Int = #line) -> Deployment {
        let volume = Volume.configMap("config", config)
        return Deployment(name) {
            Container("squid", image: "ubuntu/squid:6.6-24.04_beta") {
                Mount(volume, at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf", line: mountLine)
            }
            volume
        }
    }

    /// The egress gateway's defect: its access log on the container's stdout stops squid at
    /// start; the error is at the directive, the note at the container that runs it.
    @Test func stdoutAccessLogIsAnErrorAtTheDirective() throws {
        let line = #line + 2
        let config = ConfigMap("squid-config", files: ["squid.conf": .directives([
            Directive("access_log", "stdio:/dev/stdout"),
            Directive("cache_log", "/var/log/squid/cache.log"),
        ])])
        let mountLine = #line + 1
        let diagnostics = check { config; Self.proxy("egress-gateway", config, mountLine: mountLine) }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.code == .unwritableLog && d.severity == .error)
        #expect(d.location.line == line && d.location.file.hasSuffix("SquidLogCheckTests.swift"))
        #expect(
            d.message
                == "ConfigMap 'squid-config' file 'squid.conf' directive 'access_log stdio:/dev/stdout' cannot be "
                + "opened: squid opens it after dropping root to its cache_effective_user ('proxy'), who cannot "
                + "open the container's output pipe ('FATAL: Cannot open '/dev/stdout' for writing'); log to a "
                + "file in a writable volume (`access_log daemon:/var/log/squid/access.log`, `cache_log "
                + "/var/log/squid/cache.log` on an emptyDir), which the ubuntu/squid entrypoint tails to the "
                + "container's output")
        #expect(d.notes.map(\.message) == ["container 'squid' of Deployment 'egress-gateway' runs it"])
        #expect(d.notes.first?.location?.line == mountLine)
    }

    /// A workload that is not the fleet's: a build cache proxy whose every log is wrong in its
    /// own way (the ICAP log by /proc, the store log bare, cache_log with a module).
    @Test func everyLogOfAnotherSquidWorkload() throws {
        let first = #line + 2
        let config = ConfigMap("build-cache", files: ["squid.conf": .directives([
            Directive("icap_log", "daemon:/proc/self/fd/1"),
            Directive("cache_store_log", "/dev/stderr"),
            Directive("cache_log", "stdio:/dev/stderr"),
            Directive("access_log", "stdio:/dev/fd/2"),
        ])])
        let diagnostics = check { config; Self.proxy("build-cache", config) }
        #expect(diagnostics.map(\.code) == Array(repeating: .unwritableLog, count: 4))
        #expect(diagnostics.map(\.location.line) == [first, first + 1, first + 2, first + 3])
        #expect(diagnostics.map(\.subject) == ["daemon:/proc/self/fd/1", "/dev/stderr", "stdio:/dev/stderr",
                                               "stdio:/dev/fd/2"])
        #expect(diagnostics[2].message.contains(
            "cache_log takes a file name, not a 'stdio:' module; squid opens 'stdio:/dev/stderr' as a relative file"))
    }

    /// A config that names its own unprivileged user: the message names that user.
    @Test func theDeclaredEffectiveUserIsNamed() throws {
        let line = #line + 3
        let config = ConfigMap("lab-proxy", files: ["squid.conf": .directives([
            Directive("cache_effective_user", "nobody"),
            Directive("access_log", "/dev/stdout"),
        ])])
        let diagnostics = check { config }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.code == .unwritableLog && d.location.line == line && d.notes.isEmpty)
        #expect(d.message.contains("directive 'access_log /dev/stdout' cannot be opened: squid opens it after "
                                   + "dropping root to its cache_effective_user ('nobody')"))
    }

    /// A squid Deployment whose container drops every capability, as the egress gateway's does.
    static func hardened(_ name: String, _ config: ConfigMap, add: [String] = ["SETUID", "SETGID", "CHOWN"],
                         mountLine: Int = #line) -> Deployment {
        let volume = Volume.configMap("config", config)
        return Deployment(name) {
            Container("squid", image: "ubuntu/squid:6.6-24.04_beta") {
                Mount(volume, at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf", line: mountLine)
            }
            .securityContext(SecurityContext(allowPrivilegeEscalation: false, addCapabilities: add,
                                             dropCapabilities: ["ALL"]))
            volume
        }
    }

    /// The egress gateway's second defect: log files at squid's default umask 027 (mode 0640),
    /// which the entrypoint's `tail`, root without CAP_DAC_OVERRIDE, cannot read.
    @Test func logFilesTheContainerCannotRead() throws {
        let line = #line + 3
        let config = ConfigMap("squid-config", files: ["squid.conf": .directives([
            Directive("http_port", "3128"),
            Directive("access_log", "daemon:/var/log/squid/access.log"),
            Directive("cache_log", "/var/log/squid/cache.log"),
        ])])
        let mountLine = #line + 1
        let diagnostics = check { config; Self.hardened("egress-gateway", config, mountLine: mountLine) }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.code == .unreadableLog && d.severity == .warning && d.location.line == line)
        #expect(
            d.message
                == "ConfigMap 'squid-config' file 'squid.conf' directive 'access_log daemon:/var/log/squid/access.log' "
                + "writes a log others cannot read (umask 027), and its container reads it as root without "
                + "CAP_DAC_OVERRIDE: the image's `tail -F` of the logs shows nothing; add `umask 022` to the config")
        #expect(d.notes.map(\.location?.line) == [mountLine])
        // Another workload: a stricter umask written in the config is named as written.
        let strict = ConfigMap("build-cache", files: ["squid.conf": .directives([
            Directive("umask", "077"), Directive("cache_log", "/var/log/squid/cache.log"),
        ])])
        let s = try #require(check { strict; Self.hardened("build-cache", strict) }.first)
        #expect(s.code == .unreadableLog && s.message.contains("(umask 077)"))
    }

    /// Neighbours whose logs the tail reads: umask 022, a container that keeps DAC_READ_SEARCH,
    /// one without a security context, logs only to syslog and stderr.
    @Test func logFilesTheContainerCanRead() {
        let files: [Directive] = [Directive("access_log", "daemon:/var/log/squid/access.log")]
        let open = ConfigMap("a", files: ["squid.conf": .directives([Directive("umask", "022")] + files)])
        #expect(check { open; Self.hardened("a", open) } == [])
        let plain = ConfigMap("b", files: ["squid.conf": .directives(files)])
        #expect(check { plain; Self.hardened("b", plain, add: ["SETUID", "SETGID", "DAC_READ_SEARCH"]) } == [])
        #expect(check { plain; Self.proxy("b", plain) } == [])
        let syslog = ConfigMap("c", files: ["squid.conf": .directives([Directive("access_log", "syslog:daemon.info"),
                                                                       Directive("cache_log", "/dev/stderr")])])
        #expect(check { syslog; Self.hardened("c", syslog) } == [])
    }

    /// Neighbours that are fine: files in a volume, no log, /dev/null, syslog and the network
    /// modules, cache_log on stderr (squid opens it as root, before the drop), and a config no
    /// workload mounts yet (still checked, without notes).
    @Test func logsSquidCanOpen() {
        let config = ConfigMap("squid-config", files: ["squid.conf": .directives([
            Directive("access_log", "daemon:/var/log/squid/access.log"),
            Directive("access_log", "stdio:/var/log/squid/audit.log", "squid"),
            Directive("access_log", "none"),
            Directive("icap_log", "stdio:/dev/null"),
            Directive("access_log", "syslog:daemon.info"),
            Directive("access_log", "udp://192.0.2.1:514"),
            Directive("cache_log", "/dev/stderr"),
            Directive("cache_store_log", "none"),
        ])])
        #expect(check { config; Self.proxy("egress-gateway", config) } == [])
        #expect(check { config } == [])
    }
}
