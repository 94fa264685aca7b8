import Compiler
import DSL
import Testing
import TestSupport

/// Flux graph checks: each trips on a fixture and names the place; the two-cluster fixture trips none.
@Suite struct FluxCheckTests {
    func compile(_ fleet: Fleet, settings: [AnySetting] = []) -> [Diagnostic] {
        CompilerPipeline.compile(FleetDefinition(settings: settings) { _ in fleet }).diagnostics
    }

    func cluster(layers: [Layer], extra: [RawObject] = [], appLayer: String? = nil) -> Fleet {
        Fleet("t") {
            TestClusters.flux(node: "n", layers: layers) {
                for o in extra { o }
                Namespace("apps") {
                    Component("web", layer: appLayer) { ConfigMap("web", data: ["a": "b"]) }
                }
            }
        }
    }

    @Test func twoClusterFixtureIsClean() {
        #expect(compile(FluxFixtures.twoClusters()) == [])
    }

    @Test func dependsOnCycleIsReportedWithItsPath() throws {
        let line = #line + 1
        let a = Layer("a", dependsOn: ["c"])
        let fleet = cluster(layers: [a, Layer("b", dependsOn: ["a"]), Layer("c", dependsOn: ["b"])])
        let diagnostics = compile(fleet).filter { $0.code == .dependencyCycle }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.message == "Flux Kustomizations depend on each other in a cycle: a -> c -> b -> a")
        #expect(d.location.line == line)
    }

    @Test func danglingDependsOnAndSourceRef() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "extra", namespace: "flux-system", body: ["spec": [
            "interval": "10m", "path": "./clusters/c/apps", "prune": true,
            "sourceRef": ["kind": "GitRepository", "name": "flux-sytem"], "dependsOn": [["name": "infra"]],
        ]])
        let diagnostics = compile(cluster(layers: [Layer("apps")], extra: [raw]))
        let source = try #require(diagnostics.first { $0.code == .danglingSourceRef })
        #expect(source.message == "Kustomization flux-system/extra refers to GitRepository flux-system/flux-sytem, which the cluster does not declare")
        #expect(source.notes.first?.message == "did you mean 'flux-system'?")
        #expect(source.location.line == line)
        let dependency = try #require(diagnostics.first { $0.code == .danglingDependsOn })
        #expect(dependency.message.contains("depends on Kustomization flux-system/infra"))
        let duplicate = try #require(diagnostics.first { $0.code == .duplicateKustomizePath })
        // In declaration order: the layer (declared with the FluxSync) owns the path first,
        // the escape-hatch Kustomization declared after it is the second owner.
        #expect(duplicate.message == "Kustomization flux-system/extra reconciles path 'clusters/c/apps', which Kustomization flux-system/apps already owns")
        #expect(duplicate.location.line == line)
        #expect(duplicate.notes.first?.message == "first owner declared here")
    }

    /// What the CRDs would reject, and what would go onto the bootstrap's command line.
    @Test func fluxValuesArePinnedAndWellFormed() throws {
        let line = #line + 2
        let fleet = Fleet("t") { Cluster("c") {
            FluxSync(url: "git@github.com:o/r.git", branch: "main", path: "clusters/c", version: "v2.9.0\ntouch /tmp/x",
                     chartVersion: "2.17.1; touch /tmp/x", interval: "forever") { Layer("apps", timeout: "5 minutes") }
            Namespace("apps") { ConfigMap("c", data: [:]) }
        } }
        let codes: Set<DiagnosticCode> = [.invalidFluxPin, .invalidDuration, .invalidSourceURL]
        let diagnostics = compile(fleet).filter { codes.contains($0.code) }
        #expect(diagnostics.map(\.message).sorted() == [
            "FluxSync chartVersion '2.17.1; touch /tmp/x' is invalid; it must be an exact chart version like 2.17.1",
            "FluxSync interval 'forever' is invalid; it must be a duration like 10m, 1h30m or 90s",
            "FluxSync url 'git@github.com:o/r.git' is invalid; it must be a http, https, ssh URL (scheme://host/...)",
            "FluxSync version 'v2.9.0\ntouch /tmp/x' is invalid; it must be a Flux release like v2.9.0",
            "Layer 'apps' timeout '5 minutes' is invalid; it must be a duration like 10m, 1h30m or 90s",
        ])
        #expect(diagnostics.filter { $0.message.hasPrefix("FluxSync") }.allSatisfy { $0.location.line == line })
    }

    /// A component without a layer takes its namespace's; only when neither names one does it
    /// go to the last layer, so adding a layer after it never moves it.
    @Test func componentsInheritTheirNamespacesLayer() throws {
        let fleet = Fleet("t") { Cluster("c") {
            FluxSync(url: "https://git.example/t.git", branch: "main", path: "clusters/c", version: "v2.8.5", chartVersion: "2.18.3") {
                Layer("infra"); Layer("apps", dependsOn: ["infra"]); Layer("late", dependsOn: ["apps"])
            }
            Namespace("flux-system")
            Namespace("apps", layer: "apps") { Component("web") { ConfigMap("web", data: [:]) } }
            Namespace("jobs") { Component("batch") { ConfigMap("batch", data: [:]) } }
        } }
        let ir = lowered(fleet)
        let folders = ir.clusters[0].components.map(\.folder)
        #expect(folders.contains("apps/web"))
        #expect(folders.contains("late/batch"))
    }

    @Test func missingPathForAnEmptyLayerOrAWrongPath() throws {
        let line = #line + 1
        let empty = Layer("empty")
        let diagnostics = compile(cluster(layers: [Layer("apps"), empty], appLayer: "apps"))
        let d = try #require(diagnostics.first { $0.code == .missingKustomizePath })
        #expect(d.message == "Kustomization flux-system/empty reconciles path 'clusters/c/empty', which the output does not contain (or has no kustomization.yaml)")
        #expect(d.location.line == line)

        let wrong = RawObject(apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "typo", namespace: "flux-system", body: ["spec": [
            "interval": "10m", "path": "./clusters/c/aps", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "flux-system"],
        ]])
        #expect(compile(cluster(layers: [Layer("apps")], extra: [wrong])).map(\.code) == [.missingKustomizePath])
    }

    @Test func componentInUndeclaredLayer() throws {
        let diagnostics = compile(cluster(layers: [Layer("apps")], appLayer: "ap"))
        let d = try #require(diagnostics.first)
        #expect(diagnostics.map(\.code) == [.unknownLayer])
        #expect(d.message == "component 'web' is in Flux layer 'ap', which the cluster's FluxSync does not declare")
        #expect(d.notes.first?.message == "did you mean 'apps'?")
    }

    @Test func helmReleaseNeedsItsRepository() throws {
        let fleet = Fleet("t") {
            Cluster("c") {
                Namespace("apps") { HelmRelease("ls", chart: "label-studio", version: "2.0.8", repositoryNamed: "heartx") }
            }
        }
        let d = try #require(compile(fleet).first)
        #expect(d.code == .danglingSourceRef)
        #expect(d.message == "HelmRelease apps/ls refers to HelmRepository apps/heartx, which the cluster does not declare")
    }
}

