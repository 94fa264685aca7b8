import Compiler
import DSL
import Testing
import TestSupport

/// A workload's database role has the grants the schemas it names need (`DatabaseRoleChecks`):
/// `orders-graphql`, a new workload connecting to `orders` as role `reader` (ESC key
/// `ordersReaderUrl`) with `--schema sales,audit`.
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

    func check(_ workload: Deployment, @ListBuilder<DatabaseItem> grants: () -> [DatabaseItem]) -> [Diagnostic] {
        let ns = Namespace("apps") {
            workload
            Self.secret
        }
        var fleet = Fleet("t") { Cluster("c") { Node("n1", role: .server); ns } }
        let items = grants()
        fleet.databases = [
            Database("orders") {
                Schema("sales") {}
                Schema("audit") {}
                DatabaseRole("reader", login: true)
                items
            }
        ]
        return FleetCheck.run(fleet).filter { $0.code == .missingSchemaGrant }
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
}
