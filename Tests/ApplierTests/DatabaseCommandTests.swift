import Crypto
import Foundation
import SchemaModel
import TestSupport
import Testing

@testable import Applier

/// `oceanid-apply db status|migrate` against a PostgreSQL 15 the tests start (on a Unix
/// socket, `PostgresServer`), through libpq, with the URI in the environment only.
@Suite(.serialized) struct DatabaseCommandTests {
    /// Runs `oceanid-apply <arguments>` in process with `DATABASE_URL` pointing at `database`.
    static func run(_ arguments: [String], database: String?, variables: [String: String] = [:]) throws -> ApplyRun {
        var environment = variables
        if let database { environment["DATABASE_URL"] = try url(database) }
        var out = ""
        var err = ""
        let status = ApplyCLI.run(
            arguments, environment: ApplyEnvironment(variables: environment, out: { out += $0 }, err: { err += $0 }))
        return ApplyRun(status: status, out: out, err: err)
    }

    /// A libpq URI for `database` on the test server's socket.
    static func url(_ database: String) throws -> String {
        "postgresql://postgres@/\(database)?host=\(try PostgresServer.get().folder)"
    }

    /// A migration in the shape oceanid-gen writes (`MigrationSQL.render`): one transaction,
    /// the body between its markers, and the INSERT recording the body's SHA-256.
    static func migration(_ database: String, _ version: Int, body: String) -> String {
        let checksum = "sha256:" + SHA256.hash(data: Data(body.utf8)).map { String(format: "%02x", $0) }.joined()
        let label = String(format: "%04d", version)
        return """
            -- V\(label) of database \(database).
            BEGIN;
            SET LOCAL lock_timeout = '10s';
            SELECT pg_advisory_xact_lock(hashtext('oceanid-gen migrations'));
            -- oceanid:body begin
            \(body)-- oceanid:body end
            INSERT INTO control.schema_versions (domain, version, checksum) VALUES ('\(database)', '\(label)', '\(checksum)');
            COMMIT;

            """
    }

    /// Writes `sql/<database>/migrations/` and its lock in `folder`, the lock's schema `schema`.
    static func write(
        _ folder: TemporaryFolder, _ database: String, _ files: [(String, String)], schema: SchemaState? = nil
    ) throws {
        struct Entry: Encodable {
            var file: String
            var sha256: String
        }
        struct Lock: Encodable {
            var database: String
            var format = 1
            var migrations: [Entry]
            var schema: SchemaState
        }
        var entries: [Entry] = []
        for (name, text) in files {
            try folder.write("sql/\(database)/migrations/\(name)", text)
            entries.append(
                Entry(
                    file: name, sha256: SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()))
        }
        let lock = Lock(database: database, migrations: entries, schema: schema ?? shop)
        try folder.write(
            "sql/\(database)/schema.lock.json", String(decoding: try JSONEncoder().encode(lock), as: UTF8.self))
    }

    /// What `first` and `fixed` make, as the lock records it.
    static let shop = SchemaState(
        database: "shop", version: 2,
        schemas: [
            .init(
                name: "control", enums: [],
                tables: [
                    .init(
                        name: "schema_versions",
                        columns: [
                            .init(name: "domain", type: "text", nullable: false, identity: false),
                            .init(name: "version", type: "text", nullable: false, identity: false),
                            .init(name: "checksum", type: "text", nullable: false, identity: false),
                            .init(
                                name: "activated_at", type: "timestamp with time zone", nullable: false,
                                defaultExpression: "now()", identity: false),
                        ],
                        constraints: [
                            .init(
                                name: "schema_versions_pkey", kind: "p", definition: "PRIMARY KEY (domain, version)",
                                columns: ["domain", "version"])
                        ], indexes: [])
                ]),
            .init(
                name: "shop", enums: [],
                tables: [
                    .init(
                        name: "items",
                        columns: [
                            .init(name: "id", type: "bigint", nullable: false, identity: false),
                            .init(name: "name", type: "text", nullable: false, identity: false),
                            .init(name: "price", type: "numeric(9,2)", nullable: true, identity: false),
                        ],
                        constraints: [
                            .init(name: "items_pkey", kind: "p", definition: "PRIMARY KEY (id)", columns: ["id"])
                        ], indexes: [])
                ]),
        ], roles: [], grants: [])

