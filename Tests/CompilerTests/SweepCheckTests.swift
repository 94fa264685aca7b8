import Compiler
import DSL
import Testing
import TestSupport

/// The checks of the correctness sweep: each trips on a fixture, at the declaration's line,
/// naming the offending value. Helpers (`check`, `one`, `app`) are CheckTests'.
extension CheckTests {
    func warning(_ diagnostics: [Diagnostic], _ code: DiagnosticCode, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Diagnostic {
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        let d = try #require(diagnostics.first { $0.code == code }, sourceLocation: sourceLocation)
        #expect(d.severity == .warning, sourceLocation: sourceLocation)
        return d
    }

    // MARK: CronJob schedules

    func cron(_ schedule: String, line: Int = #line) -> CronJob {
        CronJob("report", schedule: schedule, line: line) {
            Container("report", image: "busybox:1.36.1", line: line)
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
        }
    }

    @Test(arguments: ["0 3 * * *", "*/15 * * * *", "0 0 1,15 * MON-FRI", "5 4 * jan,Dec sun", "@daily", "@every 1h30m",
                      "0-59/5 0-23 1-31 1-12 0-6", "? * * * *", "30 2 */2 * 1-5"])
    func validSchedules(_ schedule: String) {
        #expect(check { cron(schedule) } == [], "\(schedule)")
    }

    @Test(arguments: [
        ("0 3 * *", "expected exactly 5 fields, found 4"),
        ("0 3 * * * *", "expected exactly 5 fields, found 6"),
        ("60 * * * *", "minute field: 60 is outside 0-59"),
        ("0 24 * * *", "hour field: 24 is outside 0-23"),
        ("0 0 0 * *", "day of month field: 0 is outside 1-31"),
        ("0 0 * 13 *", "month field: 13 is outside 1-12"),
        ("0 0 * * 7", "day of week field: 7 is outside 0-6"),
        ("*/0 * * * *", "minute field: step of '*/0' must be a positive number"),
        ("5-1 * * * *", "minute field: '5-1' starts after it ends"),
        ("0 0 * * funday", "day of week field: 'funday' is not a number or name"),
        ("@fortnightly", "unknown descriptor '@fortnightly'"),
        ("", "it is empty"),
    ])
    func invalidSchedules(_ schedule: String, _ problem: String) throws {
        let line = #line + 1
        let d = try one(check { cron(schedule) }, .invalidSchedule)
        #expect(d.location.line == line)
        #expect(d.message == "CronJob 'report' schedule '\(schedule)' is invalid: \(problem)")
    }

    @Test func timeZonePrefixPointsToTimeZone() throws {
        for schedule in ["TZ=Europe/Lisbon 0 3 * * *", "CRON_TZ=UTC 0 3 * * *"] {
            let line = #line + 1
            let d = try one(check { cron(schedule) }, .invalidSchedule)
            #expect(d.location.line == line)
            #expect(d.message.hasSuffix("is invalid: a TZ= or CRON_TZ= prefix is rejected by the API server"))
            #expect(d.notes.first?.message == "write the zone with .timeZone(\"Europe/Lisbon\") (spec.timeZone)")
        }
    }

    @Test func timeZonesAndCronJobFields() throws {
        #expect(check { cron("0 3 * * *").timeZone("Europe/Lisbon").concurrencyPolicy(.forbid)
            .startingDeadline(seconds: 300).historyLimits(successful: 3, failed: 1) } == [])
        #expect(check { cron("0 3 * * *").timeZone("Etc/UTC") } == [])
        for (zone, problem) in [("Mars/Olympus", "no such zone in the IANA time zone database"), ("GMT+5", "an offset is not a zone name (use Etc/GMT+5 style names)"),
                                ("Local", "'Local' is the controller's own zone and is rejected"),
                                ("Europe/../etc", "'..' is not a part of an IANA name"), ("", "it is empty")] {
            let line = #line + 1
            let d = try one(check { cron("0 3 * * *").timeZone(zone) }, .invalidTimeZone)
            #expect(d.location.line == line)
            #expect(d.message == "CronJob 'report' time zone '\(zone)' is invalid: \(problem)")
        }
        let line = #line + 1
        let d = try one(check { cron("0 3 * * *").historyLimits(failed: -1) }, .numberOutOfRange)
        #expect(d.location.line == line)
        #expect(d.message == "CronJob 'report' failedJobsHistoryLimit is -1; it must be 0 or more")
    }

    // MARK: Labels and annotations, whoever wrote them

    @Test func objectLabelsOfWorkloadsAndEveryKindAreChecked() throws {
        let line = #line + 1
        let d = try one(check { Self.app().labels(["team": "data science"]) }, .invalidLabel)
        #expect(d.location.line == line)
        #expect(d.message.hasPrefix("label value 'team=data science' is invalid: value must consist of alphanumerics"))
        let mapLine = #line + 1
        let m = try one(check { ConfigMap("c", data: [:]).labels(["-bad": "x"]) }, .invalidLabel)
        #expect(m.location.line == mapLine)
        #expect(m.message.contains("label key '-bad' is invalid"))
        #expect(m.message.contains("(on ConfigMap apps/c)"))
    }

    @Test func generatedLabelsAreCheckedToo() throws {
        // A 71-character dotted name is a valid object name but not a valid label value.
        let name = String(repeating: "a", count: 40) + "." + String(repeating: "b", count: 30)
        let line = #line + 1
        let diagnostics = check { ConfigMap(name, data: [:]) }
        let d = try one(diagnostics, .invalidLabel)
        #expect(d.location.line == line)
        #expect(d.message.contains("label value 'app.kubernetes.io/name=\(name)' is invalid: value must be at most 63 characters (has 71)"))
    }

    @Test func annotationKeysEverywhereAndTheirTotal() throws {
        let podLine = #line + 1
        let pod = try one(check { Self.app().podAnnotations(["bad key": "x"]) }, .invalidAnnotation)
        #expect(pod.location.line == podLine)
        #expect(pod.message.hasPrefix("pod annotation key 'bad key' of Deployment apps/api is invalid: name part must consist of"))
        // Keys are checked in lower case, as the API server does: "Example.COM/Owner" is fine.
        let nsLine = #line + 1
        let ns = Namespace("apps", annotations: ["example.com/ok": "1", "Example.COM/Owner": "y", "a/b/c": "z"])
        let diagnostics = FleetCheck.run(Fleet("t") { Cluster("c") { ns } })
        #expect(diagnostics.map(\.code) == [.invalidAnnotation])
        #expect(diagnostics.first?.location.line == nsLine)
        #expect(diagnostics.first?.message == "annotation key 'a/b/c' of Namespace apps is invalid: may contain at most one '/'")
        let bigLine = #line + 1
        let big = try one(check { ConfigMap("c", data: [:]).annotations(["a": String(repeating: "x", count: 262_144)]) }, .invalidAnnotation)
        #expect(big.location.line == bigLine)
        #expect(big.message == "annotations of ConfigMap apps/c total 262145 bytes, more than the API server's 262144 (256 KiB, keys and values counted)")
    }

    @Test func escapeHatchLabelsAndPodTemplates() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "apps/v1", kind: "StatefulSet", name: "db", labels: ["ok": "yes"], body: ["spec": [
            "template": ["metadata": ["labels": ["app": "db", "bad/key/x": "v"]]],
        ]])
        let d = try one(check { raw }, .invalidLabel)
        #expect(d.location.line == line)
        #expect(d.message.hasPrefix("pod label key 'bad/key/x' is invalid"))
    }

    @Test func declaredPodLabelsMayNotContradictTheGeneratedOnes() throws {
        let line = #line + 1
        let d = try one(check { Self.app().podLabels(["app": "legacy"]) }, .conflictingPodLabel)
        #expect(d.location.line == line)
        #expect(d.message == "pod label 'app=legacy' of 'api' conflicts with the generated 'app=api'")
        #expect(check { Self.app().podLabels(["app": "api"]) } == [])
    }

    @Test func unrepresentableCharacters() throws {
        let line = #line + 1
        let d = try one(check { ConfigMap("c", data: ["k": "del\u{7F}", "ok": "fish \u{1F41F}"]) }, .unrepresentableCharacter)
        #expect(d.location.line == line)
        #expect(d.message == "ConfigMap apps/c has U+007F at 'data.k', which kubectl and Flux cannot write back")
        #expect(try one(check { ConfigMap("c", data: ["k": "\u{FFFE}"]) }, .unrepresentableCharacter).message.contains("U+FFFE"))
        #expect(check { ConfigMap("c", data: ["k": "\u{FEFF}bom\r\u{2028}"]) } == [])
    }

    // MARK: Data keys

    @Test func configMapAndSecretKeys() throws {
        let line = #line + 1
        let d = try one(check { ConfigMap("c", data: ["config yaml": "x", "ok.yaml": "y"]) }, .invalidDataKey)
        #expect(d.location.line == line)
        #expect(d.message == "ConfigMap 'c' key 'config yaml' is invalid: must consist of alphanumerics, '-', '_' or '.' (found ' ')")
        for key in [".", "..", "..data", String(repeating: "k", count: 254)] {
            #expect(try one(check { ConfigMap("c", data: [key: "x"]) }, .invalidDataKey).message.contains("key '\(key)'"))
        }
        let secretLine = #line + 1
        let s = try one(check { SecretDeclaration("s", keys: ["a/b": "x"]) }, .invalidDataKey)
        #expect(s.location.line == secretLine)
        #expect(s.message.hasPrefix("secret 's' key 'a/b' is invalid"))
    }

    // MARK: References

    @Test func subPathAndItemsNameKeysTheVolumeHas() throws {
        let config = ConfigMap("squid", data: ["squid.conf": "x"])
        let mountLine = #line + 4
        let d = try one(check {
            config
            Deployment("proxy") {
                Container("squid", image: "x/squid:1") { Mount("config", at: "/etc/squid/squid.conf", subPath: "squid.cfg") }
                Volume.configMap("config", config)
            }
        }, .unknownConfigMapKey)
        #expect(d.location.line == mountLine)
        #expect(d.message == "mount of volume 'config' (subPath) uses key 'squid.cfg' of ConfigMap 'squid', which has no such key")
        #expect(d.notes.first?.message == "did you mean 'squid.conf'?")

        let secret = SecretDeclaration("tls", keys: ["cert": "tlsCert"])
        let itemLine = #line + 5
        let i = try one(check {
            secret
            Deployment("web") {
                Container("web", image: "x/web:1") { Mount("tls", at: "/tls") }
                Volume.secret("tls", secret, items: [VolumeItem("crt", path: "tls.crt")])
            }
        }, .unknownSecretKey)
        #expect(i.location.line == itemLine)
        #expect(i.message == "volume 'tls' item uses key 'crt' of secret 'tls', which declares no such key")
        // A subPath through items names the item's path (this cluster has no secret store: the
        // clean fleet still reaches the Flux graph check, which says so).
        #expect(check {
            secret
            Deployment("web") {
                Container("web", image: "x/web:1") { Mount("tls", at: "/tls/tls.crt", subPath: "tls.crt") }
                Volume.secret("tls", secret, items: [VolumeItem("cert", path: "tls.crt")])
            }
        }.map(\.code) == [.undeclaredSecretStore])
    }

    @Test func numericProbePortMustBeExposed() throws {
        let line = #line + 2
        let d = try one(check {
            Deployment("api") { Container("api", image: "x/api:1") { Port("http", 8080) }.liveness(.tcp(port: 9090)) }
        }, .unknownProbePort)
        #expect(d.location.line == line)
        #expect(d.message == "container 'api' liveness probe uses port 9090, which the container does not expose")
        #expect(check { Deployment("api") { Container("api", image: "x/api:1") { Port("http", 8080) }.liveness(.tcp(port: 8080)) } } == [])
    }

    @Test func hostnameNodeSelectorNamesADeclaredNode() throws {
        let line = #line + 1
        let d = try one(check { Self.app().nodeSelector(["kubernetes.io/hostname": "n2"]) }, .unknownNode)
        #expect(d.location.line == line)
        #expect(d.message == "'api' selects node 'kubernetes.io/hostname=n2', which the cluster does not declare")
        #expect(check { Self.app().nodeSelector(["kubernetes.io/hostname": "n1"]) } == [])
    }

    @Test func helmReleaseTargetNamespace() throws {
        let repo = HelmRepository("charts", url: "https://charts.example")
        let line = #line + 1
        let d = try one(check { repo; HelmRelease("x", chart: "x", version: "1.0.0", from: repo, targetNamespace: "monitorin") }, .undeclaredNamespace)
        #expect(d.location.line == line)
        #expect(d.message == "HelmRelease 'x' installs into namespace 'monitorin', which the cluster does not declare")
    }

    @Test func envFromIsCheckedLikeEnv() throws {
        let map = ConfigMap("settings", data: ["A": "1"])
        #expect(check { map; Deployment("api") { Container("api", image: "x/api:1") { EnvFrom.configMap(map, prefix: "CFG_") } } } == [])
        let line = #line + 2
        let d = try one(check {
            Deployment("api") { Container("api", image: "x/api:1") { EnvFrom.secret(named: "creds") } }
        }, .undeclaredSecret)
        #expect(d.location.line == line)
        #expect(d.message == "envFrom of container 'api' references secret 'creds', which namespace 'apps' does not declare")
    }

    @Test func networkPolicySelectorsMatchingNoPodAreWarnings() throws {
        let line = #line + 1
        let d = try warning(check { Self.app(); NetworkPolicy("p", pods: .labels(["app.kubernetes.io/name": "apj"]), types: [.egress]) {} },
                            .policySelectsNothing)
        #expect(d.location.line == line)
        #expect(d.message == "NetworkPolicy 'p' podSelector selects {app.kubernetes.io/name=apj}, which matches no pod in namespace 'apps'")
        let api = Self.app()
        #expect(check { api; NetworkPolicy("p", pods: .workload(api), types: [.egress]) { EgressRule(to: [.pods(.labels(["app": "api"]))]) } } == [])
    }

    // MARK: NetworkPolicy types and CIDRs

    @Test func rulesOfAnUnlistedTypeAreAnError() throws {
        let line = #line + 1
        let d = try one(check { NetworkPolicy("p", pods: .all, types: [.ingress]) { EgressRule(to: [.pods(.all)]) } }, .unlistedPolicyType)
        #expect(d.location.line == line)
        #expect(d.message == "NetworkPolicy 'p' has egress rules, but its policyTypes do not list Egress: Kubernetes would ignore them")
    }

    @Test(arguments: [
        ("10.0.0.0/33", [String](), "ipBlock '10.0.0.0/33' is invalid: not an IPv4 or IPv6 CIDR like 10.0.0.0/8"),
        ("10.0.0/8", [], "ipBlock '10.0.0/8' is invalid: not an IPv4 or IPv6 CIDR like 10.0.0.0/8"),
        ("10.0.0.0/8", ["10.0.0.0/8"], "ipBlock '10.0.0.0/8' is invalid: except must be a strict subset of '10.0.0.0/8'"),
        ("10.0.0.0/8", ["192.168.0.0/16"], "ipBlock '192.168.0.0/16' is invalid: except must be a strict subset of '10.0.0.0/8'"),
        ("fd00::/8", ["10.1.0.0/16"], "ipBlock '10.1.0.0/16' is invalid: except must be a strict subset of 'fd00::/8'"),
        ("10.0.0.0/8", ["10.1.0.0/x"], "ipBlock '10.1.0.0/x' is invalid: not an IPv4 or IPv6 CIDR (in except)"),
    ])
    func cidrs(_ cidr: String, _ except: [String], _ message: String) throws {
        let line = #line + 1
        let d = try one(check { NetworkPolicy("p", pods: .all, types: [.egress]) { EgressRule(to: [.ipBlock(cidr: cidr, except: except)]) } },
                        .invalidCIDR)
        #expect(d.location.line == line)
        #expect(d.message == "NetworkPolicy 'p' \(message)")
    }

    @Test func validCIDRs() {
        #expect(check { NetworkPolicy("p", pods: .all, types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12"]), .ipBlock(cidr: "10.43.0.1/32"),
                            .ipBlock(cidr: "fd00::/8", except: ["fd00:1::/32"]), .ipBlock(cidr: "::/0")])
        } } == [])
    }

    // MARK: Quantities, scope, node ports, names

    @Test func memoryInMillibytesIsAWarning() throws {
        let line = #line + 2
        let d = try warning(check {
            Deployment("api") { Container("api", image: "x/api:1").resources(requests: .init(memory: "512m"), limits: .init(memory: "1Gi")) }
        }, .memoryInMillibytes)
        #expect(d.location.line == line)
        #expect(d.message == "container 'api' memory request '512m' is in millibytes ('m' = 1/1000 byte)")
        #expect(d.notes.first?.message == "did you mean '512Mi'?")
    }

    @Test func namespacedKindAtClusterLevel() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "v1", kind: "ConfigMap", name: "loose", body: ["data": ["a": "b"]])
        let d = try one(check(clusterObjects: [raw]) { }, .missingNamespace)
        #expect(d.location.line == line)
        #expect(d.message == "ConfigMap 'loose' is namespaced but declared at cluster level without a namespace")
        let priority = RawObject(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "p", body: ["value": 1])
        #expect(check(clusterObjects: [priority]) { } == [])
    }

    @Test func nodePorts() throws {
        let api = Self.app()
        #expect(check { api; Service(selecting: api) { ServicePort("http", 80, target: "http", nodePort: 30080) }.type(.nodePort) } == [])
        let rangeLine = #line + 1
        let r = try one(check { api; Service(selecting: api) { ServicePort("http", 80, target: "http", nodePort: 8080) }.type(.nodePort) },
                        .invalidNodePort)
        #expect(r.location.line == rangeLine)
        #expect(r.message == "Service 'api' nodePort 8080 is outside the node port range 30000-32767")
        let typeLine = #line + 1
        let t = try one(check { api; Service(selecting: api) { ServicePort("http", 80, target: "http", nodePort: 30080) } }, .invalidNodePort)
        #expect(t.location.line == typeLine)
        #expect(t.message == "Service 'api' nodePort 30080 needs a NodePort or LoadBalancer Service (this one is ClusterIP)")
        let firstLine = #line + 2
        let secondLine = #line + 2
        let a = Service("a", selecting: api) { ServicePort("http", 80, target: "http", nodePort: 30080) }.type(.nodePort)
        let b = Service("b", selecting: api) { ServicePort("http", 81, target: "http", nodePort: 30080) }.type(.nodePort)
        let d = try one(check { api; a; b }, .duplicateNodePort)
        #expect(d.location.line == secondLine)
        #expect(d.message == "Service 'b' nodePort 30080 is already taken by Service 'apps/a'")
        #expect(d.notes.first?.location?.line == firstLine)
    }

    @Test func emptyAndInvalidNamesWhereANameIsRequired() throws {
        let storeLine = #line + 2
        let fleet = Fleet("t") { Cluster("c") {
            PulumiESCStore(organization: "o", project: "p", environment: "e", configNamespace: "c",
                           token: .init(namespace: "", name: "token", key: "TOKEN"))
        } }
        let diagnostics = FleetCheck.run(fleet)
        let d = try one(diagnostics, .invalidName)
        #expect(d.location.line == storeLine)
        #expect(d.message == "access-token namespace name '' is not a valid DNS-1123 label: must not be empty")
        let volumeLine = #line + 1
        let v = try one(check { Deployment("api") { Container("api", image: "x/api:1"); Volume.emptyDir("Scratch_Space") } }, .invalidName)
        #expect(v.location.line == volumeLine)
        #expect(v.message.hasPrefix("volume name 'Scratch_Space' is not a valid DNS-1123 label"))
    }

    // MARK: The escape hatch keeps its kind's checks

    @Test func escapeHatchPodSpecsGetReferenceChecks() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "apps/v1", kind: "StatefulSet", name: "db", body: ["spec": [
            "selector": ["matchLabels": ["app": "db"]],
            "template": ["metadata": ["labels": ["app": "db"]], "spec": [
                "serviceAccountName": "db-admin",
                "nodeSelector": ["kubernetes.io/hostname": "n9"],
                "containers": [["name": "db", "image": "postgres:15.8", "env": [
                    ["name": "PASSWORD", "valueFrom": ["secretKeyRef": ["name": "db-creds", "key": "password"]]],
                    ["name": "MODE", "valueFrom": ["configMapKeyRef": ["name": "db-config", "key": "mode", "optional": true]]],
                ]]],
                "volumes": [["name": "conf", "configMap": ["name": "db-conf"]]],
            ]],
        ]])
        let diagnostics = check { raw }
        #expect(diagnostics.map(\.code).sorted { $0.rawValue < $1.rawValue } ==
                [.immutableFieldWithoutForce, .undeclaredConfigMap, .undeclaredSecret, .undeclaredServiceAccount, .unknownNode], "\(diagnostics.map { $0.formatted() })")
        #expect(diagnostics.allSatisfy { $0.location.line == line })
        #expect(diagnostics.contains { $0.message == "env 'PASSWORD' references secret 'db-creds', which namespace 'apps' does not declare" })
        #expect(diagnostics.contains { $0.message == "StatefulSet 'db' uses ServiceAccount 'db-admin', which namespace 'apps' does not declare" })
    }

    @Test func escapeHatchServiceSelectorMustMatch() throws {
        let line = #line + 1
        let raw = RawObject(apiVersion: "v1", kind: "Service", name: "legacy", body: ["spec": ["selector": ["app": "ap"], "ports": [["port": 80]]]])
        let d = try one(check { Self.app(); raw }, .selectorMatchesNothing)
        #expect(d.location.line == line)
        #expect(d.message == "Service 'legacy' selects {app=ap}, which matches no workload's pod labels in namespace 'apps'")
        let ok = RawObject(apiVersion: "v1", kind: "Service", name: "legacy", body: ["spec": ["selector": ["app": "api"], "ports": [["port": 80]]]])
        #expect(check { Self.app(); ok } == [])
    }

    // MARK: Secrets

    @Test func templatesReadOnlyFetchedKeys() throws {
        let line = #line + 2
        let secret = SecretDeclaration("db", keys: ["url": "dbUrl"])
            .template(["USER": #"{{ (urlParse .uri).userinfo | splitList ":" | first }}"#, "HOST": "{{ (urlParse .url).hostname }}"])
        let d = try one(check { secret }, .unknownTemplateKey)
        #expect(d.location.line == line)
        #expect(d.message == "secret 'db' template 'USER' reads '.uri', which the secret does not fetch")
        #expect(d.notes.first?.message == "did you mean 'url'?")
        for broken in ["{{ .url }", "{{ .url", ".url }}", "{{ {{ .url }}"] {
            #expect(try one(check { SecretDeclaration("db", keys: ["url": "dbUrl"]).template(["A": broken]) }, .unknownTemplateKey)
                .message.contains("has an unclosed or stray '{{ }}'"), "\(broken)")
        }
        // Env may use the templated keys, not the fetched one.
        let envLine = #line + 1
        let e = try one(check { secret; Deployment("api") { Container("api", image: "x/api:1") { Env("URL", secret: secret, key: "url") } } }
            .filter { $0.code != .unknownTemplateKey }, .unknownSecretKey)
        #expect(e.location.line == envLine)
        #expect(e.notes.first?.message == "declared keys: 'HOST', 'USER'")
    }

    @Test func twoObjectsInOneFile() throws {
        let firstLine = #line + 3
        let secondLine = #line + 3
        let fleet = Fleet("t") { Cluster("c") { Namespace("web"); Namespace("apps") {
            ConfigMap("web-x", data: [:])
            RawObject(apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "web")
        } } }
        let d = try one(FleetCheck.run(fleet), .duplicateOutputPath)
        #expect(d.location.line == secondLine)
        #expect(d.message == "ConfigMap web/x would be written to 'clusters/c/apps/configmap-web-x.yaml', where ConfigMap apps/web-x already goes")
        #expect(d.notes.first?.location?.line == firstLine)
    }

    /// What the API server validates by value in pods, Services, NetworkPolicies and Roles.
    @Test func apiServerValueRules() throws {
        func only(_ diagnostics: [Diagnostic]) -> String { diagnostics.map(\.message).joined(separator: " | ") }
        func app(_ change: (Container) -> Container) -> Deployment {
            Deployment("api") { change(Container("api", image: "x/api:1.0") { Port("http", 8080) }) }
        }
        #expect(only(check { app { $0.imagePullPolicy("Sometimes") } })
                == "container 'api' imagePullPolicy 'Sometimes' is invalid; it must be one of Always, IfNotPresent, Never")
        #expect(only(check { Self.app().dnsPolicy("Bogus") }).hasPrefix("'api' dnsPolicy 'Bogus' is invalid; it must be one of ClusterFirst"))
        #expect(only(check { Self.app().restartPolicy("Never") }) == "'api' restartPolicy 'Never' is invalid; it must be one of Always")
        #expect(only(check { Deployment("d") { Container("a", image: "x/a:1"); Volume.hostPath("h", path: "/dev/x", type: "Bogus") } })
                .hasPrefix("volume 'h' hostPath type 'Bogus' is invalid; it must be one of"))
        #expect(only(check { Self.app().nodeSelector(["bad key!": "x"]) }).hasPrefix("nodeSelector key 'bad key!' is invalid"))
        #expect(only(check { Self.app().tolerations([Toleration(key: "gpu", op: "Exists", value: "yes")]) })
                == "toleration 'gpu' of 'api' is invalid: operator Exists takes no value")
        #expect(only(check { Self.app().replicas(Int(Int32.max) + 1) }) == "Deployment 'api' replicas is 2147483648; it must be at most 2147483647 (a 32-bit field)")
        #expect(only(check { app { $0.env([Env("X", field: "status.bogus")]) } }).hasPrefix("env 'X' fieldRef 'status.bogus' is invalid"))
        #expect(check { app { $0.env([Env("L", field: "metadata.labels['app']")]) } } == [])
        #expect(only(check { app { $0.resources(requests: .init(gpu: 1)) } }.filter { $0.code != .gpuWithoutDevicePlugin })
                == "container 'api' nvidia.com/gpu request is 1; it must be equal to its limit (extended resources cannot be overcommitted)")
        #expect(only(check { Self.app(image: "x/api:1.0@sha256:") }).hasPrefix("container 'api' image 'x/api:1.0@sha256:' is not an image reference"))
        #expect(only(check { Self.app(image: " nginx:1.0 ") }).contains("is not an image reference"))
        let probeLine = #line + 1
        let probe = try one(check { app { $0.liveness(.http("healthz", port: "http", failureThreshold: 3)) } }, .invalidProbe)
        #expect(probe.location.line == probeLine)
        #expect(probe.message == "container 'api' liveness probe is invalid: httpGet path 'healthz' must start with '/'")
        let mountLine = #line + 3
        let mounts = check {
            Deployment("api") {
                Container("api", image: "x/api:1.0") { Mount("a", at: "/data"); Mount("b", at: "/data"); Mount("a", at: "/x", subPath: "../up") }
                Volume.emptyDir("a"); Volume.emptyDir("b")
            }
        }
        #expect(mounts.map(\.code) == [.invalidMount, .invalidMount])
        #expect(mounts.allSatisfy { $0.location.line == mountLine })
        #expect(only(mounts).contains("at '/data' is invalid: another mount already uses this mountPath"))
        #expect(only(mounts).contains("at '../up' is invalid: subPath must be relative and must not contain '..'"))
        let portsLine = #line + 2
        let a = Self.app()
        let ports = try one(check { a; Service(selecting: a) { ServicePort("http", 80); ServicePort("web", 80, target: "http") } }, .duplicateServicePort)
        #expect(ports.location.line == portsLine)
        #expect(ports.message == "duplicate port of Service 'api' '80/TCP'")
        #expect(only(check { NetworkPolicy("p", pods: .all, types: [.egress]) { EgressRule(to: [.pods(.all)], ports: [.tcp(70000)]) } })
                == "NetworkPolicy 'p' port 70000 is outside 1...65535")
        #expect(only(check { Role("r") { PolicyRule(apiGroups: [""], resources: [], verbs: ["get"]) } })
                == "Role 'r' has a rule without verbs or resources; the API server rejects it")
        #expect(only(check { ConfigMap("big", data: ["k": String(repeating: "x", count: 1_048_577)]) })
                == "ConfigMap 'big' data totals 1048578 bytes, more than the 1 MiB (1048576) a ConfigMap may hold")
        #expect(only(check { RawObject(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "p", body: ["value", 1]) })
                .contains("RawObject 'p' body must be a mapping of fields"))
        let repo = HelmRepository("charts", url: "https://charts.example")
        #expect(only(check { repo; HelmRelease("r", chart: "c", version: "1.0.0", from: repo, values: ["ratio": .double(.nan)]) })
                == "HelmRelease apps/r field 'spec.values.ratio' is not a finite number; JSON and kubectl cannot carry NaN or infinity")
    }

    /// Config files are typed values, rendered by their syntax's renderer when lowered; their
    /// keys are the ConfigMap's like literal data's; a directive cannot spill onto a new line.
    @Test func typedConfigFiles() throws {
        let squid = ConfigMap("squid", files: ["squid.conf": .directives([Directive("http_port", "3128"), Directive("cache", "deny", "all")]),
                                               "extra.yaml": .yaml(["a": ["b": 1]])])
        let ir = lowered(Fleet("t") { Cluster("c") { Namespace("apps") { squid } } })
        let data = ir.clusters[0].components.flatMap(\.objects).first { $0.id.kind == "ConfigMap" }?.tree["data"]
        #expect(data == ["extra.yaml": "a:\n  b: 1\n", "squid.conf": "http_port 3128\ncache deny all\n"])
        #expect(check { squid; Deployment("p") { Container("p", image: "x/p:1") { Mount("c", at: "/etc/squid/squid.conf", subPath: "squid.conf") }
                                                  Volume.configMap("c", squid) } } == [])
        let line = #line + 1
        let bad = ConfigMap("squid", files: ["squid.conf": .directives([Directive("http_port", "3128\nhttp_access allow all")])])
        let d = try one(check { bad }, .invalidDirective)
        #expect(d.location.line == line)
        #expect(d.message.hasPrefix("ConfigMap 'squid' file 'squid.conf' directive 'http_port' is invalid: whitespace or a line break"))
        let commentLine = #line + 1
        let comment = ConfigMap("squid", files: ["squid.conf": .directives([Directive("http_access", "allow", "all #", "cluster")])])
        let c = try one(check { comment }, .invalidDirective)
        #expect(c.location.line == commentLine)
        #expect(c.message.contains("directive 'http_access' is invalid: whitespace or a line break in 'all #'"))
        #expect(try one(check { ConfigMap("s", files: ["s.conf": .directives([Directive("acl", "a#b")])]) }, .invalidDirective)
            .message.contains("a '#' in 'a#b', which starts a comment"))
    }

    /// A key written twice in a tree literal reaches no reader intact (kustomize refuses it).
    @Test func duplicateKeysInTrees() throws {
        let repo = HelmRepository("charts", url: "https://charts.example")
        let line = #line + 1
        let d = try one(check { repo; HelmRelease("r", chart: "c", version: "1.0.0", from: repo, values: ["redis": ["enabled": false], "redis": ["enabled": true]]) },
                        .duplicateKey)
        #expect(d.location.line == line)
        #expect(d.message == "HelmRelease apps/r has the key 'redis' twice in mapping 'spec.values'; YAML and JSON readers reject or drop one")
        let file = try one(check { ConfigMap("c", files: ["config.yaml": .yaml(["a": 1, "b": ["x": 1, "x": 2]])]) }, .duplicateKey)
        #expect(file.message.hasPrefix("ConfigMap 'c' file 'config.yaml' has the key 'x' twice in mapping 'b'"))
    }

    /// Mount(volume) names a Volume value: the pod's volume of that name must be that one.
    @Test func typedMountsMatchTheirVolume() throws {
        let map = ConfigMap("m", data: ["a": "b"])
        let config = Volume.configMap("config", map)
        #expect(check { map; Deployment("d") { Container("c", image: "x/c:1") { Mount(config, at: "/etc/c") }; config } } == [])
        let line = #line + 2
        let d = try one(check {
            map; Deployment("d") { Container("c", image: "x/c:1") { Mount(config, at: "/etc/c") }; Volume.emptyDir("config") }
        }, .unknownVolume)
        #expect(d.location.line == line)
        #expect(d.message == "container 'c' mounts a volume named 'config', but the pod's volume of that name is another one")
    }

    @Test func negativeCounts() throws {
        let line = #line + 1
        let d = try one(check { Self.app().replicas(-1) }, .numberOutOfRange)
        #expect(d.location.line == line)
        #expect(d.message == "Deployment 'api' replicas is -1; it must be 0 or more")
    }
}
