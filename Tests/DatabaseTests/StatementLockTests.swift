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
        for kind in StatementLocks.kinds {
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
        #expect(measured.count == StatementLocks.kinds.count)
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
    static func plan(_ before: Database, then after: Database) -> [Diagnostic] {
        let (_, plans) = MigrationPlanner.plan([before], inputs: EmptyInputTree())
        return MigrationPlanner.plan(
            [after],
            inputs: DictionaryInputTree([
                SchemaLock.path("shop"): String(
                    decoding: (try? JSONEncoder().encode(plans[0].lock)) ?? Data(), as: UTF8.self),
                plans[0].next[0].path: plans[0].next[0].text,
            ])
        ).diagnostics
    }

    @Test func aScanOrRewriteUnderAccessExclusiveOnAnExistingTableIsWarnedAtItsDeclaration() {
        let before = Database("shop") {
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
        let line = #line + 6
        let after = Database("shop") {
            Schema("s") {
                Table("t") {
                    Column("id", .bigint)
                    Column("n", .bigint)
                    Column("m", .integer, default: "0")
                    Column("c", .integer).check("c > 0")
                    Column("added", .integer, default: "1")
                    PrimaryKey("id")
                    ForeignKey(["id"], references: "p", in: "s", columns: ["id"])
                    Index("t_c_idx", on: ["c"])
                }
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
        let diagnostics = Self.plan(before, then: after)
        let file = #filePath
        // The type change (a rewrite), SET NOT NULL and the new CHECK (scans); not the new
        // column, the foreign key (SHARE ROW EXCLUSIVE), the index (SHARE), nor the new table.
        #expect(
            diagnostics.map { "\($0.location.line) \($0.severity) \($0.code.rawValue)" } == [
                "\(line - 1) warning locking-change", "\(line) warning locking-change",
                "\(line + 1) warning locking-change",
            ])
        #expect(diagnostics.allSatisfy { $0.location.file == file })
        #expect(
            diagnostics.first?.message
                == "alter column type on the existing table s.t holds ACCESS EXCLUSIVE (its reads and writes wait) "
                + "while it rewrites the whole table: `ALTER TABLE \"s\".\"t\" ALTER COLUMN \"n\" TYPE bigint USING "
                + "\"n\"::bigint;`; on a large table, apply it in its online form instead: a new column, filled in "
                + "batches and swapped in by rename")
        #expect(diagnostics.dropFirst().first?.message.hasPrefix("set not null on the existing table s.t") == true)
        #expect(diagnostics.last?.message.contains("NOT VALID, then VALIDATE CONSTRAINT") == true)
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
