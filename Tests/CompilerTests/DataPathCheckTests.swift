import Compiler
import DSL
import Testing
import TestSupport

/// Data paths (`DataPathChecks`): a new workload, `orders-api`, that is not one of the fleet's,
/// reaching its database directly (blocked) or through a DB proxy (clean), and a Service in
/// another namespace that a policy blocks or allows.
@Suite struct DataPathCheckTests {
    static let dbHost = "p.abc123.db.postgresbridge.com"
    static let apiKey = SecretSetting("dbApiKey", summary: "")
    static let node = Node("n1", role: .server, publicIP: "192.0.2.10")

    static func deployment(_ name: String, port: Int = 8080, file: String = #filePath, line: Int = #line,
                           @ListBuilder<ContainerItem> env: () -> [ContainerItem] = { [] }) -> Deployment {
        Deployment(name, file: file, line: line) {
            Container("main", image: Image("registry.example/\(name):1.0.0"), file: file, line: line) {
                Port("http", port, file: file, line: line)
                env()
            }
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
        }
    }

    /// A DB proxy like the fleet's: socat to the database host, its own policy lets it out on 5432.
    static let proxy = Deployment("db-proxy") {
        Container("proxy", image: "registry.example/socat:1.8.0") { Port("postgres", 5432) }
            .args(["-d", "TCP-LISTEN:5432,fork,reuseaddr", "TCP:\(dbHost):5432"])
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
    }
    static let proxyService = Service(selecting: proxy) { ServicePort("postgres", 5432) }

    /// `orders-db`: `url` fetched from ESC key `ordersDbUrl` (names database `orders`), and
    /// `proxiedUrl` with the proxy's Service as host.
    static let secret = SecretDeclaration("orders-db", keys: ["url": "ordersDbUrl"]).template([
        "url": "{{ .url }}",
        "proxiedUrl": "{{ $u := urlParse .url }}{{ $u.scheme }}://{{ $u.userinfo }}@db-proxy.apps.svc.cluster.local:5432{{ $u.path }}",
    ])

