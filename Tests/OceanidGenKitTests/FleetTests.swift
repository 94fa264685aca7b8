import Compiler
import DSL
import Fleet
import Foundation
import OceanidGenKit
import Testing
import TestSupport

/// The real fleet: settings overrides reach its manifests, and its shape is what FLEET.md asks.
@Suite struct FleetTests {
    /// Every address the fleet's workloads are configured to reach is reachable under its
    /// NetworkPolicies (csv-ingestion-worker once took the direct database URL), and PostGraphile
    /// (node-postgres, which verifies the server's name) dials the CrunchyBridge host itself, as
    /// role postgraphile with the grants its --schema list needs.
    @Test func everyConfiguredAddressIsReachable() {
        let diagnostics = CompilerPipeline.compile(Oceanid.definition).diagnostics
        let paths = diagnostics.filter { [.unreachableAddress, .rewrittenServerName, .missingSchemaGrant].contains($0.code) }
        #expect(paths.isEmpty, "\(paths.map { $0.formatted() })")
    }

    @Test func partialResourceOverrideMergesIntoTheTunnel() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", """
            cloudflareTunnelResources: '{"requests": {"memory": "384Mi"}, "limits": {"memory": "768Mi"}}'
            cloudflareNodeTunnelMetricsPort: 2300
            """)
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let deployment = try #require(dir.read("clusters/tethys/networking/cloudflared/deployment-cloudflared.yaml"))
        let tree = try #require(try YAMLReader.documents(deployment).first)
        let resources = tree["spec"]?["template"]?["spec"]?["containers"].flatMap { if case .list(let l) = $0 { l.first } else { nil } }?["resources"]
        #expect(resources == ["requests": ["cpu": "200m", "memory": "384Mi"], "limits": ["cpu": "500m", "memory": "768Mi"]])
        let daemon = try #require(dir.read("clusters/tethys/networking/node-tunnels/daemonset-cloudflared-node.yaml"))
        #expect(daemon.contains("containerPort: 2300"))
    }

    /// A value from settings.yaml that fails a check of the fleet is blamed on its line
    /// there, naming the setting, with a note at the declaration that uses it.
    @Test func settingsValuesAreBlamedOnTheirSettingsLine() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", """
            # overrides
            cloudflareTunnelResources: {limits: {cpu: lots}}
            squidImage: ubuntu/squid
            """)
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 2)
        #expect(dir.snapshot().keys.sorted() == ["settings.yaml"], "nothing may be written")
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.contains("settings.yaml:2: error: setting 'cloudflareTunnelResources': container 'cloudflared' cpu limit 'lots' is not a Kubernetes quantity (like \"250m\" or \"256Mi\") [invalid-quantity]"), "\(run.err)")
        #expect(lines.contains("settings.yaml:3: error: setting 'squidImage': container 'squid' uses image 'ubuntu/squid' without a tag or digest [image-not-pinned]"), "\(run.err)")
        let notes = lines.filter { $0.hasSuffix(": note: the value is used here") }
        #expect(notes.count == 2, "\(run.err)")
        #expect(notes.contains { $0.hasPrefix(Paths.repository + "/definitions/Networking.swift:") })
    }

    /// Blame follows where the setting was read, not a coincidence of values: a Flux path from
    /// settings.yaml is blamed there; a `0` elsewhere in the fleet is not blamed on a setting
    /// whose value is `0`; an IPv6 API server URL builds.
    @Test func blameFollowsWhereTheSettingWasRead() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", "gitRepositoryPath: clusters/elsewhere\n")
        let path = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(path.status == 2)
        #expect(path.err.contains("settings.yaml:1: error: setting 'gitRepositoryPath': Kustomization flux-system/flux-system reconciles path 'clusters/elsewhere'"), "\(path.err)")

        // A conflict whose other side took the value from settings.yaml: blamed there too, the
        // use at the declaration that read it, the conflict at the one the check reported.
        try dir.write("settings.yaml", "cloudflareNodeTunnelMetricsPort: 2201\n")
        let port = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(port.status == 2)
        let lines = port.err.split(separator: "\n").map(String.init)
        let at = try #require(lines.firstIndex { $0.hasPrefix("settings.yaml:1: error: setting 'cloudflareNodeTunnelMetricsPort': ") && $0.hasSuffix("[host-port-conflict]") },
                              "\(port.err)")
        #expect(lines[at + 1].contains("/definitions/Networking.swift:") && lines[at + 1].hasSuffix(": note: the value is used here"),
                "\(lines[at + 1])")
        #expect(lines[at + 2].contains("/definitions/Edge.swift:") && lines[at + 2].hasSuffix(": note: it conflicts with what is declared here"))

        // A tunnel route's service URL from settings.yaml: blamed there.
        try dir.write("settings.yaml", "tunnelServiceUrl: \"ftp://x\"\n")
        let scheme = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(scheme.err.contains("settings.yaml:1: error: setting 'tunnelServiceUrl': service of tethys.boathou.se in tunnel 'cluster' is 'ftp://x'"),
                "\(scheme.err)")

        // The API server's address is one setting: the policy and the tunnel's origin follow it.
        try dir.write("settings.yaml", "controlPlaneAddress: fd00::10\n")
        let ipv6 = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(ipv6.status == 0, "\(ipv6.err)")
        #expect(dir.read("clusters/tethys/apps/network-policies/networkpolicy-allow-kube-api.yaml")?.contains("cidr: fd00::10/128") == true)
        #expect(dir.read("cloud/desired-state.json")?.contains("https://[fd00::10]:6443") == true)

        let token = Setting("rolloutToken", default: "1", summary: "")
        let definition = FleetDefinition(settings: [token.erased]) { s in
            Fleet("t") { Cluster("c") { Namespace("apps") {
                Deployment("api") {
                    Container("api", image: "x/api:1.0") { Port("http", 80) }
                        .readiness(.tcp(port: "http", period: 0))
                }
                .podAnnotations(["rollout": s[token]])
            } } }
        }
        try dir.write("settings.yaml", "rolloutToken: \"0\"\n")
        let coincidence = CapturedRun(definition, ["build"], root: dir.path)
        #expect(coincidence.status == 2)
        #expect(coincidence.err.contains("FleetTests.swift:"), "\(coincidence.err)")
        #expect(!coincidence.err.contains("settings.yaml:1: error"), "\(coincidence.err)")
    }

    /// A value kept as written is blamed as written (`2.20`, which YAML reads as 2.2); YAML's
    /// null is not a value for a string setting.
    @Test func textAndNullInSettings() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", "fluxChartVersion: 2.20\n")
        let version = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(version.err.contains("settings.yaml:1: error: setting 'fluxChartVersion': FluxSync chartVersion '2.20' is invalid"), "\(version.err)")
        try dir.write("settings.yaml", "gitRepositoryBranch: ~\n")
        let null = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(null.status == 2)
        #expect(null.err.contains("settings.yaml:1: error: malformed override of setting 'gitRepositoryBranch': '~' is YAML's null"), "\(null.err)")
    }

    /// A string setting keeps the text written in settings.yaml: `010` is "010", not 10.
    @Test func stringSettingsKeepTheirText() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", "gitRepositoryBranch: 010\ncloudflareTunnelRolloutToken: 1.10\n")
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let repository = try #require(dir.read("clusters/tethys/flux-system/gitrepository-flux-system.yaml"))
        #expect(try YAMLReader.documents(repository).first?["spec"]?["ref"]?["branch"] == "010")
        let tunnel = try #require(dir.read("clusters/tethys/networking/cloudflared/deployment-cloudflared.yaml"))
        #expect(try YAMLReader.documents(tunnel).first?["spec"]?["template"]?["metadata"]?["annotations"]?["oceanid.dev/rollout-token"] == "1.10")
    }

    /// Every setting of definitions/Settings.swift is in Settings.all (derived, not listed),
    /// once, and the fleet reads every non-secret one somewhere.
    @Test func everySettingIsRegisteredAndUsed() throws {
        let keys = Settings.all.map(\.key)
        #expect(keys.count == 77)
        #expect(Set(keys).count == keys.count)
        let source = try String(contentsOfFile: Paths.repository + "/definitions/Settings.swift", encoding: .utf8)
        let declared = source.split(separator: "\n").filter { $0.contains("public let ") && ($0.contains("= Setting(") || $0.contains("= SecretSetting(")) }
        #expect(declared.count == keys.count)
        let table = try #require(BuildPipeline(definition: Oceanid.definition, root: "/nonexistent").generate().ir?.settings)
        let unused = table.filter { !$0.isSecret && $0.usedAt.isEmpty }.map(\.key)
        #expect(unused.sorted() == [], "settings nothing reads")
    }

    /// Every non-secret setting says where its default comes from (`source:`), and the
    /// settings page shows it; Label Studio's chart version is one its chart repository has.
    @Test func everyDefaultHasASource() throws {
        let unsourced = Settings.all.filter { !$0.isSecret && $0.source == nil }.map(\.key)
        #expect(unsourced == [])
        let page = try String(contentsOfFile: Paths.repository + "/docs/settings.md", encoding: .utf8)
        #expect(page.contains("| `hfDatasetRepo` | string | `goldfish-inc/oceanid-annotations` | invented: "))
        #expect(page.contains("| `gitRepositoryPath` | string | `clusters/tethys` | seed: "))
        // HumanSignal/charts heartex/label-studio/Chart.yaml: 2.0.5 is the newest; 2.0.8 never existed.
        #expect(SettingValues()[Settings.labelStudioChartVersion] == "2.0.5")
    }

    @Test func everyClusterSideItemIsDeclared() throws {
        let compiled = BuildPipeline(definition: Oceanid.definition, root: "/nonexistent").generate()
        // Only the all-zero Cloudflare IDs, which the seeds do not give, and the three defaults
        // invented here (three or fewer warn one each, at their declaration) are reported.
        #expect(compiled.diagnostics.map(\.code).sorted { $0.rawValue < $1.rawValue }
                == Array(repeating: .inventedDefault, count: 3) + Array(repeating: .placeholderSetting, count: 5))
        #expect(compiled.diagnostics.allSatisfy { $0.severity == .warning })
        let invented = compiled.diagnostics.filter { $0.code == .inventedDefault }
        #expect(invented.map { $0.location.line } == Settings.all.filter {
            if case .invented = $0.source { true } else { false }
        }.map { $0.location.line })
        #expect(invented.map { $0.message.split(separator: "'")[1] }
                == ["hfDatasetRepo", "tritonModelName", "aws.labelStudio.region"])
        let ir = try #require(compiled.ir)
        let objects = ir.clusters.flatMap(\.components).flatMap(\.objects)
        func has(_ kind: String, _ namespace: String?, _ name: String) -> Bool {
            objects.contains { $0.id.kind == kind && $0.id.namespace == namespace && $0.id.name == name }
        }
        #expect(has("GitRepository", "flux-system", "flux-system"))
        #expect(has("Kustomization", "flux-system", "apps"))
        #expect(has("ClusterSecretStore", nil, "pulumi-esc"))
        #expect(has("Deployment", "cloudflared", "cloudflared"))
        #expect(has("DaemonSet", "node-tunnels", "cloudflared-node"))
        #expect(has("Deployment", "tailscale", "tailscale-router"))
        #expect(has("Deployment", "egress-system", "egress-gateway"))
        #expect(has("Service", "apps", "egress-db-proxy"))
        for app in ["csv-ingestion-worker", "ls-triton-adapter", "annotations-sink", "postgraphile"] {
            #expect(has("Deployment", "apps", app), "\(app)")
        }
        #expect(has("HelmRelease", "apps", "label-studio"))
        // The training template is a suspended CronJob (issue 27): no Job in clusters/.
        #expect(has("CronJob", "apps", "training-template"))
        #expect(!objects.contains { $0.id.kind == "Job" })
        #expect(has("RoleBinding", "apps", "training-jobs"))
        #expect(has("NetworkPolicy", "apps", "default-deny-egress"))
        // Pins of FLEET.md.
        func node(_ namespace: String, _ name: String) -> Tree? {
            objects.first { $0.id.namespace == namespace && $0.id.name == name && $0.id.kind != "Service" }?
                .tree["spec"]?["template"]?["spec"]?["nodeSelector"]?["kubernetes.io/hostname"]
        }
        // The control plane is srv712429 (reached over SSH as tethys): one machine.
        #expect(node("tailscale", "tailscale-router") == "srv712429")
        #expect(node("apps", "egress-db-proxy") == "srv712429")
        #expect(node("egress-system", "egress-gateway") == "srv712429")
        #expect(
            objects.first { $0.id.name == "training-template" }?.tree["spec"]?["jobTemplate"]?["spec"]?["template"]?[
                "spec"]?["nodeSelector"]?["kubernetes.io/hostname"] == "calypso")
    }

    /// Label Studio reads DJANGO_DB and POSTGRE_* (never DATABASE_URL): the chart gets them,
    /// the password only as a Secret reference, the rest derived from the one ESC key by the
    /// ExternalSecret's template.
    @Test func labelStudioReachesItsDatabase() throws {
        let compiled = BuildPipeline(definition: Oceanid.definition, root: "/nonexistent").generate()
        let files = try #require(compiled.files)
        func document(_ path: String) throws -> Tree {
            let file = try #require(files.first { $0.path == path }, "\(path)")
            return try #require(try YAMLReader.documents(file.contents).first)
        }
        let release = try document("clusters/tethys/apps/label-studio/helmrelease-label-studio.yaml")
        let values = try #require(release["spec"]?["values"])
        let global = try #require(values["global"])
        #expect(global["pgConfig"] == [
            "host": "egress-db-proxy.apps.svc.cluster.local", "port": 5432,
            "password": ["secretName": "label-studio-db", "secretKey": "POSTGRE_PASSWORD"],
        ])
        #expect(global["extraEnvironmentVars"]?["DJANGO_DB"] == "default")
        #expect(global["extraEnvironmentVars"]?["DATABASE_URL"] == nil)
        #expect(global["extraEnvironmentSecrets"]?["DATABASE_URL"] == nil)
        for key in ["POSTGRE_NAME", "POSTGRE_USER", "POSTGRE_SSL_MODE"] {
            #expect(global["extraEnvironmentSecrets"]?[key] == ["secretName": "label-studio-db", "secretKey": .string(key)], "\(key)")
        }
        #expect(values["postgresql"]?["enabled"] == false)
        #expect(values["checkConfig"]?["skipEnvValues"] == true)

        let secret = try document("clusters/tethys/apps/app-secrets/externalsecret-label-studio-db.yaml")
        let template = try #require(secret["spec"]?["target"]?["template"])
        #expect(template["engineVersion"] == "v2")
        #expect(template["mergePolicy"] == "Replace")
        #expect(template["data"]?.entries?.map(\.key) == ["POSTGRE_NAME", "POSTGRE_PASSWORD", "POSTGRE_SSL_MODE", "POSTGRE_USER"])
        #expect(secret["spec"]?["data"] == [["secretKey": "url", "remoteRef": ["key": #"pulumiConfig["oceanid-cluster:labelStudioDbUrl"]"#]]])

        // Every secret the chart values name exists with that key in the namespace.
        let declared = Oceanid.definition.build(SettingValues()).clusters[0].namespaces.first { $0.name == "apps" }
        var keys: [String: [String]] = [:]
        for component in declared?.components ?? [] {
            for case .secret(let s) in component.items { keys[s.name] = s.secretKeys }
        }
        func references(_ tree: Tree) -> [(String, String)] {
            switch tree {
            case .map(let entries):
                if let name = tree["secretName"]?.stringValue, let key = tree["secretKey"]?.stringValue { return [(name, key)] }
                if let name = tree["accessKeyExistingSecret"]?.stringValue, let key = tree["accessKeyExistingSecretKey"]?.stringValue,
                   let name2 = tree["secretKeyExistingSecret"]?.stringValue, let key2 = tree["secretKeyExistingSecretKey"]?.stringValue {
                    return [(name, key), (name2, key2)]
                }
                return entries.flatMap { references($0.value) }
            case .list(let items): return items.flatMap(references)
            default: return []
            }
        }
        let used = references(values)
        #expect(used.count == 8)
        for (name, key) in used { #expect(keys[name]?.contains(key) == true, "\(name)/\(key)") }
    }

    @Test func noSecretValueReachesTheOutput() throws {
        let compiled = BuildPipeline(definition: Oceanid.definition, root: "/nonexistent").generate()
        let files = try #require(compiled.files)
        for file in files {
            #expect(!file.contents.contains("postgresql://"), "\(file.path)")
            #expect(!file.contents.contains("\nkind: Secret\n"), "\(file.path) emits a plain Secret")
        }
    }
}

/// Secret values stop the build at the declaration that holds them; the scan of the
/// generated files stays as the last net, at the generated file's line.
@Suite struct SecretScanTests {
    static let thisFile = #filePath

    @Test func secretValuesInDefinitionsStopTheBuildAtTheirDeclaration() throws {
        let secretLine = #line + 7
        let urlsLine = #line + 7
        let tlsLine = #line + 7
        let envLine = #line + 10
        let fleet = Fleet("leaky") {
            Cluster("c") {
                Namespace("apps") {
                    RawObject(apiVersion: "v1", kind: "Secret", name: "db", body: ["stringData": ["password": "hunter2"]])
                    ConfigMap("urls", data: ["DB": "postgresql://app:hunter2@db.example:5432/app", "OK": "https://example.com/x@y"])
                    ConfigMap("tls", data: ["key.pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"])
                    Deployment("api") {
                        Container("api", image: "x/api:1.0") {
                            Env("OK_URL", "https://example.com/a@b")
                            Env("DATABASE_URL", "postgres://u:p@h/db")
                        }
                        .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
                    }
                }
            }
        }
        let dir = try TemporaryFolder(); defer { dir.remove() }
        let run = CapturedRun(FleetDefinition(fleet), ["build"], root: dir.path)
        #expect(run.status == 2)
        #expect(dir.snapshot().isEmpty, "nothing may be written")
        let errors = run.err.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
        let file = "\(Self.thisFile)"
        #expect(errors == [
            "\(file):\(secretLine): error: RawObject 'db' holds a Kubernetes Secret object (its data would be committed); a secret value must never be written in definitions/ [secret-in-definition]",
            "\(file):\(urlsLine): error: ConfigMap apps/urls field 'data.DB' holds credentials inside a URL; a secret value must never be written in definitions/ [secret-in-definition]",
            "\(file):\(tlsLine): error: ConfigMap apps/tls field 'data.key.pem' holds a private key; a secret value must never be written in definitions/ [secret-in-definition]",
            "\(file):\(envLine): error: env 'DATABASE_URL' holds credentials inside a URL; a secret value must never be written in definitions/ [secret-in-definition]",
        ], "\(run.err)")
    }

    /// The shapes credentials take in the wild, and look-alikes that are not credentials.
    @Test func secretShapes() {
        for secret in ["postgres://u:p@h/db", "redis://:hunter2@host:6379", "HTTPS://admin:hunter2@host", "postgres://admin:hun/ter2@db",
                       "https://ghp_abcdefghijklmnop1234@github.com/o/r.git", "x=mysql+pymysql://app:pw@db:3306/app",
                       "-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----BEGIN OPENSSH PRIVATE KEY-----",
                       "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
                       "host=db user=app password=hunter2 dbname=x", "jdbc:postgresql://db/x?user=a&password=hunter2",
                       "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX", "PASSWORD \"hunter2\"", "sk_test_abcdefghijklmnop1234",
                       "xoxb-123456789012-abcdefghijklmn", "pul-0123456789abcdef0123456789abcdef01234567",
                       "CREATE ROLE bi LOGIN PASSWORD 'hunter2';", "alter user x with password 's3cr3t'",
                       "key: Zk9y7QwPq2XbL8mN3vR6tY1uI0oE5aS4dF7gH2jK9lZ8"] {
            #expect(SecretScan.secretKind(in: secret) != nil, "\(secret)")
        }
        for clean in ["https://example.com/x@y", "ssh://git@github.com/o/r.git", "git@github.com:o/r.git", "https://example.com:8443/a@b",
                      "user@example.com", "https://label.boathou.se", "-----BEGIN CERTIFICATE-----", "$(DATABASE_URL)",
                      "ghcr.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                      "hf_datasets_offline_mode_enabled", "ASIA_PACIFIC_NORTHEAST_1", "pul-request-handler-service", "ghs_dashboard_release_candidate",
                      "http://[::1]:8080/@x", "https://host#a:b@c", "https://host/path?q=a:b@c",
                      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
                      "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAG -----BEGIN CERTIFICATE-----",
                      "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
                      "app.kubernetes.io/managed-by", "hf_dataset_repo", "ghp_", "PASSWORD ''", "--enhance-graphiql",
                      "pulumiConfig[\"oceanid-cluster:labelStudioDbUrl\"]", "{{ ((urlParse .url).userinfo | splitn \":\" 2)._1 }}"] {
            #expect(SecretScan.secretKind(in: clean) == nil, "\(clean)")
        }
    }

    /// Secrets hidden in a List, in Helm values under a credential key, in a Flux URL from
    /// settings: each at its declaration.
    @Test func secretsEverywhereInAnObject() throws {
        let listLine = #line + 4
        let fleet = Fleet("leaky") {
            Cluster("c") {
                Namespace("apps") {
                    RawObject(apiVersion: "v1", kind: "List", name: "sneaky", body: ["items": [
                        ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "leaked"], "stringData": ["password": "hunter2"]],
                    ]])
                    HelmRelease("r", chart: "c", version: "1.0.0", repositoryNamed: "charts", values: [
                        "auth": ["password": "hunter2"],
                        "extraEnvironmentVars": ["POSTGRE_PASSWORD": "hunter2hunter2", "POSTGRE_PASSWORD_SECRET_NAME": "db"],
                        "tokens": ["ghp_Zx81abcdefghijklmnopqrstuvwxyz012345": "x"],
                    ])
                    ConfigMap("c", data: [:]).annotations(["example.com/source": "https://bot:s3cret@git.example/r.git"])
                    Deployment("api") {
                        Container("api", image: "x/api:1.0") { Env("DB_PASSWORD", "hunter2") }
                            .args(["--password", "hunter2hunter2"])
                            .resources(requests: .init(cpu: "1m", memory: "1Mi"), limits: .init(cpu: "1m", memory: "1Mi"))
                    }
                }
            }
        }
        let diagnostics = CompilerPipeline.compile(FleetDefinition(fleet)).diagnostics.filter { $0.severity == .error }
        #expect(diagnostics.contains { $0.code == .invalidKind && $0.location.line == listLine
            && $0.message == "RawObject 'sneaky' is a List, a client-side wrapper that hides its items from every check" })
        #expect(diagnostics.contains { $0.code == .secretInDefinition && $0.message.hasPrefix("HelmRelease 'r' values field 'auth.password' holds a literal credential") })
        #expect(diagnostics.contains { $0.message.hasPrefix("HelmRelease 'r' values field 'extraEnvironmentVars.POSTGRE_PASSWORD' holds a literal credential") })
        #expect(!diagnostics.contains { $0.message.contains("POSTGRE_PASSWORD_SECRET_NAME") }, "a key that names a Secret is not a credential")
        #expect(diagnostics.contains { $0.message.contains("field 'spec.values.tokens.(key)' holds a GitHub token") }, "\(diagnostics.map(\.message))")
        #expect(diagnostics.contains { $0.message == "env 'DB_PASSWORD' holds a literal password; a secret value must never be written in definitions/" })
        #expect(diagnostics.contains { $0.message.hasPrefix("container 'api' command line holds a literal credential after --password") })
        #expect(!diagnostics.map { $0.formatted() }.joined().contains("hunter2"), "no diagnostic prints the value")
        #expect(diagnostics.contains { $0.code == .secretInDefinition && $0.message.hasPrefix("ConfigMap apps/c field 'metadata.annotations.example.com/source' holds credentials inside a URL") })
        #expect(SecretScan.run([GeneratedFile(path: "l.yaml", contents: "items:\n- apiVersion: v1\n  kind: Secret\n- kind: Secret\n")]).map(\.location.line) == [3, 4])
    }

    @Test func theFileScanIsTheLastNet() {
        let files = [
            GeneratedFile(path: "clusters/c/apps/secret-db.yaml", contents: "# h\napiVersion: v1\nkind: Secret\n"),
            GeneratedFile(path: "clusters/c/apps/configmap-urls.yaml", contents: "data:\n  DB: postgresql://app:hunter2@db.example:5432/app\n  OK: https://example.com/x@y\n"),
            GeneratedFile(path: "clusters/c/apps/configmap-tls.yaml", contents: "data:\n  key.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n"),
        ]
        // Public material and text blocks are not findings: a CA bundle's lines, a manifest
        // quoted inside a ConfigMap value.
        let ca = GeneratedFile(path: "clusters/c/apps/configmap-ca.yaml", contents: """
            data:
              ca.crt: |
                -----BEGIN CERTIFICATE-----
                MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAG
                -----END CERTIFICATE-----
              example.yaml: |
                kind: Secret
            """)
        #expect(SecretScan.run([ca]).isEmpty, "\(SecretScan.run([ca]).map { $0.formatted() })")
        var withOrigin = files[1]
        withOrigin.origin = DSL.SourceLocation(file: "definitions/Apps.swift", line: 7)
        #expect(SecretScan.run([withOrigin]).first?.notes.last?.location?.line == 7, "the file scan names the declaration")
        #expect(!SecretScan.run([withOrigin]).map { $0.formatted() }.joined().contains("hunter2"), "no part of the value is printed")
        #expect(SecretScan.run(files).map { $0.formatted() } == [
            "clusters/c/apps/secret-db.yaml:3: error: generated output would contain a Kubernetes Secret object; nothing was written [secret-in-output]\n    note: declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead",
            "clusters/c/apps/configmap-urls.yaml:2: error: generated output would contain credentials inside a URL; nothing was written [secret-in-output]\n    note: declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead",
            "clusters/c/apps/configmap-tls.yaml:3: error: generated output would contain a private key; nothing was written [secret-in-output]\n    note: declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead",
        ])
    }

    @Test func theRealFleetScansClean() throws {
        let files = try #require(BuildPipeline(definition: Oceanid.definition, root: "/nonexistent").generate().files)
        #expect(SecretScan.run(files) == [])
        #expect(SecretScan.secretKind(in: "--connection $(DATABASE_URL)") == nil, "references to env values are not secrets")
        #expect(SecretScan.secretKind(in: "postgres://u:p@h/db") == "credentials inside a URL")
    }
}
