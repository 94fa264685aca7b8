import DSL

/// What each kind of statement the planner writes does to a live table: the strongest lock it
/// takes on the relation it changes (pg_locks.mode), and whether it only edits the catalog,
/// reads every row under that lock, or rewrites the table into a new file (a new
/// `relfilenode`). From PostgreSQL 15's "Explicit Locking" table and the `ALTER TABLE` notes
/// (https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES,
/// https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES), and proven on
/// a PostgreSQL 15 by `StatementLockTests` (pg_locks read inside the transaction, relfilenode
/// compared before and after). Lock-tracing linters (squawk, strong_migrations, pgroll's
/// notes) restate the same table; `onlineForm` names the form that avoids holding the lock
/// for a scan or a rewrite.
public enum StatementLocks {
    /// A table-level lock mode, weakest first, spelled as `pg_locks.mode` spells it.
    public enum Lock: String, Comparable, Sendable, CaseIterable {
        /// No lock on a table (schemas, types, roles, grants on a schema or the database).
        case none = "none"
        /// Conflicts only with ACCESS EXCLUSIVE (a SELECT takes it).
        case accessShare = "AccessShareLock"
        /// What UPDATE takes: conflicts with SHARE and stronger.
        case rowExclusive = "RowExclusiveLock"
        /// Blocks schema changes and VACUUM, not reads or writes.
        case shareUpdateExclusive = "ShareUpdateExclusiveLock"
        /// Blocks writes, not reads (CREATE INDEX).
        case share = "ShareLock"
        /// Blocks writes and other SHARE ROW EXCLUSIVE (a foreign key, on both tables).
        case shareRowExclusive = "ShareRowExclusiveLock"
        /// Blocks everything, reads included.
        case accessExclusive = "AccessExclusiveLock"

        /// By strength (the order of the cases).
        public static func < (a: Lock, b: Lock) -> Bool {
            allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
        }
    }

    /// What a statement does to the table's rows while it holds its lock.
    public enum Work: String, Sendable {
        /// The catalog only: done in milliseconds whatever the table's size.
        case catalog
        /// Reads every row (to check a constraint or build an index); the file stays.
        case scan
        /// Writes the table into a new file (a new relfilenode).
        case rewrite
    }

    /// One statement kind the planner writes.
    public struct Kind: Sendable, Equatable {
        /// A short name (`alter column type`).
        public var name: String
        /// The statement's start (case-sensitive, as the planner writes it).
        public var prefix: String
        /// Phrases the statement must contain, all of them.
        public var contains: [String] = []
        /// The strongest lock on the relation it changes.
        public var lock: Lock
        /// What it does to the rows.
        public var work: Work
        /// The relation the lock is on: the table, or (`ALTER INDEX`, `DROP INDEX`) the index.
        public var onIndex = false
        /// The form that avoids holding `lock` for the scan or rewrite, for kinds that need one.
        public var onlineForm: String?
        /// Runs only outside a transaction block (`CONCURRENTLY`): in a migration file of its own.
        public var concurrent = false

        /// Whether it holds ACCESS EXCLUSIVE (or blocks writes) for longer than a catalog edit.
        public var blocksWhileItWorks: Bool { work != .catalog && lock >= .share }
    }