/// The secret chain: env → Secret (declared) → ExternalSecret → store → ESC key (declared secret setting).
@Suite struct SecretChainTests {
    static let token = SecretSetting("tunnelToken", summary: "")

    func fleet(store: Bool, escKey: String, envSecret: String = "tunnel") -> Fleet {
        Fleet("t") {
            Cluster("c") {
                if store {
                    PulumiESCStore(organization: "o", project: "p", environment: "e", configNamespace: "c",
                                   token: .init(namespace: "apps", name: "tok", key: "TOKEN"))
                }
                Namespace("apps") {
                    SecretDeclaration("tunnel", keys: ["token": escKey])
                    Deployment("d") { Container("c", image: "x/y:1") { Env("TOKEN", secretNamed: envSecret, key: "token") } }
                }
            }
        }
    }

    func compile(_ fleet: Fleet) -> [Diagnostic] {
        CompilerPipeline.compile(FleetDefinition(settings: [Self.token.erased]) { _ in fleet }).diagnostics
    }

    @Test func completeChainIsClean() {
        #expect(compile(fleet(store: true, escKey: "tunnelToken")) == [])
    }

    @Test func eachBrokenLinkIsReported() {
        #expect(compile(fleet(store: true, escKey: "tunnelTokn")).map(\.code) == [.undeclaredESCKey])
        #expect(compile(fleet(store: true, escKey: "tunnelToken", envSecret: "tunel")).map(\.code) == [.undeclaredSecret])
        #expect(compile(fleet(store: false, escKey: "tunnelToken")).map(\.code) == [.undeclaredSecretStore])
    }
}
