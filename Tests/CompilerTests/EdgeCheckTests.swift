import Compiler
import DSL
import Testing
import TestSupport

/// Tunnels, DNS records, Access and hosts: each of cloudflared's ingress rules and each
/// cross-artifact check trips on a fixture at the declaration that is wrong, and the clean
/// edge passes. One part of `EdgeFixtures` is replaced at a time.
@Suite struct EdgeCheckTests {
    typealias Rule = TunnelIngressRule

    func check(_ fleet: Fleet) -> [Diagnostic] { FleetCheck.run(fleet) }

    /// The only diagnostic of `code` (and no other), with its line.
    func one(_ diagnostics: [Diagnostic], _ code: DiagnosticCode, line: Int? = nil,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Diagnostic {
        #expect(diagnostics.map(\.code) == [code], "\(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        let d = try #require(diagnostics.first { $0.code == code }, sourceLocation: sourceLocation)
        if let line { #expect(d.location.line == line, sourceLocation: sourceLocation) }
        return d
    }

    func withClusterRules(_ rules: [Rule]) -> [Diagnostic] {
        check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(clusterRules: rules)))
    }

    @Test func theCleanEdgePasses() {
        #expect(check(EdgeFixtures.fleet()) == [])
    }

    // MARK: cloudflared's ingress rules

    @Test(arguments: ["*.example.com", "web.example.com", "a-b.web.example.com"])
    func acceptedHostnames(_ host: String) {
        let rules = [Rule(host, to: .service("web", namespace: "web", port: 80)).publicOnPurpose("test"), Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(rules) == [], "\(host)")
    }

    @Test(arguments: [
        ("web.*.example.com", "has a '*' that is not a leading '*.'"),
        ("*web.example.com", "has a '*' that is not a leading '*.'"),
        ("**.example.com", "has a '*' that is not a leading '*.'"),
        ("web.example.com:443", "contains a port"),
        ("Web.example.com", "has upper-case letters"),
        ("web.example.com.", "ends with '.'"),
        ("web_1.example.com", "may hold only letters, digits"),
        ("-web.example.com", "starts or ends with '-'"),
    ])
    func wildcardsPortsAndSyntax(_ host: String, _ problem: String) throws {
        let line = #line + 1
        let rules = [Rule(host, to: .service("web", namespace: "web", port: 80)).publicOnPurpose("test"), Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .invalidHostname, line: line)
        #expect(d.message.contains(problem), "\(d.message)")
        #expect(d.message.contains("'\(host)'"))
    }

    @Test(arguments: [
        (IngressService.url("ftp://files.internal:21"), "cloudflared proxies"),
        (.url("http://web.internal:8080/api"), "has a path"),
        (.url("web.internal:8080"), "has no scheme and host"),
        (.url("unix:relative.sock"), "absolute path"),
        (.url("http_status:abc"), "an HTTP status is 100–599"),
        (.httpStatus(99), "an HTTP status is 100–599"),
        (.httpStatus(600), "an HTTP status is 100–599"),
        (.service("web", namespace: "web", port: 80, scheme: "ftp"), "uses scheme 'ftp'"),
    ])
    func serviceSchemes(_ service: IngressService, _ problem: String) throws {
        let line = #line + 1
        let rules = [Rule("web.example.com", to: service).publicOnPurpose("test"), Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .invalidIngressService, line: line)
        #expect(d.message.contains(problem), "\(d.message)")
    }

    @Test(arguments: [IngressService.url("https://10.0.0.10:6443"), .url("tcp://10.0.0.10:22"), .url("ssh://10.0.0.10:22"),
                      .url("unix:/run/app.sock"), .url("hello_world"), .url("http_status:503"), .httpStatus(404)])
    func acceptedServices(_ service: IngressService) {
        let rules = [Rule("web.example.com", to: service).publicOnPurpose("test"), Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(rules) == [], "\(service)")
    }