    /// Egress policies of `apps`: default deny, DNS, within the namespace, the proxy's way out.
    @ListBuilder<NamespaceItem> static var policies: [NamespaceItem] {
        NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
        NetworkPolicy("allow-within-apps", pods: .all, types: [.egress]) { EgressRule(to: [.pods(.all)]) }
        NetworkPolicy("allow-db-proxy-upstream", pods: .workload(proxy), types: [.egress]) {
            EgressRule(to: [.ipBlock(cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
                       ports: [.tcp(5432)])
        }
    }

    /// Namespaces `apps` and `data`, database `orders` behind a firewall naming its host; only
    /// the data-path diagnostics.
    func check(@ListBuilder<NamespaceItem> apps: () -> [NamespaceItem],
               @ListBuilder<NamespaceItem> data: () -> [NamespaceItem] = { [] }) -> [Diagnostic] {
        let (appsNamespace, dataNamespace) = (Namespace("apps", apps), Namespace("data", data))
        var fleet = Fleet("t") {
            Cluster("c") {
                Self.node
                appsNamespace
                dataNamespace
            }
        }
        fleet.databases = [Database("orders", schemas: ["sales"])]
        fleet.firewall = DatabaseFirewall(network: "net", apiKey: Self.apiKey, host: Self.dbHost) {
            FirewallSource(Self.node, description: "egress node")
        }
        return FleetCheck.run(fleet).filter { $0.code == .unreachableAddress }
    }

    @Test func databaseURLReachedDirectlyIsBlocked() throws {
        let line = #line + 3
        let diagnostics = check {
            Self.deployment("orders-api") {
                Env("DATABASE_URL", secret: Self.secret, key: "url")
            }
            Self.secret
            Self.proxy
            Self.proxyService
            Self.policies
        }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(d.location.file == #filePath)
        #expect(
            d.message == "Deployment 'orders-api' env 'DATABASE_URL' reaches \(Self.dbHost):5432 (database 'orders', "
                + "ESC key 'ordersDbUrl'), which no NetworkPolicy selecting its pods allows (default-deny-egress, "
                + "allow-within-apps); connect through db-proxy.apps.svc.cluster.local:5432, whose pods may reach it")
        #expect(d.notes.first?.message.hasPrefix("NetworkPolicy 'default-deny-egress' isolates the pods") == true)
        #expect(d.notes.first?.location?.file == #filePath)
    }

    @Test func databaseURLThroughTheProxyIsClean() {
        #expect(
            check {
                Self.deployment("orders-api") { Env("DATABASE_URL", secret: Self.secret, key: "proxiedUrl") }
                Self.secret
                Self.proxy
                Self.proxyService
                Self.policies
            } == [])
    }

    @Test func literalDatabaseURLWithoutAProxyNamesTheWayOut() throws {
        let line = #line + 2
        let diagnostics = check {
            Self.deployment("orders-api") { Env("PGURL", "postgresql://db.example.com/orders?sslmode=require") }
            NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
        }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.location.line == line)
        #expect(
            d.message == "Deployment 'orders-api' env 'PGURL' reaches db.example.com:5432, which no NetworkPolicy "
                + "selecting its pods allows (default-deny-egress); leave through the egress gateway or the DB proxy: "
                + "no declared Service that 'orders-api' may reach may reach it")
    }

    /// `reports` in `data`, called at its Service URL from `apps`.
    static let reports = deployment("reports", port: 9000)
    static let reportsService = Service(selecting: reports) { ServicePort("http", 80, target: "http") }

    @Test func serviceInAnotherNamespaceBlockedByPolicy() throws {
        let line = #line + 2
        let diagnostics = check {
            Self.deployment("orders-api") { Env("REPORTS_URL", "http://reports.data.svc.cluster.local/v1") }
            Self.policies
        } data: {
            Self.reports
            Self.reportsService
        }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.location.line == line)
        #expect(
            d.message == "Deployment 'orders-api' env 'REPORTS_URL' reaches reports.data.svc.cluster.local:80, which "
                + "no NetworkPolicy selecting its pods allows (default-deny-egress, allow-within-apps); allow it in a "
                + "policy selecting 'orders-api': EgressRule(to: [.namespace(\"data\", pods: .workload(reports))], "
                + "ports: [.tcp(\"http\")]) (Service 'reports')")
    }

    @Test func serviceInAnotherNamespaceAllowedIsClean() {
        #expect(
            check {
                Self.deployment("orders-api") { Env("REPORTS_URL", "http://reports.data.svc.cluster.local/v1") }
                Self.policies
                NetworkPolicy("allow-reports", pods: .labels(["app.kubernetes.io/name": "orders-api"]), types: [.egress]) {
                    EgressRule(to: [.namespace("data", pods: .workload(Self.reports))], ports: [.tcp(9000)])
                }
            } data: {
                Self.reports
                Self.reportsService
            } == [])
    }

    @Test func theProxyItselfAndUnisolatedPodsAreClean() {
        // The proxy's own upstream (args) is allowed by its policy; a namespace without egress
        // policies isolates nothing.
        #expect(check { Self.proxy; Self.proxyService; Self.policies } == [])
        #expect(check { Self.deployment("orders-api") { Env("DATABASE_URL", secret: Self.secret, key: "url") }; Self.secret } == [])
    }

    // MARK: TLS through the proxy

    /// The proxy's Service at a fixed ClusterIP, so pods can map the database host to it.
    static let fixedProxyService = Service(selecting: proxy) { ServicePort("postgres", 5432) }.fixedClusterIP("10.43.0.54").recreatedOnChange()

    /// `orders-graphql`, a node-postgres client (verifies the server's name) of `orders`.
    static func graphql(key: String, line: Int = #line) -> Deployment {
        Deployment("orders-graphql", line: line) {
            Container("main", image: "registry.example/orders-graphql:1.0.0", line: line) {
                Port("http", 5000, line: line)
                Env("DATABASE_URL", secret: Self.secret, key: key, line: line)
            }
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
            .verifiesServerName()
        }
    }

    @Test func verifyingClientHandedTheProxysNameIsAnError() throws {
        let line = #line + 1
        let diagnostics = check { Self.graphql(key: "proxiedUrl"); Self.secret; Self.proxy; Self.fixedProxyService; Self.policies }
        #expect(diagnostics.isEmpty, "reachable: \(diagnostics.map { $0.formatted() })")
        let all = Self.all { Self.graphql(key: "proxiedUrl"); Self.secret; Self.proxy; Self.fixedProxyService; Self.policies }
        #expect(all.count == 1, "\(all.map { $0.formatted() })")
        let d = try #require(all.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line + 2)
        #expect(
            d.message == "container 'main' verifies the server's name, but env 'DATABASE_URL' dials "
                + "'db-proxy.apps.svc.cluster.local', Service 'db-proxy.apps' forwarding to \(Self.dbHost):5432, whose "
                + "certificate names '\(Self.dbHost)': verification fails")
        #expect(
            d.notes.first?.message
                == "dial '\(Self.dbHost)' and map it to the proxy in the pod: .hostAlias(ip: \"10.43.0.54\", hostnames: "
                + "[\"\(Self.dbHost)\"])")
    }

    @Test func verifyingClientKeepingTheHostNameThroughAHostAliasIsClean() {
        let items: () -> [NamespaceItem] = {
            [.deployment(Self.graphql(key: "url").hostAlias(ip: "10.43.0.54", hostnames: [Self.dbHost])),
             .secret(Self.secret), .deployment(Self.proxy), .service(Self.fixedProxyService)] + Self.policies
        }
        #expect(Self.all(items) == [])
    }

    @Test func aHostAliasToAnAddressNoServiceHasIsNotJudged() throws {
        // Mapped to an address no Service has: the fleet cannot say where it leads, so it does not judge it.
        let items: () -> [NamespaceItem] = {
            [.deployment(Self.graphql(key: "url").hostAlias(ip: "10.43.0.99", hostnames: [Self.dbHost])),
             .secret(Self.secret)] + Self.policies
        }
        #expect(Self.all(items) == [])
    }

    @Test func nonVerifyingClientMayUseTheProxysName() {
        #expect(Self.all { Self.deployment("orders-api") { Env("DATABASE_URL", secret: Self.secret, key: "proxiedUrl") }
            Self.secret; Self.proxy; Self.fixedProxyService; Self.policies } == [])
    }

    // MARK: The server's CA

    static let ca = SecretDeclaration("orders-ca", keys: ["ca.crt": "ordersCertificate"])

    /// `orders-graphql` verifying, mapped to the proxy by a hostAlias, with `trust` env and a
    /// mount of the CA Secret at /etc/orders.
    static func verifying(line: Int = #line, @ListBuilder<ContainerItem> trust: () -> [ContainerItem]) -> Deployment {
        Deployment("orders-graphql", line: line) {
            Container("main", image: "registry.example/orders-graphql:1.0.0", line: line) {
                Port("http", 5000, line: line)
                Env("DATABASE_URL", secret: Self.secret, key: "url", line: line)
                trust()
                Mount("orders-ca", at: "/etc/orders", readOnly: true)
            }
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
            .verifiesServerName()
            Volume.secret("orders-ca", Self.ca)
        }
        .hostAlias(ip: "10.43.0.54", hostnames: [Self.dbHost])
    }

    func caDiagnostics(_ workload: Deployment) -> [Diagnostic] {
        let ns = Namespace("apps") {
            workload
            Self.secret
            Self.ca
            Self.proxy
            Self.fixedProxyService
            Self.policies
        }
        var fleet = Fleet("t") { Cluster("c") { Self.node; ns } }
        fleet.databases = [Database("orders", schemas: ["sales"])]
        fleet.firewall = DatabaseFirewall(network: "net", apiKey: Self.apiKey, host: Self.dbHost) {
            FirewallSource(Self.node, description: "egress node")
        }
        return FleetCheck.run(fleet).filter { $0.code == .untrustedServerCA }
    }

    @Test func verifyingClientTrustingNoCAIsAnError() throws {
        let line = #line + 1
        let diagnostics = caDiagnostics(Self.verifying {})
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(
            d.message == "container 'main' verifies the server of env 'DATABASE_URL' (\(Self.dbHost):5432) but trusts "
                + "no CA beyond its image's; the provider's CA (CrunchyBridge: the team certificate) is in no public root "
                + "store, so the handshake fails; mount it from a Secret and point NODE_EXTRA_CA_CERTS (Node) or "
                + "PGSSLROOTCERT (libpq, pgx, lib/pq) at the file")
    }

    @Test func verifyingClientTrustingTheMountedCAIsClean() {
        #expect(caDiagnostics(Self.verifying { Env("NODE_EXTRA_CA_CERTS", "/etc/orders/ca.crt") }) == [])
        #expect(caDiagnostics(Self.verifying { Env("PGSSLROOTCERT", "/etc/orders/ca.crt") }) == [])
    }

    @Test func aCAFileUnderNoMountIsAnError() throws {
        let diagnostics = caDiagnostics(Self.verifying { Env("PGSSLROOTCERT", "/etc/ssl/orders.crt") })
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("but PGSSLROOTCERT names '/etc/ssl/orders.crt', which is under "
            + "none of its mounts;") == true)
    }

    @Test func nonVerifyingClientNeedsNoCA() {
        var workload = Self.verifying {}
        workload.pod.containers[0] = workload.pod.containers[0].verifiesServerName(false)
        #expect(caDiagnostics(workload) == [])
    }

    // MARK: The API server

    /// `orders-jobs`, a new workload that creates Jobs through the API (ServiceAccount bound by
    /// a RoleBinding), in a namespace whose egress is denied but for `rules`; the server node
    /// declares its address 192.0.2.10.
    func apiDiagnostics(automount: Bool? = nil, line: Int = #line,
                        @ListBuilder<NetworkRule> rules: () -> [NetworkRule]) -> [Diagnostic] {
        let account = ServiceAccount("orders-jobs")
        let role = Role("jobs") { PolicyRule(apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"]) }
        var workload = Self.deployment("orders-jobs", line: line).serviceAccount(account)
        workload.pod.automountServiceAccountToken = automount
        let allowed = rules()
        let ns = Namespace("apps") {
            account
            role
            RoleBinding(role: role, to: [account])
            workload
            NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {}
            NetworkPolicy("allow-kube-api", pods: .all, types: [.egress]) { allowed }
        }
        let server = Node("n1", role: .server, address: "192.0.2.10")
        let fleet = Fleet("t") { Cluster("c") { server; ns } }
        return FleetCheck.run(fleet).filter { $0.code == .unreachableAddress }
    }

    @Test func aWorkloadUsingTheAPIBlockedByItsPoliciesIsAnError() throws {
        let line = #line + 1
        let diagnostics = apiDiagnostics {}
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.location.line == line)
        #expect(
            d.message == "Deployment 'orders-jobs' uses the API (ServiceAccount 'orders-jobs', bound by RoleBinding "
                + "'jobs') and reaches the API server 192.0.2.10:6443 (kubernetes.default.svc:443 after its DNAT), "
                + "which no NetworkPolicy selecting its pods allows (default-deny-egress, allow-kube-api); allow it in a "
                + "policy selecting 'orders-jobs': EgressRule(to: [.ipBlock(cidr: \"192.0.2.10/32\")], ports: "
                + "[.tcp(6443)]) (kube-router filters after the Service's DNAT: a rule for the ClusterIP never matches)")
    }

    @Test func aRuleForTheClusterIPDoesNotReachTheAPIServer() {
        // kube-router sees the endpoint, not 10.43.0.1:443.
        let diagnostics = apiDiagnostics { EgressRule(to: [.ipBlock(cidr: "10.43.0.1/32")], ports: [.tcp(443)]) }
        #expect(diagnostics.count == 1)
    }

    @Test func aRuleForTheServersAddressOn6443IsClean() {
        #expect(apiDiagnostics { EgressRule(to: [.ipBlock(cidr: "192.0.2.10/32")], ports: [.tcp(6443)]) } == [])
    }

    @Test func aPodWithoutItsTokenDoesNotTalkToTheAPI() {
        #expect(apiDiagnostics(automount: false) {} == [])
    }

    /// Both data-path codes.
    static func all(@ListBuilder<NamespaceItem> _ apps: () -> [NamespaceItem]) -> [Diagnostic] {
        let ns = Namespace("apps", apps)
        var fleet = Fleet("t") { Cluster("c") { Self.node; ns } }
        fleet.databases = [Database("orders", schemas: ["sales"])]
        fleet.firewall = DatabaseFirewall(network: "net", apiKey: Self.apiKey, host: Self.dbHost) {
            FirewallSource(Self.node, description: "egress node")
        }
        return FleetCheck.run(fleet).filter { [.unreachableAddress, .rewrittenServerName].contains($0.code) }
    }
}

