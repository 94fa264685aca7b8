import Compiler
import Foundation

/// Migrations in the plan: each statement of a new migration file classified by the lock PostgreSQL
/// takes, with the compiler's own table of statement kinds (`StatementLocks`, which the planner's
/// `locking-change` check uses), so the plan and the build never disagree on a statement.
///
/// The rule restated (PostgreSQL 15, https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES
/// and https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES): most `ALTER TABLE`
/// forms take ACCESS EXCLUSIVE (reads and writes wait), including ADD COLUMN (a volatile default or an
/// identity column also rewrites the table), ALTER COLUMN TYPE (rewrites), SET NOT NULL without a validated
/// CHECK (scans) and ADD CONSTRAINT without NOT VALID (scans); a foreign key takes SHARE ROW EXCLUSIVE;
/// CREATE INDEX without CONCURRENTLY takes SHARE (writes wait,
/// https://www.postgresql.org/docs/15/sql-createindex.html); DROP TABLE and DROP INDEX take ACCESS
/// EXCLUSIVE (https://www.postgresql.org/docs/15/sql-dropindex.html). A migration is `lock-heavy` when a
/// statement takes SHARE or stronger on a table or index that exists before it: one no migration of the
/// same change creates (migrations are append-only, so anything else was there at the base).
extension FleetPlan {
    /// One statement of a migration body that the compiler's table knows.
    struct LockedStatement: Equatable {
        /// Its kind (`alter column type`), lock and work.
        var kind: StatementLocks.Kind
        /// The table (or, for `onIndex` kinds, the index) it locks, `schema.name` without quotes.
        var relation: String?
        /// What it does to the rows: the kind's, or `rewrite` for ADD COLUMN with a volatile default.
        var work: StatementLocks.Work
        /// Its position among the body's known statements, from 1 (a foreign key's two locks share one).
        var number = 0
    }

    /// The SQL spelling of a lock mode (`ACCESS EXCLUSIVE` for `AccessExclusiveLock`).
    static func sqlName(_ lock: StatementLocks.Lock) -> String {
        guard lock != .none else { return "none" }
        var words: [String] = []
        for character in lock.rawValue.dropLast("Lock".count) {
            if character.isUppercase || words.isEmpty { words.append("") }
            words[words.count - 1].append(character)
        }
        return words.joined(separator: " ").uppercased()
    }

    /// The statements of a migration: the lines between `-- oceanid:body begin` and `-- oceanid:body end`
    /// (the whole text when it has no markers) without comments; lines inside a `DO` block, and
    /// statements the planner never writes, are skipped. A foreign key is listed twice: on its table
    /// and on the table it references (both take SHARE ROW EXCLUSIVE).
    static func lockedStatements(_ text: String) -> [LockedStatement] {
        var number = 0
        return migrationBody(text).split(separator: "\n").flatMap { line -> [LockedStatement] in
            let statement = String(line)
            guard let kind = StatementLocks.kind(of: statement) else { return [] }
            number += 1
            var work = kind.work
            if kind.name == "add column", addsAVolatileValue(statement) { work = .rewrite }
            var out = [
                LockedStatement(kind: kind, relation: relation(of: statement, kind: kind), work: work, number: number)
            ]
            // A foreign key also takes SHARE ROW EXCLUSIVE on the table it references (sql-altertable.html:
            // "ADD FOREIGN KEY requires a SHARE ROW EXCLUSIVE lock on the referenced table").
            if kind.lock == .shareRowExclusive, let references = statement.range(of: " REFERENCES ") {
                var referenced = kind
                referenced.name += " (referenced table)"
                out.append(
                    LockedStatement(
                        kind: referenced, relation: relationName(statement[references.upperBound...]), work: .catalog,
                        number: number))
            }
            return out
        }
    }