    @Test(arguments: ["^/api/", "^/v[0-9]+/(models|health)$", "\\.json$", "[(?=]", "^/(?P<v>v[0-9])/", "^/(?<v>v1)/", "(?U)^/a+",
                      "(?i)^/API", "^/\\pN+", "^/\\p{Greek}", "^/a{2,5}b*?", "^/\\Q*.*\\E$", "^/\\x41\\123"])
    func re2Paths(_ path: String) {
        let rules = [Rule("web.example.com", path: path, to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(rules) == [], "\(path)")
    }

    @Test(arguments: [
        ("^/(?=api)", "lookahead"),
        ("^/(?<!x)api", "lookbehind"),
        ("^/(a)\\1", "backreferences"),
        ("^/(?>a+)", "atomic groups"),
        ("^/a++", "possessive"),
        ("^/api\\Z", "the escape \\Z is not RE2"),
        ("^/\\h", "the escape \\h is not RE2"),
        ("^/\\R", "the escape \\R is not RE2"),
        ("^/\\X", "the escape \\X is not RE2"),
        ("^/\\e", "the escape \\e is not RE2"),
        ("^/\\cA", "the escape \\c is not RE2"),
        ("^/(?#note)api", "comments"),
        ("^/(?x) api", "flags are i, m, s and U"),
        ("^/a{1001}", "above 1000"),
        ("^/a**", "repetition of a repetition"),
        ("^/a*??", "repetition of a repetition"),
        ("^/(api", "does not compile"),
        ("^/[api", "missing closing ]"),
    ])
    func pathsRE2Refuses(_ path: String, _ problem: String) throws {
        let line = #line + 1
        let rules = [Rule("web.example.com", path: path, to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .invalidPathRegex, line: line)
        #expect(d.message.contains(problem), "\(d.message)")
    }

    @Test func theLastRuleMustBeTheCatchAll() throws {
        let line = #line + 1
        let d = try one(withClusterRules([Rule("web.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t")]),
                        .misplacedCatchAll, line: line)
        #expect(d.message.contains("must match every request"))
        // A last rule with a path is not a catch-all either.
        let withPath = withClusterRules([Rule(hostname: nil, path: "^/", service: .httpStatus(404))])
        #expect(withPath.map(\.code).sorted { $0.rawValue < $1.rawValue } == [.invalidHostname, .misplacedCatchAll])
        // No rules at all.
        #expect(withClusterRules([]).map(\.code) == [.misplacedCatchAll])
    }

    @Test func onlyTheLastRuleMayCatchAll() throws {
        let line = #line + 1
        let rules = [Rule(hostname: "*", service: .httpStatus(404)),
                     Rule("web.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .misplacedCatchAll, line: line)
        #expect(d.message.contains("rule 1"))
        #expect(d.notes.first?.message == "never reached")
    }

    @Test func aRuleAnEarlierOneCoversIsShadowed() throws {
        let first = #line + 1
        let wildcard = Rule("*.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t")
        let line = #line + 1
        let later = Rule("web.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t")
        let d = try one(withClusterRules([wildcard, later, Rule.catchAll(.httpStatus(404))]), .shadowedIngressRule, line: line)
        #expect(d.notes.first?.location?.line == first)
        // The same hostname twice, the first without a path.
        let twice = withClusterRules([later, Rule("web.example.com", path: "^/api", to: .httpStatus(403)).publicOnPurpose("t"),
                                      Rule.catchAll(.httpStatus(404))])
        #expect(twice.map(\.code) == [.shadowedIngressRule])
    }

    @Test func narrowerRulesFirstAreNotShadowed() {
        // Path before no path, a name before its wildcard, a wildcard does not cover its own zone apex.
        let rules = [Rule("web.example.com", path: "^/api", to: .httpStatus(403)).publicOnPurpose("t"),
                     Rule("web.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule("*.web.example.com", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(rules) == [])
    }

    @Test func aPathRuleForEveryHostnameIsRefused() throws {
        let line = #line + 1
        let rules = [Rule(hostname: "*", path: "^/admin", service: .httpStatus(403)), Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .invalidHostname, line: line)
        #expect(d.message.contains("matches every hostname on a path"))
    }

    @Test func aHostHeaderMayCarryAPort() {
        let rules = [Rule("web.example.com", to: .url("https://10.0.0.10:6443"), originRequest: OriginRequest(httpHostHeader: "api.internal:8443"))
            .publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(rules) == [])
    }

    @Test func originRequestValues() {
        let rules = [Rule("web.example.com", to: .url("https://10.0.0.10:6443"),
                          originRequest: OriginRequest(connectTimeoutSeconds: 0, noTLSVerify: true, originServerName: "bad name",
                                                       caPool: "certs/ca.pem")).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        let d = withClusterRules(rules)
        #expect(d.map(\.code) == [.invalidOriginRequest, .invalidOriginRequest, .invalidOriginRequest], "\(d.map { $0.formatted() })")
        #expect(d.contains { $0.message.contains("originRequest.connectTimeout is 0") })
        #expect(d.contains { $0.message.contains("caPool 'certs/ca.pem' must be an absolute path") })
        #expect(d.contains { $0.message.contains("originServerName 'bad name'") })
    }

    // MARK: Across artifacts

    @Test func aHostnameOutsideTheZone() throws {
        let line = #line + 1
        let rules = [Rule("web.example.org", to: .service("web", namespace: "web", port: 80)).publicOnPurpose("t"),
                     Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(rules), .hostnameOutsideZone, line: line)
        #expect(d.message.contains("'web.example.org'") && d.message.contains("'example.com'"))
        // The zone itself and a name that only ends like it.
        #expect(withClusterRules([Rule("example.com", to: .httpStatus(204)).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]) == [])
        #expect(withClusterRules([Rule("notexample.com", to: .httpStatus(204)).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))])
            .map(\.code) == [.hostnameOutsideZone])
    }

    @Test func aRouteToAMissingServiceOrPort() throws {
        let line = #line + 1
        let missing = [Rule("web.example.com", to: .service("wbe", namespace: "web", port: 80)).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        let d = try one(withClusterRules(missing), .unknownRouteTarget, line: line)
        #expect(d.message.contains("Service 'web/wbe' is not declared") && d.message.contains("did you mean 'web'"), "\(d.message)")

        for port in [PortRef.number(8080), .name("https")] {
            let rules = [Rule("web.example.com", to: .service("web", namespace: "web", port: port)).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
            let p = try one(withClusterRules(rules), .unknownRouteTarget)
            #expect(p.message.contains("has no port \(port)") && p.message.contains("http=80"), "\(p.message)")
        }
        // A URL into the cluster is resolved the same way.
        let url = [Rule("web.example.com", to: .url("http://web.web.svc.cluster.local:8080")).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        #expect(try one(withClusterRules(url), .unknownRouteTarget).message.contains("has no port 8080"))
        let fine = [Rule("web.example.com", to: .url("http://web.web.svc.cluster.local:80")).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        #expect(withClusterRules(fine) == [])
    }

    @Test func aHostRouteToAMissingHostServicePort() throws {
        let line = #line + 1
        let rules = [Rule("model.example.com", to: .host(EdgeFixtures.model, port: "grpc")), Rule.catchAll(.httpStatus(404))]
        let d = try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: rules))), .unknownRouteTarget, line: line)
        #expect(d.message.contains("has no port 'grpc'") && d.message.contains("http=8000"), "\(d.message)")
        // A localhost URL must hit a declared port; the host connector disabled means no route may remain.
        let url = [Rule("model.example.com", to: .url("http://localhost:9000")), Rule.catchAll(.httpStatus(404))]
        #expect(try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: url))), .unknownRouteTarget)
            .message.contains("nothing on node 'lab-gpu' listens on port 9000"))
        let noHost = check(EdgeFixtures.fleet(hosts: []))
        #expect(try one(noHost, .unknownRouteTarget).message.contains("host service 'model' is not declared on node 'lab-gpu'"))
        // A host tunnel cannot reach a cluster Service, nor a remote tunnel a host port.
        let crossed = [Rule("model.example.com", to: .service("web", namespace: "web", port: 80)), Rule.catchAll(.httpStatus(404))]
        #expect(try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: crossed))), .unknownRouteTarget)
            .message.contains("cannot reach the cluster Service"))
    }

    @Test(arguments: [
        ("https://[::1]:9999", "nothing on node 'lab-gpu' listens on port 9999"),
        ("http://localhost.:9999", "nothing on node 'lab-gpu' listens on port 9999"),
        ("http://0.0.0.0:9999", "nothing on node 'lab-gpu' listens on port 9999"),
        ("http://127.0.0.2", "nothing on node 'lab-gpu' listens on port 80"),
        ("http://[::1]:8000", "publishes port 8000 on 127.0.0.1 only"),
    ])
    func localURLsAreResolvedHoweverSpelled(_ url: String, _ problem: String) throws {
        let rules = [Rule("model.example.com", to: .url(url)), Rule.catchAll(.httpStatus(404))]
        let d = try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: rules))), .unknownRouteTarget)
        #expect(d.message.contains(problem), "\(d.message)")
    }

