@testable import Compiler
import DSL
import Testing
import TestSupport

/// Each check: a fixture that trips it (asserting code, message and line) and the clean
/// demo fleet that trips none.
@Suite struct CheckTests {
    static let thisFile = #filePath
    /// Fixtures are declared in this folder's files: diagnostics must point there.
    static let testsFolder = String(thisFile.prefix(upTo: thisFile.lastIndex(of: "/")!)) + "/"

    func check(nodes: [Node] = [Node("n1", role: .server)], clusterObjects: [RawObject] = [],
               @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]) -> [Diagnostic] {
        let ns = Namespace("apps", items)
        let fleet = Fleet("t") {
            Cluster("c") {
                nodes
                ns
                for object in clusterObjects { object }
            }
        }
        return FleetCheck.run(fleet)
    }

    func one(_ diagnostics: [Diagnostic], _ code: DiagnosticCode, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Diagnostic {
        let matching = diagnostics.filter { $0.code == code }
        #expect(matching.count == 1, "expected one \(code.rawValue), got \(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        #expect(diagnostics.count == matching.count, "unexpected diagnostics: \(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        let d = try #require(matching.first, sourceLocation: sourceLocation)
        #expect(d.location.file.hasPrefix(Self.testsFolder), "\(d.location)", sourceLocation: sourceLocation)
        #expect(d.severity == .error, sourceLocation: sourceLocation)
        return d
    }

    static func app(_ name: String = "api", image: Image = "registry.example/api:1.0.0", port: Int = 8080,
                    file: String = #filePath, line: Int = #line) -> Deployment {
        Deployment(name, file: file, line: line) {
            Container("api", image: image, file: file, line: line) { Port("http", port, file: file, line: line) }
                .resources(requests: .init(cpu: "100m", memory: "64Mi"), limits: .init(cpu: "200m", memory: "128Mi"))
        }
    }

    @Test func cleanFixtureTripsNothing() {
        #expect(FleetCheck.run(Fixtures.demo()) == [])
    }

    @Test func invalidObjectName() throws {
        let line = #line + 1
        let d = try one(check { Self.app("Api_Server") }, .invalidName)
        #expect(d.location.line == line)
        #expect(d.message.contains("Deployment name 'Api_Server' is not a valid DNS-1123 subdomain"))
    }

    @Test func invalidServiceNameUsesRFC1035() throws {
        let app = Self.app()
        let line = #line + 1
        let d = try one(check { app; Service("9api", selecting: app) { ServicePort("http", 80) } }, .invalidName)
        #expect(d.location.line == line)
        #expect(d.message.contains("DNS-1035 label"))
    }

    @Test func invalidLabelKey() throws {
        let line = #line + 1
        let d = try one(check { Self.app().podLabels(["bad key": "x"]) }, .invalidLabel)
        #expect(d.location.line == line)
        #expect(d.message.contains("pod label key 'bad key'"))
    }

    @Test func duplicateObject() throws {
        let first = #line + 1
        let a = ConfigMap("settings", data: [:])
        let second = #line + 1
        let b = ConfigMap("settings", data: ["k": "v"])
        let d = try one(check { a; b }, .duplicateObject)
        #expect(d.location.line == second)
        #expect(d.message == "duplicate ConfigMap apps/settings: the same object is declared twice")
        #expect(d.notes.first?.location?.line == first)
    }

    @Test func objectInUndeclaredNamespace() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "v1", kind: "ConfigMap", name: "orphan", namespace: "aps")
        let d = try one(check(clusterObjects: [raw]) { }, .undeclaredNamespace)
        #expect(d.location.line == line)
        #expect(d.message.contains("namespace 'aps', which the cluster does not declare"))
        #expect(d.notes.first?.message == "did you mean 'apps'?")
    }

    @Test func serviceSelectorMatchingNothing() throws {
        let line = #line + 1
        let d = try one(check { Self.app(); Service("api", selector: ["app.kubernetes.io/name": "apj"]) { ServicePort("http", 80) } },
                        .selectorMatchesNothing)
        #expect(d.location.line == line)
        #expect(d.message.contains("selects {app.kubernetes.io/name=apj}, which matches no workload's pod labels"))
        // A note at the other side: the workload that comes closest, with its pod labels.
        let closest = try #require(d.notes.first)
        #expect(closest.message.hasPrefix("the closest workload, 'api', labels its pods {"), "\(closest.message)")
        #expect(closest.message.contains("app.kubernetes.io/name=api"))
        #expect(closest.location?.file.hasSuffix("CheckTests.swift") == true)
    }

    /// The nearest workload is the one whose pod labels are fewest edits from the selector,
    /// not the alphabetically first: a typo in the value, and one in the key.
    @Test func serviceSelectorNoteNamesTheWorkloadNearestByEditDistance() throws {
        let alpha = Self.app("alpha")
        let workerLine = #line + 1
        let worker = Self.app("worker")
        let webLine = #line + 1
        let web = Self.app("web")
        let line = #line + 1
        let typo = Service("queue", selector: ["app.kubernetes.io/name": "wrker"]) { ServicePort("http", 80) }
        let d = try one(check { alpha; worker; web; typo }, .selectorMatchesNothing)
        #expect(d.location.line == line)
        #expect(d.notes.first?.message.hasPrefix("the closest workload, 'worker', labels its pods {") == true)
        #expect(d.notes.first?.location?.line == workerLine)

        let keyLine = #line + 1
        let keyTypo = Service("site", selector: ["app.kubernetes.io/nme": "web"]) { ServicePort("http", 80) }
        let k = try one(check { alpha; worker; web; keyTypo }, .selectorMatchesNothing)
        #expect(k.location.line == keyLine)
        #expect(k.notes.first?.message.hasPrefix("the closest workload, 'web', labels its pods {") == true)
        #expect(k.notes.first?.location?.line == webLine)
    }

    @Test func serviceTargetPortNotExposed() throws {
        let app = Self.app()
        let line = #line + 1
        let d = try one(check { app; Service(selecting: app) { ServicePort("web", 80, target: "htp") } }, .targetPortNotExposed)
        #expect(d.location.line == line)
        #expect(d.message == "Service 'api' port 'web' targets \"htp\", which no selected container exposes")
        #expect(d.notes.first?.message == "did you mean 'http'?")
    }

    @Test func serviceNumericTargetPort() throws {
        let app = Self.app()
        #expect(check { app; Service(selecting: app) { ServicePort("web", 80, target: 8080) } } == [])
        let d = try one(check { app; Service(selecting: app) { ServicePort("web", 80, target: 9090) } }, .targetPortNotExposed)
        #expect(d.message.contains("targets 9090"))
    }

    @Test func duplicateContainerPort() throws {
        let line = #line + 4
        let d = try one(check {
            Deployment("api") {
                Container("a", image: "x/a:1") { Port("http", 8080) }
                Container("b", image: "x/b:1") { Port("admin", 8080) }
            }
        }, .duplicateContainerPort)
        #expect(d.location.line == line)
        #expect(d.message == "pod of 'api' declares port 8080/TCP twice")
    }

    @Test func requestsAboveLimits() throws {
        let line = #line + 2
        let d = try one(check {
            Deployment("api") { Container("a", image: "x/a:1")
                .resources(requests: .init(cpu: "1500m", memory: "1Gi"), limits: .init(cpu: "1", memory: "2Gi")) }
        }, .requestsExceedLimits)
        #expect(d.location.line == line)
        #expect(d.message == "container 'a' requests cpu 1500m, more than its limit 1")
    }

    @Test func invalidQuantity() throws {
        let d = try one(check {
            Deployment("api") { Container("a", image: "x/a:1").resources(requests: .init(memory: "lots")) }
        }, .invalidQuantity)
        #expect(d.message.contains("'lots' is not a Kubernetes quantity"))
    }

    @Test func imageWithoutTagOrLatest() throws {
        let untagged = #line + 1
        let d1 = try one(check { Self.app(image: "registry.example:5000/api") }, .imageNotPinned)
        #expect(d1.location.line == untagged)
        #expect(d1.message == "container 'api' uses image 'registry.example:5000/api' without a tag or digest")
        let latest = #line + 1
        let d2 = try one(check { Self.app(image: "cloudflare/cloudflared:latest") }, .imageNotPinned)
        #expect(d2.location.line == latest)
        #expect(d2.message.contains("floating tag 'latest'"))
        #expect(check { Self.app(image: "ghcr.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef") } == [])
    }

    @Test func pinnedToUnknownNode() throws {
        let line = #line + 1
        let d = try one(check { Self.app().pinned(to: "calipso") }, .unknownNode)
        #expect(d.location.line == line)
        #expect(d.message == "'api' is pinned to node 'calipso', which the cluster does not declare")
        #expect(d.notes.first?.message == "declared nodes: 'n1'")
    }

    @Test func envReferencingUndeclaredSecret() throws {
        let line = #line + 3
        let d = try one(check {
            Deployment("api") {
                Container("a", image: "x/a:1") { Env("TOKEN", secretNamed: "tunnel-tokn", key: "token") }
            }
            SecretDeclaration("tunnel-token", keys: ["token": "cloudflareTunnelToken"])
        }, .undeclaredSecret)
        #expect(d.location.line == line)
        #expect(d.message == "env 'TOKEN' references secret 'tunnel-tokn', which namespace 'apps' does not declare")
        #expect(d.notes.first?.message == "did you mean 'tunnel-token'?")
    }

    @Test func envUsingUndeclaredSecretKey() throws {
        let secret = SecretDeclaration("tunnel-token", keys: ["token": "cloudflareTunnelToken"])
        let line = #line + 2
        let d = try one(check {
            Deployment("api") { Container("a", image: "x/a:1") { Env("TOKEN", secret: secret, key: "tokn") } }
            secret
        }, .unknownSecretKey)
        #expect(d.location.line == line)
    }

    @Test func reportsEveryProblemSortedByLine() {
        let diagnostics = check {
            Self.app("Bad")
            Self.app("ok", image: "x/y:latest").pinned(to: "nowhere")
            ConfigMap("dup", data: [:])
            ConfigMap("dup", data: [:])
        }
        #expect(diagnostics.map(\.code) == [.invalidName, .imageNotPinned, .unknownNode, .duplicateObject])
        #expect(diagnostics.map(\.location.line) == diagnostics.map(\.location.line).sorted())
    }

    @Test func formattedLikeACompiler() {
        let d = Diagnostic(.unknownNode, "msg", at: DSL.SourceLocation(file: "/repo/definitions/Fleet.swift", line: 12),
                           notes: [.init("did you mean 'x'?")])
        #expect(d.formatted(relativeTo: "/repo") == "definitions/Fleet.swift:12: error: msg [unknown-node]\n    note: did you mean 'x'?")
    }
}
