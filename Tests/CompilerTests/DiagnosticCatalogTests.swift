import Compiler
import DSL
import Foundation
import Rendering
import TestSupport
import Testing

/// One catalog of diagnostics: every code is spelled like its case, and every code has a
/// fixture here that makes the compiler emit it. A new code without a fixture fails
/// `everyCodeHasATrippingFixture`.
@Suite struct DiagnosticCatalogTests {
    /// `gpuWithoutGPUNode` → `gpu-without-gpu-node`: words split at case changes, runs of
    /// capitals (acronyms) kept together.
    static func kebab(_ name: String) -> String {
        let characters = Array(name)
        var out = ""
        for (i, c) in characters.enumerated() {
            if c.isUppercase, i > 0 {
                let previousLower = characters[i - 1].isLowercase || characters[i - 1].isNumber
                let nextLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if previousLower || (characters[i - 1].isUppercase && nextLower) { out += "-" }
            }
            out += c.lowercased()
        }
        return out
    }

    /// `DiagnosticCode.swift` lists the codes grouped by area, in `DiagnosticArea` order, and
    /// sorted within each group.
    @Test func codesAreGroupedByAreaAndSorted() {
        let areas = DiagnosticArea.allCases
        let sorted = DiagnosticCode.allCases.sorted {
            (areas.firstIndex(of: $0.area)!, $0.rawValue) < (areas.firstIndex(of: $1.area)!, $1.rawValue)
        }
        #expect(DiagnosticCode.allCases.map(\.rawValue) == sorted.map(\.rawValue))
    }

