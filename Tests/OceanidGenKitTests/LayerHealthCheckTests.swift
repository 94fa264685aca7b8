import Compiler
import DSL
import Fleet
import Foundation
import TestSupport
import Testing

/// `unchecked-dependency`, `unknown-health-check`, `health-checks-ignored`: a layer that names its
/// health checks waits for what later layers need, and only for objects it applies. Fixtures are
/// workloads the fleet does not have (a queue and a cache); the real fleet passes.
@Suite struct LayerHealthCheckTests {
    func compile(_ fleet: Fleet) -> [Diagnostic] {
        CompilerPipeline.compile(FleetDefinition { _ in fleet }).diagnostics
    }

    /// Layer `base` runs a queue and a cache; layer `web` (after it) runs a worker whose env
    /// names `reach`, a Service host of `base`.
    func fleet(base: Layer, web: Layer, reach: String, hostAliasIP: String? = nil) -> Fleet {
        Fleet("t") {
            TestClusters.flux(node: "n", layers: [base, web]) {
                Namespace("data", layer: base) {
                    let queue = Deployment("queue") {
                        Container("queue", image: "x/queue:1.0") { Port("amqp", 5672) }
                            .resources(
                                requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
                    }
                    let cache = Deployment("cache") {
                        Container("cache", image: "x/cache:1.0") { Port("redis", 6379) }
                            .resources(
                                requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
                    }
                    queue
                    cache
                    Service(selecting: queue) { ServicePort("amqp", 5672) }.fixedClusterIP("10.43.0.99")
                        .recreatedOnChange()
                    Service(selecting: cache) { ServicePort("redis", 6379) }
                }
                Namespace("front", layer: web) {
                    let worker = Deployment("worker") {
                        Container("worker", image: "x/worker:1.0") { Env("BROKER", reach) }
                            .resources(
                                requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
                    }
                    if let hostAliasIP {
                        worker.hostAlias(ip: hostAliasIP, hostnames: ["broker.example"])
                    } else {
                        worker
                    }
                }
            }
        }
    }

    @Test func aServiceTheNextLayerReachesMustBeHealthChecked() throws {
        let line = #line + 1
        let base = Layer("base", healthChecks: [.deployment("cache", namespace: "data")])
        let web = Layer("web", dependsOn: [base])
        let diagnostics = compile(fleet(base: base, web: web, reach: "amqp://queue.data.svc.cluster.local:5672"))
            .filter { $0.severity == .error }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.code == .uncheckedDependency)
        #expect(d.location.line == line)
        #expect(
            d.message
                == "layer 'base' does not wait for Deployment data/queue, which layer 'web' needs, so that layer can start before it works; add .deployment(\"queue\", namespace: \"data\") to its healthChecks (or set wait: true)"
        )
        #expect(d.notes.first?.message == "Deployment front/worker reaches Service data/queue by name")
    }

    @Test func dialledByClusterIPCountsToo() throws {
        let base = Layer("base", healthChecks: [.deployment("cache", namespace: "data")])
        let web = Layer("web", dependsOn: [base])
        let diagnostics = compile(fleet(base: base, web: web, reach: "broker.example:5672", hostAliasIP: "10.43.0.99"))
        #expect(
            diagnostics.filter { $0.code == .uncheckedDependency }.map(\.notes.first?.message)
                == ["Deployment front/worker dials Service data/queue's ClusterIP 10.43.0.99"])
    }

    @Test func coveredWaitingOrUnrelatedLayersPass() {
        // The queue is checked; or base waits for everything; or web names only the cache's sibling... none trip.
        let checked = Layer("base", healthChecks: [.deployment("queue", namespace: "data")])
        #expect(
            compile(fleet(base: checked, web: Layer("web", dependsOn: [checked]), reach: "queue.data.svc")).filter {
                $0.severity == .error
            } == [])
        let waits = Layer("base")
        #expect(
            compile(fleet(base: waits, web: Layer("web", dependsOn: [waits]), reach: "queue.data.svc")).filter {
                $0.severity == .error
            } == [])
        // web does not depend on base: ordering is not this check's business.
        let alone = Layer("base", healthChecks: [.deployment("cache", namespace: "data")])
        #expect(
            compile(fleet(base: alone, web: Layer("web"), reach: "queue.data.svc")).filter {
                $0.severity == .error
            } == [])
    }

    @Test func aHealthCheckMustNameAnObjectOfTheLayer() throws {
        let line = #line + 1
        let base = Layer(
            "base", healthChecks: [.deployment("queu", namespace: "data"), .deployment("queue", namespace: "data")])
        let diagnostics = compile(fleet(base: base, web: Layer("web", dependsOn: [base]), reach: "queue.data.svc"))
        let d = try #require(diagnostics.first { $0.code == .unknownHealthCheck })
        #expect(diagnostics.filter { $0.severity == .error }.count == 1)
        #expect(d.location.line == line)
        #expect(
            d.message
                == "layer 'base' health-checks Deployment data/queu, which the layer does not apply, so it never becomes Ready; name an object of the layer"
        )
        #expect(d.notes.first?.message == "did you mean 'Deployment data/queue'?")
    }

    @Test func waitTrueWithHealthChecksIsReported() throws {
        let line = #line + 1
        let base = Layer("base", wait: true, healthChecks: [.deployment("queue", namespace: "data")])
        let diagnostics = compile(fleet(base: base, web: Layer("web", dependsOn: [base]), reach: "queue.data.svc"))
        let d = try #require(diagnostics.first { $0.code == .healthChecksIgnored })
        #expect(d.location.line == line)
        #expect(d.message.hasPrefix("layer 'base' sets wait: true and healthChecks"))
    }

    /// The real fleet: every layer but apps names its checks, and they cover what the next layers need.
    @Test func theFleetsLayersWaitOnlyForWhatTheNextNeeds() throws {
        let ir = try #require(CompilerPipeline.compile(Oceanid.definition).ir)
        #expect(LayerHealthCheck.run(ir) == [])
        let flux = try #require(ir.clusters.first?.components.first { $0.name == "flux-system" })
        func checks(_ layer: String) -> [String] {
            let k = flux.objects.first { $0.id.kind == "Kustomization" && $0.id.name == layer }
            return (k?.tree["spec"]?["healthChecks"]?.items ?? []).map {
                "\($0["kind"]?.stringValue ?? "") \($0["name"]?.stringValue ?? "")"
            }
        }
        #expect(checks("infrastructure") == ["HelmRelease external-secrets"])
        #expect(checks("secrets") == ["ClusterSecretStore pulumi-esc"])
        #expect(checks("networking") == ["Deployment egress-gateway", "Deployment egress-db-proxy"])
        #expect(checks("apps") == [])
        // docs/ says what each layer waits for.
        let topology = try String(contentsOfFile: Paths.repository + "/docs/topology.md", encoding: .utf8)
        #expect(
            topology.contains(
                "| `networking` | `secrets` | Deployment `egress-system/egress-gateway`, Deployment `apps/egress-db-proxy` |"
            ))
        #expect(topology.contains("| `apps` | `networking` | every object it applies |"))
    }
}
