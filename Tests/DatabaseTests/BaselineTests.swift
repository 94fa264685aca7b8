import DSL
import Fleet
import Foundation
import Rendering
import TestSupport
import Testing

@testable import Compiler

/// A committed `sql/<db>/baseline.json` (an inspected live schema) starts the history: V0001
/// creates the baseline, the next migration goes to the declaration, clauses the server rewrote
/// compare semantically, what the baseline has beyond the declaration is refused, and a database
/// declared `.adopted()` never regenerates.
@Suite struct BaselineTests {
    /// `shop.orders` as a live server would return it (the inspected spelling).
    static func inspected(extraTable: Bool = false) -> SchemaState {
        var tables: [SchemaState.TableDef] = [
            .init(
                name: "orders",
                columns: [
                    .init(name: "order_id", type: "bigint", nullable: false, identity: true),
                    .init(
                        name: "status", type: "text", nullable: false, defaultExpression: "'open'::text",
                        identity: false),
                    .init(name: "total", type: "numeric(10,2)", nullable: false, identity: false),
                ],
                constraints: [
                    .init(name: "orders_pkey", kind: "p", definition: "PRIMARY KEY (order_id)", columns: ["order_id"]),
                    .init(
                        name: "orders_status_check", kind: "c",
                        definition: "CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))", columns: ["status"]),
                    .init(
                        name: "orders_total_check", kind: "c",
                        definition: "CHECK (((total >= (0)::numeric) AND (total <= (1000)::numeric)))",
                        columns: ["total"]),
                ],
                indexes: [])
        ]
        if extraTable {
            tables.append(
                .init(
                    name: "audit", columns: [.init(name: "line", type: "text", nullable: true, identity: false)],
                    constraints: [], indexes: []))
        }
        return SchemaState(
            database: "shop", version: 0,
            schemas: [
                .init(
                    name: "control", enums: [],
                    tables: [
                        .init(
                            name: "schema_versions",
                            columns: [
                                .init(name: "domain", type: "text", nullable: false, identity: false),
                                .init(name: "version", type: "text", nullable: false, identity: false),
                            ], constraints: [], indexes: [])
                    ]),
                .init(name: "shop", enums: [], tables: tables.sorted { $0.name < $1.name }),
            ],
            roles: [], grants: [])
    }

    static func shop(adopted: Bool = false, line: Int = #line) -> Database {
        Database("shop", line: line) {
            Schema("shop") {
                Table("orders") {
                    Column("order_id", .bigint, identity: true)
                    Column("status", .text, default: "'open'").check("status IN ('open', 'closed')")
                    Column("total", .numeric(10, 2)).check("total BETWEEN 0 AND 1000")
                    PrimaryKey("order_id")
                }
            }
        }.adopted(adopted)
    }

    static func files(_ baseline: SchemaState, committed: [String: String] = [:]) -> [String: String] {
        committed.merging(["sql/shop/baseline.json": JSONRenderer.render(baseline)]) { _, new in new }
    }

    @Test func theBaselineIsV0001AndRewrittenClausesAreNeitherDroppedNorAdded() throws {
        let (diagnostics, files) = MigrationTests.compile(Self.shop(), committed: Self.files(Self.inspected()))
        #expect(!diagnostics.hasErrors, "\(diagnostics.map { $0.formatted() })")
        let all = try #require(files)
        let v1 = try #require(all["sql/shop/migrations/V0001__baseline_shop.sql"])
        #expect(v1.contains("CREATE TABLE \"shop\".\"orders\""))
        // Each clause that means what the declaration says is written as declared.
        #expect(v1.contains("CHECK (total BETWEEN 0 AND 1000)"))
        let v2 = try #require(all.first { $0.key.hasPrefix("sql/shop/migrations/V0002__") }?.value)
        #expect(!v2.contains("CONSTRAINT \"orders_"), "\(v2)")
        #expect(!v2.contains("DEFAULT"), "\(v2)")
        #expect(v2.contains("ADD COLUMN \"checksum\"") == false)  // V0001 already has the tool's history table.
        let adopt = try #require(all["sql/shop/adopt.sql"])
        #expect(adopt.contains("ALTER TABLE \"control\".\"schema_versions\" ADD COLUMN \"checksum\" text;"))
        #expect(adopt.contains("VALUES ('shop', '0001', 'sha256:"))
        // Built again from its own output: nothing changes (the lock records the baseline).
        let (again, rebuilt) = MigrationTests.compile(
            Self.shop(), committed: Self.files(Self.inspected(), committed: all))
        #expect(!again.hasErrors && rebuilt == all)
    }