    @Test func remoteURLsAreResolvedHoweverSpelled() throws {
        let local = [Rule("web.example.com", to: .url("http://localhost:8080")).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        #expect(try one(withClusterRules(local), .unknownRouteTarget).message.contains("the cloudflared pod itself"))
        let dotted = [Rule("web.example.com", to: .url("http://web.web.svc.cluster.local.:8080")).publicOnPurpose("t"), Rule.catchAll(.httpStatus(404))]
        #expect(try one(withClusterRules(dotted), .unknownRouteTarget).message.contains("has no port 8080"))
    }

    @Test func declaredRecordsAreWhatCloudflareAccepts() throws {
        func records(_ r: DNSRecordDeclaration...) -> [Diagnostic] {
            check(EdgeFixtures.fleet(EdgeFixtures.cloudflare { for x in r { x } }))
        }
        #expect(try one(records(DNSRecordDeclaration(type: "BOGUS", name: "x.example.com", content: "y")), .invalidDNSRecord).message.contains("has type 'BOGUS'"))
        #expect(try one(records(DNSRecordDeclaration(type: "A", name: "x.example.com", content: "not-an-ip")), .invalidDNSRecord).message.contains("not an IPv4 address"))
        #expect(try one(records(DNSRecordDeclaration(type: "AAAA", name: "x.example.com", content: "192.0.2.1")), .invalidDNSRecord).message.contains("not an IPv6 address"))
        #expect(try one(records(DNSRecordDeclaration(type: "TXT", name: "x.example.com", content: "v=1", proxied: true)), .invalidDNSRecord).message.contains("only A, AAAA and CNAME"))
        let both = records(DNSRecordDeclaration(type: "CNAME", name: "x.example.com", content: "y.example.net"),
                           DNSRecordDeclaration(type: "A", name: "x.example.com", content: "192.0.2.1"))
        #expect(both.map(\.code) == [.duplicateDNSRecord] && both[0].message.contains("a CNAME stands alone"), "\(both.map { $0.formatted() })")
        #expect(records(DNSRecordDeclaration(type: "A", name: "x.example.com", content: "192.0.2.1"),
                        DNSRecordDeclaration(type: "A", name: "x.example.com", content: "192.0.2.2"),
                        DNSRecordDeclaration(type: "AAAA", name: "x.example.com", content: "2001:db8::1")) == [], "round-robin is legal")
    }

    @Test func oneLocalTunnelPerNode() throws {
        let zone = EdgeFixtures.cloudflare {
            Tunnel.local("node2", id: EdgeFixtures.id("1c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11"), on: Node("lab-gpu", role: .agent), metricsPort: 2202) {
                TunnelIngressRule.catchAll(.httpStatus(404))
            }
        }
        #expect(try one(check(EdgeFixtures.fleet(zone)), .duplicateObject).message.contains("local tunnel on node 'lab-gpu'"))
    }

    @Test func unitValuesAreOneLineAndOwnedNames() throws {
        func host(_ service: HostService) -> [Diagnostic] { check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model; service }])) }
        let injected = HostService("tool", description: "ok\n[Service]\nExecStartPre=/usr/bin/evil", exec: ["/usr/bin/tool"])
        #expect(try one(host(injected), .unrepresentableCharacter).message.contains("U+000A"))
        let nul = HostService("tool", description: "tool", exec: ["/usr/bin/tool", "a\u{0}b"])
        #expect(try one(host(nul), .unrepresentableCharacter).message.contains("U+0000"))
        let requires = HostService("tool", description: "tool", exec: ["/usr/bin/tool"], requires: ["not a unit"])
        #expect(try one(host(requires), .invalidUnitDependency).message.contains("is not a unit name"))
        let restart = HostService("tool", description: "tool", exec: ["/usr/bin/tool"], restartSeconds: -1)
        #expect(try one(host(restart), .invalidRestartPolicy).message.contains("RestartSec"))
        let docker = HostService("docker", description: "x", exec: ["/usr/bin/x"])
        #expect(try one(host(docker), .invalidName).message.contains("would replace the host's own docker.service"))
        let volume = HostService.docker("tool", description: "t", image: "x/t:1.0", ports: [], volumes: ["models": "/models"])
        #expect(try one(host(volume), .invalidMount).message.contains("'models:/models'"))
        let flag = HostService.docker("tool", description: "t", image: "--privileged", ports: [])
        #expect(host(flag).contains { $0.code == .invalidImage })
    }

    @Test func accessPolicyListsAreClean() throws {
        let twice = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com", emails: ["ops@example.com", "OPS@example.com"])]))
        #expect(try one(check(twice), .duplicateObject).message.contains("e-mail address"))
        let token = EdgeFixtures.fleet(EdgeFixtures.cloudflare { AccessServiceToken("") })
        #expect(try one(check(token), .invalidName).message.contains("service token name"))
    }

    @Test func aRecordToTheWrongTunnel() throws {
        // The node tunnel's CNAME target pointed at the cluster tunnel.
        let wrong = EdgeFixtures.cloudflare(nodeDNSTarget: "\(EdgeFixtures.clusterTunnelID).cfargotunnel.com")
        let d = try one(check(EdgeFixtures.fleet(wrong)), .wrongTunnelTarget)
        #expect(d.message.contains("cloudflareNodeTunnelTarget") && d.message.contains("not at the tunnel"), "\(d.message)")
        // The same target spelled in upper case with the root dot is the tunnel itself.
        let same = EdgeFixtures.cloudflare(nodeDNSTarget: "\(EdgeFixtures.nodeTunnelID.uppercased()).CFARGOTUNNEL.COM.")
        #expect(check(EdgeFixtures.fleet(same)) == [])
        // A declared record into a tunnel that does not route its name.
        let line = #line + 2
        let stray = EdgeFixtures.cloudflare {
            DNSRecordDeclaration(type: "CNAME", name: "old.example.com", content: "\(EdgeFixtures.nodeTunnelID).cfargotunnel.com", proxied: true)
        }
        let r = try one(check(EdgeFixtures.fleet(stray)), .wrongTunnelTarget, line: line)
        #expect(r.message.contains("points at tunnel 'node', which does not route 'old.example.com'"))
    }

    @Test func everyRoutedHostnameHasExactlyOneRecord() throws {
        // Two tunnels routing one name.
        let line = #line + 1
        let twice = [Rule("web.example.com", to: .host(EdgeFixtures.model, port: "http")), Rule.catchAll(.httpStatus(404))]
        let fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: twice, policies: []))
        let d = check(fleet).filter { $0.code == .duplicateDNSRecord }
        #expect(d.count == 1 && d.first?.location.line == line, "\(check(fleet).map { $0.formatted() })")
        // A declared A record on a routed name.
        let taken = EdgeFixtures.cloudflare { DNSRecordDeclaration(type: "A", name: "model.example.com", content: "192.0.2.1") }
        #expect(try one(check(EdgeFixtures.fleet(taken)), .duplicateDNSRecord).message.contains("conflicts with the CNAME"))
        // A TXT beside it is fine.
        let txt = EdgeFixtures.cloudflare { DNSRecordDeclaration(type: "TXT", name: "model.example.com", content: "v=verify") }
        #expect(check(EdgeFixtures.fleet(txt)) == [])
    }

    @Test func everyRoutedHostnameIsProtectedOrPublicOnPurpose() throws {
        let unprotected = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: []))
        let d = try one(check(unprotected), .unprotectedHostname)
        #expect(d.message.contains("'model.example.com' is routed without an Access policy"))
        // A policy for a name no tunnel routes, with a did-you-mean.
        let line = #line + 1
        let stray = AccessPolicy("modle.example.com", serviceTokens: [EdgeFixtures.pipeline])
        let fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com", serviceTokens: [EdgeFixtures.pipeline]), stray]))
        let a = try one(check(fleet), .accessWithoutRoute, line: line)
        #expect(a.notes.first?.message.contains("model.example.com") == true)
        // Public on purpose and protected is a contradiction; a policy admitting nobody is refused.
        let both = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com", serviceTokens: [EdgeFixtures.pipeline]),
                                                                         AccessPolicy("web.example.com", serviceTokens: [EdgeFixtures.pipeline])]))
        #expect(try one(check(both), .accessPolicyOnPublicRoute).message.contains("public on purpose but has an Access policy"))
        let nobody = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com")]))
        #expect(try one(check(nobody), .invalidAccessPolicy).message.contains("admits nobody"))
        // A token the zone does not declare; an address that is not one.
        let other = AccessServiceToken("other")
        let undeclared = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com", serviceTokens: [other])]))
        #expect(try one(check(undeclared), .undeclaredServiceToken).message.contains("'other'"))
        let email = EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: [AccessPolicy("model.example.com", emails: ["ops at example.com"])]))
        #expect(try one(check(email), .invalidAccessPolicy).message.contains("not an e-mail address"))
    }

    @Test func hostPortsDoNotCollide() throws {
        // The demo's hostNetwork DaemonSet listens on 2200 on every node; a host service may not.
        let line = #line + 1
        let clash = HostService("agent", description: "agent", exec: ["/usr/bin/agent"], ports: [HostPort("metrics", 2200)])
        let d = try one(check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model; clash }])), .hostPortConflict, line: line)
        #expect(d.message.contains("port 2200 of node 'lab-gpu'") && d.message.contains("DaemonSet 'batch/node-agent'"), "\(d.message)")
        // The local tunnel's metrics port against a host service's.
        let metrics = HostService("exporter", description: "exporter", exec: ["/usr/bin/exporter"], ports: [HostPort("metrics", 2201)])
        let m = try one(check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model; metrics }])), .hostPortConflict)
        #expect(m.message.contains("tunnel 'node'"), "\(m.message)")
        // The same port on another node is fine.
        #expect(check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model }, Host("lab-1") { metrics }])) == [])
    }

    @Test func identifiersNamedBySetting() throws {
        let empty = try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(accountID: ""))), .missingSetting)
        #expect(empty.message.contains("setting 'cloudflareAccountId' is empty"))
        let malformed = try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(accountID: "not-an-id"))), .invalidCloudflareID)
        #expect(malformed.message.contains("32 lower-case hexadecimal digits"))
        #expect(empty.message.contains("set 'cloudflareAccountId: <32 hex digits>' in settings.yaml"))
        let placeholder = try one(check(EdgeFixtures.fleet(EdgeFixtures.cloudflare(accountID: String(repeating: "0", count: 32)))),
                                  .placeholderSetting)
        #expect(placeholder.severity == .warning)
        // Nothing needs the IDs of a zone that declares nothing.
        var fleet = Fixtures.demo()
        fleet.cloudflare = [Cloudflare(account: EdgeFixtures.id("", "cloudflareAccountId"), zone: "example.com",
                                       zoneId: EdgeFixtures.id("", "cloudflareZoneId"), apiToken: EdgeFixtures.apiToken) {}]
        #expect(check(fleet) == [])
    }

    @Test func urlsIntoTheZoneMustBeRouted() throws {
        // A workload calling a hostname of the zone that nothing serves: a warning at its declaration.
        var fleet = EdgeFixtures.fleet()
        let line = #line + 1
        let client = Deployment("client") {
            Container("c", image: "x/c:1.0") { Env("MODEL_URL", "https://modle.example.com/v2"); Env("OTHER", "https://example.org/x") }
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
        }
        fleet.clusters[0].items.append(.namespace(Namespace("clients") { client }))
        let d = try one(check(fleet), .unroutedHostname, line: line)
        #expect(d.severity == .warning && d.message.contains("'modle.example.com'"))
        // The routed name, and a declared record's, are fine.
        var routed = EdgeFixtures.fleet(EdgeFixtures.cloudflare { DNSRecordDeclaration(type: "A", name: "db.example.com", content: "192.0.2.1") })
        routed.clusters[0].items.append(.namespace(Namespace("clients") {
            EdgeFixtures.pipeline.secret()
            Deployment("client") {
                Container("c", image: "x/c:1.0") {
                    Env("MODEL_URL", "https://model.example.com/v2"); Env("DB", "postgres://u@db.example.com:5432/x")
                    Env.accessToken(EdgeFixtures.pipeline)  // model.example.com is behind Access
                }
                    .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
            }
        }))
        #expect(check(routed) == [])
    }

    @Test func hostsAreOnDeclaredNodesWithRunnableServices() throws {
        let unknown = check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model }, Host("lab-9") {}]))
        #expect(try one(unknown, .unknownNode).message.contains("host 'lab-9'"))
        let relative = HostService("tool", description: "tool", exec: ["tool", "--serve"])
        #expect(try one(check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model; relative }])), .invalidHostCommand)
            .message.contains("absolute path"))
        // A host service named like the local tunnel's unit.
        let named = HostService("cloudflared-node", description: "x", exec: ["/bin/true"])
        #expect(try one(check(EdgeFixtures.fleet(hosts: [Host("lab-gpu") { EdgeFixtures.model; named }])), .duplicateObject)
            .message.contains("cloudflared-node"))
    }
}
