import Crypto
import DSL
import Foundation
import Rendering

/// `sql/<db>/schema.lock.json`: the schema the committed migrations produce and the SHA-256
/// of each of those files, in order. The compiler diffs the declaration against `schema`;
/// `check` refuses a migration whose bytes no longer match its line here (edited, deleted,
/// reordered, or added by hand), like Flyway's checksums and Atlas' `atlas.sum`.
public struct SchemaLock: Codable, Hashable, Sendable {
    /// One committed migration and the checksum its bytes must keep.
    public struct Entry: Codable, Hashable, Sendable {
        /// The migration's file name (`V0001__init.sql`), without its folder.
        public var file: String
        /// SHA-256 of the file's UTF-8 bytes, lower-case hex (64 characters).
        public var sha256: String
    }
    /// The lock file's format (not the tool's version): bumped only when a field changes meaning.
    public var format: Int = 1
    /// The database's name.
    public var database: String
    /// Every migration in version order: committed ones first, then those this build adds.
    public var migrations: [Entry]
    /// The schema after the last migration, which is the declared schema once this build's
    /// migrations are added; the next build diffs its declaration against it.
    public var schema: SchemaState
    /// SHA-256 of the `sql/<database>/baseline.json` the history starts from (`Baseline`); nil when
    /// the history starts from an empty database.
    public var baseline: String? = nil

    /// `sql/<database>/schema.lock.json`, relative to the repository root.
    public static func path(_ database: String) -> String { OutputLayout.sql(database) + "/schema.lock.json" }
}

/// What the compiler decided for one database: the committed history, the migrations this
/// build adds (none when the declaration matches the history) and the lock to write, whose
/// schema is the declared one.
public struct DatabasePlan: Sendable {
    /// The declaration the plan is for.
    public var database: Database
    /// The committed migrations in version order, as read through the compile's input tree.
    public var history: [MigrationIR]
    /// The migrations this build adds (usually one; two when new enum values must commit first).
    public var next: [MigrationIR]
    /// The lock to write (`sql/<db>/schema.lock.json`): every migration's checksum and the
    /// declared schema. For a database an application owns, the declared roles and grants with
    /// no migration (not written; the data dictionary reads it).
    public var lock: SchemaLock
    /// For a database an application owns (`Database(_:ownedBy:)`): the text of
    /// `sql/<db>/provision.sql` (`ProvisionSQL`), and no history; nil for the fleet's own.
    public var provision: String?
    /// The text of `sql/<db>/adopt.sql` when the database has a committed baseline (`Baseline`).
    public var adopt: String? = nil
    /// Whether this build regenerated the history from a new baseline: the committed migrations
    /// it replaces are pruned (`Baseline`).
    public var regenerated = false
}

/// A workload that reads a schema: it connects as one of the database's login roles (its URL's
/// ESC key names it) and names the schema (`--schema`, a `*SCHEMA*` env); `DatabaseRoleChecks`.
public struct SchemaConsumer: Hashable, Sendable {
    /// `deployment apps/postgraphile`.
    public var workload: String
    /// The container that connects.
    public var container: String
    /// The role it connects as.
    public var role: String
    /// Where it names the schema.
    public var location: SourceLocation
}

/// Plans the databases' migrations (the tail of the check-declarations stage): verifies each
/// committed history against its lock, diffs the declaration against the locked schema and
/// writes the next migration, refusing destructive changes the declaration does not allow.
public enum MigrationPlanner {
    /// SHA-256 of the text's UTF-8 bytes, lower-case hex.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Plans every database: validates the committed history against its lock, diffs the
    /// declaration against the locked schema, and renders the next migration. Diagnostics
    /// refuse tampered histories and destructive changes; plans exist only without errors.
    /// `consumers`: by database, then schema, the workloads that read it, named on a refused change there.
    public static func plan(
        _ databases: [Database], inputs: InputTree, consumers: [String: [String: [SchemaConsumer]]] = [:]
    ) -> (
        diagnostics: [Diagnostic], plans: [DatabasePlan]
    ) {
        var diagnostics: [Diagnostic] = []
        var plans: [DatabasePlan] = []
        for database in databases {
            let (problems, plan) = self.plan(database, inputs: inputs, consumers: consumers[database.name] ?? [:])
            diagnostics += problems
            if let plan { plans.append(plan) }
        }
        return (diagnostics, plans)
    }