    static let first = """
        CREATE SCHEMA control;
        CREATE TABLE control.schema_versions (domain text NOT NULL, version text NOT NULL, checksum text NOT NULL,
          activated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (domain, version));
        CREATE SCHEMA shop;
        CREATE TABLE shop.items (id bigint PRIMARY KEY, name text NOT NULL);

        """

    @Test func committedHistoryOnAnEmptyDatabaseIsPendingThenAppliedInOrder() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("dbcmd")
        let root = ["--root", Paths.repository]
        var run = try Self.run(["db", "status", "cleandata"] + root, database: database)
        #expect(run.status == 2, "\(run.err)")
        #expect(
            run.out == """
                pending   V0001__baseline_cleandata.sql
                pending   V0002__create_role_bi_readonly_and_more.sql
                cleandata: 0 applied, 2 pending

                """)

        run = try Self.run(["db", "migrate", "cleandata", "--dry-run"] + root, database: database)
        #expect(run.status == 0 && run.out.contains("would apply V0001__baseline_cleandata.sql:\nCREATE SCHEMA"))
        #expect(run.out.hasSuffix("dry run: nothing was applied\n"), "\(run.out)")
        #expect(try server.psql(database, "SELECT to_regclass('control.schema_versions') IS NULL;") == "t\n")

        run = try Self.run(["db", "migrate", "cleandata", "--to", "V0001"] + root, database: database)
        #expect(run.status == 0 && run.out.hasPrefix("applied   V0001__baseline_cleandata.sql ("), "\(run.err)")
        #expect(!run.out.contains("V0002"))
        run = try Self.run(["db", "migrate", "cleandata"] + root, database: database)
        #expect(run.status == 0 && run.out.hasPrefix("applied   V0002__"), "\(run.out)\(run.err)")
        run = try Self.run(["db", "status", "cleandata"] + root, database: database)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.hasSuffix("cleandata: 2 applied, 0 pending\n"))
        run = try Self.run(["db", "migrate", "cleandata"] + root, database: database)
        #expect(run.status == 0 && run.out == "cleandata: nothing to apply (2 applied)\n")
    }

    @Test func aFailingMigrationStopsWithTheStatementAndARunAfterTheFixContinues() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("dbfail")
        let folder = try TemporaryFolder("db-migrate")
        defer { folder.remove() }
        let broken =
            "ALTER TABLE shop.items ADD COLUMN price numeric(9,2);\nALTER TABLE shop.orders ADD COLUMN note text;\n"
        try Self.write(
            folder, "shop",
            [
                ("V0001__create_shop.sql", Self.migration("shop", 1, body: Self.first)),
                ("V0002__add_price.sql", Self.migration("shop", 2, body: broken)),
            ])
        var run = try Self.run(["db", "migrate", "shop", "--root", folder.path], database: database)
        #expect(run.status == 1)
        #expect(run.out.hasPrefix("applied   V0001__create_shop.sql ("))
        // The second statement of the body: line 7 of the file.
        #expect(
            run.err == """
                error: V0002__add_price.sql failed at line 7:
                  ALTER TABLE shop.orders ADD COLUMN note text;
                  PostgreSQL: relation "shop.orders" does not exist (SQLSTATE 42P01)
                error: stopped at V0002__add_price.sql; V0002 is not recorded, and a run after the fix continues from it

                """)
        #expect(try server.psql(database, "SELECT string_agg(version, ',') FROM control.schema_versions;") == "0001\n")
        #expect(
            try server.psql(
                database,
                "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shop.items'::regclass "
                    + "AND attname = 'price';") == "0\n", "the failed file's first statement was rolled back")
        run = try Self.run(["db", "status", "shop", "--root", folder.path], database: database)
        #expect(run.status == 2 && run.out.contains("pending   V0002__add_price.sql"))

        let fixed = "ALTER TABLE shop.items ADD COLUMN price numeric(9,2);\n"
        try Self.write(
            folder, "shop",
            [
                ("V0001__create_shop.sql", Self.migration("shop", 1, body: Self.first)),
                ("V0002__add_price.sql", Self.migration("shop", 2, body: fixed)),
            ])
        run = try Self.run(["db", "migrate", "shop", "--root", folder.path], database: database)
        #expect(run.status == 0 && run.out.hasPrefix("applied   V0002__add_price.sql ("), "\(run.out)\(run.err)")
        #expect(
            try server.psql(database, "SELECT string_agg(version, ',' ORDER BY version) FROM control.schema_versions;")
                == "0001,0002\n")
        run = try Self.run(["db", "status", "shop", "--root", folder.path], database: database)
        #expect(
            run.status == 0
                && run.out == "applied   V0001__create_shop.sql\napplied   V0002__add_price.sql\n"
                    + "shop: 2 applied, 0 pending\n"
        )
    }

    @Test func aConflictingHistoryIsExit1AndMigrateAppliesNothing() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("dbconflict")
        let folder = try TemporaryFolder("db-conflict")
        defer { folder.remove() }
        let second = Self.migration("shop", 2, body: "CREATE TABLE shop.orders (id bigint PRIMARY KEY);\n")
        try Self.write(
            folder, "shop",
            [("V0001__create_shop.sql", Self.migration("shop", 1, body: Self.first)), ("V0002__orders.sql", second)])
        #expect(
            try Self.run(["db", "migrate", "shop", "--to", "1", "--root", folder.path], database: database).status == 0)

        // A row no committed file has, and V0001 recorded with another checksum.
        try server.psql(
            database,
            """
            INSERT INTO control.schema_versions (domain, version, checksum) VALUES ('shop', '0009', 'sha256:\(String(repeating: "0", count: 64))');
            UPDATE control.schema_versions SET checksum = 'sha256:\(String(repeating: "1", count: 64))' WHERE version = '0001';
            """)
        var run = try Self.run(["db", "status", "shop", "--root", folder.path], database: database)
        #expect(run.status == 1)
        #expect(run.err.contains("error: V0009 is recorded in control.schema_versions but no committed file has it"))
        #expect(run.err.contains("error: V0001__create_shop.sql: the database recorded sha256:1111"))
        run = try Self.run(["db", "migrate", "shop", "--root", folder.path], database: database)
        #expect(run.status == 1 && run.err.hasSuffix("error: nothing was applied: the histories disagree\n"))
        #expect(try server.psql(database, "SELECT to_regclass('shop.orders') IS NULL;") == "t\n")

        // A committed file edited by hand is refused before anything is read from the database.
        try folder.write(
            "sql/shop/migrations/V0002__orders.sql", second.replacingOccurrences(of: "orders", with: "order2"))
        run = try Self.run(["db", "status", "shop", "--root", folder.path], database: database)
        #expect(run.status == 1 && run.err.contains("V0002__orders.sql was edited: its body no longer hashes to"))
        #expect(run.err.contains("V0002__orders.sql differs from the bytes sql/shop/schema.lock.json records"))
    }

    @Test func theURIIsReadFromTheEnvironmentAndNeverPrinted() throws {
        let folder = try TemporaryFolder("db-url")
        defer { folder.remove() }
        try Self.write(folder, "shop", [("V0001__create_shop.sql", Self.migration("shop", 1, body: Self.first))])
        var run = try Self.run(["db", "status", "shop", "--root", folder.path], database: nil)
        #expect(run.status == 1 && run.err.hasPrefix("error: DATABASE_URL is not set"), "\(run.err)")
        let secret = "postgresql://someone:hunter2-secret@/nowhere?host=/nonexistent-socket-dir"
        run = try Self.run(
            ["db", "status", "shop", "--root", folder.path, "--url-env", "SHOP_URL"], database: nil,
            variables: ["SHOP_URL": secret])
        #expect(run.status == 1 && run.err.hasPrefix("error: connection to server on socket"), "\(run.err)")
        #expect(!run.err.contains("hunter2") && !run.out.contains("hunter2"))
        run = try Self.run(["db", "status", "nothere", "--root", folder.path], database: "postgres")
        #expect(run.status == 1 && run.err.contains("sql/nothere/migrations does not exist"))
        for arguments in [["db", "status"], ["db", "status", "Bad-Name"], ["db", "migrate", "shop", "--to", "x"]] {
            #expect(try Self.run(arguments, database: nil).status == 64, "\(arguments)")
        }
    }

    @Test func statementsSplitOutsideQuotesDollarQuotesAndComments() throws {
        let text = """
            -- header; not a statement
            BEGIN;
            DO $guard$
            DECLARE
              last text;
            BEGIN
              RAISE EXCEPTION 'a; b';
            END
            $guard$;
            COMMENT ON ROLE "x;y" IS 'it''s; fine'; /* a; comment */ SELECT $$;$$;
            SELECT 1
            """
        let statements = SQLStatements.split(text)
        #expect(statements.map(\.line) == [2, 3, 10, 10, 11])
        #expect(
            statements.map(\.text) == [
                "BEGIN;", "DO $guard$\nDECLARE\n  last text;\nBEGIN\n  RAISE EXCEPTION 'a; b';\nEND\n$guard$;",
                "COMMENT ON ROLE \"x;y\" IS 'it''s; fine';", "/* a; comment */ SELECT $$;$$;", "SELECT 1",
            ])
        let committed = try String(
            contentsOfFile: Paths.repository + "/sql/cleandata/migrations/V0002__create_role_bi_readonly_and_more.sql",
            encoding: .utf8)
        let split = SQLStatements.split(committed)
        #expect(split.first?.text == "BEGIN;" && split.last?.text == "COMMIT;")
        #expect(split.filter { $0.text.hasPrefix("DO $guard$") }.count == 1)
    }

    @Test func driftFromWhatTheMigrationsMakeIsNamedAndExit2() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("dbdrift")
        let root = ["--root", Paths.repository]
        #expect(try Self.run(["db", "migrate", "cleandata"] + root, database: database).status == 0)
        var run = try Self.run(["db", "inspect", "cleandata"], database: database)
        #expect(run.status == 0, "\(run.err)")
        let live = try JSONDecoder().decode(SchemaState.self, from: Data(run.out.utf8))
        #expect(live.schemas.map(\.name) == ["control", "curated", "label", "raw", "stage"])
        #expect(live.table("curated", "vessels")?.indexes.map(\.name) == ["vessels_flag_idx", "vessels_mmsi_idx"])
        #expect(live.grants.contains(.init(role: "bi_readonly", target: "tables:curated", privileges: ["SELECT"])))

        try server.psql(
            database,
            """
            CREATE INDEX documents_by_hand_idx ON stage.documents (source_kind);
            ALTER TABLE raw.source_rows ALTER COLUMN row_number TYPE bigint;
            REVOKE SELECT ON curated.rfmos FROM bi_readonly;
            """)
        run = try Self.run(["db", "status", "cleandata"] + root, database: database)
        #expect(run.status == 2, "\(run.err)")
        let drift = run.out.split(separator: "\n").filter { $0.hasPrefix("drift") }
        #expect(
            drift == [
                "drift     column raw.source_rows.row_number is bigint, the migrations make integer",
                "drift     index documents_by_hand_idx on stage.documents (source_kind) is not made by any migration "
                    + "(made by hand?)",
                "drift     grant SELECT to bi_readonly on tables:curated was revoked",
            ], "\(run.out)")
        #expect(
            run.out.hasSuffix(
                "cleandata: 3 differences from what the migrations make (sql/cleandata/schema.lock.json)\n"))
    }

    @Test func aHistoryTableFromBeforeOceanidGenIsRefusedNotMigrated() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("dblegacy")
        // The seeds' bookkeeping: no checksum column, rows of the consolidated schema's domains only.
        try server.psql(
            database,
            """
            CREATE SCHEMA control;
            CREATE TABLE control.schema_versions (domain text NOT NULL, version text NOT NULL,
              activated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (domain, version));
            INSERT INTO control.schema_versions (domain, version) VALUES ('stage', 'V3'), ('curated', 'V4');
            """)
        let root = ["--root", Paths.repository]
        var run = try Self.run(["db", "status", "cleandata"] + root, database: database)
        #expect(run.status == 1)
        #expect(run.err.hasPrefix("error: control.schema_versions predates oceanid-gen (it has no checksum column)"))
        run = try Self.run(["db", "migrate", "cleandata"] + root, database: database)
        #expect(run.status == 1 && run.err.hasSuffix("error: nothing was applied: the histories disagree\n"))
        #expect(try server.psql(database, "SELECT count(*) FROM control.schema_versions;") == "2\n")
        #expect(try server.psql(database, "SELECT to_regclass('curated.vessels') IS NULL;") == "t\n")
    }
}