    /// The body of a migration, comment lines removed.
    static func migrationBody(_ text: String) -> String {
        var body = Substring(text)
        if let begin = text.range(of: "-- oceanid:body begin\n") {
            body = text[begin.upperBound...]
            if let end = body.range(of: "-- oceanid:body end") { body = body[..<end.lowerBound] }
        }
        return body.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("--") }
            .joined(separator: "\n")
    }

    /// ADD COLUMN with a volatile default or an identity/serial column writes every row
    /// (https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES).
    static func addsAVolatileValue(_ statement: String) -> Bool {
        let upper = statement.uppercased()
        let volatile = [
            "CLOCK_TIMESTAMP(", "RANDOM(", "GEN_RANDOM_UUID(", "UUID_GENERATE_V4(", "NEXTVAL(", "TIMEOFDAY(",
        ]
        return (upper.contains(" DEFAULT ") && volatile.contains { upper.contains($0) })
            || upper.contains(" GENERATED ") || upper.contains(" SERIAL") || upper.contains(" BIGSERIAL")
    }

    /// The relation a statement locks, `schema.name` (quotes removed, bare names folded to lower case as
    /// PostgreSQL folds them): the table after `ALTER TABLE`/`CREATE TABLE`/`DROP TABLE`/`UPDATE`, the
    /// table after `ON` for `CREATE INDEX`, the index for `ALTER INDEX`/`DROP INDEX`.
    static func relation(of statement: String, kind: StatementLocks.Kind) -> String? {
        let upper = statement.uppercased()
        let skipped = ["IF NOT EXISTS ", "IF EXISTS ", "CONCURRENTLY ", "ONLY "]
        func name(after marker: String) -> String? {
            guard let range = upper.range(of: marker) else { return nil }
            var start = statement.index(
                statement.startIndex, offsetBy: upper.distance(from: upper.startIndex, to: range.upperBound))
            var again = true
            while again {
                again = false
                for word in skipped where statement[start...].uppercased().hasPrefix(word) {
                    start = statement.index(start, offsetBy: word.count)
                    again = true
                }
            }
            return relationName(statement[start...])
        }
        if kind.prefix == "CREATE ", kind.contains.contains(where: { $0.contains("INDEX") }) {
            return name(after: " ON ")
        }
        for marker in ["ALTER TABLE ", "CREATE TABLE ", "DROP TABLE ", "ALTER INDEX ", "DROP INDEX ", "UPDATE "]
        where upper.hasPrefix(marker) {
            return name(after: marker)
        }
        return nil
    }

    /// The name of an index a `CREATE INDEX` statement creates, nil when it names none.
    static func createdIndex(_ statement: String) -> String? {
        let upper = statement.uppercased()
        guard upper.hasPrefix("CREATE "), let index = upper.range(of: "INDEX "), let on = upper.range(of: " ON "),
            index.upperBound < on.lowerBound
        else { return nil }
        var text = statement[index.upperBound..<on.lowerBound].trimmingCharacters(in: .whitespaces)
        for word in ["CONCURRENTLY ", "IF NOT EXISTS "] where text.uppercased().hasPrefix(word) {
            text = String(text.dropFirst(word.count))
        }
        return text.isEmpty ? nil : relationName(Substring(text))
    }

    /// A possibly qualified, possibly quoted name at the start of `text`, `schema.name` without quotes.
    static func relationName(_ text: Substring) -> String? {
        var parts: [String] = []
        var rest = text
        while true {
            var part = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\"" {
                        guard rest.first == "\"" else { break }
                        rest = rest.dropFirst()
                    }
                    part.append(character)
                }
            } else {
                part = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }).lowercased()
                rest = rest.dropFirst(part.count)
            }
            guard !part.isEmpty else { return nil }
            parts.append(part)
            guard rest.first == "." else { break }
            rest = rest.dropFirst()
        }
        return parts.joined(separator: ".")
    }

    /// The tables and indexes the given (new) migrations create.
    static func createdRelations(_ texts: [String]) -> Set<String> {
        var out: Set<String> = []
        for text in texts {
            for line in migrationBody(text).split(separator: "\n").map(String.init) {
                if let kind = StatementLocks.kind(of: line), kind.name == "create table",
                    let table = relation(of: line, kind: kind)
                {
                    out.insert(table)
                }
                if let index = createdIndex(line) { out.insert(index) }
            }
        }
        return out
    }

    /// Whether `relation` is one of `created`, qualified or not.
    static func isCreated(_ relation: String, in created: Set<String>) -> Bool {
        created.contains(relation)
            || created.contains { $0.split(separator: ".").last.map(String.init) == relation }
            || relation.split(separator: ".").last.map { created.contains(String($0)) } == true
    }

    /// A migration file's change: its strongest lock (`lock`), each statement that takes SHARE or
    /// stronger on a relation that exists before it (`statements[n]`, numbered among the body's known
    /// statements), `destructive-sql` for DROP or TRUNCATE, `lock-heavy` for such a statement. The origin
    /// is the declaration of the heaviest change the migration's header lists, as the current definitions
    /// declare it (`declarations`: `SchemaChange.declarationKey` → `file:line`, from the head's IR), else
    /// the line the header was written with, else the file's.
    static func migrationChange(
        _ path: String, old: String?, new: String?, origin: String?, created: Set<String>,
        declarations: [String: String] = [:]
    ) -> Change {
        let action: Action = old == nil ? .add : new == nil ? .delete : .change
        var risks: Set<Risk> = action == .delete ? [.deletes] : []
        var fields: [FieldChange] = []
        var located = origin
        if let new, action != .delete {
            let statements = lockedStatements(new)
            if isDestructive(migrationBody(new)) { risks.insert(.destructiveSQL) }
            let strongest = statements.map(\.kind.lock).max() ?? .none
            let before = old.map { lockedStatements($0).map(\.kind.lock).max() ?? .none }
            if before != strongest {
                fields.append(FieldChange(path: "lock", old: before.map(sqlName), new: sqlName(strongest)))
            }
            var heaviest: LockedStatement?
            for statement in statements {
                guard statement.kind.lock >= .share, let relation = statement.relation,
                    !isCreated(relation, in: created)
                else { continue }
                risks.insert(.lockHeavy)
                if heaviest.map({ statement.kind.lock > $0.kind.lock }) ?? true { heaviest = statement }
                fields.append(
                    FieldChange(
                        path: "statements[\(statement.number)]", old: nil,
                        new: "\(statement.kind.name) on \(relation): \(sqlName(statement.kind.lock)), "
                            + statement.work.rawValue))
            }
            let declared = headerLocations(new)
            let wanted =
                heaviest?.relation.flatMap { relation in declared.first { $0.summary.contains(relation) } }
                ?? (risks.contains(.destructiveSQL) ? declared.first { $0.summary.hasPrefix("drop") } : nil)
                ?? declared.first
            // The header froze the line when the migration was written; the head knows where it is now.
            let current = wanted.flatMap { SchemaChange.declarationKey(summary: $0.summary) }.flatMap {
                declarations[$0]
            }
            located = current ?? wanted?.location ?? origin
        }
        return Change(
            kind: "migration", name: path, action: action, file: path, origin: located, fields: fields,
            risks: risks.sorted())
    }

    /// The changes a generated migration's header lists with their declarations:
    /// `--   alter column type of shop.orders.total (definitions/Databases.swift:12)`.
    static func headerLocations(_ text: String) -> [(summary: String, location: String)] {
        text.split(separator: "\n").prefix { $0.hasPrefix("--") }.compactMap { line in
            guard line.hasPrefix("--   "), line.hasSuffix(")"), let open = line.range(of: " (", options: .backwards)
            else { return nil }
            let location = line[open.upperBound..<line.index(before: line.endIndex)]
            guard location.contains(":"), location.last?.isNumber == true else { return nil }
            return (String(line.dropFirst(5)[..<open.lowerBound]), String(location))
        }
    }
}
