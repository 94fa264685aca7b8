import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// What reaches oceanid-apply from people and from outside: the command line, the
/// environment's credentials, a desired state edited by hand, URLs, endless lists. Each is
/// refused before it can do harm (usage exit 64; anything else exit 1 with nothing requested).
@Suite(.serialized) struct ApplyInputTests {
    static func run(_ arguments: [String], state: DesiredState? = nil, environment: [String: String] = [:]) throws
        -> ApplyRun
    {
        let folder = try TemporaryFolder("apply-input")
        defer { folder.remove() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write(
            "desired-state.json", String(decoding: try encoder.encode(state ?? DesiredState()), as: UTF8.self))
        return applyRun(arguments, statePath: folder.path + "/desired-state.json", environment: environment)
    }

    @Test(arguments: [
        (["plan", "apply"], "unexpected argument 'apply'"), (["plan", "--timeout", "1e16"], "between 0.001 and 86400"),
        (["plan", "--timeout", "0.0004"], "between 0.001 and 86400"),
        (["plan", "--timeout", "5", "--timeout", "7"], "--timeout is given twice"),
        (["plan", "--json", "--json"], "--json is given twice"),
        (["plan", "--bogus", "--json"], "unknown option '--bogus'"),
        (["destroy"], "unknown command 'destroy'"), (["--yes"], "expected a command"),
        (["plan", "--timeout", "--json"], "--timeout needs a value"),
    ])
    func usageErrorsAreExit64AndJSONWhenAsked(arguments: [String], message: String) throws {
        let run = try Self.run(arguments)
        #expect(run.status == 64 && run.err.contains(message), "\(arguments): \(run.err)")
        if arguments.contains("--json") {
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any],
                "one JSON document: \(run.out)")
            #expect(report["exitCode"] as? Int == 64 && (report["error"] as? String)?.contains(message) == true)
        }
    }

    /// Everything missing is reported in one run, before any request: each skip a warning
    /// naming the providers, the variables and their ESC keys, then what became of every
    /// provider; `help` is help.
    @Test func everyMissingCredentialIsNamedAtOnce() throws {
        var state = Self.cloudflare
        state.crunchyBridge = CrunchyBridgeState(
            networkId: "ooer7tenangenjelkxbkgz6sdi",
            firewallRules: [FirewallRule(rule: "192.0.2.1/32", description: "x")])
        state.modelServing = ModelServingState(endpoints: [
            ModelEndpoint(url: "https://gpu.example.com", models: ["m"], accessProtected: true)
        ])
        let run = try Self.run(["plan"], state: state)
        #expect(run.status == 1 && run.out.isEmpty, "\(run.out)")
        #expect(
            run.err == """
                warning: dns, access skipped: CLOUDFLARE_API_TOKEN is not set (the ESC key cloudflareApiToken)
                warning: firewall skipped: BRIDGE_TOKEN is not set (the ESC key crunchyBridgeApiKey)
                warning: triton skipped: CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set: \
                Cloudflare Access guards https://gpu.example.com
                error: nothing could be planned: dns, access, firewall, triton skipped

                """, "\(run.err)")
        // --json: the skips stay structured; `error` says only what happened.
        let json = try Self.run(["plan", "--json"], state: state)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], "\(json.out)")
        #expect(
            report["error"] as? String == "nothing could be planned: dns, access, firewall, triton skipped",
            "\(json.out)")
        #expect(
            (report["skipped"] as? [[String: Any]])?.compactMap { $0["provider"] as? String } == [
                "dns", "access", "firewall", "triton",
            ] && (report["failures"] as? [Any])?.isEmpty == true, "\(json.out)")
        var out = ""
        #expect(
            ApplyCLI.run(["help"], environment: ApplyEnvironment(out: { out += $0 })) == 0
                && out.contains("USAGE: oceanid-apply"))
        // The help gives every credential's ESC key, as the runtime messages do.
        let help = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for key in [
            "CLOUDFLARE_API_TOKEN the API token (ESC cloudflareApiToken;",
            "BRIDGE_TOKEN the CrunchyBridge API key (ESC crunchyBridgeApiKey)",
            "LABEL_STUDIO_API_KEY Label Studio's API token (ESC labelStudioApiKey;",
            "(ESC aws.labelStudio.accessKeyId, aws.labelStudio.secretAccessKey)",
            "CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET the Access service token for Triton behind Access (no ESC key",
        ] {
            #expect(help.contains(key), "\(key): \(help)")
        }
        let unknown = try Self.run(["bogus"])
        #expect(
            unknown.err.contains("unknown command 'bogus'") && unknown.err.contains("oceanid-apply --help")
                && !unknown.err.contains("USAGE"), "short: \(unknown.err)")
    }

    @Test func anUnreachableProviderIsNamed() throws {
        let run = try Self.run(
            ["plan"], state: Self.cloudflare,
            environment: [
                "CLOUDFLARE_API_TOKEN": "a-long-enough-token", "OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9",
            ])
        #expect(
            run.status == 1
                && (run.err.contains("error: Cloudflare tunnels: no response")
                    || run.err.contains("error: Cloudflare DNS: no response")),
            "\(run.err)")
    }

    @Test func aStateFlagSwallowsNoOtherFlag() throws {
        // `--state --json` must not read a file named --json and switch to JSON.
        var out = ""
        var err = ""
        let status = ApplyCLI.run(
            ["plan", "--state", "--json"], environment: ApplyEnvironment(out: { out += $0 }, err: { err += $0 }))
        #expect(status == 64 && err.contains("--state needs a value"), "\(err)")
    }

    static var cloudflare: DesiredState {
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: "0123456789abcdef0123456789abcdef", zoneName: "example.com", zoneId: ApplyDNSTests.zone,
            dnsRecords: [DNSRecord(type: "CNAME", name: "gpu.example.com", content: "t.cfargotunnel.com")])
        return state
    }

    /// A hostname with the placeholder tunnel ID would get a CNAME to a tunnel that is nobody's:
    /// refused before any request, naming the setting its target was read from: the cluster
    /// tunnel's hostname names the cluster tunnel's setting, the node tunnel's its own; a state
    /// written before the settings were recorded names no setting it cannot know.
    @Test func aRecordPointingAtThePlaceholderTunnelIsRefused() throws {
        let placeholder = "00000000-0000-0000-0000-000000000000.cfargotunnel.com"
        var state = Self.cloudflare
        state.cloudflare.dnsRecords = [
            DNSRecord(type: "CNAME", name: "gpu.example.com", content: placeholder),
            DNSRecord(type: "CNAME", name: "label.example.com", content: placeholder),
            DNSRecord(type: "CNAME", name: "old.example.com", content: placeholder),
        ]
        state.cloudflare.dnsTargetSettings = [
            "gpu.example.com": "cloudflareNodeTunnelId", "label.example.com": "cloudflareTunnelId",
        ]
        let run = try Self.run(
            ["plan"], state: state,
            environment: ["CLOUDFLARE_API_TOKEN": "abcdefgh12345678", "OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9"])
        #expect(run.status == 1)
        // Access goes after DNS: held back, and named in the last line.
        #expect(
            run.err == """
                error: dns: DNS record gpu.example.com points at the placeholder tunnel ID \(placeholder); \
                set cloudflareNodeTunnelId in settings.yaml and rebuild
                error: dns: DNS record label.example.com points at the placeholder tunnel ID \(placeholder); \
                set cloudflareTunnelId in settings.yaml and rebuild
                error: dns: DNS record old.example.com points at the placeholder tunnel ID \(placeholder); \
                set the tunnel's ID in settings.yaml and rebuild
                error: access: not planned because dns, which goes first, failed
                error: nothing could be planned: dns failed; access held back

                """, "\(run.err)")
    }

    /// A remotely managed tunnel with the placeholder ID names the setting its ID is read from.
    @Test func aTunnelWithThePlaceholderIDNamesItsSetting() throws {
        var state = Self.cloudflare
        state.cloudflare.dnsRecords = []
        state.cloudflare.tunnels = [
            TunnelConfiguration(
                tunnelId: "00000000-0000-0000-0000-000000000000", name: "node-tunnels",
                ingress: [IngressRule(hostname: nil, service: "http_status:404")], idSetting: "cloudflareNodeTunnelsId")
        ]
        let run = try Self.run(
            ["plan"], state: state,
            environment: ["CLOUDFLARE_API_TOKEN": "abcdefgh12345678", "OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9"])
        #expect(run.status == 1)
        #expect(
            run.err.hasPrefix("error: tunnel: tunnel node-tunnels has the placeholder ID in /")
                && run.err.contains(
                    "/desired-state.json; set cloudflareNodeTunnelsId in settings.yaml and rebuild\n"),
            "\(run.err)")
    }

    @Test func credentialsThatWouldForgeHeadersOrShredMessagesAreRefused() throws {
        let base = ["OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9"]
        let injected = try Self.run(
            ["plan"], state: Self.cloudflare,
            environment: base.merging(["CLOUDFLARE_API_TOKEN": "abcdefgh12345678\r\nX-Injected: yes"]) { $1 })
        #expect(
            injected.status == 1
                && injected.err == """
                    error: dns, access: CLOUDFLARE_API_TOKEN holds a space, line break or control character \
                    (copied with the value?)
                    error: nothing could be planned: dns, access failed

                    """,
            "\(injected.err)")
        let short = try Self.run(
            ["plan"], state: Self.cloudflare, environment: base.merging(["CLOUDFLARE_API_TOKEN": "e"]) { $1 })
        #expect(
            short.status == 1
                && short.err == """
                    error: dns, access: CLOUDFLARE_API_TOKEN is 1 character long, too short for a credential \
                    (truncated?)
                    error: nothing could be planned: dns, access failed

                    """,
            "\(short.err)")
        var guarded = Self.cloudflare
        guarded.modelServing = ModelServingState(endpoints: [
            ModelEndpoint(url: "https://gpu.example.com", models: ["m"], accessProtected: true)
        ])
        let blank = try Self.run(
            ["plan", "--only", "triton"], state: guarded,
            environment: ["CF_ACCESS_CLIENT_ID": "abcdefgh12345678", "CF_ACCESS_CLIENT_SECRET": "        "])
        #expect(
            blank.status == 1
                && blank.err == """
                    error: triton: CF_ACCESS_CLIENT_SECRET holds a space, line break or control character \
                    (copied with the value?)
                    error: nothing could be planned: triton failed

                    """,
            "\(blank.err)")
        // The client refuses such a header on its own too.
        #expect(throws: HTTPError.self) {
            try HTTPClient().send(
                HTTPRequest("GET", "http://127.0.0.1:9/", headers: ["Authorization": "Bearer a\r\nb"]))
        }
    }

    @Test func plainHTTPIsForLoopbackAddressesOnlyAndURLsCarryNoCredentials() throws {
        #expect(
            HTTPClient.allowsPlainHTTP("http://127.0.0.1:8080/x") && HTTPClient.allowsPlainHTTP("http://127.1.2.3/")
                && HTTPClient.allowsPlainHTTP("http://localhost/"))
        #expect(
            !HTTPClient.allowsPlainHTTP("http://127.example.com/")
                && !HTTPClient.allowsPlainHTTP("http://127.0.0.1.example.com/")
                && !HTTPClient.allowsPlainHTTP("http://1270.0.0.1/") && !HTTPClient.allowsPlainHTTP("http://10.0.0.1/"))
        let token = ["CLOUDFLARE_API_TOKEN": "a-long-enough-token"]
        let named = try Self.run(
            ["plan"], state: Self.cloudflare,
            environment: token.merging(["OCEANID_CLOUDFLARE_API": "http://127.example.com/client/v4"]) { $1 })
        #expect(named.status == 1 && named.err.contains("plain http to a host that is not loopback"), "\(named.err)")
        let userinfo = try Self.run(
            ["plan"], state: Self.cloudflare,
            environment: token.merging(["OCEANID_CLOUDFLARE_API": "https://admin:hunter2@api.example.com"]) { $1 })
        #expect(
            userinfo.status == 1 && userinfo.err.contains("must not carry credentials")
                && !userinfo.err.contains("hunter2"), "\(userinfo.err)")
    }

    /// Hand-edited states that would create what the applier then disowns, twins, churn, or
    /// paths out of their folder: refused before any request, naming the field.
    @Test func aHandEditedStateIsRefusedBeforeAnyRequest() throws {
        var cases: [(DesiredState, String)] = []
        var state = Self.cloudflare
        state.cloudflare.dnsRecords[0].comment = "hand"
        cases.append((state, "comment 'hand' is not the ownership marker"))
        state = Self.cloudflare
        state.cloudflare.dnsRecords.append(
            DNSRecord(type: "CNAME", name: "GPU.example.com.", content: "u.cfargotunnel.com"))
        cases.append((state, "DNS record CNAME gpu.example.com is declared twice"))
        state = Self.cloudflare
        state.cloudflare.zoneId = "../../x?a=1#0123456789abcdefghij"
        cases.append((state, "is not 32 lower-case hex digits"))
        state = Self.cloudflare
        state.cloudflare.accessApplications = [AccessApplication(name: "gpu app", domain: "gpu.example.com")]
        cases.append((state, "name 'gpu app' does not end with ' (managed by oceanid-apply)'"))
        var studio = DesiredState()
        let storage = LabelStudioStorage(
            direction: "import", title: "in" + LabelStudioStorage.ownershipSuffix, bucket: "b-1", prefix: "",
            region: "r",
            accessKeyId: .init(escKey: "k"), secretAccessKey: .init(escKey: "s"))
        var slashed = storage
        slashed.prefix = "/"
        studio.labelStudio = LabelStudioState(url: "https://label.example.com", storages: [storage, slashed])
        cases.append((studio, "Label Studio import storage s3://b-1/ is declared twice"))
        var sideways = storage
        sideways.direction = "Export"
        studio.labelStudio.storages = [sideways]
        cases.append((studio, "direction 'Export' is not import or export"))
        var models = DesiredState()
        models.modelServing = ModelServingState(endpoints: [
            ModelEndpoint(url: "https://gpu.example.com", models: [".."])
        ])
        cases.append((models, "Triton model '..'"))
        var firewall = DesiredState()
        firewall.crunchyBridge = CrunchyBridgeState(networkId: "ooer7tenangenjelkxbkgz6sdi", firewallRules: [])
        cases.append((firewall, "admits nothing; oceanid-apply never empties a firewall"))
        var version = Self.cloudflare
        version.schemaVersion = 0
        cases.append((version, "versions start at 1"))
        for (state, message) in cases {
            let run = try Self.run(
                ["plan"], state: state, environment: ["OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9"])
            #expect(run.status == 1 && run.err.contains(message), "\(message): \(run.err)")
        }
    }

    @Test func anEndlessListIsAnErrorNotAHang() throws {
        let fake = try ApplyFirewallTests.Fake()
        try fake.hook("/__faults", ["endless": 1])
        let (status, _, err) = try ApplyFirewallTests.run(["plan"], fake: fake)
        #expect(status == 1 && err.contains("repeated a page cursor"), "\(err)")
    }

    /// A provider runs when its section is configured: emptying a list removes what the
    /// applier made (an owned Access app), never what it did not.
    @Test func anEmptiedListRemovesOnlyWhatTheApplierMade() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        for (name, domain) in [
            ("old.example.com" + AccessApplication.ownershipSuffix, "old.example.com"), ("wiki", "wiki.example.com"),
        ] {
            try fake.hook(
                "/__apps", ["name": name, "domain": domain, "type": "self_hosted", "session_duration": "24h"])
        }
        let state = try ApplyDNSTests.stateFile([])
        defer { state.remove() }
        let plan = ApplyDNSTests.run(["plan"], state: state, fake: fake)
        #expect(
            plan.status == 2 && plan.out.contains("delete   access app old.example.com") && !plan.out.contains("wiki"),
            "\(plan.out)\(plan.err)")
    }

    @Test func providerTextCannotDriveTheTerminal() {
        #expect(
            ApplyCLI.printable("rule \u{1B}]0;owned\u{07} \u{1B}[2J ok\n")
                == "rule \u{FFFD}]0;owned\u{FFFD} \u{FFFD}[2J ok\n")
        #expect(LabelStudioClient.slugify("a\rb") == "a-b" && LabelStudioClient.slugify("a\u{0B}b\u{1C}c") == "a-b-c")
        // A Retry-After that is not a finite number is ignored (backoff with jitter, at most
        // 0.5 s * 2^1 here), never obeyed: "inf" would otherwise stop every retry.
        for nonsense in ["nan", "inf", "-inf", "1e999"] {
            let delay = RetryPolicy().delay(attempt: 1, retryAfter: nonsense)
            #expect(delay.isFinite && delay >= 0 && delay <= 1.0, "\(nonsense): \(delay)")
        }
    }
}
