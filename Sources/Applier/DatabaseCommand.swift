import Foundation

/// `oceanid-apply db status|migrate <database>`: the committed migrations of
/// `sql/<database>/` against a live PostgreSQL reached through libpq. The connection URI is
/// read from an environment variable (`DATABASE_URL`, or the one `--url-env` names), never
/// from argv, and never printed. Exit codes as `plan`/`apply`: status 0 in sync, 2 pending,
/// 1 an error (a conflicting history: a checksum mismatch, an unknown version, an edited
/// file); migrate 0 done, 1 an error.
public enum DatabaseCommand {
    /// The advisory lock key every migration and `migrate` take (`hashtext` of this text).
    static let lockKey = "oceanid-gen migrations"

    /// What one command line asks.
    public struct Request: Equatable {
        /// `status` or `migrate`.
        public var command: String
        /// The database (its folder `sql/<database>/`).
        public var database: String
        /// The environment variable holding the connection URI.
        public var urlVariable = "DATABASE_URL"
        /// The repository root holding `sql/`.
        public var root = "."
        /// migrate: print what would run, run nothing.
        public var dryRun = false
        /// migrate: stop after this version.
        public var target: Int?

        /// A request.
        public init(command: String, database: String) {
            self.command = command
            self.database = database
        }
    }

    /// Runs a request; returns the exit code. Output goes through `environment`.
    public static func run(_ request: Request, in environment: ApplyEnvironment) -> Int32 {
        let url = environment.variables[request.urlVariable] ?? ""
        func scrub(_ text: String) -> String {
            url.count >= 8 ? text.replacingOccurrences(of: url, with: "<\(request.urlVariable)>") : text
        }
        do {
            // A database an application owns: its provisioning, no history (`Provisioning`).
            let hasHistory = FileManager.default.fileExists(
                atPath: request.root + "/" + MigrationFiles.folder(request.database) + "/migrations")
            if !hasHistory, request.command == "status" || request.command == "migrate",
                let provisioning = Provisioning.read(request.database, root: request.root)
            {
                guard !url.isEmpty else {
                    throw DatabaseCommandError(
                        "\(request.urlVariable) is not set: export the database's connection URI in it")
                }
                let connection = try PostgresConnection(url)
                return request.command == "status"
                    ? try provisionStatus(request, provisioning, connection, environment)
                    : try provision(request, provisioning, connection, environment)
            }
            let files =
                request.command == "inspect"
                ? nil : try MigrationFiles.read(database: request.database, root: request.root)
            let adoption = request.command == "adopt" ? try Adoption.read(request.database, root: request.root) : nil
            guard !url.isEmpty else {
                throw DatabaseCommandError(
                    "\(request.urlVariable) is not set: export the database's connection URI in it "
                        + "(postgresql://user:password@host:5432/\(request.database)?sslmode=require)")
            }
            let connection = try PostgresConnection(url)
            guard let files else { return try inspect(request, connection, environment) }
            if let adoption { return try adopt(request, adoption, files, connection, environment) }
            switch request.command {
            case "migrate": return try migrate(request, files, connection, environment)
            default: return try status(request, files, connection, environment)
            }
        } catch let failure as PostgresConnection.Failure {
            environment.err("error: \(scrub(failure.message))\n")
        } catch {
            environment.err("error: \(scrub(String(describing: error)))\n")
        }
        return 1
    }

    static func status(
        _ request: Request, _ files: MigrationFiles, _ connection: PostgresConnection, _ environment: ApplyEnvironment
    ) throws -> Int32 {
        let (rows, exists, legacy) = try MigrationStatus.recorded(connection, database: request.database)
        var status = MigrationStatus(files: files, recorded: rows, historyExists: exists)
        status.legacyHistory = legacy
        for file in status.applied { environment.out("applied   \(file.name)\n") }
        for file in status.pending { environment.out("pending   \(file.name)\n") }
        let errors = conflicts(status, files)
        for line in errors { environment.err("error: \(line)\n") }
        let summary =
            "\(request.database): \(status.applied.count) applied, \(status.pending.count) pending"
            + (errors.isEmpty ? "" : ", \(errors.count) conflicting")
        environment.out(summary + "\n")
        if !errors.isEmpty { return 1 }
        guard status.pending.isEmpty else { return 2 }
        // Drift only when the database is at the lock's version: with files pending, the lock
        // describes a schema the database is not meant to have yet.
        guard let expected = files.lockedSchema else {
            throw DatabaseCommandError("\(MigrationFiles.folder(request.database))/schema.lock.json has no schema")
        }
        let drift = SchemaDrift.differences(
            expected: expected, live: try CatalogReader.read(connection, database: request.database))
        for line in drift { environment.out("drift     \(line)\n") }
        if !drift.isEmpty {
            environment.out(
                "\(request.database): \(drift.count) difference\(drift.count == 1 ? "" : "s") from what the "
                    + "migrations make (\(MigrationFiles.folder(request.database))/schema.lock.json)\n")
        }
        return drift.isEmpty ? 0 : 2
    }