    /// The catalog's documentation: one entry per code, whose example is what the code's
    /// factory makes at the code's default severity.
    @Test func everyCodeIsDocumentedOnceWithAnExample() {
        let listed = DiagnosticDoc.entries.map(\.code)
        let twice = Dictionary(grouping: listed, by: { $0 }).filter { $0.value.count > 1 }.keys.map(\.rawValue).sorted()
        #expect(twice.isEmpty, "codes documented twice: \(twice)")
        let missing = DiagnosticCode.allCases.filter { $0.doc == nil }.map(\.rawValue)
        #expect(missing.isEmpty, "codes without documentation: \(missing)")
        for doc in DiagnosticDoc.all {
            #expect(doc.example.severity == doc.code.defaultSeverity, "\(doc.code.rawValue)")
            #expect(doc.summary.hasSuffix(".") && doc.fix.hasSuffix("."), "\(doc.code.rawValue): one sentence each")
            // The page is committed: no path of the machine that generated it.
            #expect(
                !doc.example.message.isEmpty && !doc.example.message.contains(Paths.repository)
                    && !doc.example.location.file.hasPrefix("/"), "\(doc.code.rawValue)")
        }
    }

    /// No diagnostic is built outside `Sources/Compiler/Diagnostics/`: checks call the
    /// catalog's factories. The same files as
    /// `grep -rln 'Diagnostic(' Sources | grep -v Sources/Compiler/Diagnostics/`, which must print nothing.
    @Test func noDiagnosticIsBuiltOutsideTheCatalog() throws {
        let sources = Paths.repository + "/Sources"
        let catalog = "Compiler/Diagnostics/"
        var scanned = 0
        var outside: [String] = []
        let files = try #require(FileManager.default.enumerator(atPath: sources))
        for case let path as String in files {
            var isDirectory: ObjCBool = false
            let full = sources + "/" + path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: full)
            else { continue }
            scanned += 1
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where line.contains("Diagnostic(") && !path.hasPrefix(catalog) {
                outside.append("Sources/\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(scanned > 100, "scanned \(scanned) files under \(sources)")
        #expect(
            outside.isEmpty,
            "build these through a factory in Sources/Compiler/Diagnostics/:\n\(outside.joined(separator: "\n"))")
    }

    @Test func everyCodeIsSpelledLikeItsCaseAndUnique() {
        for code in DiagnosticCode.allCases {
            #expect(code.rawValue == Self.kebab(String(describing: code)), "\(code) is spelled '\(code.rawValue)'")
        }
        #expect(Set(DiagnosticCode.allCases.map(\.rawValue)).count == DiagnosticCode.allCases.count)
    }

    // MARK: Fixtures

    static func compile(_ fleet: Fleet, settings: [AnySetting] = [], overrides: [SettingOverride] = []) -> [Diagnostic]
    {
        CompilerPipeline.compile(FleetDefinition(settings: settings) { _ in fleet }, overrides: overrides).diagnostics
    }

    /// Layer `base` runs a queue (and its Service) and a Deployment `other`; layer `web`, after it,
    /// a worker that names the queue's Service.
    static func layered(base: Layer) -> [Diagnostic] {
        let web = Layer("web", dependsOn: [base])
        let queue = Deployment("queue") { Container("queue", image: "x/queue:1.0") { Port("amqp", 5672) } }
        return compile(
            Fleet("t") {
                TestClusters.flux(layers: [base, web]) {
                    Namespace("data", layer: base) {
                        queue
                        Deployment("other") { Container("other", image: "x/other:1.0") }
                        Service(selecting: queue) { ServicePort("amqp", 5672) }
                    }
                    Namespace("front", layer: web) {
                        Deployment("worker") {
                            Container("worker", image: "x/worker:1.0") { Env("BROKER", "queue.data.svc:5672") }
                        }
                    }
                }
            })
    }

    /// One namespace `apps` on a one-node cluster.
    static func apps(@ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]) -> [Diagnostic] {
        let ns = Namespace("apps", items)
        return compile(
            Fleet("t") {
                Cluster("c") {
                    Node("n1", role: .server)
                    ns
                }
            })
    }

    static func app(_ name: String = "api", image: Image = "x/api:1.0", port: Int = 8080) -> Deployment {
        Deployment(name) {
            Container("api", image: image) { Port("http", port) }
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
        }
    }

    /// A Flux cluster with the given layers and extra cluster items.
    static func flux(
        layers: [Layer], store: Bool = true, @ListBuilder<ClusterItem> _ extra: () -> [ClusterItem] = { [] }
    ) -> [Diagnostic] {
        let more = extra()
        return compile(
            Fleet("t") {
                TestClusters.flux(layers: layers) {
                    if store {
                        PulumiESCStore(
                            organization: "o", project: "p", environment: "e", configNamespace: "c",
                            token: .init(namespace: "apps", name: "token", key: "TOKEN"))
                    }
                    Namespace("apps") { Component("web") { ConfigMap("web", data: ["a": "b"]) } }
                    more
                }
            })
    }

    static let fixtures: [DiagnosticCode: @Sendable () -> [Diagnostic]] = [
        .invalidName: { apps { app("Bad_Name") } },
        .invalidLabel: { apps { app().labels(["bad key": "x"]) } },
        .duplicateObject: {
            apps {
                ConfigMap("c", data: [:])
                ConfigMap("c", data: [:])
            }
        },
        .duplicateComponent: {
            apps {
                Component("x") { ConfigMap("a", data: [:]) }
                Component("x") { ConfigMap("b", data: [:]) }
            }
        },
        .duplicateNode: {
            compile(
                Fleet("t") {
                    Cluster("c") {
                        Node("n1", role: .server)
                        Node("n1", role: .agent)
                    }
                })
        },
        .declaredInApplicationDatabase: {
            compile(
                Fleet("t") {
                    Database("labels", ownedBy: "Label Studio") {
                        Schema("control") {}
                    }
                })
        },
        .duplicateNodeAddress: {
            compile(
                Fleet("t") {
                    Cluster("c") {
                        Node("n1", role: .server, publicIP: "203.0.113.7")
                        Node("n2", role: .agent, publicIP: "203.0.113.7")
                    }
                })
        },
        .nodeInTwoClusters: {
            compile(
                Fleet("t") {
                    let shared = Node("n1", role: .server)
                    Cluster("a") { shared }
                    Cluster("b") { shared }
                })
        },
        .gpuWithoutDevicePlugin: {
            apps {
                Deployment("d") { Container("a", image: "x/a:1").resources(limits: .init(gpu: 1)) }.pinned(to: "n1")
            }
        },
        .duplicateCluster: {
            compile(
                Fleet("t") {
                    Cluster("c") { Node("a", role: .server) }
                    Cluster("c") { Node("b", role: .server) }
                })
        },
        .undeclaredNamespace: {
            compile(
                Fleet("t") {
                    Cluster("c") { RawObject(apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "nope") }
                })
        },
        .selectorMatchesNothing: {
            apps {
                app()
                Service("api", selector: ["app": "apj"]) { ServicePort("http", 80) }
            }
        },
        .targetPortNotExposed: {
            let a = app()
            return apps {
                a
                Service(selecting: a) { ServicePort("web", 80, target: "htp") }
            }
        },
        .duplicateContainerPort: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1") {
                        Port("http", 80)
                        Port("web", 80)
                    }
                }
            }
        },
        .duplicateContainer: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1")
                    Container("a", image: "x/b:1")
                }
            }
        },
        .duplicateEnv: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1") {
                        Env("A", "1")
                        Env("A", "2")
                    }
                }
            }
        },
        .invalidPort: { apps { app(port: 70000) } },
        .invalidQuantity: {
            apps { Deployment("d") { Container("a", image: "x/a:1").resources(requests: .init(cpu: "lots")) } }
        },
        .requestsExceedLimits: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1").resources(requests: .init(cpu: "2"), limits: .init(cpu: "1"))
                }
            }
        },
        .imageNotPinned: { apps { app(image: "nginx") } },
        .unknownNode: { apps { app().pinned(to: "nowhere") } },
        .undeclaredSecret: {
            apps { Deployment("d") { Container("a", image: "x/a:1") { Env("T", secretNamed: "s", key: "k") } } }
        },
        .unknownSecretKey: {
            let s = SecretDeclaration("s", keys: ["k": "esc"])
            return apps {
                s
                Deployment("d") { Container("a", image: "x/a:1") { Env("T", secret: s, key: "x") } }
            }
        },
        .undeclaredConfigMap: {
            apps { Deployment("d") { Container("a", image: "x/a:1") { EnvFrom.configMap(named: "cfg") } } }
        },
        .unknownConfigMapKey: {
            let m = ConfigMap("m", data: ["a": "1"])
            return apps {
                m
                Deployment("d") { Container("a", image: "x/a:1") { Env("T", configMap: m, key: "b") } }
            }
        },
        .undeclaredServiceAccount: { apps { app().serviceAccount(named: "robot") } },
        .undeclaredRole: {
            apps {
                ServiceAccount("sa")
                RoleBinding("b", roleNamed: "nope", toAccountsNamed: ["sa"])
            }
        },
        .unknownVolume: { apps { Deployment("d") { Container("a", image: "x/a:1") { Mount("nope", at: "/x") } } } },
        .unknownProbePort: { apps { Deployment("d") { Container("a", image: "x/a:1").liveness(.tcp(port: "http")) } } },
        .noContainers: { apps { Deployment("empty") {} } },
        .invalidAPIVersion: { apps { RawObject(apiVersion: "V1", kind: "Widget", name: "w") } },
        .invalidKind: { apps { RawObject(apiVersion: "example.com/v1", kind: "widget", name: "w") } },
        .reservedBodyKey: {
            apps {
                RawObject(apiVersion: "example.com/v1", kind: "Widget", name: "w", body: ["metadata": ["name": "x"]])
            }
        },
        .unknownSetting: {
            compile(
                Fleet("t") {}, settings: [Setting("port", default: 1, summary: "").erased],
                overrides: [SettingOverride(key: "prot", value: 2, location: .unknown)])
        },
        .invalidSetting: {
            compile(
                Fleet("t") {}, settings: [Setting("port", default: 1, summary: "").erased],
                overrides: [SettingOverride(key: "port", value: "two", location: .unknown)])
        },
        .uncheckedDependency: { layered(base: Layer("base", healthChecks: [.deployment("other", namespace: "data")])) },
        .unknownHealthCheck: {
            layered(
                base: Layer(
                    "base",
                    healthChecks: [.deployment("queue", namespace: "data"), .deployment("gone", namespace: "data")]))
        },
        .healthChecksIgnored: {
            layered(base: Layer("base", wait: true, healthChecks: [.deployment("queue", namespace: "data")]))
        },
        .undescribedChart: {
            apps {
                HelmRepository("charts", url: "https://charts.example.org")
                HelmRelease("cache", chart: "valkey", version: "1.1.0", repositoryNamed: "charts")
                    .renders(
                        ChartRendering(chart: "valkey", version: "1.0.0", source: "https://example.org") {
                            ChartWorkload(.statefulSet, "{release}") {
                                ChartContainer("valkey", image: "docker.io/valkey/valkey:8.0.1")
                            }
                        })
            }
        },
        .inventedDefault: {
            compile(
                Fleet("t") {},
                settings: [Setting("region", default: "us-east-1", summary: "", source: .invented("a guess")).erased])
        },
        .duplicateSetting: {
            compile(
                Fleet("t") {},
                settings: [
                    Setting("port", default: 1, summary: "").erased, Setting("port", default: 2, summary: "").erased,
                ])
        },
        .gpuWithoutGPUNode: {
            apps {
                Deployment("d") { Container("a", image: "x/a:1").resources(limits: .init(gpu: 1)) }.pinned(to: "n1")
            }
        },
        .unknownLayer: {
            compile(
                Fleet("t") {
                    Cluster("c") {
                        FluxSync(url: "u", branch: "b", path: "p", version: "v", chartVersion: "c") { Layer("apps") }
                        Namespace("apps", layer: "ap") { ConfigMap("m", data: [:]) }
                    }
                })
        },
        .danglingSourceRef: {
            flux(layers: [Layer("apps")]) {
                RawObject(
                    apiVersion: "source.toolkit.fluxcd.io/v1", kind: "HelmRelease", name: "r", namespace: "apps",
                    body: ["spec": ["chart": ["spec": ["sourceRef": ["kind": "HelmRepository", "name": "missing"]]]]])
            }
        },
        .danglingDependsOn: { flux(layers: [Layer("apps", dependsOn: ["infra"])]) },
        .dependencyCycle: { flux(layers: [Layer("a", dependsOn: ["apps"]), Layer("apps", dependsOn: ["a"])]) },
        // The middle layer holds nothing.
        .missingKustomizePath: { flux(layers: [Layer("apps"), Layer("empty"), Layer("web")]) },
        .duplicateKustomizePath: {
            flux(layers: [Layer("apps")]) {
                RawObject(
                    apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "twin",
                    namespace: "flux-system",
                    body: [
                        "spec": [
                            "path": "./clusters/c/apps", "sourceRef": ["kind": "GitRepository", "name": "flux-system"],
                        ]
                    ])
            }
        },
        .undeclaredSecretStore: {
            flux(layers: [Layer("apps")], store: false) {
                Namespace("shop") { SecretDeclaration("db", keys: ["url": "dbUrl"]) }
            }
        },
        .invalidDuration: { flux(layers: [Layer("apps", timeout: "5 minutes")]) },
        .invalidSourceURL: { apps { HelmRepository("charts", url: "ftp://charts.example") } },
        .chartAppVersionMismatch: {
            compile(
                Fleet("t") {
                    TestClusters.flux(version: "v2.9.0", chartVersion: "2.17.1", node: nil, layers: [Layer("apps")]) {
                        Namespace("apps") { ConfigMap("c", data: [:]) }
                    }
                })
        },
        .unknownChartRelease: {
            apps {
                let charts = HelmRepository("charts", url: "https://charts.external-secrets.io")
                charts
                HelmRelease("external-secrets", chart: "external-secrets", version: "0.1.0", from: charts)
            }
        },
        .neverReady: {
            compile(
                Fleet("t") {
                    TestClusters.flux(version: "v2.7.2", chartVersion: "2.17.1", layers: [Layer("apps")]) {
                        Namespace("apps", layer: "apps") {
                            Job("template") {
                                Container("t", image: "x/t:1.0")
                                    .resources(
                                        requests: .init(cpu: "10m", memory: "16Mi"),
                                        limits: .init(cpu: "10m", memory: "16Mi"))
                            }
                            .suspended()
                            .recreatedOnChange()
                        }
                    }
                })
        },
        .immutableFieldWithoutForce: {
            apps { Job("migrate") { Container("m", image: "x/m:1.0") } }
        },
        .movingTagNotPulled: {
            apps { Deployment("w") { Container("w", image: "x/w:main").imagePullPolicy("Never") } }
        },
        .invalidFluxPin: {
            compile(
                Fleet("t") {
                    TestClusters.flux(version: "latest", chartVersion: "2.17.1", node: nil, layers: [Layer("apps")]) {
                        Namespace("apps") { ConfigMap("c", data: [:]) }
                    }
                })
        },
        .invalidChartReference: {
            let repo = HelmRepository("charts", url: "https://charts.example")
            return apps {
                repo
                HelmRelease("r", chart: "", version: "1.0.0", from: repo)
            }
        },
        .undeclaredESCKey: {
            compile(
                Fleet("t") { Cluster("c") { Namespace("apps") { SecretDeclaration("db", keys: ["url": "dbUrll"]) } } },
                settings: [SecretSetting("dbUrl", summary: "").erased])
        },
        .secretInOutput: { SecretScan.run([GeneratedFile(path: "x.yaml", contents: "kind: Secret\n")]) },
        .secretInDefinition: { apps { ConfigMap("c", data: ["url": "postgres://u:p@h/db"]) } },
        .conflictingPodLabel: { apps { app().podLabels(["app.kubernetes.io/name": "other"]) } },
        .invalidAnnotation: { apps { app().annotations(["a/b/c": "x"]) } },
        .unrepresentableCharacter: { apps { ConfigMap("c", data: ["k": "\u{85}"]) } },
        .invalidDataKey: { apps { ConfigMap("c", data: ["a b": "x"]) } },
        .invalidSchedule: { apps { CronJob("j", schedule: "0 25 * * *") { Container("a", image: "x/a:1") } } },
        .invalidTimeZone: {
            apps { CronJob("j", schedule: "@daily") { Container("a", image: "x/a:1") }.timeZone("Nowhere/Place") }
        },
        .numberOutOfRange: { apps { app().replicas(-2) } },
        .unsupportedValue: { apps { Deployment("d") { Container("a", image: "x/a:1").imagePullPolicy("Sometimes") } } },
        .invalidToleration: { apps { app().tolerations([Toleration(key: "gpu", op: "Exists", value: "yes")]) } },
        .invalidRBACRule: { apps { Role("r") { PolicyRule(apiGroups: [""], resources: [], verbs: ["get"]) } } },
        .objectTooLarge: { apps { ConfigMap("big", data: ["k": String(repeating: "x", count: 1_048_577)]) } },
        .invalidRawBody: {
            apps {
                RawObject(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "p", body: ["value", 1])
            }
        },
        .nonFiniteNumber: {
            let repo = HelmRepository("charts", url: "https://charts.example")
            return apps {
                repo
                HelmRelease("r", chart: "c", version: "1.0.0", from: repo, values: ["ratio": .double(.nan)])
            }
        },
        .invalidDirective: { apps { ConfigMap("s", files: ["s.conf": .directives([Directive("acl", "a#b")])]) } },
        .unreadableLog: {
            let config = ConfigMap("s", files: ["squid.conf": .directives([Directive("cache_log", "/var/log/c.log")])])
            let volume = Volume.configMap("config", config)
            return apps {
                config
                Deployment("proxy") {
                    Container("squid", image: "ubuntu/squid:6.6-24.04_beta") { Mount(volume, at: "/etc/squid") }
                        .securityContext(SecurityContext(dropCapabilities: ["ALL"]))
                    volume
                }
            }
        },
        .unwritableLog: {
            apps { ConfigMap("s", files: ["squid.conf": .directives([Directive("access_log", "stdio:/dev/stdout")])]) }
        },
        .unlistedPolicyType: {
            apps { NetworkPolicy("p", pods: .all, types: [.egress]) { IngressRule(from: [.pods(.all)]) } }
        },
        .invalidCIDR: {
            apps { NetworkPolicy("p", pods: .all, types: [.egress]) { EgressRule(to: [.ipBlock(cidr: "10.0.0.0")]) } }
        },
        .policySelectsNothing: { apps { NetworkPolicy("p", pods: .labels(["app": "ghost"]), types: [.egress]) {} } },
        .rewrittenServerName: {
            let proxy = Deployment("p") {
                Container("p", image: "x/socat:1") { Port("pg", 5432) }.args(["TCP:db.example.com:5432"])
            }
            return apps {
                proxy
                Service(selecting: proxy) { ServicePort("pg", 5432) }
                Deployment("d") {
                    Container("a", image: "x/a:1") { Env("DB", "postgresql://p.apps.svc.cluster.local/x") }
                        .verifiesServerName()
                }
            }
        },
        .missingSchemaGrant: {
            let secret = SecretDeclaration("db", keys: ["url": "shopApiUrl"])
            var fleet = Fleet("t") {
                Cluster("c") {
                    Node("n1", role: .server)
                    Namespace("apps") {
                        secret
                        Deployment("d") {
                            Container("a", image: "x/a:1") { Env("DATABASE_URL", secret: secret, key: "url") }
                                .args(["--schema", "s"])
                        }
                    }
                }
            }
            fleet.databases = [
                Database("shop") {
                    Schema("s") {}
                    DatabaseRole("api", login: true)
                    ConnectionURL(key: "shopApiUrl", as: "api")
                }
            ]
            return FleetCheck.run(fleet)
        },
        .networkFacingSuperuser: {
            let secret = SecretDeclaration("db", keys: ["url": "shopAdminUrl"])
            let api = Deployment("d") {
                Container("a", image: "x/a:1") {
                    Port("http", 80)
                    Env("DATABASE_URL", secret: secret, key: "url")
                }
            }
            var fleet = Fleet("t") {
                Cluster("c") {
                    Node("n1", role: .server)
                    Namespace("apps") {
                        secret
                        api
                        Service(selecting: api) { ServicePort("http", 80) }
                    }
                }
            }
            fleet.databases = [
                Database("shop") { ConnectionURL(key: "shopAdminUrl", as: "postgres", authority: .superuser) }
            ]
            return FleetCheck.run(fleet)
        },
        .undeclaredURLRole: {
            let secret = SecretDeclaration("db", keys: ["url": "shopApiUrl"])
            var fleet = Fleet("t") {
                Cluster("c") {
                    Node("n1", role: .server)
                    Namespace("apps") {
                        secret
                        Deployment("d") {
                            Container("a", image: "x/a:1") { Env("DATABASE_URL", secret: secret, key: "url") }
                        }
                    }
                }
            }
            fleet.databases = [Database("shop", schemas: ["s"])]
            return FleetCheck.run(fleet)
        },
        .unreachableModelRepository: {
            let repository = ModelRepository(url: "https://m.example.com", models: ["m"])
            return apps { Job("train") { Container("t", image: "x/t:1") }.publishesModels(to: repository) }
        },
        .untrustedServerCA: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1") { Env("DB", "postgresql://db.example.com/x") }.verifiesServerName()
                }
            }
        },
        .unreachableAddress: {
            apps {
                Deployment("d") { Container("a", image: "x/a:1") { Env("DB", "postgresql://db.example.com/x") } }
                NetworkPolicy("deny", pods: .all, types: [.egress]) {}
            }
        },
        .memoryInMillibytes: {
            apps { Deployment("d") { Container("a", image: "x/a:1").resources(limits: .init(memory: "256m")) } }
        },
        .missingNamespace: {
            compile(Fleet("t") { Cluster("c") { RawObject(apiVersion: "apps/v1", kind: "Deployment", name: "loose") } })
        },
        .invalidNodePort: {
            let a = app()
            return apps {
                a
                Service(selecting: a) { ServicePort("http", 80, nodePort: 80) }.type(.nodePort)
            }
        },
        .duplicateNodePort: {
            let a = app()
            return apps {
                a
                Service("one", selecting: a) { ServicePort("http", 80, nodePort: 30001) }.type(.nodePort)
                Service("two", selecting: a) { ServicePort("http", 80, nodePort: 30001) }.type(.nodePort)
            }
        },
        .duplicateOutputPath: {
            compile(
                Fleet("t") {
                    Cluster("c") {
                        Namespace("web")
                        Namespace("apps") {
                            ConfigMap("web-x", data: [:])
                            RawObject(apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "web")
                        }
                    }
                })
        },
        .duplicateVolume: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1")
                    Volume.emptyDir("v")
                    Volume.emptyDir("v")
                }
            }
        },
        .duplicateServicePort: {
            let a = app()
            return apps {
                a
                Service(selecting: a) {
                    ServicePort("http", 80)
                    ServicePort("http", 81)
                }
            }
        },
        .invalidMount: {
            apps {
                Deployment("d") {
                    Container("a", image: "x/a:1") { Mount("v", at: "relative") }
                    Volume.emptyDir("v")
                }
            }
        },
        .invalidProbe: { apps { Deployment("d") { Container("a", image: "x/a:1").liveness(.exec([])) } } },
        .invalidImage: { apps { app(image: "nginx@") } },
        .duplicateKey: {
            let repo = HelmRepository("charts", url: "https://charts.example")
            return apps {
                repo
                HelmRelease(
                    "r", chart: "c", version: "1.0.0", from: repo,
                    values: ["redis": ["enabled": false], "redis": ["enabled": true]])
            }
        },
        .baselineChangedAfterAdoption: {
            // An adopted database whose baseline appears after the fact (the lock records none).
            let baseline = JSONRenderer.render(SchemaState.empty("shop"))
            let inputs = DictionaryInputTree(["sql/shop/baseline.json": baseline])
            return CompilerPipeline.compile(FleetDefinition(Fleet("t") { Database("shop").adopted() }), inputs: inputs)
                .diagnostics
        },
        .invalidMigration: {
            let inputs = DictionaryInputTree(["sql/shop/migrations/V1__short.sql": "SELECT 1;"])
            return CompilerPipeline.compile(FleetDefinition(Fleet("t") { Database("shop") }), inputs: inputs)
                .diagnostics
        },
        .guardrail: {
            let fleet = Fleet("t") {
                Cluster("c") {
                    Namespace("apps") {
                        Deployment("w") {
                            Container("w", image: "x/w:1.0").resources(
                                requests: .init(cpu: "1m", memory: "1Mi"), limits: .init(cpu: "1m", memory: "1Mi"))
                        }
                    }
                }
            }
            let policy = GuardrailPolicy(egress: .init(namespace: "apps", gatewayNamespace: "egress-system"))
            return CompilerPipeline.compile(FleetDefinition(fleet, guardrails: policy)).diagnostics
        },
        .unknownTemplateKey: { apps { SecretDeclaration("s", keys: ["url": "u"]).template(["A": "{{ .uri }}"]) } },
        // The edge: one part of EdgeFixtures replaced each time.
        .missingSetting: { edge(EdgeFixtures.cloudflare(accountID: "")) },
        .placeholderSetting: { edge(EdgeFixtures.cloudflare(accountID: String(repeating: "0", count: 32))) },
        .unknownCluster: {
            edge(
                Cloudflare(
                    account: EdgeFixtures.id(EdgeFixtures.accountID), zone: "example.com",
                    zoneId: EdgeFixtures.id(EdgeFixtures.zoneID),
                    apiToken: EdgeFixtures.apiToken
                ) {
                    Tunnel.remote(
                        "t", id: EdgeFixtures.id(EdgeFixtures.clusterTunnelID), cluster: Cluster("nowhere") {}
                    ) {
                        TunnelIngressRule.catchAll(.httpStatus(404))
                    }
                })
        },
        .invalidPrivateRoute: {
            var cloudflare = EdgeFixtures.cloudflare()
            cloudflare.privateRoutes = [PrivateNetworkRoute("10.42.0.0", via: "t", comment: "pods")]
            return edge(cloudflare)
        },
        .ignoredWarpRouting: {
            apps {
                ConfigMap(
                    "c",
                    files: ["config.yaml": .yaml(CloudflaredConfig(metrics: "127.0.0.1:2200", warpRouting: true).tree)])
            }
        },
        .invalidHostname: { edgeRule(TunnelIngressRule("a.*.example.com", to: .httpStatus(204))) },
        .hostnameOutsideZone: { edgeRule(TunnelIngressRule("a.example.org", to: .httpStatus(204))) },
        .invalidPathRegex: { edgeRule(TunnelIngressRule("a.example.com", path: "(?=x)", to: .httpStatus(204))) },
        .invalidIngressService: { edgeRule(TunnelIngressRule("a.example.com", to: .url("ftp://x:21"))) },
        .misplacedCatchAll: { edge(EdgeFixtures.cloudflare(clusterRules: [])) },
        .shadowedIngressRule: {
            edge(
                EdgeFixtures.cloudflare(clusterRules: [
                    TunnelIngressRule("*.example.com", to: .httpStatus(204)).publicOnPurpose("t"),
                    TunnelIngressRule("a.example.com", to: .httpStatus(204)).publicOnPurpose("t"),
                    .catchAll(.httpStatus(404)),
                ]))
        },
        .unknownRouteTarget: {
            edgeRule(TunnelIngressRule("a.example.com", to: .service("missing", namespace: "web", port: 80)))
        },
        .duplicateDNSRecord: {
            edge(
                EdgeFixtures.cloudflare {
                    DNSRecordDeclaration(type: "A", name: "model.example.com", content: "192.0.2.1")
                })
        },
        .wrongTunnelTarget: {
            edge(EdgeFixtures.cloudflare(nodeDNSTarget: "\(EdgeFixtures.clusterTunnelID).cfargotunnel.com"))
        },
        .accessWithoutRoute: {
            edge(
                EdgeFixtures.cloudflare { AccessPolicy("nothing.example.com", serviceTokens: [EdgeFixtures.pipeline]) })
        },
        .unprotectedHostname: { edge(EdgeFixtures.cloudflare(policies: [])) },
        .undeclaredServiceToken: {
            edge(
                EdgeFixtures.cloudflare(policies: [
                    AccessPolicy("model.example.com", serviceTokens: [AccessServiceToken("x")])
                ]))
        },
        .accessPolicyOnPublicRoute: {
            let tokens = [EdgeFixtures.pipeline]
            return edge(
                EdgeFixtures.cloudflare(policies: [
                    AccessPolicy("model.example.com", serviceTokens: tokens),
                    AccessPolicy("web.example.com", serviceTokens: tokens),
                ]))
        },
        .invalidAccessPolicy: { edge(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com")])) },
        .invalidCloudflareID: { edge(EdgeFixtures.cloudflare(accountID: "not-an-id")) },
        .invalidDNSRecord: {
            edge(EdgeFixtures.cloudflare { DNSRecordDeclaration(type: "BOGUS", name: "x.example.com", content: "y") })
        },
        .invalidOriginRequest: {
            edgeRule(
                TunnelIngressRule(
                    "a.example.com", to: .url("https://10.0.0.10:6443"),
                    originRequest: OriginRequest(connectTimeoutSeconds: 0)))
        },
        // Hosts: one service of lab-gpu replaced each time.
        .invalidHostCommand: { host(HostService("tool", description: "tool", exec: ["tool"])) },
        .invalidRestartPolicy: { host(HostService("tool", description: "t", exec: ["/bin/t"], restartSeconds: -1)) },
        .invalidUnitDependency: { host(HostService("tool", description: "t", exec: ["/bin/t"], requires: ["a unit"])) },
        // The database firewall and the applications oceanid-apply reconciles.
        .invalidFirewallNetwork: { firewall("db-net!") { FirewallSource(gateway, description: "gateway") } },
        .firewallAdmitsNothing: { firewall("abc123") {} },
        .invalidFirewallSource: { firewall("abc123") { FirewallSource(gateway, description: "") } },
        .emptyModelRepository: { models("https://model.example.com", []) },
        .sharedLocalTunnel: {
            TunnelConnectorsTests.check {
                SecretDeclaration("relay-token", keys: ["token": "labTunnelToken"])
                TunnelConnectorsTests.connector("relay", line: 1)
            }
        },
        .hostNetworkListensOnAllAddresses: {
            TunnelConnectorsTests.check(localToken: false) {
                DaemonSet("exporter") {
                    Container("exporter", image: "example/exporter:1.0").args(["--listen", "0.0.0.0:9200"])
                }
                .hostNetwork()
            }
        },
        .modelNotLoadedAtStart: {
            TritonStartupTests.check(
                ["--model-control-mode=explicit", "--exit-on-error=false"], models: ["ner"], serverLine: 1,
                repositoryLine: 2)
        },
        .modelServerExitsOnLoadError: {
            TritonStartupTests.check([], models: ["ner"], serverLine: 1, repositoryLine: 2)
        },
        .modelServerNotReadyWhileOneFails: {
            TritonStartupTests.check(["--exit-on-error=false"], models: ["ner"], serverLine: 1, repositoryLine: 2)
        },
        .invalidModelName: { models("https://model.example.com", ["a/"]) },
        .invalidApplicationURL: { models("http://model.example.com", ["m"]) },
        .bucketCORSMissing: {
            fleet {
                $0.labelStudio = LabelStudioStorages(url: "https://model.example.com", apiToken: key) {
                    S3Storage.import(
                        title: "t", bucket: "uploads", region: "us-east-1", prefix: "p", accessKeyId: key,
                        secretAccessKey: key)
                }
            }
        },
        .invalidBucketCORS: {
            fleet {
                $0.labelStudio = LabelStudioStorages(
                    url: "https://model.example.com", apiToken: key, bucketCORS: BucketCORSRule(methods: ["PATCH"])
                ) {}
            }
        },
        .invalidLabelStudioStorage: {
            fleet {
                $0.labelStudio = LabelStudioStorages(url: "https://model.example.com", apiToken: key) {
                    S3Storage.export(
                        title: "t", bucket: "Bad_Bucket", region: "r", prefix: "p", accessKeyId: key,
                        secretAccessKey: key)
                }
            }
        },
        .hostPortConflict: {
            let clash = HostService(
                "agent", description: "agent", exec: ["/usr/bin/agent"], ports: [HostPort("metrics", 2200)])
            return FleetCheck.run(
                EdgeFixtures.fleet(hosts: [
                    Host("lab-gpu") {
                        EdgeFixtures.model
                        clash
                    }
                ]))
        },
        .accessTokenMissing: {
            var fleet = EdgeFixtures.fleet()
            fleet.clusters[0].items.append(
                .namespace(
                    Namespace("clients") {
                        Deployment("client") {
                            Container("c", image: "x/c:1.0") { Env("MODEL_URL", "https://model.example.com/v2") }
                                .resources(
                                    requests: .init(cpu: "10m", memory: "16Mi"),
                                    limits: .init(cpu: "10m", memory: "16Mi"))
                        }
                    }))
            return FleetCheck.run(fleet)
        },
        .unroutedHostname: {
            var fleet = EdgeFixtures.fleet()
            fleet.clusters[0].items.append(
                .namespace(
                    Namespace("clients") {
                        Deployment("client") {
                            Container("c", image: "x/c:1.0") { Env("URL", "https://nothing.example.com") }
                                .resources(
                                    requests: .init(cpu: "10m", memory: "16Mi"),
                                    limits: .init(cpu: "10m", memory: "16Mi"))
                        }
                    }))
            return FleetCheck.run(fleet)
        },
        // Databases: a committed table no longer declared, a stale rename hint, a key on a missing column.
        .destructiveChange: {
            let before = Database("shop") { Schema("s") { Table("t") { Column("a", .text) } } }
            let (_, plans) = MigrationPlanner.plan([before], inputs: EmptyInputTree())
            let after = Database("shop") { Schema("s") {} }
            return MigrationPlanner.plan(
                [after],
                inputs: DictionaryInputTree([
                    SchemaLock.path("shop"): JSONRenderer.render(plans[0].lock),
                    plans[0].next[0].path: plans[0].next[0].text,
                ])
            ).diagnostics
        },
        .lockingChange: {
            let before = Database("shop") { Schema("s") { Table("t") { Column("a", .integer) } } }
            let (_, plans) = MigrationPlanner.plan([before], inputs: EmptyInputTree())
            let after = Database("shop") { Schema("s") { Table("t") { Column("a", .bigint) } } }
            return MigrationPlanner.plan(
                [after],
                inputs: DictionaryInputTree([
                    SchemaLock.path("shop"): JSONRenderer.render(plans[0].lock),
                    plans[0].next[0].path: plans[0].next[0].text,
                ])
            ).diagnostics
        },
        .staleHint: {
            let before = Database("shop") { Schema("s") { Table("t") { Column("a", .text) } } }
            let (_, plans) = MigrationPlanner.plan([before], inputs: EmptyInputTree())
            let hinted = Database("shop") { Schema("s") { Table("t") { Column("a", .text) }.renamed(from: "old") } }
            return MigrationPlanner.plan(
                [hinted],
                inputs: DictionaryInputTree([
                    SchemaLock.path("shop"): JSONRenderer.render(plans[0].lock),
                    plans[0].next[0].path: plans[0].next[0].text,
                ])
            ).diagnostics
        },
        .invalidSchema: {
            FleetCheck.run(
                Fleet("t") {
                    Database("shop") {
                        Schema("s") {
                            Table("t") {
                                Column("a", .text)
                                PrimaryKey("b")
                            }
                        }
                    }
                })
        },
    ]

    static func edge(_ cloudflare: Cloudflare) -> [Diagnostic] { FleetCheck.run(EdgeFixtures.fleet(cloudflare)) }

    /// The edge fixture's lab-gpu host with its model server and `service`.
    static func host(_ service: HostService) -> [Diagnostic] {
        FleetCheck.run(
            EdgeFixtures.fleet(hosts: [
                Host("lab-gpu") {
                    EdgeFixtures.model
                    service
                }
            ]))
    }

    /// The edge fixture, changed by `change`.
    static func fleet(_ change: (inout Fleet) -> Void) -> [Diagnostic] {
        var fleet = EdgeFixtures.fleet()
        change(&fleet)
        return FleetCheck.run(fleet)
    }

    /// The edge fixture with one database firewall of `network` admitting `sources`.
    static func firewall(
        _ network: String,
        @ListBuilder<FirewallSource> _ sources: () -> [FirewallSource]
    ) -> [Diagnostic] {
        let firewall = DatabaseFirewall(network: network, apiKey: key, sources)
        return fleet { $0.firewall = firewall }
    }

    /// The edge fixture with one Triton model repository.
    static func models(_ url: String, _ models: [String]) -> [Diagnostic] {
        fleet { $0.modelRepositories = [ModelRepository(url: url, models: models)] }
    }

    static let key = SecretSetting("apiKey", summary: "")
    static let gateway = Node("lab-1", role: .server, publicIP: "192.0.2.10")

    /// The cluster tunnel with this rule (public on purpose) before its catch-all.
    static func edgeRule(_ rule: TunnelIngressRule) -> [Diagnostic] {
        edge(EdgeFixtures.cloudflare(clusterRules: [rule.publicOnPurpose("t"), .catchAll(.httpStatus(404))]))
    }

    @Test func everyCodeHasATrippingFixture() {
        let missing = DiagnosticCode.allCases.filter { Self.fixtures[$0] == nil }
        #expect(missing.isEmpty, "codes without a fixture: \(missing.map(\.rawValue))")
    }

    @Test(arguments: DiagnosticCode.allCases)
    func fixtureTripsItsCode(_ code: DiagnosticCode) throws {
        let fixture = try #require(Self.fixtures[code], "no fixture for \(code.rawValue)")
        let diagnostics = fixture()
        #expect(diagnostics.contains { $0.code == code }, "\(code.rawValue): got \(diagnostics.map { $0.formatted() })")
    }
}
