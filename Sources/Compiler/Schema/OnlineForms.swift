import DSL
import Foundation

/// Rewrites the changes on tables that already exist into the forms that do not hold a lock that
/// blocks reads or writes while every row is read (squawk's `constraint-missing-not-valid` and
/// `require-concurrent-index-creation`; PostgreSQL 15's `ALTER TABLE` notes:
/// https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES, and
/// https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY):
/// - a new CHECK or FOREIGN KEY is added `NOT VALID` (a catalog edit: new rows are checked), and
///   `VALIDATE CONSTRAINT` (SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans) runs in
///   the next migration, in a transaction of its own;
/// - a new index is built `CREATE INDEX CONCURRENTLY` in a migration of its own marked
///   non-transactional (`-- oceanid:non-transactional`), after `DROP INDEX CONCURRENTLY IF EXISTS`
///   so that a re-run after a failed build (which leaves an INVALID index) starts again;
/// - a new NOT NULL column already needs a default (`SchemaDiff`), which PostgreSQL 11+ stores
///   without a rewrite.
/// What has no online form here (a type change, SET NOT NULL, a new PRIMARY KEY or UNIQUE) stays in
/// the migration and is the error `locking-change` unless the table declares `.allowingLock`.
enum OnlineForms {
    /// The changes split into the migration itself, the validations that follow it, and the
    /// concurrent index builds that follow those.
    static func split(_ changes: [SchemaChange], previous: SchemaState) -> (
        main: [SchemaChange], validations: [SchemaChange], concurrent: [SchemaChange]
    ) {
        var main: [SchemaChange] = []
        var validations: [SchemaChange] = []
        var concurrent: [SchemaChange] = []
        for change in changes {
            guard let target = existingTable(change.sql, previous: previous) else {
                main.append(change)
                continue
            }
            let kind = StatementLocks.kind(of: change.sql)?.name
            if kind == "add check" || kind == "add foreign key",
                let at = change.sql.range(of: " ADD CONSTRAINT "), change.sql.hasSuffix(";"),
                !change.sql.dropLast().contains(";")
            {
                let name = change.sql[at.upperBound...].prefix { $0 != " " }
                var added = change
                added.sql = String(change.sql.dropLast()) + " NOT VALID;"
                main.append(added)
                var validate = change
                validate.summary = "validate constraint \(name.trimmingCharacters(in: ["\""])) on \(target)"
                validate.sql =
                    "ALTER TABLE \(change.sql.dropFirst("ALTER TABLE ".count).prefix { $0 != " " }) "
                    + "VALIDATE CONSTRAINT \(name);"
                validate.slug = "validate_\(change.slug)"
                validations.append(validate)
            } else if kind == "create index", let at = change.sql.range(of: "INDEX "),
                let on = change.sql.range(of: " ON \"")
            {
                let index = change.sql[at.upperBound..<on.lowerBound]
                let schema = target.split(separator: ".").first.map(String.init) ?? ""
                var build = change
                build.sql =
                    "DROP INDEX CONCURRENTLY IF EXISTS \(SQL.id(schema)).\(index);\n"
                    + change.sql.replacingCharacters(in: at, with: "INDEX CONCURRENTLY ")
                concurrent.append(build)
            } else {
                main.append(change)
            }
        }
        return (main, validations, concurrent)
    }

    /// `schema.table` when the statement alters or indexes a table `previous` already has.
    static func existingTable(_ sql: String, previous: SchemaState) -> String? {
        let rest: Substring
        if sql.hasPrefix("ALTER TABLE ") {
            rest = sql.dropFirst("ALTER TABLE ".count)
        } else if sql.hasPrefix("CREATE "), let on = sql.range(of: " ON ") {
            rest = sql[on.upperBound...]
        } else {
            return nil
        }
        guard let (schema, table) = StatementLocks.qualifiedName(rest), previous.table(schema, table) != nil else {
            return nil
        }
        return "\(schema).\(table)"
    }
}
