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
        let all = Oceanid.definition.build(SettingValues()).databases
        #expect(all.map(\.name) == ["cleandata", "labelfish"])
        let databases = all.filter { $0.ownedBy == nil }
        #expect(databases.map(\.name) == ["cleandata"])
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
            let expected = try server.catalog(scratch)
            #expect(
                applied == expected,
                "\(database.name): \(Set(applied).symmetricDifference(Set(expected)).sorted())")
            // And the catalog holds every declared table and column with its type and nullability.
            for schema in database.schemas {
                for table in schema.tables {
                    for column in table.columns {
                        let fact = "column \(schema.name).\(table.name).\(column.name) \(column.type.sql) notnull=\(column.nullable ? "false" : "true")"
                        #expect(applied.contains { $0.hasPrefix(fact) }, "\(fact)")
                    }
                }
            }
            #expect(applied.contains { $0.hasPrefix("column control.schema_versions.checksum text notnull=false") })
            // Each file recorded itself once.
            let versions = try server.psql(chain, "SELECT version FROM control.schema_versions ORDER BY version;")
            #expect(versions.split(separator: "\n").count == files.count)
        }
    }

    /// labelfish (Label Studio's): its committed provisioning applies twice to the same database
    /// (idempotent), creates its role with the declared grants, and nothing inside: no schema of
    /// oceanid-gen's, no history table; no migration history is committed for it.
    @Test func theCommittedProvisioningOfAnApplicationDatabaseIsIdempotentAndCreatesNothingInside() throws {
        let server = try PostgresServer.get()
        let folder = Paths.repository + "/sql/labelfish"
        #expect(!FileManager.default.fileExists(atPath: folder + "/migrations"), "labelfish keeps no history")
        #expect(!FileManager.default.fileExists(atPath: folder + "/schema.lock.json"))
        let script = try String(contentsOfFile: folder + "/provision.sql", encoding: .utf8)
        let db = try server.createDatabase("labelfish_provision")
        try server.apply(db, file: script)
        try server.apply(db, file: script)
        let schemas = try server.psql(db, "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1;")
        #expect(schemas.split(separator: "\n").map(String.init) == ["public"])
        let privileges = try server.psql(db, "SELECT has_database_privilege('labelfish_owner', current_database(), 'CONNECT, CREATE, TEMPORARY')::text, (SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'labelfish_owner');")
        #expect(privileges.trimmingCharacters(in: .whitespacesAndNewlines) == "true|true")
    }

    /// A new application's database (`wiki`, owned by Wiki.js): the fleet writes
    /// `sql/wiki/provision.sql` and no migration or lock; a committed migration there (the
    /// kind oceanid-gen wrote for labelfish before) is an error at the file.
    static let wiki = Database("wiki", ownedBy: "Wiki.js") {
        DatabaseRole("wiki", login: true)
        Grant([.connect, .create, .temporary], on: .database, to: "wiki")
    }

    @Test func anApplicationDatabaseGetsProvisioningAndNoHistory() throws {
        let (diagnostics, files) = Self.compile(Self.wiki, committed: [:])
        #expect(diagnostics == [])
        let written = try #require(files)
        #expect(written.keys.sorted() == ["sql/wiki/provision.sql"])
        let text = try #require(written["sql/wiki/provision.sql"])
        #expect(!text.contains("control"))
        #expect(text.contains("CREATE ROLE \"wiki\" LOGIN;"))
        #expect(text.contains("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I"))
    }

    @Test func aCommittedMigrationInAnApplicationDatabaseIsAnError() throws {
        let path = "sql/wiki/migrations/V0001__create_wiki.sql"
        let (diagnostics, _) = Self.compile(Self.wiki, committed: [path: "BEGIN; CREATE SCHEMA control; COMMIT;\n"])
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.code == .declaredInApplicationDatabase)
        #expect(d.location.file == path && d.location.line == 1)
        #expect(
            d.message == "'\(path)' is oceanid-gen's migration history for database 'wiki', which Wiki.js owns: it would "
                + "create oceanid-gen's 'control' schema there; the fleet keeps no history in it (its roles and grants "
                + "are sql/wiki/provision.sql, run on every apply); delete it (git rm \(path))")
    }

    @Test func theProvisioningRunsTwiceOnARealServer() throws {
        let server = try PostgresServer.get()
        let (_, files) = Self.compile(Self.wiki, committed: [:])
        let script = try #require(files?["sql/wiki/provision.sql"])
        let db = try server.createDatabase("wiki")
        try server.apply(db, file: script)
        try server.apply(db, file: script)
        #expect(try server.psql(db, "SELECT to_regclass('control.schema_versions') IS NULL;").hasPrefix("t"))
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
                          "V0004__add_index_orders_customer_idx.sql", "V0005__rename_column_orders_customer.sql",
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
                }.allowingLock(because: "the test's own table") }
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

    /// A column renamed without `.renamed(from:)` reads as a drop and an add: the error says how to
    /// declare the rename, and a note at the new column (the one of the same type) shows it.
    @Test func aRenameThatLooksLikeADropSaysHowToDeclareTheRename() throws {
        var committed: [String: String] = [:]
        _ = try Self.step(Self.shop(2), &committed)
        let line = #line + 2
        let renamed = Database("shop") {
            Schema("shop", comment: "Orders.") { Table("orders") {
                Column("order_id", .bigint, identity: true); Column("customer", .text)
                Column("total", .numeric(10, 2), default: "0").check("total >= 0"); PrimaryKey("order_id")
                Column("placed", .bigint, nullable: true)
                Column("remark", .text, nullable: true)
            } }
            DatabaseRole("shop_reader")
            Grant([.usage], on: .schema("shop"), to: "shop_reader")
            Grant([.select], on: .allTables(inSchema: "shop"), to: "shop_reader")
        }
        let remarkLine = line + 4
        let (diagnostics, files) = Self.compile(renamed, committed: committed)
        #expect(files == nil)
        let d = try #require(diagnostics.first { $0.code == .destructiveChange })
        #expect(d.location.line == line)
        #expect(
            d.message == "column shop.orders.note is in the committed schema but no longer declared; to rename it, "
                + "declare .renamed(from: \"note\") on its new column (its values are kept); to drop it, declare "
                + "Drop(\"note\", because: \"...\") in table 'orders' (its values go with it); or restore it",
            "\(d.formatted())")
        #expect(d.notes.count == 1)
        #expect(
            d.notes.first?.message == "if 'note' was renamed to 'remark', declare it "
                + "Column(\"remark\", ...).renamed(from: \"note\") to keep its values")
        #expect(d.notes.first?.location?.line == remarkLine)

        // Declared as the note says, it is a rename: no error.
        let declared = Database("shop") {
            Schema("shop", comment: "Orders.") { Table("orders") {
                Column("order_id", .bigint, identity: true); Column("customer", .text)
                Column("total", .numeric(10, 2), default: "0").check("total >= 0"); PrimaryKey("order_id")
                Column("remark", .text, nullable: true).renamed(from: "note")
            } }
            DatabaseRole("shop_reader")
            Grant([.usage], on: .schema("shop"), to: "shop_reader")
            Grant([.select], on: .allTables(inSchema: "shop"), to: "shop_reader")
        }
        #expect(!Self.compile(declared, committed: committed).diagnostics.hasErrors)
    }

    @Test func aRoleNoLongerDeclaredIsRevokedAndReported() throws {
        var committed: [String: String] = [:]
        _ = try Self.step(Self.shop(1), &committed)
        let without = Database("shop") {
            Schema("shop", comment: "Orders.") {
                Table("orders") {
                    Column("order_id", .bigint, identity: true); Column("customer", .text)
                    Column("total", .numeric(10, 2), default: "0").check("total >= 0"); PrimaryKey("order_id")
                }
            }
        }
        let (diagnostics, files) = Self.compile(without, committed: committed)
        #expect(diagnostics.contains { $0.code == .staleHint && $0.severity == .warning && $0.message.contains("role 'shop_reader' is no longer declared") })
        let migration = try #require(files?.first { $0.key.contains("V0002") }?.value)
        #expect(migration.contains("REVOKE SELECT ON ALL TABLES IN SCHEMA \"shop\" FROM \"shop_reader\";"), "\(migration)")
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

/// Kinds of change a breaking session found unsafe, each applied to a seeded database.
@Suite(.serialized) struct MigrationSafetyTests {
    static func db(status: [String] = ["open", "closed"], checks: [Constraint] = [], drops: [Drop] = [],
                   _ columns: () -> [Column]) -> Database {
        let columns = columns()
        return Database("ops") {
            Schema("ops") {
                EnumType("status", status)
                Table("items") {
                    Column("item_id", .bigint, identity: true)
                    for c in columns { c }
                    for c in checks { c }
                    for d in drops { d }
                    PrimaryKey("item_id")
                }.allowingLock(because: "a few rows (the lock is locking-change's subject, not these tests')")
            }
        }
    }

    /// Builds `before`, applies it to a fresh database seeded by `seed`, then builds and
    /// applies `after`; returns the server, the database and the new migrations' texts.
    static func evolve(_ before: Database, seed: String, _ after: Database) throws -> (PostgresServer, String, [String]) {
        let server = try PostgresServer.get()
        let db = try server.createDatabase("safety")
        var committed: [String: String] = [:]
        for (_, text) in try MigrationTests.step(before, &committed) { try server.apply(db, file: text) }
        try server.psql(db, seed)
        let new = try MigrationTests.step(after, &committed).map(\.text)
        return (server, db, new)
    }

    @Test func narrowingThatWouldChangeAValueRefusesToRun() throws {
        let (server, db, new) = try Self.evolve(Self.db { [Column("code", .text), Column("amount", .numeric(10, 2))] },
                                                seed: "INSERT INTO ops.items (code, amount) VALUES ('ABCDEFGHIJ', 12345678.99);",
                                                Self.db { [Column("code", .varchar(5)).allowing(.narrowing, because: "short codes"),
                                                           Column("amount", .numeric(10, 1)).allowing(.narrowing, because: "one decimal")] })
        #expect(new.count == 1)
        do { try server.apply(db, file: new[0]); Issue.record("a narrowing that cuts data ran") } catch {
            #expect("\(error)".contains("would change stored values"), "\(error)")
        }
        #expect(try server.psql(db, "SELECT code || ' ' || amount FROM ops.items;") == "ABCDEFGHIJ 12345678.99\n", "rolled back whole")
        // The same narrowing on values that fit runs.
        try server.psql(db, "UPDATE ops.items SET code = 'ABC', amount = 1.5;")
        try server.apply(db, file: new[0])
        #expect(try server.psql(db, "SELECT code || ' ' || amount FROM ops.items;") == "ABC 1.5\n")
    }

    @Test func aNewEnumValueUsedAsADefaultGetsItsOwnMigration() throws {
        let (server, db, new) = try Self.evolve(Self.db { [Column("state", .enumType(schema: "ops", name: "status"), default: "'open'")] },
                                                seed: "INSERT INTO ops.items DEFAULT VALUES;",
                                                Self.db(status: ["open", "closed", "planned"]) { [Column("state", .enumType(schema: "ops", name: "status"), default: "'planned'")] })
        #expect(new.count == 2, "the value commits before its first use")
        for text in new { try server.apply(db, file: text) }
        try server.psql(db, "INSERT INTO ops.items DEFAULT VALUES;")
        #expect(try server.psql(db, "SELECT string_agg(state::text, ',' ORDER BY item_id) FROM ops.items;") == "open,planned\n")
    }

    @Test func notNullWithADefaultFillsTheNulls() throws {
        let (server, db, new) = try Self.evolve(Self.db { [Column("note", .text, nullable: true)] }, seed: "INSERT INTO ops.items (note) VALUES (NULL), ('x');",
                                                Self.db { [Column("note", .text, default: "''")] })
        for text in new { try server.apply(db, file: text) }
        #expect(try server.psql(db, "SELECT count(*) FROM ops.items WHERE note = '';") == "1\n")
    }

    @Test func typeChangesWithDefaultsAndBetweenEnumsApply() throws {
        let before = Database("ops") {
            Schema("ops") {
                EnumType("status", ["open", "closed"]); EnumType("phase", ["open", "closed", "archived"])
                Table("items") {
                    Column("item_id", .bigint, identity: true)
                    Column("code", .text, default: "'0'")
                    Column("state", .enumType(schema: "ops", name: "status"), default: "'open'")
                    PrimaryKey("item_id")
                }
            }
        }
        let after = Database("ops") {
            Schema("ops") {
                EnumType("status", ["open", "closed"]); EnumType("phase", ["open", "closed", "archived"])
                Table("items") {
                    Column("item_id", .bigint, identity: true)
                    Column("code", .integer, default: "0").allowing(.narrowing, because: "codes are numbers")
                    Column("state", .enumType(schema: "ops", name: "phase"), default: "'open'").allowing(.narrowing, because: "phases")
                    PrimaryKey("item_id")
                }.allowingLock(because: "one row")
            }
        }
        let (server, db, new) = try Self.evolve(before, seed: "INSERT INTO ops.items (code, state) VALUES ('42', 'closed');", after)
        for text in new { try server.apply(db, file: text) }
        #expect(try server.psql(db, "SELECT code || ' ' || state FROM ops.items;") == "42 closed\n")
    }

    @Test func numericWithMoreIntegerDigitsAndDecimalsWidens() {
        let (diagnostics, _) = MigrationTests.compile(Self.db { [Column("amount", .numeric(12, 4))] },
                                                      committed: MigrationTests.compile(Self.db { [Column("amount", .numeric(10, 2))] }, committed: [:]).files ?? [:])
        #expect(!diagnostics.hasErrors, "\(diagnostics.map { $0.formatted() })")
    }

    @Test func aColumnATableCheckUsesCannotBeDropped() throws {
        var committed: [String: String] = [:]
        _ = try MigrationTests.step(Self.db(checks: [Check("order", "a <= b")]) { [Column("a", .integer), Column("b", .integer)] }, &committed)
        let stillUsed = Self.db(checks: [Check("order", "a <= b")], drops: [Drop("b", because: "unused")]) { [Column("a", .integer)] }
        let d = try #require(MigrationTests.compile(stillUsed, committed: committed).diagnostics.first { $0.code == .destructiveChange })
        #expect(d.message.contains("constraint items_order_check still uses it"), "\(d.message)")
        // Changing the check in the same declaration lets the column go.
        let changed = Self.db(checks: [Check("order", "a <= 10")], drops: [Drop("b", because: "unused")]) { [Column("a", .integer)] }
        #expect(!MigrationTests.compile(changed, committed: committed).diagnostics.hasErrors)
    }

    @Test func reasonsCannotEscapeTheirComment() throws {
        var committed: [String: String] = [:]
        _ = try MigrationTests.step(Self.db { [Column("a", .integer), Column("b", .integer, nullable: true)] }, &committed)
        let new = try MigrationTests.step(Self.db(drops: [Drop("b", because: "x\rCREATE TABLE public.pwned (x int); --")]) { [Column("a", .integer)] }, &committed)
        let text = try #require(new.first?.text)
        #expect(!text.contains("\r"))
        let server = try PostgresServer.get()
        let db = try server.createDatabase("inject")
        for file in committed.filter({ $0.key.hasSuffix(".sql") }).sorted(by: { $0.key < $1.key }) { try server.apply(db, file: file.value) }
        #expect(try server.psql(db, "SELECT to_regclass('public.pwned') IS NULL;") == "t\n")
    }

    @Test func anEditedLockAndADivergedDatabaseAreRefused() throws {
        var committed: [String: String] = [:]
        _ = try MigrationTests.step(Self.db { [Column("a", .integer)] }, &committed)
        let lockPath = "sql/ops/schema.lock.json"
        var edited = committed
        edited[lockPath] = committed[lockPath]!.replacingOccurrences(of: "\"name\": \"a\"", with: "\"name\": \"z\"")
        #expect(MigrationTests.compile(Self.db { [Column("a", .integer)] }, committed: edited).diagnostics
            .contains { $0.code == .invalidMigration && $0.message.contains("does not produce") })
        // A database that applied another V0002 refuses the committed V0003.
        let server = try PostgresServer.get()
        let db = try server.createDatabase("diverged")
        let v1 = try #require(committed.first { $0.key.hasSuffix("V0001__create_ops.sql") }?.value)
        try server.apply(db, file: v1)
        var branch = committed
        let other = try MigrationTests.step(Self.db { [Column("a", .integer), Column("x", .text, nullable: true)] }, &branch)
        try server.apply(db, file: other[0].text)
        _ = try MigrationTests.step(Self.db { [Column("a", .integer), Column("y", .text, nullable: true)] }, &committed)
        let v3 = try MigrationTests.step(Self.db { [Column("a", .integer), Column("y", .text, nullable: true), Column("z", .text, nullable: true)] }, &committed)
        do { try server.apply(db, file: v3[0].text); Issue.record("V0003 ran on another branch's V0002") } catch {
            #expect("\(error)".contains("is not the committed one"), "\(error)")
        }
    }

    @Test(arguments: [
        ("fk to a non-key", "is not its primary key or a unique constraint"),
        ("enum default", "is not a value of ops.status"),
        ("system column", "is a PostgreSQL system column"),
        ("public schema", "is PostgreSQL's own"),
        ("two expressions", "must be one SQL expression"),
        ("nullable key", "is declared nullable"),
    ])
    func declarationsPostgresWouldRefuseAreRefusedFirst(_ kind: String, _ message: String) {
        let database: Database
        switch kind {
        case "fk to a non-key":
            database = Database("ops") { Schema("ops") {
                Table("a") { Column("a_id", .bigint); Column("code", .text); PrimaryKey("a_id") }
                Table("b") { Column("b_id", .bigint); Column("code", .text); PrimaryKey("b_id"); ForeignKey(["code"], references: "a", in: "ops", columns: ["code"]) }
            } }
        case "enum default": database = Self.db { [Column("state", .enumType(schema: "ops", name: "status"), default: "'planned'")] }
        case "system column": database = Self.db { [Column("xmin", .integer)] }
        case "public schema": database = Database("ops") { Schema("public") {} }
        case "two expressions": database = Self.db { [Column("a", .integer, default: "1, evil integer")] }
        default: database = Database("ops") { Schema("ops") { Table("t") { Column("k", .integer, nullable: true); PrimaryKey("k") } } }
        }
        let diagnostics = FleetCheck.run(Fleet("t") { database })
        #expect(diagnostics.contains { $0.code == .invalidSchema && $0.message.contains(message) }, "\(kind): \(diagnostics.map { $0.formatted() })")
    }
}