    static func plan(
        _ database: Database, inputs: InputTree, consumers: [String: [SchemaConsumer]] = [:]
    ) -> ([Diagnostic], DatabasePlan?) {
        if let owner = database.ownedBy { return planApplicationDatabase(database, owner: owner, inputs: inputs) }
        var out = SchemaChecks.run(database)
        var history = MigrationHistory.read(database: database.name, from: inputs)
        let lockPath = SchemaLock.path(database.name)
        var lock: SchemaLock?
        if let text = inputs.read(lockPath) {
            do {
                lock = try JSONDecoder().decode(SchemaLock.self, from: Data(text.utf8))
            } catch {
                out.append(
                    .invalidMigration(
                        lockPath, problem: "cannot be read (\(error.localizedDescription)); restore it from git"))
                return (out, nil)
            }
        }
        // A committed baseline (Baseline): the history starts from it, regenerated when it is new.
        var baseline: (state: SchemaState, sha256: String)?
        if let text = inputs.read(Baseline.path(database.name)) {
            do {
                baseline = (try JSONDecoder().decode(SchemaState.self, from: Data(text.utf8)), sha256(text))
            } catch {
                out.append(
                    .invalidMigration(
                        Baseline.path(database.name),
                        problem:
                            "cannot be read (\(error.localizedDescription)); write it with oceanid-apply db inspect"))
                return (out, nil)
            }
        }
        let regenerate = baseline.map { $0.sha256 != lock?.baseline } ?? false
        if regenerate, database.adopted {
            out.append(.baselineChangedAfterAdoption(database: database.name, at: database.location))
            return (out, nil)
        }
        let (state, locations) = SchemaState.declared(database)
        var previous = lock?.schema ?? .empty(database.name)
        var entries = lock?.migrations ?? []
        if let baseline, regenerate {
            // V0001: the baseline created on an empty database (never run where it was inspected), each
            // clause spelled as declared where it means the same (the spelling production was built from).
            let start = Baseline.align(Baseline.startingPoint(baseline.state), to: state)
            let (changes, problems) = SchemaDiff.changes(
                from: .empty(database.name), to: start, database: database, locations: [:])
            out += problems
            let first = MigrationSQL.render(
                database: database.name, version: 1, changes: changes, first: true,
                produces: sha256(JSONRenderer.render(start)),
                timeouts: (database.lockTimeout, database.statementTimeout),
                slug: "baseline_\(database.name)")
            history = [first]
            entries = [.init(file: Self.fileName(first), sha256: sha256(first.text))]
            previous = start
        } else {
            out += verify(history, against: lock, database: database.name)
        }
        guard !out.hasErrors else { return (out, nil) }

        var declared = state
        declared.version = previous.version
        previous = Baseline.align(previous, to: declared)
        let (changes, refusals) = SchemaDiff.changes(
            from: previous, to: declared, database: database, locations: locations)
        out += refusals.map { refused in
            // The schema of the declaration the refusal points at (a table, column or drop in it).
            let schemas = Set(
                locations.filter { $0.value == refused.location }.keys.compactMap { key -> String? in
                    guard let colon = key.firstIndex(of: ":") else { return nil }
                    return key[key.index(after: colon)...].split(separator: ".").first.map(String.init)
                })
            let readers = schemas.sorted().flatMap { schema in consumers[schema, default: []].map { (schema, $0) } }
            return readers.isEmpty ? refused : .destructiveChange(refused, readBy: readers)
        }
        guard !out.hasErrors else { return (out, nil) }
        // Online forms on tables that already hold rows (OnlineForms); what has none is an error.
        let online = OnlineForms.split(changes, previous: previous)
        out += StatementLocks.check(online.main, previous: previous, fallback: database.location, database: database)
        guard !out.hasErrors else { return (out, nil) }
        var next: [MigrationIR] = []
        if !changes.isEmpty {
            // A new enum value cannot be used in the transaction that adds it (PostgreSQL:
            // "unsafe use of new value"): added values get a migration of their own first.
            let added = online.main.filter(\.commitsFirst)
            var groups: [(changes: [SchemaChange], transactional: Bool)] =
                added.isEmpty || added.count == online.main.count
                ? [(online.main, true)] : [(added, true), (online.main.filter { !added.contains($0) }, true)]
            groups.append((online.validations, true))
            groups.append((online.concurrent, false))
            groups.removeAll { $0.changes.isEmpty }
            var priorChecksum = history.last.flatMap { MigrationSQL.recordedChecksum(in: $0.text) }
            var version = history.last?.version ?? 0
            for (i, group) in groups.enumerated() {
                version += 1
                declared.version = version
                let produces = i == groups.count - 1 ? sha256(JSONRenderer.render(declared)) : nil
                let migration = MigrationSQL.render(
                    database: database.name, version: version, changes: group.changes,
                    first: previous.version == 0 && i == 0, previousChecksum: priorChecksum, produces: produces,
                    timeouts: (database.lockTimeout, database.statementTimeout), transactional: group.transactional)
                next.append(migration)
                entries.append(.init(file: Self.fileName(migration), sha256: sha256(migration.text)))
                priorChecksum = MigrationSQL.recordedChecksum(in: migration.text)
            }
        }
        var newLock = SchemaLock(database: database.name, migrations: entries, schema: declared)
        var plan = DatabasePlan(database: database, history: history, next: next, lock: newLock)
        if let baseline, let first = history.first {
            newLock.baseline = baseline.sha256
            plan.lock = newLock
            let (text, problems) = Baseline.adoptScript(
                database: database, baseline: baseline.state, first: first, locations: locations)
            out += problems
            plan.adopt = text
            plan.regenerated = regenerate
        }
        return (out, plan)
    }