    /// Every statement kind the planner writes, most specific first (the first match wins).
    public static let kinds: [Kind] = [
        Kind(name: "create schema", prefix: "CREATE SCHEMA", lock: .none, work: .catalog),
        Kind(name: "create role", prefix: "DO $role$", lock: .none, work: .catalog),
        Kind(name: "alter role", prefix: "ALTER ROLE", lock: .none, work: .catalog),
        Kind(name: "create enum", prefix: "CREATE TYPE", lock: .none, work: .catalog),
        Kind(name: "add enum value", prefix: "ALTER TYPE", contains: [" ADD VALUE "], lock: .none, work: .catalog),
        Kind(name: "create table", prefix: "CREATE TABLE", lock: .accessExclusive, work: .catalog),
        Kind(
            name: "add column", prefix: "ALTER TABLE", contains: [" ADD COLUMN "], lock: .accessExclusive,
            work: .catalog,
            onlineForm: "a default that is not volatile (PostgreSQL 11+ stores it without a rewrite)"),
        Kind(
            name: "alter column type", prefix: "ALTER TABLE", contains: [" ALTER COLUMN ", " TYPE "],
            lock: .accessExclusive, work: .rewrite,
            onlineForm: "a new column, filled in batches and swapped in by rename"),
        Kind(
            name: "set default", prefix: "ALTER TABLE", contains: [" ALTER COLUMN ", " SET DEFAULT "],
            lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "drop default", prefix: "ALTER TABLE", contains: [" ALTER COLUMN ", " DROP DEFAULT"],
            lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "set not null", prefix: "ALTER TABLE", contains: [" ALTER COLUMN ", " SET NOT NULL"],
            lock: .accessExclusive, work: .scan,
            onlineForm: "a CHECK (column IS NOT NULL) NOT VALID, validated in a later transaction, before SET NOT NULL "
                + "(PostgreSQL 12+ then skips the scan)"),
        Kind(
            name: "drop not null", prefix: "ALTER TABLE", contains: [" ALTER COLUMN ", " DROP NOT NULL"],
            lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "drop column", prefix: "ALTER TABLE", contains: [" DROP COLUMN "], lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "rename table", prefix: "ALTER TABLE", contains: [" RENAME TO "], lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "rename column", prefix: "ALTER TABLE", contains: [" RENAME COLUMN "], lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "rename constraint", prefix: "ALTER TABLE", contains: [" RENAME CONSTRAINT "], lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "rename index", prefix: "ALTER INDEX", contains: [" RENAME TO "], lock: .shareUpdateExclusive,
            work: .catalog, onIndex: true),
        Kind(
            name: "add foreign key not valid", prefix: "ALTER TABLE",
            contains: [" ADD CONSTRAINT ", " FOREIGN KEY (", " NOT VALID;"], lock: .shareRowExclusive, work: .catalog),
        Kind(
            name: "add check not valid", prefix: "ALTER TABLE",
            contains: [" ADD CONSTRAINT ", " CHECK (", " NOT VALID;"],
            lock: .accessExclusive, work: .catalog),
        Kind(
            name: "validate constraint", prefix: "ALTER TABLE", contains: [" VALIDATE CONSTRAINT "],
            lock: .shareUpdateExclusive, work: .scan),
        Kind(
            name: "add foreign key", prefix: "ALTER TABLE", contains: [" ADD CONSTRAINT ", " FOREIGN KEY ("],
            lock: .shareRowExclusive,
            work: .scan, onlineForm: "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction"),
        Kind(
            name: "add check", prefix: "ALTER TABLE", contains: [" ADD CONSTRAINT ", " CHECK ("],
            lock: .accessExclusive, work: .scan,
            onlineForm: "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction"),
        Kind(
            name: "add primary key or unique", prefix: "ALTER TABLE", contains: [" ADD CONSTRAINT "],
            lock: .accessExclusive, work: .scan,
            onlineForm: "CREATE UNIQUE INDEX CONCURRENTLY (its own file, outside a transaction), then ADD CONSTRAINT "
                + "... USING INDEX"),
        Kind(
            name: "drop constraint", prefix: "ALTER TABLE", contains: [" DROP CONSTRAINT "], lock: .accessExclusive,
            work: .catalog),
        Kind(
            name: "create index concurrently", prefix: "CREATE ", contains: ["INDEX CONCURRENTLY "],
            lock: .shareUpdateExclusive, work: .scan, concurrent: true),
        Kind(
            name: "drop index concurrently", prefix: "DROP INDEX CONCURRENTLY", lock: .shareUpdateExclusive,
            work: .catalog, onIndex: true, concurrent: true),
        Kind(
            name: "create index", prefix: "CREATE ", contains: ["INDEX "], lock: .share, work: .scan,
            onlineForm: "CREATE INDEX CONCURRENTLY, in a file of its own outside a transaction"),
        Kind(name: "drop index", prefix: "DROP INDEX", lock: .accessExclusive, work: .catalog, onIndex: true),
        Kind(name: "drop table", prefix: "DROP TABLE", lock: .accessExclusive, work: .catalog),
        Kind(name: "backfill", prefix: "UPDATE", lock: .rowExclusive, work: .scan),
        Kind(name: "comment", prefix: "COMMENT ON", lock: .shareUpdateExclusive, work: .catalog),
        Kind(name: "comment on database", prefix: "DO $oceanid", lock: .none, work: .catalog),
        Kind(name: "grant on database", prefix: "DO $grant$", lock: .none, work: .catalog),
        Kind(name: "grant", prefix: "GRANT", lock: .none, work: .catalog),
        Kind(name: "revoke", prefix: "REVOKE", lock: .none, work: .catalog),
        Kind(name: "default privileges", prefix: "ALTER DEFAULT PRIVILEGES", lock: .none, work: .catalog),
    ]

    /// The kind of one statement as the planner writes it, nil for a statement it never writes.
    public static func kind(of statement: String) -> Kind? {
        kinds.first { kind in
            statement.hasPrefix(kind.prefix) && kind.contains.allSatisfy { statement.contains($0) }
        }
    }

    /// The `locking-change` errors of a migration's changes (after `OnlineForms`): each statement that
    /// still holds ACCESS EXCLUSIVE while it scans or rewrites a table `previous` already has (a table
    /// the same migration creates holds no rows yet), unless the table declares
    /// `.allowingLock(because:)`. At the change's declaration, else `fallback`.
    static func check(
        _ changes: [SchemaChange], previous: SchemaState, fallback: SourceLocation, database: Database? = nil
    ) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for change in changes {
            for statement in change.sql.split(separator: "\n").map(String.init) {
                guard let kind = kind(of: statement), kind.lock == .accessExclusive, kind.work != .catalog,
                    statement.hasPrefix("ALTER TABLE "),
                    let (schema, table) = qualifiedName(statement.dropFirst("ALTER TABLE ".count)),
                    previous.table(schema, table) != nil
                else { continue }
                let declared = database?.schemas.first { $0.name == schema }?.tables.first { $0.name == table }
                if declared?.lockAllowedBecause != nil { continue }
                out.append(
                    .lockingChange(
                        kind, table: "\(schema).\(table)", statement: statement, at: change.location ?? fallback,
                        tableAt: declared?.location))
            }
        }
        return out
    }

    /// `"schema"."name"` at the start of `text` (quoted as `SQL.qualified` writes it).
    static func qualifiedName(_ text: Substring) -> (String, String)? {
        var rest = text
        func identifier() -> String? {
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var name = ""
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "\"" {
                    if rest.first == "\"" {
                        name.append("\"")
                        rest = rest.dropFirst()
                    } else {
                        return name
                    }
                } else {
                    name.append(c)
                }
            }
            return nil
        }
        guard let schema = identifier(), rest.first == "." else { return nil }
        rest = rest.dropFirst()
        guard let name = identifier() else { return nil }
        return (schema, name)
    }
}
