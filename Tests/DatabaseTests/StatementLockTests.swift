import Compiler
import DSL
import Foundation
import TestSupport
import Testing

/// Every statement kind the planner writes (`StatementLocks.kinds`) run on a PostgreSQL 15
/// table holding rows, inside a transaction: the strongest lock pg_locks shows on the relation
/// it changes must be the declared one, and the table's relfilenode must change exactly when
/// the kind is declared to rewrite it. Each sample is written the way `SchemaDiff` writes it.
@Suite(.serialized) struct StatementLockTests {
    static let role = "lockprobe_\(UUID().uuidString.prefix(8).lowercased())"

    /// Kind name → (statement, the relation whose lock is read: a table or an index).
    static let samples: [String: (sql: String, relation: String)] = [
        "create schema": (#"CREATE SCHEMA "s2";"#, "s.t"),
        "create role": (
            """
            DO $role$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '\(role)_2') THEN
                CREATE ROLE "\(role)_2" NOLOGIN;
              END IF;
            END $role$;
            """, "s.t"
        ),
        "alter role": (#"ALTER ROLE "\#(role)" LOGIN;"#, "s.t"),
        "create enum": (#"CREATE TYPE "s"."e2" AS ENUM ('a');"#, "s.t"),
        "add enum value": (#"ALTER TYPE "s"."e" ADD VALUE 'b';"#, "s.t"),
        "create table": (#"CREATE TABLE "s"."t2" ("id" bigint NOT NULL);"#, "s.t2"),
        "add column": (#"ALTER TABLE "s"."t" ADD COLUMN "d" integer NOT NULL DEFAULT 0;"#, "s.t"),
        "alter column type": (#"ALTER TABLE "s"."t" ALTER COLUMN "n" TYPE bigint USING "n"::bigint;"#, "s.t"),
        "set default": (#"ALTER TABLE "s"."t" ALTER COLUMN "n" SET DEFAULT 1;"#, "s.t"),
        "drop default": (#"ALTER TABLE "s"."t" ALTER COLUMN "v" DROP DEFAULT;"#, "s.t"),
        "set not null": (#"ALTER TABLE "s"."t" ALTER COLUMN "n" SET NOT NULL;"#, "s.t"),
        "drop not null": (#"ALTER TABLE "s"."t" ALTER COLUMN "m" DROP NOT NULL;"#, "s.t"),
        "drop column": (#"ALTER TABLE "s"."t" DROP COLUMN "v";"#, "s.t"),
        "rename table": (#"ALTER TABLE "s"."t" RENAME TO "t3";"#, "s.t"),
        "rename column": (#"ALTER TABLE "s"."t" RENAME COLUMN "n" TO "n2";"#, "s.t"),
        "rename constraint": (#"ALTER TABLE "s"."t" RENAME CONSTRAINT "t_c_check" TO "t_c2_check";"#, "s.t"),
        "rename index": (#"ALTER INDEX "s"."t_n_idx" RENAME TO "t_n2_idx";"#, "s.t_n_idx"),
        "add foreign key": (
            #"ALTER TABLE "s"."t" ADD CONSTRAINT "t_id_fkey" FOREIGN KEY ("id") REFERENCES "s"."p" ("id");"#, "s.t"
        ),
        "add check": (#"ALTER TABLE "s"."t" ADD CONSTRAINT "t_n_check" CHECK (n > 0);"#, "s.t"),
        "add foreign key not valid": (
            #"ALTER TABLE "s"."t" ADD CONSTRAINT "t_id_fkey" FOREIGN KEY ("id") REFERENCES "s"."p" ("id") NOT VALID;"#,
            "s.t"
        ),
        "add check not valid": (#"ALTER TABLE "s"."t" ADD CONSTRAINT "t_n_check" CHECK (n > 0) NOT VALID;"#, "s.t"),
        "validate constraint": (#"ALTER TABLE "s"."t" VALIDATE CONSTRAINT "t_nv_check";"#, "s.t"),
        "create index concurrently": (#"CREATE INDEX CONCURRENTLY "t_c2_idx" ON "s"."t" ("c");"#, "s.t"),
        "drop index concurrently": (#"DROP INDEX CONCURRENTLY IF EXISTS "s"."t_n_idx";"#, "s.t_n_idx"),
        "add primary key or unique": (#"ALTER TABLE "s"."t" ADD CONSTRAINT "t_n_key" UNIQUE ("n");"#, "s.t"),
        "drop constraint": (#"ALTER TABLE "s"."t" DROP CONSTRAINT "t_c_check";"#, "s.t"),
        "create index": (#"CREATE INDEX "t_c_idx" ON "s"."t" ("c");"#, "s.t"),
        "drop index": (#"DROP INDEX "s"."t_n_idx";"#, "s.t_n_idx"),
        "drop table": (#"DROP TABLE "s"."t";"#, "s.t"),
        "backfill": (#"UPDATE "s"."t" SET "n" = 1 WHERE "n" IS NULL;"#, "s.t"),
        "comment": (#"COMMENT ON TABLE "s"."t" IS 'x';"#, "s.t"),
        "comment on database": (
            "DO $oceanid$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS %s', current_database(), quote_literal('x')); END $oceanid$;",
            "s.t"
        ),
        "grant on database": (
            "DO $grant$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '\(role)'); "
                + "END $grant$;", "s.t"
        ),
        "grant": (#"GRANT SELECT ON ALL TABLES IN SCHEMA "s" TO "\#(role)";"#, "s.t"),
        "revoke": (#"REVOKE SELECT ON ALL TABLES IN SCHEMA "s" FROM "\#(role)";"#, "s.t"),
        "default privileges": (#"ALTER DEFAULT PRIVILEGES IN SCHEMA "s" GRANT SELECT ON TABLES TO "\#(role)";"#, "s.t"),
    ]

    static let setup = """
        CREATE SCHEMA s;
        CREATE TYPE s.e AS ENUM ('a');
        CREATE TABLE s.p (id bigint PRIMARY KEY);
        CREATE TABLE s.t (id bigint PRIMARY KEY, n integer, v text DEFAULT 'x', c integer, m integer NOT NULL DEFAULT 0);
        INSERT INTO s.p SELECT g FROM generate_series(1, 1000) g;
        INSERT INTO s.t SELECT g, g, 'v', g, 0 FROM generate_series(1, 1000) g;
        ALTER TABLE s.t ADD CONSTRAINT t_c_check CHECK (c > 0);
        CREATE INDEX t_n_idx ON s.t (n);
        ALTER TABLE s.t ADD CONSTRAINT t_nv_check CHECK (n > 0) NOT VALID;
        DO $r$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE "\(role)" NOLOGIN; END IF;
        END $r$;
        """

    @Test func everyKindHasASampleAndEverySampleIsClassifiedAsItsKind() {
        #expect(Set(Self.samples.keys) == Set(StatementLocks.kinds.map(\.name)))
        for (name, sample) in Self.samples {
            #expect(StatementLocks.kind(of: sample.sql)?.name == name, "\(sample.sql)")
        }
    }

    @Test func theDeclaredLockAndRewriteAreWhatPostgreSQLDoes() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("locks")
        try server.psql(database, Self.setup)
        var measured: [String] = []
        for kind in StatementLocks.kinds where !kind.concurrent {
            let sample = try #require(Self.samples[kind.name])
            let probe = "to_regclass('\(sample.relation)')"
            let output = try server.psql(
                database,
                """
                SELECT coalesce(\(probe)::oid, 0) AS rel, coalesce(pg_relation_filenode(\(probe)), 0) AS before \\gset
                BEGIN;
                \(sample.sql)
                SELECT coalesce(nullif(:rel, 0), \(probe)::oid, 0) AS rel2 \\gset
                SELECT 'locks=' || coalesce(string_agg(mode, ',' ORDER BY mode), '') FROM pg_locks
                  WHERE locktype = 'relation' AND relation = :rel2 AND pid = pg_backend_pid() AND granted;
                SELECT 'after=' || coalesce(pg_relation_filenode(:rel2), 0);
                ROLLBACK;
                SELECT 'before=' || :before;
                """)
            var facts: [String: String] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { facts[parts[0]] = parts[1] }
            }
            let modes = (facts["locks"] ?? "").split(separator: ",").map(String.init)
            let unknown = modes.filter { StatementLocks.Lock(rawValue: $0) == nil }
            #expect(unknown.isEmpty, "\(kind.name): a lock mode the table does not know: \(unknown)")
            let strongest = modes.compactMap { StatementLocks.Lock(rawValue: $0) }.max() ?? StatementLocks.Lock.none
            #expect(strongest == kind.lock, "\(kind.name): PostgreSQL took \(modes), declared \(kind.lock.rawValue)")
            let before = facts["before"] ?? "0"
            let after = facts["after"] ?? "0"
            let rewrote = before != "0" && after != "0" && before != after
            #expect(rewrote == (kind.work == .rewrite), "\(kind.name): relfilenode \(before) → \(after)")
            measured.append("\(kind.name): \(strongest.rawValue)\(rewrote ? ", rewrite" : "")")
        }
        #expect(measured.count == StatementLocks.kinds.filter { !$0.concurrent }.count)
    }

    /// `CONCURRENTLY` cannot run in a transaction block, so its lock is read while it waits: a
    /// transaction that inserted a row holds the table for two seconds, the statement (run by a
    /// second psql) waits for it, and a third session reads the statement's granted locks from
    /// pg_locks; relfilenode is compared before and after.
    @Test func theConcurrentKindsTakeTheirDeclaredLockOutsideATransaction() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("concurrent")
        try server.psql(database, Self.setup)
        func background(_ sql: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: server.bin + "/psql")
            process.arguments = [
                "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.folder, "-U", "postgres", "-d",
                database, "-c", sql,
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        let kinds = StatementLocks.kinds.filter(\.concurrent)
        #expect(kinds.map(\.name) == ["create index concurrently", "drop index concurrently"])
        for (i, kind) in kinds.enumerated() {
            let sample = try #require(Self.samples[kind.name])
            let relation = "to_regclass('\(sample.relation)')"
            let before = try server.psql(database, "SELECT coalesce(pg_relation_filenode(\(relation)), 0);")
            let oid = try server.psql(database, "SELECT \(relation)::oid;").trimmingCharacters(
                in: .whitespacesAndNewlines)
            let holder = try background(
                "BEGIN; INSERT INTO s.t (id, n, c) VALUES (\(100_001 + i), 1, 1); SELECT pg_sleep(2); COMMIT;")
            usleep(300_000)
            let statement = try background(sample.sql)
            usleep(800_000)
            let modes = try server.psql(
                database,
                """
                SELECT string_agg(l.mode, ',' ORDER BY l.mode) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'relation' AND l.relation = \(oid) AND l.granted
                  AND a.query = \("'" + sample.sql.replacingOccurrences(of: "'", with: "''") + "'");
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
            holder.waitUntilExit()
            statement.waitUntilExit()
            #expect(statement.terminationStatus == 0, "\(kind.name) failed")
            let strongest = modes.compactMap { StatementLocks.Lock(rawValue: $0) }.max() ?? StatementLocks.Lock.none
            #expect(strongest == kind.lock, "\(kind.name): PostgreSQL took \(modes), declared \(kind.lock.rawValue)")
            let after = try server.psql(database, "SELECT coalesce(pg_relation_filenode(\(relation)), 0);")
            #expect(
                (before != after && after != "0\n") == (kind.work == .rewrite), "\(kind.name): \(before) → \(after)")
        }
    }

    @Test func everyStatementOfTheCommittedMigrationsHasADeclaredKind() throws {
        // labelfish is owned by Label Studio: provisioned (`provision.sql`), never migrated.
        for database in ["cleandata"] {
            let folder = Paths.repository + "/sql/\(database)/migrations"
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".sql") {
                let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                guard let begin = text.range(of: "-- oceanid:body begin\n"),
                    let end = text.range(of: "-- oceanid:body end")
                else { continue }
                // A statement starts at column 0; continuation lines are indented, and `)` or
                // `END` close one.
                for line in text[begin.upperBound..<end.lowerBound].split(separator: "\n")
                where !line.hasPrefix(" ") && !line.hasPrefix(")") && !line.hasPrefix("END") {
                    #expect(StatementLocks.kind(of: String(line)) != nil, "\(name): \(line)")
                }
            }
        }
    }

    /// Plans `after` on top of the committed history `before` makes; returns its diagnostics.
    /// The diagnostics and migrations of `after` planned on the committed V0001 of `before`.
    static func plan(_ before: Database, then after: Database) -> (diagnostics: [Diagnostic], migrations: [MigrationIR])
    {
        let (_, plans) = MigrationPlanner.plan([before], inputs: EmptyInputTree())
        let (diagnostics, next) = MigrationPlanner.plan(
            [after],
            inputs: DictionaryInputTree([
                SchemaLock.path("shop"): String(
                    decoding: (try? JSONEncoder().encode(plans[0].lock)) ?? Data(), as: UTF8.self),
                plans[0].next[0].path: plans[0].next[0].text,
            ]))
        return (diagnostics, plans[0].next + (next.first?.next ?? []))
    }

    static let before = Database("shop") {
        Schema("s") {
            Table("t") {
                Column("id", .bigint)
                Column("n", .integer)
                Column("m", .integer, nullable: true, default: "0")
                Column("c", .integer)
                PrimaryKey("id")
            }
            Table("p") {
                Column("id", .bigint)
                PrimaryKey("id")
            }
        }
    }

    /// A type change, SET NOT NULL, a CHECK, a foreign key and an index on the existing `s.t`.
    static func after(allowingLock: Bool, line: Int = #line) -> Database {
        let t = Table("t", line: line) {
            Column("id", .bigint)
            Column("n", .bigint, line: line + 1)
            Column("m", .integer, default: "0", line: line + 2)
            Column("c", .integer, line: line + 3).check("c > 0")
            Column("added", .integer, default: "1")
            PrimaryKey("id")
            ForeignKey(["id"], references: "p", in: "s", columns: ["id"])
            Index("t_c_idx", on: ["c"])
        }
        return Database("shop") {
            Schema("s") {
                allowingLock ? t.allowingLock(because: "a test table") : t
                Table("p") {
                    Column("id", .bigint)
                    PrimaryKey("id")
                }
                Table("fresh") {
                    Column("id", .bigint).check("id > 0")
                    PrimaryKey("id")
                }
            }
        }
    }

    @Test func aScanOrRewriteWithNoOnlineFormIsAnErrorAtItsDeclarationUnlessTheTableAllowsTheLock() {
        let line = #line + 1
        let (diagnostics, _) = Self.plan(Self.before, then: Self.after(allowingLock: false, line: line))
        // The type change (a rewrite) and SET NOT NULL (a scan); not the CHECK and the foreign key
        // (NOT VALID, then VALIDATE), the index (CONCURRENTLY), the new column, nor the new table.
        #expect(
            diagnostics.map { "\($0.location.line) \($0.severity) \($0.code.rawValue)" } == [
                "\(line + 1) error locking-change", "\(line + 2) error locking-change",
            ])
        #expect(
            diagnostics.first?.message
                == "alter column type on the existing table s.t holds ACCESS EXCLUSIVE (its reads and writes wait) "
                + "while it rewrites the whole table: `ALTER TABLE \"s\".\"t\" ALTER COLUMN \"n\" TYPE bigint USING "
                + "\"n\"::bigint;`; the planner has no online form for it (by hand: a new column, filled in batches "
                + "and swapped in by rename); declare .allowingLock(because: \"...\") on the table to accept the lock")
        #expect(diagnostics.first?.notes.first?.location?.line == line)
        #expect(diagnostics.dropFirst().first?.message.hasPrefix("set not null on the existing table s.t") == true)
        let allowed = Self.plan(Self.before, then: Self.after(allowingLock: true))
        #expect(!allowed.diagnostics.hasErrors, "\(allowed.diagnostics.map { $0.formatted() })")
    }

    @Test func theOnlineFormsAreSeparateMigrationsThatApplyOnATableWithRows() throws {
        let (diagnostics, migrations) = Self.plan(Self.before, then: Self.after(allowingLock: true))
        #expect(!diagnostics.hasErrors)
        let versions: [Int] = migrations.map(\.version)
        #expect(versions == [1, 2, 3, 4])
        let (main, validate, index) = (migrations[1].text, migrations[2].text, migrations[3].text)
        #expect(main.contains(#"ADD CONSTRAINT "t_c_check" CHECK (c > 0) NOT VALID;"#))
        #expect(main.contains(#"FOREIGN KEY ("id") REFERENCES "s"."p" ("id") NOT VALID;"#))
        #expect(main.contains(#"ADD CONSTRAINT "fresh_id_check" CHECK (id > 0);"#))  // a new table: no rows
        #expect(!main.contains("CREATE INDEX"))
        #expect(validate.contains(#"ALTER TABLE "s"."t" VALIDATE CONSTRAINT "t_c_check";"#))
        #expect(validate.contains(#"ALTER TABLE "s"."t" VALIDATE CONSTRAINT "t_id_fkey";"#))
        #expect(validate.contains("\nBEGIN;\n"))
        #expect(
            index.contains("\n-- oceanid:non-transactional (CREATE INDEX CONCURRENTLY runs outside a transaction)\n"))
        #expect(!index.contains("\nBEGIN;") && !index.contains("\nCOMMIT;"))
        #expect(
            index.contains(
                "DROP INDEX CONCURRENTLY IF EXISTS \"s\".\"t_c_idx\";\nCREATE INDEX CONCURRENTLY \"t_c_idx\" ON \"s\".\"t\""
            ))
        // On PostgreSQL 15, with rows: each file applies as psql runs it, and the index is valid.
        let server = try PostgresServer.get()
        let database = try server.createDatabase("online")
        try server.apply(database, file: migrations[0].text)
        try server.psql(
            database,
            """
            INSERT INTO s.p SELECT g FROM generate_series(1, 100) g;
            INSERT INTO s.t (id, n, m, c) SELECT g, g, 0, g FROM generate_series(1, 100) g;
            """)
        for migration in migrations.dropFirst() { try server.apply(database, file: migration.text) }
        #expect(
            try server.psql(
                database,
                "SELECT string_agg(conname || '=' || convalidated::text, ',' ORDER BY conname) FROM pg_constraint "
                    + "WHERE conrelid = 's.t'::regclass AND contype IN ('c', 'f');")
                == "t_c_check=true,t_id_fkey=true\n")
        #expect(
            try server.psql(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 's.t_c_idx'::regclass;")
                == "t\n")
        #expect(try server.psql(database, "SELECT count(*) FROM control.schema_versions;") == "4\n")
        // A failed concurrent build leaves an INVALID index; the file starts again from its first statement.
        try server.psql(database, "DELETE FROM control.schema_versions WHERE version = '0004';")
        try server.apply(database, file: index)
        #expect(try server.psql(database, "SELECT count(*) FROM control.schema_versions;") == "4\n")
    }

    @Test func generatedMigrationsSetTheDeclaredTimeoutsAndPostgreSQLTakesThem() throws {
        let database = Database("shop") { Schema("s") { Table("t") { Column("a", .integer) } } }
            .timeouts(lock: "250ms", statement: "2min")
        let (diagnostics, plans) = MigrationPlanner.plan([database], inputs: EmptyInputTree())
        #expect(diagnostics.isEmpty)
        let text = try #require(plans.first?.next.first?.text)
        #expect(text.contains("SET LOCAL lock_timeout = '250ms';\nSET LOCAL statement_timeout = '2min';\n"))
        let server = try PostgresServer.get()
        let name = try server.createDatabase("timeouts")
        // The file's own transaction, stopped before COMMIT to read the settings it made.
        let untilCommit = text.replacingOccurrences(of: "COMMIT;\n", with: "")
        let output = try server.psql(
            name,
            untilCommit + "SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout');\n"
                + "ROLLBACK;\n")
        #expect(output.hasSuffix("250ms 2min\n"), "\(output)")
    }

    @Test(arguments: ["10", "0s", "10 s", "5d", "-1s", ""])
    func aMigrationTimeoutThatIsNotADurationIsAnErrorAtTheDatabase(value: String) {
        let line = #line + 1
        let database = Database("shop") { Schema("s") {} }.timeouts(lock: value, statement: "1h")
        let diagnostics = MigrationPlanner.plan([database], inputs: EmptyInputTree()).diagnostics
        #expect(
            diagnostics.map { "\($0.location.line) \($0.severity) \($0.code.rawValue)" } == [
                "\(line) error invalid-schema"
            ])
        #expect(
            diagnostics.first?.message
                == "lock_timeout '\(value)' of database shop's migrations is not a duration; write a positive number "
                + "with its unit: ms, s, min or h (PostgreSQL reads a bare number as milliseconds)")
    }

    @Test(arguments: ["500ms", "10s", "15min", "1h"])
    func aMigrationTimeoutWithItsUnitIsAccepted(value: String) {
        let database = Database("shop") { Schema("s") {} }.timeouts(lock: value, statement: value)
        #expect(MigrationPlanner.plan([database], inputs: EmptyInputTree()).diagnostics.isEmpty)
    }
}