    /// A migration's file name, without its folder.
    static func fileName(_ migration: MigrationIR) -> String {
        migration.path.split(separator: "/").last.map(String.init) ?? migration.path
    }

    /// A database an application owns keeps no history of oceanid-gen's: the application
    /// migrates everything inside it, so the fleet's part (its roles and database grants) is one
    /// idempotent script, `sql/<db>/provision.sql`, run on every apply, that records nothing in
    /// the database (no `control` schema). A committed migration or lock under `sql/<db>/` is an
    /// error at the file: it would create oceanid-gen's `control` schema in the application's
    /// database.
    static func planApplicationDatabase(_ database: Database, owner: String, inputs: InputTree)
        -> ([Diagnostic], DatabasePlan?)
    {
        var out = SchemaChecks.run(database)
        let history = MigrationHistory.read(database: database.name, from: inputs)
        for file in history {
            out.append(.historyInApplicationDatabase(file.path, database: database.name, owner: owner))
        }
        if inputs.read(SchemaLock.path(database.name)) != nil {
            out.append(
                .historyInApplicationDatabase(SchemaLock.path(database.name), database: database.name, owner: owner))
        }
        guard !out.hasErrors else { return (out, nil) }
        var (declared, locations) = SchemaState.declared(database)
        declared.schemas.removeAll { $0.name == ControlTable.schema }
        let (changes, refusals) = SchemaDiff.changes(
            from: .empty(database.name), to: declared, database: database, locations: locations)
        out += refusals
        guard !out.hasErrors else { return (out, nil) }
        let lock = SchemaLock(database: database.name, migrations: [], schema: declared)
        let provision = ProvisionSQL.render(database: database.name, owner: owner, changes: changes, declared: declared)
        return (out, DatabasePlan(database: database, history: [], next: [], lock: lock, provision: provision))
    }

    /// The whole declared schema as one migration from an empty database (V0001): what the
    /// migration chain must add up to, and what tests compare it with through the catalog.
    public static func createScript(_ database: Database) -> (text: String, diagnostics: [Diagnostic]) {
        let (declared, locations) = SchemaState.declared(database)
        let (changes, diagnostics) = SchemaDiff.changes(
            from: .empty(database.name), to: declared, database: database, locations: locations)
        return (
            MigrationSQL.render(database: database.name, version: 1, changes: changes, first: true).text, diagnostics
        )
    }

