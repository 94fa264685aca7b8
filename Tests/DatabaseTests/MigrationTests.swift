import Compiler
import DSL
import Fleet
import Foundation
import OceanidGenKit
import Testing
import TestSupport

/// Declared schemas become migrations that a real PostgreSQL 15 (started by the tests)
/// applies: from scratch they give exactly the declared schema, an evolution makes one
/// migration per step that applies on the previous state, a tampered history is refused,
/// a destructive change is a diagnostic at its declaration, and the committed
/// sql/cleandata and sql/labelfish apply cleanly.
@Suite(.serialized) struct MigrationTests {
    // MARK: Helpers

    /// Compiles a one-database fleet against committed files; returns the diagnostics and,
    /// without errors, every file under sql/.
    static func compile(_ database: Database, committed: [String: String]) -> (diagnostics: [Diagnostic], files: [String: String]?) {
        let generated = BuildPipeline(definition: FleetDefinition(Fleet("t") { database }), root: "/nonexistent")
            .generate(inputs: DictionaryInputTree(committed))
        let files = generated.files.map { Dictionary(uniqueKeysWithValues: $0.filter { $0.path.hasPrefix("sql/") }.map { ($0.path, $0.contents) }) }
        return (generated.diagnostics, files)
    }

    /// One evolution step: compile, require no errors, return the new migrations (path → text)
    /// and make the output the committed tree.
    static func step(_ database: Database, _ committed: inout [String: String],
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [(path: String, text: String)] {
        let (diagnostics, files) = compile(database, committed: committed)
        #expect(!diagnostics.hasErrors, "\(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        let all = try #require(files, sourceLocation: sourceLocation)
        let new = all.filter { committed[$0.key] == nil && $0.key.hasSuffix(".sql") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        committed = all
        return new
    }

    static func shop(_ version: Int) -> Database {
        Database("shop") {
            Schema("shop", comment: "Orders.") {
                Table("orders") {
                    Column("order_id", .bigint, identity: true)
                    if version >= 5 {
                        Column("customer_name", .text).renamed(from: "customer")
                    } else {
                        Column("customer", .text)
                    }
                    Column("total", .numeric(10, 2), default: "0").check("total >= 0")
                    if (2..<6).contains(version) { Column("note", .text, nullable: true) }
                    if version >= 6 { Drop("note", because: "notes moved to the CRM") }
                    PrimaryKey("order_id")
                    if version >= 4 { Index("orders_customer_idx", on: [version >= 5 ? "customer_name" : "customer"]) }
                }
                if version >= 3 {
                    Table("customers", comment: "Who orders.") {
                        Column("customer_id", .bigint, identity: true)
                        Column("name", .text)
                        PrimaryKey("customer_id")
                    }
                }
            }
            DatabaseRole("shop_reader")
            Grant([.usage], on: .schema("shop"), to: "shop_reader")
            Grant([.select], on: .allTables(inSchema: "shop"), to: "shop_reader")
        }
    }

    // MARK: From scratch

    @Test func theCommittedMigrationsApplyAndGiveTheDeclaredSchema() throws {
        let server = try PostgresServer.get()
        let databases = Oceanid.definition.build(SettingValues()).databases
        #expect(databases.map(\.name) == ["cleandata", "labelfish"])
        for database in databases {
            let folder = Paths.repository + "/sql/\(database.name)/migrations"
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
            #expect(!files.isEmpty, "sql/\(database.name) has no migrations: run make build")
            let chain = try server.createDatabase("chain")
            for file in files { try server.apply(chain, file: try String(contentsOfFile: folder + "/" + file, encoding: .utf8)) }
            // The declared schema in one script, through the same server: the catalogs agree.
            let script = MigrationPlanner.createScript(database)
            #expect(!script.diagnostics.hasErrors)
            let scratch = try server.createDatabase("scratch")
            try server.apply(scratch, file: script.text)
            let applied = try server.catalog(chain)
            #expect(applied == (try server.catalog(scratch)), "\(database.name)")
            // And the catalog holds every declared table and column with its type and nullability.
            for schema in database.schemas {
                for table in schema.tables {
                    for column in table.columns {
                        let fact = "column \(schema.name).\(table.name).\(column.name) \(column.type.sql) notnull=\(column.nullable ? "false" : "true")"
                        #expect(applied.contains { $0.hasPrefix(fact) }, "\(fact)")
                    }
                }
            }
            #expect(applied.contains { $0.hasPrefix("column control.schema_versions.checksum text notnull=true") })
            // Each file recorded itself once.
            let versions = try server.psql(chain, "SELECT version FROM control.schema_versions ORDER BY version;")
            #expect(versions.split(separator: "\n").count == files.count)
        }
    }

    @Test func aMigrationRefusesToRunTwice() throws {
        let server = try PostgresServer.get()
        var committed: [String: String] = [:]
        let first = try Self.step(Self.shop(1), &committed)
        let db = try server.createDatabase("twice")
        try server.apply(db, file: first[0].text)
        let before = try server.catalog(db)
        #expect(throws: PostgresServer.Failure.self) { try server.apply(db, file: first[0].text) }
        do { try server.apply(db, file: first[0].text) } catch { #expect("\(error)".contains("is already applied")) }
        #expect(try server.catalog(db) == before, "the refused run changed nothing")
        // A later one cannot skip ahead.
        _ = try Self.step(Self.shop(2), &committed)
        let third = try Self.step(Self.shop(3), &committed)
        do { try server.apply(db, file: third[0].text); Issue.record("V0003 ran without V0002") } catch {
            #expect("\(error)".contains("V0003 must follow V0002"), "\(error)")
        }
    }

    // MARK: Evolution

    @Test func anEvolutionMakesOneMigrationPerStepEachApplyingOnThePrevious() throws {
        let server = try PostgresServer.get()
        let db = try server.createDatabase("evolve")
        var committed: [String: String] = [:]
        var slugs: [String] = []
        for version in 1...6 {
            let new = try Self.step(Self.shop(version), &committed)
            #expect(new.count == 1, "step \(version): \(new.map(\.path))")
            guard let migration = new.first else { continue }
            slugs.append(String(migration.path.split(separator: "/").last!))
            try server.apply(db, file: migration.text)
            if version == 1 { try server.psql(db, "INSERT INTO shop.orders (customer, total) VALUES ('ada', 12.50);") }
            // Nothing changed: nothing new.
            #expect(try Self.step(Self.shop(version), &committed).isEmpty, "step \(version) is not idempotent")
        }
        #expect(slugs == ["V0001__create_shop.sql", "V0002__add_column_orders_note.sql", "V0003__create_table_customers_and_more.sql",
                          "V0004__add_index_orders_customer_idx.sql", "V0005__rename_column_orders_customer_and_more.sql",
                          "V0006__drop_column_orders_note.sql"])
        // The renamed column kept its value; the dropped one is gone.
        #expect(try server.psql(db, "SELECT customer_name || ' ' || total FROM shop.orders;") == "ada 12.50\n")
        let scratch = try server.createDatabase("evolve_scratch")
        try server.apply(scratch, file: MigrationPlanner.createScript(Self.shop(6)).text)
        #expect(try server.catalog(db) == (try server.catalog(scratch)))
        // The rename and the drop say why and where in their files.
        let drop = try #require(committed.first { $0.key.hasSuffix("V0006__drop_column_orders_note.sql") }?.value)
        #expect(drop.contains("--   drop column shop.orders.note: notes moved to the CRM (DatabaseTests/MigrationTests.swift:"))
        #expect(drop.contains("ALTER TABLE \"shop\".\"orders\" DROP COLUMN \"note\";"))
        // Grants reach tables created after them (default privileges of the migrating role).
        try server.psql(db, "SET ROLE shop_reader; SELECT count(*) FROM shop.customers;")
    }

    // MARK: Refusals

    @Test func destructiveChangesAreRefusedAtTheDeclaration() throws {
        var committed: [String: String] = [:]
        _ = try Self.step(Self.shop(2), &committed)
        // The note column disappears without a Drop.
        let line = #line + 2
        let dropped = Database("shop") {
            Schema("shop", comment: "Orders.") { Table("orders") {
                Column("order_id", .bigint, identity: true); Column("customer", .text)
                Column("total", .numeric(10, 2), default: "0").check("total >= 0"); PrimaryKey("order_id")
            } }
            DatabaseRole("shop_reader")
            Grant([.usage], on: .schema("shop"), to: "shop_reader")
            Grant([.select], on: .allTables(inSchema: "shop"), to: "shop_reader")
        }
        let (diagnostics, files) = Self.compile(dropped, committed: committed)
        #expect(files == nil)
        let d = try #require(diagnostics.first { $0.code == .destructiveChange })
        #expect(d.location.line == line && d.message.contains("column shop.orders.note is in the committed schema but no longer declared"), "\(d.formatted())")
        // Narrowing a type and SET NOT NULL without a default need an allowance.
        func variant(_ column: Column) -> [Diagnostic] {
            Self.compile(Database("shop") {
                Schema("shop", comment: "Orders.") { Table("orders") {
                    Column("order_id", .bigint, identity: true); Column("customer", .text)
                    Column("total", .numeric(10, 2), default: "0").check("total >= 0"); column; PrimaryKey("order_id")
                } }
                DatabaseRole("shop_reader")
                Grant([.usage], on: .schema("shop"), to: "shop_reader")
                Grant([.select], on: .allTables(inSchema: "shop"), to: "shop_reader")
            }, committed: committed).diagnostics.filter { $0.severity == .error }
        }
        #expect(variant(Column("note", .varchar(10), nullable: true)).first?.message.contains("changes type from text to character varying(10)") == true)
        #expect(variant(Column("note", .varchar(10), nullable: true).allowing(.narrowing, because: "short notes")).isEmpty)
        #expect(variant(Column("note", .text)).first?.message.contains("becomes NOT NULL without a default") == true)
        #expect(variant(Column("note", .text).allowing(.setNotNull, because: "backfilled")).isEmpty)
        #expect(variant(Column("note", .text, nullable: true)).isEmpty, "unchanged")
    }

    @Test func aRefusedChangeWritesNothing() throws {
        let dir = try TemporaryFolder("sql-refused"); defer { dir.remove() }
        try dir.write("definitions/.keep", "")
        #expect(CapturedRun(FleetDefinition(Fleet("t") { Self.shop(2) }), ["build"], root: dir.path).status == 0)
        let before = dir.snapshot()
        let run = CapturedRun(FleetDefinition(Fleet("t") { Self.shop(1) }), ["build"], root: dir.path)
        #expect(run.status == 2)
        #expect(run.err.contains("MigrationTests.swift:") && run.err.contains("[destructive-change]"), "\(run.err)")
        #expect(dir.snapshot() == before)
    }

    // MARK: Tamper evidence

    @Test func anEditedReorderedDeletedOrHandWrittenMigrationIsCaught() throws {
        var committed: [String: String] = [:]
        for version in 1...3 { _ = try Self.step(Self.shop(version), &committed) }
        let paths = committed.keys.filter { $0.hasSuffix(".sql") }.sorted()
        #expect(paths.count == 3)
        func problems(_ files: [String: String]) -> [String] {
            Self.compile(Self.shop(3), committed: files).diagnostics.filter { $0.code == .invalidMigration }.map { $0.formatted() }
        }
        #expect(problems(committed).isEmpty)
        var edited = committed
        edited[paths[1]] = committed[paths[1]]!.replacingOccurrences(of: "ADD COLUMN", with: "ADD COLUMN IF NOT EXISTS")
        #expect(problems(edited).contains { $0.hasPrefix("\(paths[1]):1: error:") && $0.contains("was edited, renamed or reordered") })
        // Reordered: the second and third swap their contents (and so their versions' meaning).
        var reordered = committed
        (reordered[paths[1]], reordered[paths[2]]) = (committed[paths[2]], committed[paths[1]])
        #expect(problems(reordered).count == 2)
        var deleted = committed
        deleted[paths[0]] = nil
        #expect(problems(deleted).contains { $0.contains("is gone") })
        var added = committed
        added["sql/shop/migrations/V0004__by_hand.sql"] = "SELECT 1;"
        #expect(problems(added).contains { $0.contains("never added by hand") })
    }

    @Test func checkNamesAnEditedMigration() throws {
        let dir = try TemporaryFolder("sql-check"); defer { dir.remove() }
        try dir.write("definitions/.keep", "")
        let definition = FleetDefinition(Fleet("t") { Self.shop(2) })
        #expect(CapturedRun(definition, ["build"], root: dir.path).status == 0)
        let path = "sql/shop/migrations/V0001__create_shop.sql"
        try dir.write(path, try #require(dir.read(path)).replacingOccurrences(of: "numeric(10,2)", with: "numeric(12,2)"))
        let run = CapturedRun(definition, ["check", "--against", "worktree"], root: dir.path)
        #expect(run.status != 0)
        #expect(run.err.contains("\(path):1: error:") && run.err.contains("was edited"), "\(run.err)")
    }

    // MARK: The real schema's rules, behaviourally

    @Test func cleandataEnforcesItsDomainRulesAndGrants() throws {
        let server = try PostgresServer.get()
        let database = try #require(Oceanid.definition.build(SettingValues()).databases.first { $0.name == "cleandata" })
        let db = try server.createDatabase("domain")
        try server.apply(db, file: MigrationPlanner.createScript(database).text)
        try server.psql(db, "INSERT INTO curated.flag_states (flag_code, name) VALUES ('PAN', 'Panama');")
        try server.psql(db, "INSERT INTO curated.vessels (imo_number, name, flag_code, mmsi) VALUES (9074729, 'Good', 'PAN', '352001234');")
        for bad in ["INSERT INTO curated.vessels (imo_number, name) VALUES (9074728, 'Wrong check digit');",
                    "INSERT INTO curated.vessels (imo_number, name) VALUES (907472, 'Six digits');",
                    "INSERT INTO curated.vessels (name, mmsi) VALUES ('Short MMSI', '12345678 ');",
                    "INSERT INTO curated.flag_states (flag_code, name) VALUES ('pa ', 'Lower case');",
                    "INSERT INTO stage.extractions (document_id, field_name, entity_label, raw_value, confidence, extractor) VALUES (1, 'f', 'IMO', 'x', 1.5, 'rule');"] {
            #expect(throws: PostgresServer.Failure.self, "\(bad)") { try server.psql(db, bad) }
        }
        // The BI role reads curated and writes nothing.
        #expect(try server.psql(db, "SET ROLE bi_readonly; SELECT name FROM curated.vessels;") == "Good\n")
        #expect(throws: PostgresServer.Failure.self) { try server.psql(db, "SET ROLE bi_readonly; INSERT INTO curated.rfmos VALUES ('ICCAT', 'x');") }
        #expect(throws: PostgresServer.Failure.self) { try server.psql(db, "SET ROLE bi_readonly; SELECT * FROM stage.documents;") }
    }
}
