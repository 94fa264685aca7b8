import Compiler
import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// The Flux that runs (issue 27, items 1-2): the fleet's pins name a recorded flux2 chart release,
/// the committed schemas and bootstrap follow it, and every kind the fleet emits into a layer that
/// waits for health has a rule on that release under which it becomes ready.
@Suite struct FluxReleaseTests {
    static var installed: ChartRelease? {
        ChartRelease.release("flux2", Settings.fluxChartVersion.defaultValue)
    }

    @Test func thePinsNameOneRecordedFlux() throws {
        let release = try #require(Self.installed, "fluxChartVersion must be a recorded flux2 release")
        #expect(Settings.fluxVersion.defaultValue == release.appVersion)
        #expect(ChartRelease.release("external-secrets", Settings.externalSecretsChartVersion.defaultValue) != nil)
        let values = try String(
            contentsOfFile: Paths.repository + "/bootstrap/tethys/flux2-values.yaml", encoding: .utf8)
        for key in ["sourceController", "kustomizeController", "helmController", "notificationController"] {
            let tag = try #require(release.images[key], "\(key)")
            #expect(values.contains("\(key):\n  create: true\n  tag: \(tag)\n"), "\(key)")
        }
        let readme = try String(contentsOfFile: Paths.repository + "/schemas/README.md", encoding: .utf8)
        #expect(readme.contains("flux2-\(release.version)"), "schemas/ must come from the installed chart's CRDs")
    }

    /// Every Flux and External Secrets object in clusters/ has a schema of its apiVersion in
    /// schemas/ (the CRDs of the recorded releases), so the consumer test validates it.
    @Test func everyCustomResourceTheFleetEmitsHasASchemaOfTheInstalledRelease() throws {
        let ir = try #require(CompilerPipeline.compile(Oceanid.definition).ir)
        let custom = ir.clusters.flatMap(\.components).flatMap(\.objects).filter {
            $0.id.apiVersion.contains("fluxcd.io/") || $0.id.apiVersion.hasPrefix("external-secrets.io/")
        }
        #expect(!custom.isEmpty)
        for object in custom {
            let parts = object.id.apiVersion.split(separator: "/")
            let path = "/schemas/\(parts[0])/\(object.id.kind.lowercased())_\(parts[1]).json"
            #expect(FileManager.default.fileExists(atPath: Paths.repository + path), "\(object.id): \(path)")
        }
    }

    /// The health rule the compiler assumes for every kind the fleet emits into a waiting layer,
    /// on the installed Flux (FluxHealth restates fluxcd/pkg runtime/statusreaders/job.go and
    /// kstatus core.go); a kind that is new to the fleet fails here until its rule is stated.
    @Test func everyEmittedKindBecomesReadyOnTheInstalledFlux() throws {
        let runtime = try #require(Self.installed?.fluxRuntime)
        let expected: [String: FluxHealth.Settles] = [
            "ConfigMap": .atOnce, "CronJob": .atOnce, "DaemonSet": .whenRolledOut, "Deployment": .whenRolledOut,
            "ExternalSecret": .whenReady, "HelmRelease": .whenReady, "HelmRepository": .whenReady,
            "Namespace": .atOnce, "NetworkPolicy": .atOnce, "Role": .atOnce, "RoleBinding": .atOnce,
            "Service": .atOnce, "ServiceAccount": .atOnce, "ClusterSecretStore": .whenReady,
            "SecretStore": .whenReady, "ClusterRole": .atOnce, "ClusterRoleBinding": .atOnce,
            "RuntimeClass": .atOnce, "PriorityClass": .atOnce, "Secret": .atOnce,
        ]
        let ir = try #require(CompilerPipeline.compile(Oceanid.definition).ir)
        var kinds: Set<String> = []
        for cluster in ir.clusters {
            for component in cluster.components where component.namespace != FluxSync.namespace {
                for object in component.objects {
                    kinds.insert(object.id.kind)
                    let rule = FluxHealth.settles(object.tree, runtime: runtime)
                    #expect(rule == expected[object.id.kind], "\(object.id): \(rule)")
                }
            }
        }
        #expect(kinds.contains("CronJob") && kinds.contains("Deployment") && kinds.contains("DaemonSet"))
        #expect(!kinds.contains("Job"), "no Job in clusters/: its template is immutable")
    }

    /// No `kind: Job` with `suspend: true` anywhere in the committed clusters/ tree.
    @Test func noSuspendedJobIsCommitted() throws {
        let root = Paths.repository + "/clusters"
        let files = try #require(FileManager.default.enumerator(atPath: root))
        var scanned = 0
        for case let path as String in files where path.hasSuffix(".yaml") {
            let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            scanned += 1
            for document in text.components(separatedBy: "\n---\n") where document.contains("\nkind: Job\n") {
                #expect(!document.contains("suspend: true"), "\(path)")
            }
        }
        #expect(scanned > 20)
    }
}