    /// The committed migrations are exactly the lock's list, byte for byte, in order.
    static func verify(_ history: [MigrationIR], against lock: SchemaLock?, database: String) -> [Diagnostic] {
        guard let lock else {
            return history.map {
                .invalidMigration(
                    $0.path,
                    problem:
                        "is not listed in \(SchemaLock.path(database)), which is missing; restore the lock from git (a hand-written migration does not belong here)"
                )
            }
        }
        var out: [Diagnostic] = []
        let byName = Dictionary(
            history.map { (String($0.path.split(separator: "/").last!), $0) }, uniquingKeysWith: { a, _ in a })
        for (i, entry) in lock.migrations.enumerated() {
            let path = OutputLayout.sql(database) + "/migrations/" + entry.file
            guard let file = byName[entry.file] else {
                out.append(
                    .invalidMigration(
                        path,
                        problem:
                            "was committed (entry \(i + 1) of \(SchemaLock.path(database))) but is gone; restore it (git checkout HEAD -- \(path))"
                    ))
                continue
            }
            let actual = sha256(file.text)
            if actual != entry.sha256 {
                out.append(
                    .invalidMigration(
                        path,
                        problem:
                            "was edited, renamed or reordered after it was committed: \(SchemaLock.path(database)) records sha256 \(entry.sha256.prefix(12))…, the file hashes to \(actual.prefix(12))…; restore it from git and change the definitions instead"
                    ))
            }
        }
        // The locked schema is what the newest migration says it produces.
        if out.isEmpty, let last = history.last, let produced = MigrationSQL.producedSchema(in: last.text),
            produced != sha256(JSONRenderer.render(lock.schema))
        {
            out.append(
                .invalidMigration(
                    SchemaLock.path(database),
                    problem:
                        "holds a schema that \(last.path) does not produce (its schema was edited by hand); restore it (git checkout HEAD -- \(SchemaLock.path(database)))"
                ))
        }
        let listed = Set(lock.migrations.map(\.file))
        for file in history where !listed.contains(String(file.path.split(separator: "/").last!)) {
            out.append(
                .invalidMigration(
                    file.path,
                    problem:
                        "is not listed in \(SchemaLock.path(database)); migrations are generated from the definitions, never added by hand"
                ))
        }
        return out
    }
}

/// The text of one migration: a header naming every change and where it was declared, one
/// transaction that takes an advisory lock, refuses to run twice or out of order, runs the
/// body and records itself (with the body's SHA-256) in `control.schema_versions`.
public enum MigrationSQL {
    static let bodyBegin = "-- oceanid:body begin"
    static let bodyEnd = "-- oceanid:body end"
    /// The header line of a migration that runs outside a transaction (`db migrate` reads it).
    static let nonTransactional = "-- oceanid:non-transactional"

