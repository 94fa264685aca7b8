import Compiler
import DSL
import Testing
import TestSupport

/// A workload's database role has the grants the schemas it names need, and a network-facing one
/// holds no superuser or owner (`DatabaseRoleChecks`): `orders-graphql`, a new workload
/// connecting to `orders` as role `reader` (ESC key `ordersReaderUrl`, declared by a
/// `ConnectionURL`) with `--schema sales,audit`.
@Suite struct DatabaseRoleCheckTests {
    static let secret = SecretDeclaration("orders-reader-db", keys: ["url": "ordersReaderUrl"])

    static func graphql(schemas: String, line: Int = #line) -> Deployment {
        Deployment("orders-graphql", line: line) {
            Container("main", image: "registry.example/orders-graphql:1.0.0", line: line) {
                Port("http", 5000, line: line)
                Env("DATABASE_URL", secret: Self.secret, key: "url", line: line)
            }
            .args(["--schema", schemas])
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
        }
    }

    func check(
        _ workload: Deployment, secret: SecretDeclaration = Self.secret, service: Service? = nil,
        codes: Set<DiagnosticCode> = [.missingSchemaGrant], ownedBy: String? = nil,
        @ListBuilder<DatabaseItem> grants: () -> [DatabaseItem]
    ) -> [Diagnostic] {
        let ns = Namespace("apps") {
            workload
            secret
            if let service { service }
        }
        var fleet = Fleet("t") { Cluster("c") { Node("n1", role: .server); ns } }
        let items = grants()
        fleet.databases = [
            Database("orders", ownedBy: ownedBy) {
                if ownedBy == nil {
                    Schema("sales") {}
                    Schema("audit") {}
                }
                DatabaseRole("reader", login: true)
                ConnectionURL(key: "ordersReaderUrl", as: "reader")
                items
            }
        ]
        return FleetCheck.run(fleet).filter { codes.contains($0.code) }
    }

    @Test func schemaWithoutUsageIsAnError() throws {
        let line = #line + 1
        let diagnostics = check(Self.graphql(schemas: "sales,audit")) {
            Grant([.usage], on: .schema("sales"), to: "reader")
            Grant([.select], on: .allTables(inSchema: "sales"), to: "reader")
        }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(
            d.message == "container 'main' uses schema 'audit' of database 'orders' as role 'reader', which has no "
                + "USAGE there; add Grant([.usage], on: .schema(\"audit\"), to: \"reader\")")
        #expect(d.notes.first?.message == "role 'reader' is declared here")
    }

