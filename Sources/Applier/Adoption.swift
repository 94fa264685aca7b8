import Foundation
import SchemaModel

/// `oceanid-apply db adopt <database>`: makes a live database that another tool built (production
/// `cleandata`, built by the seeds' consolidated schema) the start of its committed history, like
/// Flyway's `baseline` (https://documentation.red-gate.com/fd/baseline-184127456.html). It checks
/// that the live catalog is `sql/<db>/baseline.json` (what `db inspect` printed when it was
/// committed; every difference is named and nothing is changed), then runs the generated
/// `sql/<db>/adopt.sql` in one transaction under the migrations' advisory lock: it upgrades the
/// old `control.schema_versions` in place (adds `checksum`, keeps its rows) and records V0001 (the
/// baseline) as applied without running it. `db migrate` then applies the rest.
public struct Adoption: Equatable {
    /// The committed baseline: the schema the live database must have.
    public var baseline: SchemaState
    /// `sql/<db>/adopt.sql`'s text.
    public var script: String

    /// Reads `<root>/sql/<database>/baseline.json` and `adopt.sql`; throws a sentence naming a
    /// missing or unreadable one.
    public static func read(_ database: String, root: String) throws -> Adoption {
        let folder = root + "/" + MigrationFiles.folder(database)
        guard let data = FileManager.default.contents(atPath: folder + "/baseline.json") else {
            throw DatabaseCommandError(
                "\(MigrationFiles.folder(database))/baseline.json does not exist: commit the live schema first "
                    + "(oceanid-apply db inspect \(database) > \(MigrationFiles.folder(database))/baseline.json) "
                    + "and run make build")
        }
        let baseline: SchemaState
        do {
            baseline = try JSONDecoder().decode(SchemaState.self, from: data)
        } catch {
            throw DatabaseCommandError("\(MigrationFiles.folder(database))/baseline.json cannot be read: \(error)")
        }
        guard let script = try? String(contentsOfFile: folder + "/adopt.sql", encoding: .utf8) else {
            throw DatabaseCommandError(
                "\(MigrationFiles.folder(database))/adopt.sql does not exist: run make build after committing "
                    + "baseline.json")
        }
        return Adoption(baseline: baseline, script: script)
    }
}

extension DatabaseCommand {
    /// `db adopt`: 0 adopted (or already adopted with this history), 1 refused or an error.
    static func adopt(
        _ request: Request, _ adoption: Adoption, _ files: MigrationFiles, _ connection: PostgresConnection,
        _ environment: ApplyEnvironment
    ) throws -> Int32 {
        try connection.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey])
        let (rows, _, legacy) = try MigrationStatus.recorded(connection, database: request.database)
        if !legacy, let first = files.files.first, rows.contains(where: { $0.version == first.label }) {
            let status = MigrationStatus(files: files, recorded: rows, historyExists: true)
            guard status.mismatches.isEmpty && status.unknown.isEmpty else {
                for line in conflicts(status, files) { environment.err("error: \(line)\n") }
                return 1
            }
            environment.out("\(request.database): already adopted (\(status.applied.count) applied)\n")
            return 0
        }
        let live = try CatalogReader.read(connection, database: request.database)
        let differences = SchemaDrift.differences(expected: adoption.baseline, live: live)
        guard differences.isEmpty else {
            for line in differences { environment.err("differs   \(line)\n") }
            environment.err(
                "error: \(request.database) is not \(MigrationFiles.folder(request.database))/baseline.json "
                    + "(\(differences.count) difference\(differences.count == 1 ? "" : "s")); nothing was changed. "
                    + "Inspect it again (oceanid-apply db inspect \(request.database)), commit the baseline and "
                    + "run make build\n")
            return 1
        }
        let file = MigrationFiles.File(
            version: 0, name: "adopt.sql", text: adoption.script, checksum: nil, transactional: true)
        for statement in SQLStatements.split(adoption.script) {
            do {
                try connection.execute(statement.text)
            } catch let failure as PostgresConnection.Failure {
                if connection.inTransaction { try? connection.execute("ROLLBACK") }
                environment.err(report(failure, statement, in: file))
                environment.err("error: \(request.database) was not adopted; nothing was changed\n")
                return 1
            }
        }
        environment.out(
            "adopted   \(request.database): V0001 recorded as applied (not run), control.schema_versions "
                + "upgraded with its rows kept; next: oceanid-apply db migrate \(request.database)\n")
        return 0
    }
}