    /// `db inspect`: the live catalog as the planner's model, JSON on stdout (sorted keys).
    static func inspect(
        _ request: Request, _ connection: PostgresConnection, _ environment: ApplyEnvironment
    ) throws -> Int32 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let state = try CatalogReader.read(connection, database: request.database)
        environment.out(String(decoding: try encoder.encode(state), as: UTF8.self) + "\n")
        return 0
    }

    /// Every reason the database's history and the committed one disagree, one sentence each.
    static func conflicts(_ status: MigrationStatus, _ files: MigrationFiles) -> [String] {
        var out = files.problems
        if status.legacyHistory {
            // The first generated migration would create every schema again and stop at its guard.
            out.append(
                "control.schema_versions predates oceanid-gen (it has no checksum column): this database was built "
                    + "by another tool and must be adopted before a generated migration may run on it (MIGRATION.md, "
                    + "cut-over: Databases)")
        }
        for row in status.unknown {
            out.append(
                "V\(row.version) is recorded in control.schema_versions but no committed file has it "
                    + "(the database took another branch, or the row was added by hand)")
        }
        for mismatch in status.mismatches {
            out.append(
                "\(mismatch.file): the database recorded \(mismatch.recorded ?? "no checksum"), the committed file "
                    + "records \(mismatch.committed ?? "none"); this database took another history")
        }
        for file in status.gaps {
            out.append("\(file.name) is pending but a later version is applied; the history was rewritten")
        }
        return out
    }

    static func migrate(
        _ request: Request, _ files: MigrationFiles, _ connection: PostgresConnection, _ environment: ApplyEnvironment
    ) throws -> Int32 {
        if let target = request.target, !files.files.contains(where: { $0.version == target }) {
            throw DatabaseCommandError("--to \(target): no committed migration has that version")
        }
        // One migrate at a time, the status read included; each file takes the same lock per
        // transaction (a session already holding it gets it again: https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
        try connection.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey])
        let (rows, exists, legacy) = try MigrationStatus.recorded(connection, database: request.database)
        var status = MigrationStatus(files: files, recorded: rows, historyExists: exists)
        status.legacyHistory = legacy
        let errors = conflicts(status, files)
        guard errors.isEmpty else {
            for line in errors { environment.err("error: \(line)\n") }
            environment.err("error: nothing was applied: the histories disagree\n")
            return 1
        }
        let chosen = status.pending.filter { request.target == nil || $0.version <= request.target ?? 0 }
        if chosen.isEmpty {
            environment.out("\(request.database): nothing to apply (\(status.applied.count) applied)\n")
            return 0
        }
        for file in chosen {
            if request.dryRun {
                environment.out("would apply \(file.name)\(file.transactional ? "" : " (outside a transaction)"):\n")
                environment.out(MigrationFiles.body(of: file.text) ?? file.text)
                continue
            }
            let started = Date()
            // Statement by statement (the file's own BEGIN and COMMIT included), so the one
            // that fails is known exactly; PostgreSQL reports a position for few errors.
            for statement in SQLStatements.split(file.text) {
                do {
                    try connection.execute(statement.text)
                } catch let failure as PostgresConnection.Failure {
                    if connection.inTransaction { try? connection.execute("ROLLBACK") }
                    environment.err(report(failure, statement, in: file))
                    environment.err(
                        "error: stopped at \(file.name); V\(file.label) is not recorded, and a run after the fix "
                            + "continues from it"
                            + (file.transactional
                                ? "\n"
                                : " (it runs outside a transaction: the statements before stay, and it starts "
                                    + "again from its first)\n"))
                    return 1
                }
            }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            environment.out("applied   \(file.name) (\(seconds) s)\n")
        }
        if request.dryRun { environment.out("dry run: nothing was applied\n") }
        return 0
    }

    /// `error: <file> failed at line <n>:`, the statement, and PostgreSQL's message.
    static func report(
        _ failure: PostgresConnection.Failure, _ statement: SQLStatements.Statement, in file: MigrationFiles.File
    ) -> String {
        var out = "error: \(file.name) failed at line \(statement.line):\n"
        out += "  " + statement.text.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
        out += "  PostgreSQL: \(failure.message) (SQLSTATE \(failure.sqlState))\n"
        if let context = failure.context {
            out += "  context: \(context.replacingOccurrences(of: "\n", with: "; "))\n"
        }
        return out
    }
}