    static func render(
        database: String, version: Int, changes: [SchemaChange], first: Bool, previousChecksum: String? = nil,
        produces: String? = nil, timeouts: (lock: String, statement: String) = ("10s", "15min"), slug: String? = nil,
        transactional: Bool = true
    ) -> MigrationIR {
        let v = String(format: "%04d", version)
        let slug = slug ?? (first ? "create_\(database)" : Self.slug(changes))
        let path = OutputLayout.sql(database) + "/migrations/V\(v)__\(slug).sql"
        let body = changes.map(\.sql).joined(separator: "\n") + "\n"
        let checksum = "sha256:" + MigrationPlanner.sha256(body)
        let previous = String(format: "%04d", version - 1)
        var text = "-- V\(v) of database \(database): \(changes.count) change\(changes.count == 1 ? "" : "s").\n"
        for change in changes {
            let at =
                change.location.map {
                    " (\($0.file.split(separator: "/").suffix(2).joined(separator: "/")):\($0.line))"
                } ?? ""
            text += "--   \(SQL.commentLine(change.summary))\(at)\n"
        }
        if let produces { text += "-- Produces schema sha256:\(produces)\n" }
        // CONCURRENTLY cannot run in a transaction block: statement by statement, session settings,
        // the session's advisory lock released at the end (https://www.postgresql.org/docs/15/sql-createindex.html).
        let (begin, set, lock) =
            transactional
            ? ("BEGIN;\n", "SET LOCAL", "pg_advisory_xact_lock")
            : ("", "SET", "pg_advisory_lock")
        if !transactional { text += "\(nonTransactional) (CREATE INDEX CONCURRENTLY runs outside a transaction)\n" }
        text += """
            -- Apply with: psql -X -v ON_ERROR_STOP=1 -f <this file> (\(transactional ? "it owns its transaction" : "no transaction: a re-run after a failure starts it again")).
            \(begin)\(set) lock_timeout = \(SQL.literal(timeouts.lock));
            \(set) statement_timeout = \(SQL.literal(timeouts.statement));
            SELECT \(lock)(hashtext('oceanid-gen migrations'));
            DO $guard$
            DECLARE
              last text;
            BEGIN
              IF to_regclass('control.schema_versions') IS NULL THEN
                IF \(version) <> 1 THEN
                  RAISE EXCEPTION 'V\(v) needs V\(previous) first: control.schema_versions does not exist';
                END IF;
              ELSE
                EXECUTE 'SELECT max(version) FROM control.schema_versions WHERE domain = $1' INTO last USING \(SQL.literal(database));
                IF last >= \(SQL.literal(v)) THEN
                  RAISE EXCEPTION 'V\(v) is already applied (the newest applied is V%); refusing to apply it again', last;
                END IF;
                IF last IS DISTINCT FROM \(SQL.literal(previous)) THEN
                  RAISE EXCEPTION 'V\(v) must follow V\(previous), but the newest applied is V%', coalesce(last, 'none');
                END IF;\(previousChecksum.map { checksum in """

                    EXECUTE 'SELECT checksum FROM control.schema_versions WHERE domain = $1 AND version = $2' INTO last USING \(SQL.literal(database)), \(SQL.literal(previous));
                    IF last IS DISTINCT FROM \(SQL.literal(checksum)) THEN
                      RAISE EXCEPTION 'the V\(previous) applied here (%) is not the committed one; this database took another branch', last;
                    END IF;
                """ } ?? "")
              END IF;
            END
            $guard$;
            \(bodyBegin)

            """
        text += body
        text += """
            \(bodyEnd)
            INSERT INTO control.schema_versions (domain, version, checksum) VALUES (\(SQL.literal(database)), \(SQL.literal(v)), \(SQL.literal(checksum)));
            \(transactional ? "COMMIT;" : "SELECT pg_advisory_unlock(hashtext('oceanid-gen migrations'));\nRESET lock_timeout;\nRESET statement_timeout;")

            """
        // The file's bytes, header included: what the lock hashes and what is read back.
        return MigrationIR(path: path, version: version, text: (FileSyntax.sql.header ?? "") + text)
    }

    /// The checksum a migration records (`'sha256:...'` in its INSERT), if it has one.
    static func recordedChecksum(in text: String) -> String? {
        guard
            let line = text.split(separator: "\n").last(where: { $0.hasPrefix("INSERT INTO control.schema_versions") }),
            let range = line.range(of: "'sha256:")
        else { return nil }
        return String(line[line.index(after: range.lowerBound)...].prefix(71))
    }

    /// The schema hash a migration's header says it produces.
    static func producedSchema(in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("-- Produces schema sha256:") }.map {
            String($0.dropFirst("-- Produces schema sha256:".count))
        }
    }

    /// The slug of the first change, lower-case `[a-z0-9_]`, at most 48 characters; with more
    /// changes, `_and_more`.
    static func slug(_ changes: [SchemaChange]) -> String {
        let first = changes.first { !$0.slug.isEmpty && $0.slug != "comment" && $0.slug != "drop" }?.slug ?? "change"
        var s = String(first.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(40))
        if changes.count > 1 { s += "_and_more" }
        return s
    }
}