extension MigrationSafetyTests {
    static func family(renamed: Bool) -> Database {
        Database("family") {
            Schema("family") {
                if renamed {
                    Table("guardians") {
                        Column("guardian_id", .bigint).renamed(from: "parent_id")
                        Column("name", .text)
                        PrimaryKey("guardian_id")
                        Index("guardians_name_idx", on: ["name"])
                    }.renamed(from: "parents")
                } else {
                    Table("parents") {
                        Column("parent_id", .bigint)
                        Column("name", .text)
                        PrimaryKey("parent_id")
                        Index("parents_name_idx", on: ["name"])
                    }
                }
                Table("children") {
                    Column("child_id", .bigint)
                    Column("parent_id", .bigint)
                    PrimaryKey("child_id")
                    ForeignKey(["parent_id"], references: renamed ? "guardians" : "parents", in: "family",
                               columns: [renamed ? "guardian_id" : "parent_id"])
                }
            }
        }
    }

    /// Renaming a table and its key while another table references them renames the key's
    /// constraint and index instead of dropping a primary key something depends on.
    @Test func renamingAReferencedTableAndKeyKeepsTheReferences() throws {
        let (server, db, new) = try Self.evolve(Self.family(renamed: false),
                                                seed: "INSERT INTO family.parents VALUES (1, 'ada'); INSERT INTO family.children VALUES (10, 1);",
                                                Self.family(renamed: true))
        #expect(new.count == 1)
        let text = try #require(new.first)
        #expect(!text.contains("DROP CONSTRAINT"), "\(text)")
        #expect(text.contains("RENAME CONSTRAINT \"parents_pkey\" TO \"guardians_pkey\"") && text.contains("RENAME TO \"guardians_name_idx\""))
        try server.apply(db, file: text)
        #expect(try server.psql(db, "SELECT g.name FROM family.children c JOIN family.guardians g ON g.guardian_id = c.parent_id;") == "ada\n")
        let scratch = try server.createDatabase("family_scratch")
        try server.apply(scratch, file: MigrationPlanner.createScript(Self.family(renamed: true)).text)
        #expect(try server.catalog(db) == (try server.catalog(scratch)))
    }
}
