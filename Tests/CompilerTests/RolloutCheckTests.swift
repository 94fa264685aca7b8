import DSL
import TestSupport
import Testing

@testable import Compiler

/// Rollouts that converge (issue 27, items 1-3): one Flux named by the chart release, objects Flux
/// can always apply, Flux's health rules on the installed release, and moving tags pulled.
@Suite struct RolloutCheckTests {
    static func compile(_ fleet: Fleet) -> CompilerPipeline.Result {
        CompilerPipeline.compile(FleetDefinition { _ in fleet })
    }

    static let limits = Resources(
        requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))

    /// One Flux cluster; `version`/`chart` pin the bootstrap, `apps` fills the waiting apps layer.
    static func fleet(
        version: String = "v2.8.5", chart: String = "2.18.3", line: Int = #line,
        @ListBuilder<NamespaceItem> apps: () -> [NamespaceItem]
    ) -> Fleet {
        let items = apps()
        return Fleet("t") {
            TestClusters.flux(
                version: version, chartVersion: chart, layers: [Layer("apps", timeout: "5m")], line: line
            ) {
                Namespace("apps", layer: "apps") { Component("web") { items } }
            }
        }
    }

    static func codes(_ result: CompilerPipeline.Result) -> [DiagnosticCode] { result.diagnostics.map(\.code) }

    // MARK: 1. Versions that agree

    @Test func theRecordedReleasesAreTheOnesTheFleetPins() throws {
        let flux = try #require(ChartRelease.release("flux2", "2.18.3"))
        #expect(flux.appVersion == "v2.8.5")
        #expect(flux.images["kustomizeController"] == "v1.8.3")
        #expect(try #require(ChartRelease.release("flux2", "2.17.1")).appVersion == "v2.7.2")
        #expect(ChartRelease.release("external-secrets", "2.9.0")?.appVersion == "v2.9.0")
        #expect(ChartRelease.release("flux2", "2.99.0") == nil)
    }

    @Test func aChartThatInstallsAnotherFluxIsAnError() throws {
        let line = #line + 1
        let result = Self.compile(Self.fleet(version: "v2.9.0", chart: "2.17.1") { ConfigMap("c", data: [:]) })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.chartAppVersionMismatch])
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(
            d.message
                == "FluxSync version 'v2.9.0' is not the Flux the flux2 chart 2.17.1 installs (its appVersion is "
                + "v2.7.2); the CRD schemas, image tags and health rules follow the chart")
        #expect(
            d.notes.map(\.message).first
                == "set the version to v2.7.2, or pin the chart release whose appVersion is v2.9.0")
    }

    @Test func anUnrecordedChartReleaseIsAnErrorAndARecordedPairIsClean() throws {
        let line = #line + 1
        let result = Self.compile(Self.fleet(version: "v2.8.5", chart: "2.99.0") { ConfigMap("c", data: [:]) })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.unknownChartRelease])
        #expect(d.location.line == line)
        #expect(
            d.message
                == "FluxSync chartVersion pins the flux2 chart at '2.99.0', a release whose appVersion, images and "
                + "CRDs the fleet has not recorded")
        #expect(
            Self.compile(Self.fleet(version: "v2.7.2", chart: "2.17.1") { ConfigMap("c", data: [:]) }).diagnostics == []
        )
        #expect(Self.compile(Self.fleet { ConfigMap("c", data: [:]) }).diagnostics == [])
    }

    @Test func anExternalSecretsReleaseMustBeRecordedOtherChartsAreNotAsked() throws {
        let charts = HelmRepository("charts", url: "https://charts.example")
        let line = #line + 1
        let eso = HelmRelease("external-secrets", chart: "external-secrets", version: "0.19.2", from: charts)
        let other = HelmRelease("label-studio", chart: "label-studio", version: "1.9.9", from: charts)
        let result = Self.compile(
            Self.fleet {
                charts
                eso
                other
            })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.unknownChartRelease])
        #expect(d.location.line == line)
        #expect(
            d.message.hasPrefix("HelmRelease 'external-secrets' version pins the external-secrets chart at '0.19.2'"))
        let recorded = HelmRelease("external-secrets", chart: "external-secrets", version: "2.9.0", from: charts)
        #expect(
            Self.compile(
                Self.fleet {
                    charts
                    recorded
                }
            ).diagnostics == [])
    }

    // MARK: 2. Objects Flux can always apply, and Flux's health rules

    @Test func aJobWithoutForceIsAnErrorAtItsDeclaration() throws {
        let line = #line + 1
        let job = Job("migrate") { Container("m", image: "x/m:1.0").resources(Self.limits) }
        let result = Self.compile(Self.fleet { job })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.immutableFieldWithoutForce])
        #expect(d.location.line == line)
        #expect(
            d.message
                == "Job 'apps/migrate' has the immutable spec.template: a Job's pod template cannot change after it is "
                + "created, so Flux's apply of the whole layer fails on the first change until someone deletes it by hand"
        )
        let forced = Self.compile(Self.fleet { job.recreatedOnChange() })
        #expect(forced.diagnostics == [])
        let tree = try #require(forced.ir?.clusters.first?.components.flatMap(\.objects).first { $0.id.kind == "Job" })
        #expect(tree.tree["metadata"]?["annotations"]?["kustomize.toolkit.fluxcd.io/force"] == "enabled")
    }

    @Test func aFixedClusterIPNeedsForceAnAssignedOneDoesNot() throws {
        let api = Deployment("api") { Container("api", image: "x/api:1.0") { Port("http", 80) }.resources(Self.limits) }
        let line = #line + 1
        let fixed = Service(selecting: api) { ServicePort("http", 80) }.fixedClusterIP("10.43.0.99")
        let result = Self.compile(
            Self.fleet {
                api
                fixed
            })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.immutableFieldWithoutForce])
        #expect(d.location.line == line)
        #expect(
            d.message.hasPrefix(
                "Service 'apps/api' has the immutable spec.clusterIP: a Service's clusterIP '10.43.0.99'"))
        let assigned = Service(selecting: api) { ServicePort("http", 80) }
        #expect(
            Self.compile(
                Self.fleet {
                    api
                    assigned
                }
            ).diagnostics == [])
        #expect(
            Self.compile(
                Self.fleet {
                    api
                    fixed.recreatedOnChange()
                }
            ).diagnostics == [])
    }

    @Test func aDeclaredSelectorAndVolumeClaimTemplatesNeedForce() throws {
        let pod: Tree = [
            "metadata": ["labels": ["tier": "db"]],
            "spec": ["containers": [["name": "db", "image": "postgres:17.2"]]],
        ]
        let line = #line + 1
        let set = RawObject(
            apiVersion: "apps/v1", kind: "StatefulSet", name: "db", namespace: "apps",
            body: [
                "spec": [
                    "selector": ["matchLabels": ["tier": "db"]], "serviceName": "db", "template": pod,
                    "volumeClaimTemplates": [["metadata": ["name": "data"]]],
                ]
            ])
        let result = Self.compile(Self.fleet { set })
        let found = result.diagnostics.filter { $0.code == .immutableFieldWithoutForce }
        #expect(found.map(\.location.line) == [line, line, line])
        #expect(
            found.map { $0.message.components(separatedBy: ":").first ?? "" }.sorted() == [
                "StatefulSet 'apps/db' has the immutable spec.selector",
                "StatefulSet 'apps/db' has the immutable spec.serviceName",
                "StatefulSet 'apps/db' has the immutable spec.volumeClaimTemplates",
            ])
        let immutable = RawObject(
            apiVersion: "v1", kind: "ConfigMap", name: "frozen", namespace: "apps",
            body: ["immutable": true, "data": ["a": "b"]])
        #expect(Self.codes(Self.compile(Self.fleet { immutable })) == [.immutableFieldWithoutForce])
        // A typed Deployment's selector is derived from its name: a rename is a new object.
        let api = Deployment("api") { Container("api", image: "x/api:1.0").resources(Self.limits) }
        #expect(Self.compile(Self.fleet { api }).diagnostics == [])
    }

    /// The health rule the compiler assumes for every workload kind it emits, on each recorded
    /// Flux: fluxcd/pkg runtime/statusreaders/job.go (suspended Job Current from v0.93.0,
    /// fluxcd/pkg#1059) and kstatus core.go (no CronJob rule: Current at once).
    @Test func fluxHealthRulesOnTheInstalledRelease() throws {
        let installed = try #require(ChartRelease.release("flux2", "2.18.3")?.fluxRuntime)
        let old = try #require(ChartRelease.release("flux2", "2.17.1")?.fluxRuntime)
        #expect(installed >= ChartRelease.suspendedJobCurrentSince)
        #expect(old < ChartRelease.suspendedJobCurrentSince)
        let suspendedJob: Tree = ["kind": "Job", "spec": ["suspend": true]]
        #expect(FluxHealth.settles(suspendedJob, runtime: installed) == .atOnce)
        guard case .never = FluxHealth.settles(suspendedJob, runtime: old) else {
            Issue.record("a suspended Job is InProgress for ever on Flux v2.7.2")
            return
        }
        #expect(FluxHealth.settles(["kind": "Job", "spec": [:]], runtime: installed) == .whenComplete)
        #expect(FluxHealth.settles(["kind": "CronJob", "spec": ["suspend": true]], runtime: old) == .atOnce)
        #expect(FluxHealth.settles(["kind": "Deployment"], runtime: installed) == .whenRolledOut)
        #expect(FluxHealth.settles(["kind": "DaemonSet"], runtime: installed) == .whenRolledOut)
        #expect(FluxHealth.settles(["kind": "Service", "spec": ["clusterIP": "10.43.0.5"]], runtime: old) == .atOnce)
        #expect(FluxHealth.settles(["kind": "ExternalSecret"], runtime: installed) == .whenReady)
    }

    @Test func aSuspendedJobInAWaitingLayerIsNeverReadyOnOldFlux() throws {
        let line = #line + 1
        let job = Job("template") { Container("t", image: "x/t:1.0").resources(Self.limits) }.suspended()
        let old = Self.compile(Self.fleet(version: "v2.7.2", chart: "2.17.1") { job.recreatedOnChange() })
        let d = try #require(old.diagnostics.first)
        #expect(Self.codes(old) == [.neverReady])
        #expect(d.location.line == line)
        #expect(
            d.message
                == "Job 'apps/template' never becomes ready on Flux v2.7.2, so layer 'apps' (wait: true) fails its "
                + "health check and the layers after it are never applied")
        #expect(Self.compile(Self.fleet { job.recreatedOnChange() }).diagnostics == [])
        // The training template's kind: a suspended CronJob is ready at once on either release.
        let cron = CronJob("report", schedule: "@yearly") { Container("r", image: "x/r:1.0").resources(Self.limits) }
            .suspend(true)
        #expect(Self.compile(Self.fleet(version: "v2.7.2", chart: "2.17.1") { cron }).diagnostics == [])
    }

    // MARK: 3. Tags that move are pulled

    @Test func movingTagsArePulledAlwaysVersionsAndDigestsAreNot() throws {
        let result = Self.compile(
            Self.fleet {
                Deployment("exporter") {
                    Container("main", image: "ghcr.io/o/exporter:main").resources(Self.limits)
                    Container("version", image: "ghcr.io/o/sidecar:v1.2.3").resources(Self.limits)
                    Container("digest", image: Image("ghcr.io/o/tool:edge@sha256:" + String(repeating: "a", count: 64)))
                        .resources(Self.limits)
                    Container("kept", image: "ghcr.io/o/kept:stable").resources(Self.limits).imagePullPolicy("Always")
                }
            })
        let ir = try #require(result.ir, "\(result.diagnostics.map { $0.formatted() })")
        let object = try #require(ir.clusters.first?.components.flatMap(\.objects).first { $0.id.kind == "Deployment" })
        let containers = object.tree["spec"]?["template"]?["spec"]?["containers"]?.items ?? []
        #expect(containers.map { $0["imagePullPolicy"]?.stringValue ?? "-" } == ["Always", "-", "-", "Always"])
    }

    @Test func aMovingTagWithAnotherPullPolicyIsAnError() throws {
        let line = #line + 1
        let c = Container("w", image: "ghcr.io/o/worker:main").resources(Self.limits).imagePullPolicy("IfNotPresent")
        let result = Self.compile(Self.fleet { Deployment("worker") { c } })
        let d = try #require(result.diagnostics.first)
        #expect(Self.codes(result) == [.movingTagNotPulled])
        #expect(d.location.line == line)
        #expect(
            d.message
                == "container 'w' uses the moving tag 'ghcr.io/o/worker:main' with imagePullPolicy IfNotPresent, so a "
                + "rollout keeps the node's cached image")
        let pinned = Container("w", image: "ghcr.io/o/worker:1.4.0").resources(Self.limits).imagePullPolicy(
            "IfNotPresent")
        #expect(Self.compile(Self.fleet { Deployment("worker") { pinned } }).diagnostics == [])
    }

    /// Whether the native guardrail denies `image` as a moving tag on a pod that declares `policy`.
    static func guardrailDeniesMovingTag(_ image: String, policy: String? = nil) -> Bool {
        var container: [(String, Tree)] = [("name", "c"), ("image", .string(image))]
        if let policy { container.append(("imagePullPolicy", .string(policy))) }
        let pod: Tree = [
            "kind": "Pod", "metadata": ["name": "p", "namespace": "n"],
            "spec": ["containers": [.map(container.map { Tree.Entry($0.0, $0.1) })]],
        ]
        return Guardrails.evaluate(["objects": [pod]]).contains { $0.message.contains("uses the moving tag") }
    }

    @Test func theImageRuleAgreesWithTheGuardrail() {
        // Canonical's channel tags (`<track>_<risk>`) are rebuilt under the same name.
        for image in [
            "x/a:main", "x/a:edge", "registry:5000/x/a:stable", "ubuntu/squid:6.6-24.04_beta", "x/a:1.2_edge",
            "x/a:2.0-22.04_candidate", "x/a:2.0_stable",
        ] {
            #expect(Image(image).moves, "\(image)")
            #expect(Self.guardrailDeniesMovingTag(image), "\(image)")
            #expect(!Self.guardrailDeniesMovingTag(image, policy: "Always"), "\(image)")
        }
        for image in [
            "x/a:1.0", "x/a:v2.8.5", "ubuntu/squid:6.6-24.04", "x/a:6.6-24.04_beta@sha256:ab", "x/a:main@sha256:ab",
            "registry:5000/x/a", "x/a:1.0_beta1",
        ] {
            #expect(!Image(image).moves, "\(image)")
            #expect(!Self.guardrailDeniesMovingTag(image), "\(image)")
        }
    }
}