    @Test func usageWithoutTablePrivilegeIsAnError() throws {
        let diagnostics = check(Self.graphql(schemas: "sales")) { Grant([.usage], on: .schema("sales"), to: "reader") }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.message.hasSuffix("which has no privilege on its tables there; "
            + "add Grant([.select], on: .allTables(inSchema: \"sales\"), to: \"reader\")"))
    }

    @Test func grantedSchemasAreClean() {
        #expect(
            check(Self.graphql(schemas: "sales,audit")) {
                for schema in ["sales", "audit"] {
                    Grant([.usage], on: .schema(schema), to: "reader")
                    Grant([.select], on: .allTables(inSchema: schema), to: "reader")
                }
            } == [])
    }

    // MARK: Superusers and owners

    static let admin = SecretDeclaration("orders-admin-db", keys: ["url": "ordersAdminUrl"])

    static func adminService(line: Int = #line) -> Deployment {
        Deployment("orders-graphql", line: line) {
            Container("main", image: "registry.example/orders-graphql:1.0.0", line: line) {
                Port("http", 5000, line: line)
                Env("DATABASE_URL", secret: Self.admin, key: "url", line: line)
            }
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
        }
    }

    @Test func superuserHandedToAServiceIsAnError() throws {
        let line = #line + 1
        let workload = Self.adminService()
        let serviceLine = #line + 1
        let service = Service(selecting: workload) { ServicePort("http", 5000) }
        let urlLine = #line + 2
        let diagnostics = check(workload, secret: Self.admin, service: service, codes: [.networkFacingSuperuser]) {
            ConnectionURL(key: "ordersAdminUrl", as: "postgres", authority: .superuser)
        }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(
            d.message == "Deployment 'orders-graphql' takes requests from the network but env 'DATABASE_URL' connects "
                + "to database 'orders' as 'postgres' (ESC key 'ordersAdminUrl'), a superuser; give it a login role of "
                + "its own with the grants its schemas need (DatabaseRole(\"<name>\", login: true), Grant(...), "
                + "ConnectionURL(<its key>, as: \"<name>\")) and hand it that URL")
        #expect(d.notes.map(\.message) == [
            "Service 'orders-graphql' selects its pods here", "ESC key 'ordersAdminUrl' is declared as role 'postgres' here",
        ])
        #expect(d.notes.map { $0.location?.line } == [serviceLine, urlLine])
    }

    @Test func ownerOfAFleetDatabaseHandedToAServiceIsAnError() throws {
        let workload = Self.adminService()
        let service = Service(selecting: workload) { ServicePort("http", 5000) }
        let diagnostics = check(workload, secret: Self.admin, service: service, codes: [.networkFacingSuperuser]) {
            ConnectionURL(key: "ordersAdminUrl", as: "orders_owner", authority: .owner)
        }
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("as 'orders_owner' (ESC key 'ordersAdminUrl'), the owner of "
            + "database 'orders'; give it") == true)
    }

    @Test func ownerOfAnApplicationsDatabaseIsItsOwn() {
        let workload = Self.adminService()
        let service = Service(selecting: workload) { ServicePort("http", 5000) }
        #expect(
            check(workload, secret: Self.admin, service: service, codes: [.networkFacingSuperuser], ownedBy: "Orders") {
                ConnectionURL(key: "ordersAdminUrl", as: "orders_owner", authority: .owner)
            } == [])
    }

    @Test func superuserOfAWorkloadNothingReachesIsClean() {
        // A migration job's Deployment with no Service and no host port takes no requests.
        #expect(
            check(Self.adminService(), secret: Self.admin, codes: [.networkFacingSuperuser]) {
                ConnectionURL(key: "ordersAdminUrl", as: "postgres", authority: .superuser)
            } == [])
    }

    @Test func superuserOnAHostPortIsAnError() throws {
        var workload = Self.adminService()
        workload.pod.containers[0].ports[0].hostPort = 5000
        let diagnostics = check(workload, secret: Self.admin, codes: [.networkFacingSuperuser]) {
            ConnectionURL(key: "ordersAdminUrl", as: "postgres", authority: .superuser)
        }
        #expect(diagnostics.first?.notes.first?.message == "container 'main' listens on the node's port 5000 here")
    }

    @Test func superuserGetsNoGrantCheck() {
        // The role of a superuser's URL may do everything: no [missing-schema-grant].
        let secret = SecretDeclaration("orders-reader-db", keys: ["url": "ordersAdminUrl"])
        #expect(
            check(Self.graphql(schemas: "sales"), secret: secret) {
                ConnectionURL(key: "ordersAdminUrl", as: "postgres", authority: .superuser)
            } == [])
    }

    // MARK: URLs whose role is not declared

    @Test func urlOfADatabaseWithoutARoleIsAnError() throws {
        let secret = SecretDeclaration("orders-writer-db", keys: ["url": "ordersWriterUrl"])
        let line = #line + 1
        let workload = Deployment("orders-writer", line: line) {
            Container("main", image: "registry.example/orders-writer:1.0.0", line: line) {
                Env("DATABASE_URL", secret: secret, key: "url", line: line)
            }
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "100m", memory: "64Mi"))
        }
        let diagnostics = check(workload, secret: secret, codes: [.undeclaredURLRole]) {}
        #expect(diagnostics.count == 1)
        let d = try #require(diagnostics.first)
        #expect(d.location.line == line)
        #expect(
            d.message == "container 'main' env 'DATABASE_URL' takes ESC key 'ordersWriterUrl', a URL of database "
                + "'orders' whose role is not declared; declare ConnectionURL(key: \"ordersWriterUrl\", as: \"<role>\") "
                + "in the database")
    }

    @Test func connectionURLOfAnUndeclaredRoleIsAnError() throws {
        let line = #line + 2
        let diagnostics = check(Self.graphql(schemas: "sales"), codes: [.invalidSchema]) {
            ConnectionURL(key: "ordersWriterUrl", as: "writer")
        }
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.location.line == line)
        #expect(d.message.hasPrefix("connection URL 'ordersWriterUrl' logs in as role 'writer', which the database "
            + "does not declare"))
    }
}
