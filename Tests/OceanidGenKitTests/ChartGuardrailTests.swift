import Compiler
import DSL
import Fleet
import Foundation
import TestSupport
import Testing

/// What Helm installs enters the policy input (`ChartRendering`, `.renders`): the guardrails
/// hold a chart's pods like the fleet's own, at the release that installs them; a description
/// of another version is `undescribed-chart`; and on the real fleet every rule that looks at
/// pods has chart-installed pods to look at, and fires when one breaks it.
@Suite struct ChartGuardrailTests {
    /// A chart the fleet does not install: valkey, a StatefulSet whose resources come from
    /// `primary.resources` and whose container the template makes privileged.
    static func valkey(version: String = "1.0.0") -> ChartRendering {
        ChartRendering(
            chart: "valkey", version: version, source: "https://example.org/valkey/1.0.0",
            defaults: ["primary": ["resources": ["requests": [:], "limits": [:]]]]
        ) {
            ChartWorkload(.statefulSet, "{release}-primary") {
                ChartContainer(
                    "valkey", image: "docker.io/valkey/valkey:8.0.1", resources: ["primary", "resources"],
                    privileged: true)
            }
        }
    }

    static func fleet(_ release: HelmRelease) -> Fleet {
        Fleet("t") {
            Cluster("c") {
                Node("n", role: .server)
                Namespace("cache") {
                    let charts = HelmRepository("valkey", url: "https://charts.example.org")
                    charts
                    release
                }
            }
        }
    }

    static func compile(_ fleet: Fleet) -> CompilerPipeline.Result {
        CompilerPipeline.compile(FleetDefinition(guardrails: GuardrailPolicy()) { _ in fleet })
    }

