import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// Config changes roll pods (issue 27, item 4): a setting changed in settings.yaml, with the
/// program as built (no recompilation), changes the generated ConfigMap and the pod template of
/// every workload that reads it, and of no other.
@Suite struct ConfigRolloutTests {
    static let configKey = "oceanid.dev/configmap-hash"
    static let secretKey = "oceanid.dev/externalsecret-hash"

    /// Builds `definition` into a fresh folder whose settings.yaml is `settings` (none when empty).
    static func build(_ definition: FleetDefinition, settings: String = "") throws -> [String: String] {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        if !settings.isEmpty { try dir.write("settings.yaml", settings) }
        let run = CapturedRun(definition, ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        return dir.snapshot()
    }

    /// The value of annotation `key` in a generated YAML file (unquoted), nil when absent.
    static func annotation(_ yaml: String?, _ key: String) -> String? {
        guard let yaml else { return nil }
        for line in yaml.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix(key + ": ") {
                return String(text.dropFirst(key.count + 2)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Workload files (not the ConfigMap's own) that name ConfigMap `name`.
    static func readers(of name: String, in files: [String: String]) -> [String] {
        files.filter { path, text in
            path.hasPrefix("clusters/") && !path.contains("/configmap-")
                && ["kind: Deployment", "kind: DaemonSet", "kind: CronJob", "kind: Job", "kind: StatefulSet"].contains {
                    text.contains($0)
                } && text.contains("name: \(name)\n")
        }.keys.sorted()
    }

    static let motd = Setting("motd", default: "hello", summary: "Message of the day.")

    /// A fleet where the setting reaches nothing but one ConfigMap, read by a Deployment (envFrom)
    /// and a CronJob (volume); a third workload reads another ConfigMap.
    static let fixture = FleetDefinition(settings: [motd.erased]) { s in
        let limits = Resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
        let greeting = ConfigMap("greeting", data: ["MOTD": s[motd]])
        let other = ConfigMap("other", data: ["A": "b"])
        return Fleet("t") {
            Cluster("c") {
                Node("c-1", role: .server)
                Namespace("apps") {
                    greeting
                    other
                    Deployment("api") {
                        Container("api", image: "nginx:1.27") { EnvFrom.configMap(greeting) }.resources(limits)
                    }
                    CronJob("report", schedule: "@daily") {
                        Container("report", image: "x/report:1.0") { Mount("greeting", at: "/etc/greeting") }
                            .resources(limits)
                        Volume.configMap("greeting", greeting)
                    }
                    Deployment("bystander") {
                        Container("b", image: "nginx:1.27") { EnvFrom.configMap(other) }.resources(limits)
                    }
                }
            }
        }
    }

    /// The one generated file whose name is `name` (its folder depends on the layout).
    static func file(_ name: String, in files: [String: String]) throws -> String {
        let matches = files.keys.filter { $0.hasPrefix("clusters/") && $0.hasSuffix("/" + name) }
        #expect(matches.count == 1, "\(name): \(matches)")
        return try #require(matches.first)
    }

    @Test func aSettingFeedingAConfigMapRollsEveryPodThatReadsItAndNoOther() throws {
        let before = try Self.build(Self.fixture)
        let after = try Self.build(Self.fixture, settings: "motd: good evening\n")
        let readers = Self.readers(of: "greeting", in: after)
        #expect(
            readers.map { ($0 as NSString).lastPathComponent } == ["cronjob-report.yaml", "deployment-api.yaml"],
            "\(after.keys.sorted())")
        let map = try Self.file("configmap-greeting.yaml", in: after)
        #expect(after[map]?.contains("MOTD: good evening") == true)
        #expect(before[map] != after[map])
        for path in readers {
            let old = try #require(Self.annotation(before[path], Self.configKey), "\(path)")
            let new = try #require(Self.annotation(after[path], Self.configKey), "\(path)")
            #expect(old.count == 64 && new.count == 64)
            #expect(old != new, "\(path) keeps its pod template when the ConfigMap it reads changes")
        }
        let bystander = try Self.file("deployment-bystander.yaml", in: after)
        #expect(Self.annotation(after[bystander], Self.configKey) != nil)
        #expect(before[bystander] == after[bystander], "a pod that reads another ConfigMap does not roll")
    }

    /// The real fleet: the node tunnel's config.yaml is fed by cloudflareNodeTunnelMetricsPort;
    /// squid.conf is not, so the egress gateway keeps its hash.
    @Test func theFleetsNodeTunnelRollsWhenItsConfigChanges() throws {
        let before = try Self.build(Oceanid.definition)
        let after = try Self.build(Oceanid.definition, settings: "cloudflareNodeTunnelMetricsPort: 2300\n")
        let readers = Self.readers(of: "cloudflared-node-config", in: after)
        #expect(readers == ["clusters/tethys/networking/node-tunnels/daemonset-cloudflared-node.yaml"])
        for path in readers {
            #expect(Self.annotation(before[path], Self.configKey) != Self.annotation(after[path], Self.configKey))
            #expect(Self.annotation(after[path], Self.configKey) != nil)
        }
        let gateway = "clusters/tethys/networking/egress-system/deployment-egress-gateway.yaml"
        #expect(Self.annotation(after[gateway], Self.configKey) != nil)
        #expect(Self.annotation(before[gateway], Self.configKey) == Self.annotation(after[gateway], Self.configKey))
        // Every pod of the fleet that reads a Secret an ExternalSecret makes carries the hash of its spec.
        let workloads = after.filter { $0.key.hasPrefix("clusters/") && $0.value.contains("secretKeyRef:") }
        #expect(!workloads.isEmpty)
        for (path, text) in workloads { #expect(Self.annotation(text, Self.secretKey) != nil, "\(path)") }
    }
}