    @Test func whatTheBaselineHasBeyondTheDeclarationIsRefused() throws {
        let (diagnostics, files) = MigrationTests.compile(
            Self.shop(), committed: Self.files(Self.inspected(extraTable: true)))
        #expect(files == nil)
        #expect(diagnostics.filter { $0.severity == .error }.map(\.code) == [.destructiveChange])
        #expect(diagnostics.first { $0.severity == .error }?.message.contains("shop.audit") == true)
    }

    @Test func aChangedBaselineOfAnAdoptedDatabaseIsAnErrorAtItsDeclaration() throws {
        let (_, built) = MigrationTests.compile(Self.shop(), committed: Self.files(Self.inspected()))
        let committed = try #require(built)
        // Adopted with the baseline it was built from: builds, unchanged.
        let (fine, same) = MigrationTests.compile(
            Self.shop(adopted: true), committed: Self.files(Self.inspected(), committed: committed))
        #expect(!fine.hasErrors && same == committed)
        // Adopted, and the baseline re-inspected: refused at the database's line.
        let changed = Self.files(Self.inspected(extraTable: true), committed: committed)
        let line = #line + 1
        let (diagnostics, files) = MigrationTests.compile(Self.shop(adopted: true, line: line), committed: changed)
        #expect(files == nil)
        let d = try #require(diagnostics.first { $0.code == .baselineChangedAfterAdoption })
        #expect(d.location.line == line)
        #expect(d.notes.first?.location?.file == "sql/shop/baseline.json")
        // Not adopted yet: the same change regenerates the history (and is refused for the extra table).
        let (regenerated, _) = MigrationTests.compile(Self.shop(), committed: changed)
        #expect(regenerated.filter { $0.severity == .error }.map(\.code) == [.destructiveChange])
    }

    @Test(arguments: [
        ("CHECK (x BETWEEN 0 AND 1)", "CHECK (((x >= (0)::numeric) AND (x <= (1)::numeric)))", true),
        ("CHECK (k IN ('a', 'b'))", "CHECK ((k = ANY (ARRAY['a'::text, 'b'::text])))", true),
        (
            "CHECK (s NOT IN ('x') OR d IS NOT NULL)",
            "CHECK (((s <> ALL (ARRAY['x'::stage.review_status])) OR (d IS NOT NULL)))", true
        ),
        ("PRIMARY KEY (\"domain\", \"version\")", "PRIMARY KEY (domain, version)", true),
        (
            "FOREIGN KEY (\"a\") REFERENCES \"s\".\"t\" (\"a\") ON DELETE CASCADE",
            "FOREIGN KEY (a) REFERENCES s.t(a) ON DELETE CASCADE", true
        ),
        ("'open'", "'open'::stage.ingest_status", true),
        ("CHECK (x BETWEEN 0 AND 1)", "CHECK (((x >= (0)::numeric) AND (x <= (2)::numeric)))", false),
        ("CHECK (k IN ('a', 'b'))", "CHECK ((k = ANY (ARRAY['a'::text])))", false),
        ("'open'", "'closed'::text", false),
    ])
    func clausesCompareAsTheServerRewritesThem(_ declared: String, _ server: String, _ equal: Bool) {
        #expect((Baseline.canonical(declared) == Baseline.canonical(server)) == equal)
    }
}