/// What the data-path declarations lower to: a fixed `spec.clusterIP` and the pod's `hostAliases`.
@Suite struct HostAliasLoweringTests {
    @Test func fixedClusterIPAndHostAliasesAreEmitted() throws {
        let proxy = DataPathCheckTests.proxy
        let client = DataPathCheckTests.deployment("orders-api")
            .hostAlias(ip: "10.43.0.54", hostnames: [DataPathCheckTests.dbHost])
        let fleet = Fleet("t") {
            Cluster("c") {
                DataPathCheckTests.node
                Namespace("apps") {
                    proxy
                    DataPathCheckTests.fixedProxyService
                    client
                }
            }
        }
        let ir = try #require(CompilerPipeline.compile(FleetDefinition(fleet)).ir)
        let objects = ir.clusters.flatMap(\.components).flatMap(\.objects)
        let service = try #require(objects.first { $0.id.kind == "Service" && $0.id.name == "db-proxy" })
        #expect(service.tree["spec"]?["clusterIP"] == "10.43.0.54")
        let deployment = try #require(objects.first { $0.id.kind == "Deployment" && $0.id.name == "orders-api" })
        #expect(
            deployment.tree["spec"]?["template"]?["spec"]?["hostAliases"] == [
                ["ip": "10.43.0.54", "hostnames": [.string(DataPathCheckTests.dbHost)]]
            ])
    }
}
