import Compiler
import DSL
import Testing
import TestSupport

/// A caller of a hostname behind Access carries a token the policy admits: a new workload
/// (`clients/client`, not one of the fleet's) naming `https://model.example.com` in an env
/// value, an argument or a mounted ConfigMap file, without a token, with the wrong one and
/// with the right one; a host service, which cannot carry one; an e-mail-only policy.
@Suite struct AccessTokenCheckTests {
    /// The zone's `pipeline` token with its ESC keys: the one model.example.com admits.
    static let pipeline = EdgeFixtures.pipeline
    /// A token the zone declares but the policy does not admit.
    static let other = AccessServiceToken(
        "other", clientId: SecretSetting("accessTokenOtherClientId", summary: "Client ID."),
        clientSecret: SecretSetting("accessTokenOtherClientSecret", summary: "Client secret."))

    func check(_ fleet: Fleet) -> [Diagnostic] { FleetCheck.run(fleet) }

    /// The only diagnostic of `code` (and no other), at `line`.
    func one(
        _ diagnostics: [Diagnostic], _ code: DiagnosticCode, line: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        let all = diagnostics.map { $0.formatted() }
        #expect(diagnostics.map(\.code) == [code], "\(all)", sourceLocation: sourceLocation)
        let d = try #require(diagnostics.first { $0.code == code }, sourceLocation: sourceLocation)
        #expect(d.location.line == line, "\(d.formatted())", sourceLocation: sourceLocation)
        return d
    }

    /// The edge fixture's fleet, its zone also declaring `other`, its policy (by default) on
    /// model.example.com admitting `pipeline`, plus a `clients` namespace holding `items`.
    func fleet(
        policies: [AccessPolicy] = [AccessPolicy("model.example.com", serviceTokens: [EdgeFixtures.pipeline])],
        hosts: [Host] = [Host("lab-gpu") { EdgeFixtures.model }],
        @ListBuilder<NamespaceItem> _ items: () -> [NamespaceItem]
    ) -> Fleet {
        var fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: policies) { Self.other }, hosts: hosts)
        let declared = items()
        fleet.clusters[0].items.append(.namespace(Namespace("clients") { declared }))
        return fleet
    }

    /// A Deployment `client` of one container with this body.
    func client(
        _ name: String = "client", args: [String] = [], file: String = #filePath, line: Int = #line,
        @ListBuilder<ContainerItem> _ body: () -> [ContainerItem]
    ) -> Deployment {
        Deployment(name, file: file, line: line) {
            Container("c", image: "x/c:1.0", file: file, line: line, body)
                .args(args)
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
        }
    }

    @Test func aCallerWithoutATokenIsAnErrorAtItsEnv() throws {
        let line = #line + 2
        let bare = fleet {
            client { Env("MODEL_ENDPOINT", "https://model.example.com/v2/models/ner/infer") }
        }
        let d = try one(check(bare), .accessTokenMissing, line: line)
        #expect(
            d.message
                == "container 'c' of Deployment clients/client calls 'https://model.example.com' (env MODEL_ENDPOINT), "
                + "behind the Access policy for 'model.example.com', which admits service token 'pipeline'; it "
                + "carries none: add Env.accessToken(<that token>) to the container and declare the token's "
                + "secret() in its namespace, or admit its token in the policy")
        #expect(d.notes.map(\.message) == ["Access policy for 'model.example.com' declared here"])
        #expect(d.notes.first?.location?.file.hasSuffix("AccessTokenCheckTests.swift") == true)
    }

    @Test func aCallerWithTheWrongTokenIsAnError() throws {
        let line = #line + 3
        let wrong = fleet {
            Self.other.secret()
            client { Env("MODEL_URL", "https://model.example.com"); Env.accessToken(Self.other) }
        }
        let d = try one(check(wrong), .accessTokenMissing, line: line)
        #expect(d.message.contains("which admits service token 'pipeline'; it carries only 'other'"), "\(d.message)")
    }

    @Test func aCallerWithTheAdmittedTokenIsClean() {
        let right = fleet {
            Self.pipeline.secret()
            client { Env("MODEL_URL", "https://model.example.com"); Env.accessToken(Self.pipeline) }
            // envFrom of the token's whole Secret carries it too, under other variable names.
            Deployment("batch-client") {
                Container("c", image: "x/c:1.0") {
                    Env("MODEL_URL", "https://model.example.com")
                    EnvFrom.secret(Self.pipeline.secret(), prefix: "CF_")
                }
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
            }
            // A public hostname needs no token.
            client("web-client") { Env("SITE", "https://web.example.com") }
        }
        #expect(check(right).map { $0.formatted() } == [])
    }

    @Test func aURLInAnArgumentIsFound() throws {
        let line = #line + 2
        let arg = fleet {
            client(args: ["--triton", "https://model.example.com:443/v2"]) {}
        }
        let d = try one(check(arg), .accessTokenMissing, line: line)
        #expect(d.message.contains("(its command and args)"), "\(d.message)")
    }

    @Test func aURLInAMountedConfigMapFileIsFound() throws {
        let file = ConfigFile.yaml(["upstream": ["url": "https://MODEL.example.com/v2"]])
        let config = ConfigMap("client-config", files: ["client.yaml": file])
        let volume = Volume.configMap("config", config)
        let line = #line + 4
        let mounted = fleet {
            config
            Deployment("client") {
                Container("c", image: "x/c:1.0") { Mount(volume, at: "/etc/client", readOnly: true) }
                    .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "1", memory: "16Mi"))
                volume
            }
        }
        let d = try one(check(mounted), .accessTokenMissing, line: line)
        let mountedAt = "(ConfigMap 'client-config' file client.yaml mounted at /etc/client)"
        #expect(d.message.contains(mountedAt), "\(d.message)")
        // The same URL read through an env configMapKeyRef is found at that env.
        let data = ConfigMap("client-env", data: ["MODEL": "https://model.example.com"])
        let envLine = #line + 1
        let viaEnv = fleet { data; client { Env("MODEL", configMap: data, key: "MODEL") } }
        let e = try one(check(viaEnv), .accessTokenMissing, line: envLine)
        #expect(e.message.contains("ConfigMap 'client-env' key MODEL"))
    }

    @Test func aHostServiceCannotCarryAToken() throws {
        let curl = ["/usr/bin/curl", "-sf", "https://model.example.com/v2/health/ready"]
        let line = #line + 1
        let probe = HostService("probe", description: "probe", exec: curl)
        let hosts = [Host("lab-gpu") { EdgeFixtures.model; probe }]
        let d = try one(check(fleet(hosts: hosts) {}), .accessTokenMissing, line: line)
        #expect(d.message.contains("host service 'probe' on 'lab-gpu'"), "\(d.message)")
        #expect(d.message.contains("a host service carries no token"), "\(d.message)")
    }

    @Test func anEmailOnlyPolicyAdmitsNoProgram() throws {
        let line = #line + 3
        let emails = fleet(policies: [AccessPolicy("model.example.com", emails: ["ops@example.com"])]) {
            Self.pipeline.secret()
            client { Env("MODEL_URL", "https://model.example.com"); Env.accessToken(Self.pipeline) }
        }
        let d = try one(check(emails), .accessTokenMissing, line: line)
        #expect(d.message.contains("which admits only e-mail logins that no program can pass"), "\(d.message)")
    }
}
