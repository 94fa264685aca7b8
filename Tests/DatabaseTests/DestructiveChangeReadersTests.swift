import Compiler
import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// A refused destructive change names the workloads that read its schema: those connecting as
/// one of the database's login roles (their URL's ESC key is declared with it, `ConnectionURL`)
/// that name the schema.
@Suite struct DestructiveChangeReadersTests {
    /// A fleet whose `api` Deployment reads schema `s` (and `other` nothing) as role `api`.
    static func fleet(_ database: Database, containerLine: Int = #line) -> Fleet {
        let secret = SecretDeclaration("db", keys: ["url": "shopApiUrl"])
        var fleet = Fleet("t") {
            Cluster("c") {
                Node("n1", role: .server)
                PulumiESCStore(
                    organization: "o", project: "default", environment: "e", configNamespace: "apps",
                    token: .init(namespace: "apps", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"))
                Namespace("apps") {
                    secret
                    Deployment("api") {
                        Container("a", image: "x/a:1", line: containerLine) {
                            Env("DATABASE_URL", secret: secret, key: "url")
                        }
                        .args(["--schema", "s"])
                    }
                }
            }
        }
        fleet.databases = [database]
        return fleet
    }

    static func generate(_ fleet: Fleet, committed: [String: String]) -> (
        diagnostics: [Diagnostic], files: [String: String]
    ) {
        let generated = BuildPipeline(definition: FleetDefinition(fleet), root: "/nonexistent")
            .generate(inputs: DictionaryInputTree(committed))
        let files = (generated.files ?? []).filter { $0.path.hasPrefix("sql/") }
        return (generated.diagnostics, Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) }))
    }

    static func database(dropping: Bool, tableLine: Int = #line) -> Database {
        Database("shop") {
            Schema("s") {
                Table("t", line: tableLine) {
                    Column("id", .bigint)
                    if !dropping { Column("note", .text) }
                    PrimaryKey("id")
                }
            }
            Schema("other") {
                Table("u") {
                    Column("id", .bigint)
                    if !dropping { Column("note", .text) }
                }
            }
            DatabaseRole("api", login: true)
            ConnectionURL(key: "shopApiUrl", as: "api")
            Grant([.usage], on: .schema("s"), to: "api")
            Grant([.select], on: .allTables(inSchema: "s"), to: "api")
        }
    }

    @Test func aRefusedDropNamesTheWorkloadsThatReadItsSchemaOnly() throws {
        let (first, committed) = Self.generate(Self.fleet(Self.database(dropping: false)), committed: [:])
        #expect(!first.hasErrors, "\(first.map { $0.formatted() })")
        let tableLine = #line + 2
        let containerLine = #line + 1
        let after = Self.fleet(Self.database(dropping: true, tableLine: tableLine), containerLine: containerLine)
        let refused = Self.generate(after, committed: committed).diagnostics.filter { $0.code == .destructiveChange }
        #expect(refused.count == 2, "\(refused.map { $0.formatted() })")
        let inS = try #require(refused.first { $0.message.contains("s.t.note") })
        #expect(inS.location.line == tableLine)
        #expect(
            inS.message.hasSuffix("; schema s is read by deployment apps/api (container a, role api)"), "\(inS.message)"
        )
        #expect(inS.notes.last?.message == "deployment apps/api reads schema s as api here")
        #expect(inS.notes.last?.location?.line == containerLine)
        // Nobody names schema `other`: its refusal is the planner's own, unchanged.
        let inOther = try #require(refused.first { $0.message.contains("other.u.note") })
        #expect(!inOther.message.contains("read by") && inOther.notes.allSatisfy { $0.location?.line != containerLine })
    }
}