    @Test func aChartsPodsAreHeldByTheGuardrailsAtItsRelease() throws {
        let line = #line + 1
        let release = HelmRelease(
            "valkey", chart: "valkey", version: "1.0.0", repositoryNamed: "valkey",
            values: ["primary": ["resources": ["requests": ["cpu": "50m", "memory": "64Mi"]]]]
        )
        .renders(Self.valkey())
        let diagnostics = Self.compile(Self.fleet(release)).diagnostics
        #expect(
            diagnostics.map(\.message) == [
                "[privileged] StatefulSet cache/valkey-primary container valkey is privileged",
                "[resources] StatefulSet cache/valkey-primary container valkey has no limits.cpu",
                "[resources] StatefulSet cache/valkey-primary container valkey has no limits.memory",
            ])
        #expect(diagnostics.allSatisfy { $0.code == .guardrail && $0.location.line == line })
    }

    @Test func theReleasesValuesAreWhatTheRulesSee() throws {
        let release = HelmRelease(
            "valkey", chart: "valkey", version: "1.0.0", repositoryNamed: "valkey",
            values: [
                "primary": [
                    "resources": [
                        "requests": ["cpu": "50m", "memory": "64Mi"],
                        "limits": ["cpu": "1", "memory": "256Mi"],
                    ]
                ]
            ]
        )
        .renders(Self.valkey())
        let result = Self.compile(Self.fleet(release))
        #expect(
            result.diagnostics.map(\.message) == [
                "[privileged] StatefulSet cache/valkey-primary container valkey is privileged"
            ])
    }

    @Test func aDescriptionOfAnotherVersionIsReportedAndLeftOut() throws {
        let line = #line + 1
        let release = HelmRelease("valkey", chart: "valkey", version: "1.1.0", repositoryNamed: "valkey")
            .renders(Self.valkey(version: "1.0.0"))
        let result = Self.compile(Self.fleet(release))
        let d = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(d.code == .undescribedChart && d.severity == .warning && d.location.line == line)
        #expect(
            d.message
                == "HelmRelease cache/valkey installs chart valkey 1.1.0, but its description (.renders) is of valkey 1.0.0, so the guardrails do not see what it runs; read that version's templates and values.yaml and describe it"
        )
        #expect(result.ir?.clusters.first?.chartObjects == [])
    }

    /// Every chart the fleet installs is described at its version, and its workloads are in
    /// the policy input: Flux's four controllers, ESO's three Deployments, Label Studio's app,
    /// the NVIDIA device plugin.
    @Test func everyChartTheFleetInstallsIsInThePolicyInput() throws {
        let ir = try #require(CompilerPipeline.compile(Oceanid.definition).ir)
        let cluster = try #require(ir.clusters.first)
        #expect(
            cluster.chartObjects.map(\.id.description) == [
                "Deployment flux-system/source-controller", "Deployment flux-system/kustomize-controller",
                "Deployment flux-system/helm-controller", "Deployment flux-system/notification-controller",
                "Deployment external-secrets/external-secrets", "Deployment external-secrets/external-secrets-webhook",
                "Deployment external-secrets/external-secrets-cert-controller",
                "DaemonSet nvidia-device-plugin/nvidia-device-plugin", "Deployment apps/label-studio-ls-app",
            ])
        let releases = cluster.components.flatMap(\.objects).filter { $0.id.kind == "HelmRelease" }
        #expect(releases.count == 3)
        let input = try String(contentsOfFile: Paths.repository + "/policy/input/tethys.json", encoding: .utf8)
        #expect(input.contains("HelmRelease apps/label-studio, chart label-studio 2.0.5"))
    }

    /// No rule that looks at pods is vacuous for what Helm installs: breaking one chart object
    /// of the real input the way each rule forbids makes exactly that rule deny it.
    @Test func everyPodRuleFiresOnAChartInstalledObject() throws {
        let ir = try #require(CompilerPipeline.compile(Oceanid.definition).ir)
        let cluster = try #require(ir.clusters.first)
        let document = PolicyInput.document(cluster, ir)
        #expect(Guardrails.evaluate(document) == [])
        let objects = try #require(document["objects"]?.items)
        func installed(_ name: String) throws -> Int {
            try #require(
                objects.firstIndex {
                    $0["metadata"]?["name"]?.stringValue == name
                        && $0["metadata"]?["annotations"]?["oceanid.dev/installed-by"] != nil
                })
        }
        func denials(_ name: String, _ change: (Tree) -> Tree) throws -> [String] {
            var changed = objects
            let index = try installed(name)
            changed[index] = change(changed[index])
            var broken = document
            broken = broken.merging(["objects": .list(changed)])
            return Guardrails.evaluate(broken).map(\.message)
        }
        func container(_ object: Tree, _ edit: [String: Tree]) -> Tree {
            let containers = object["spec"]?["template"]?["spec"]?["containers"]?.items ?? []
            let first = containers.first.map {
                $0.merging(.map(edit.sorted { $0.key < $1.key }.map { Tree.Entry($0.key, $0.value) }))
            }
            let rest = Array(containers.dropFirst())
            return object.merging([
                "spec": ["template": ["spec": ["containers": .list((first.map { [$0] } ?? []) + rest)]]]
            ])
        }
        // [flux-system-only]: source-controller moved out of flux-system.
        #expect(
            try denials("source-controller") { $0.merging(["metadata": ["namespace": "apps"]]) }
                .contains { $0.hasPrefix("[flux-system-only] Deployment apps/source-controller") })
        // [resources]: the webhook as the chart's defaults render it (no resources).
        #expect(
            try denials("external-secrets-webhook") { container($0, ["resources": .null]) }
                == ["limits.cpu", "limits.memory", "requests.cpu", "requests.memory"].map {
                    "[resources] Deployment external-secrets/external-secrets-webhook container webhook has no \($0)"
                })
        // [image-pinned]: the device plugin on :latest.
        #expect(
            try denials("nvidia-device-plugin") { container($0, ["image": "nvcr.io/nvidia/k8s-device-plugin:latest"]) }
                == [
                    "[image-pinned] DaemonSet nvidia-device-plugin/nvidia-device-plugin container nvidia-device-plugin-ctr uses the unpinned image nvcr.io/nvidia/k8s-device-plugin:latest"
                ])
        // [privileged], [capabilities], [host-network], [egress-gateway]: Label Studio's pod.
        #expect(
            try denials("label-studio-ls-app") { container($0, ["securityContext": ["privileged": true]]) }
                == ["[privileged] Deployment apps/label-studio-ls-app container app is privileged"])
        #expect(
            try denials("label-studio-ls-app") {
                container($0, ["securityContext": ["capabilities": ["add": ["NET_ADMIN"]]]])
            }
                == ["[capabilities] Deployment apps/label-studio-ls-app container app adds NET_ADMIN"])
        #expect(
            try denials("label-studio-ls-app") { $0.merging(["spec": ["template": ["spec": ["hostNetwork": true]]]]) }
                == ["[host-network] Deployment apps/label-studio-ls-app uses the host network"])
        #expect(
            try denials("label-studio-ls-app") { container($0, ["env": []]) }
                == ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"].map {
                    "[egress-gateway] Deployment apps/label-studio-ls-app container app does not set \($0)"
                })
    }
}
