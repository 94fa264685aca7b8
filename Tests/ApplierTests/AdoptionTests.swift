import Foundation
import SchemaModel
import TestSupport
import Testing

@testable import Applier

/// Adopting the production `cleandata` the way the README says: a database built as the seeds
/// describe it (`Fixtures/consolidated_cleandata_schema.sql`: five schemas, rows, the seeds'
/// `control.schema_versions` without a checksum) on a PostgreSQL 15 the tests start, then
/// `db inspect`, `db adopt`, `db migrate`, `db status` against the committed `sql/cleandata/`.
@Suite(.serialized) struct AdoptionTests {
    static let fixture = Paths.repository + "/Tests/ApplierTests/Fixtures/consolidated_cleandata_schema.sql"
    static let root = ["--root", Paths.repository]

    /// A database built like production: the seeds' consolidated schema and its rows.
    static func seeded(_ server: PostgresServer) throws -> String {
        let database = try server.createDatabase("seeded")
        try server.psql(database, try String(contentsOfFile: fixture, encoding: .utf8))
        return database
    }

    /// Every row of every table of the database's own schemas, as text, sorted.
    static func rows(_ server: PostgresServer, _ database: String, excluding: Set<String> = []) throws -> [String] {
        let tables = try server.psql(
            database,
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname IN ('control', 'curated', 'label', 'raw', 'stage') ORDER BY 1;
            """
        ).split(separator: "\n").map(String.init).filter { !excluding.contains($0) }
        return try tables.flatMap { table in
            try server.psql(database, "SELECT '\(table) ' || t::text FROM \(table) t ORDER BY 1;")
                .split(separator: "\n").map(String.init)
        }
    }

    @Test func theSeedsCleandataIsAdoptedWithTheREADMEsCommandsAndKeepsItsRows() throws {
        let server = try PostgresServer.get()
        let database = try Self.seeded(server)
        let before = try Self.rows(server, database, excluding: ["control.schema_versions"])
        #expect(before.count == 9, "\(before)")
        // 1. oceanid-apply db inspect cleandata > sql/cleandata/baseline.json: the committed file.
        var run = try DatabaseCommandTests.run(["db", "inspect", "cleandata"], database: database)
        #expect(run.status == 0, "\(run.err)")
        let committed = try String(contentsOfFile: Paths.repository + "/sql/cleandata/baseline.json", encoding: .utf8)
        #expect(run.out == committed)
        // Not migratable before adoption: its history table predates oceanid-gen.
        run = try DatabaseCommandTests.run(["db", "migrate", "cleandata"] + Self.root, database: database)
        #expect(run.status == 1)
        // 2. oceanid-apply db adopt cleandata.
        run = try DatabaseCommandTests.run(["db", "adopt", "cleandata"] + Self.root, database: database)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix("adopted   cleandata: V0001 recorded as applied (not run)"))
        // 3. oceanid-apply db migrate cleandata, 4. oceanid-apply db status cleandata.
        run = try DatabaseCommandTests.run(["db", "migrate", "cleandata"] + Self.root, database: database)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix("applied   V0002__"))
        run = try DatabaseCommandTests.run(["db", "status", "cleandata"] + Self.root, database: database)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.hasSuffix("cleandata: 2 applied, 0 pending\n"))
        // Its catalog is what the committed migrations make on an empty database.
        let empty = try server.createDatabase("chain")
        let folder = Paths.repository + "/sql/cleandata/migrations"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            try server.apply(empty, file: try String(contentsOfFile: folder + "/" + file, encoding: .utf8))
        }
        let adopted = try server.catalog(database)
        let expected = try server.catalog(empty)
        #expect(adopted == expected, "\(Set(adopted).symmetricDifference(Set(expected)).sorted())")
        // Every row is still there; the seeds' history rows are kept, without a checksum.
        #expect(try Self.rows(server, database, excluding: ["control.schema_versions"]) == before)
        #expect(
            try server.psql(
                database,
                "SELECT domain, version, checksum IS NULL FROM control.schema_versions ORDER BY domain, version;")
                == "cleandata|0001|f\ncleandata|0002|f\ncurated|V4|t\nstage|V3|t\n")
        // Adopting again changes nothing.
        run = try DatabaseCommandTests.run(["db", "adopt", "cleandata"] + Self.root, database: database)
        #expect(run.status == 0 && run.out == "cleandata: already adopted (2 applied)\n", "\(run.out)\(run.err)")
    }

    @Test func aDatabaseThatIsNotTheBaselineIsRefusedNamingTheDifferencesAndNotChanged() throws {
        let server = try PostgresServer.get()
        let database = try Self.seeded(server)
        try server.psql(
            database,
            """
            CREATE INDEX vessels_name_idx ON curated.vessels (name);
            ALTER TABLE stage.documents DROP COLUMN error;
            """)
        let run = try DatabaseCommandTests.run(["db", "adopt", "cleandata"] + Self.root, database: database)
        #expect(run.status == 1)
        #expect(
            run.err.hasPrefix(
                """
                differs   index vessels_name_idx on curated.vessels (name) is not made by any migration (made by hand?)
                differs   column stage.documents.error is missing (the migrations make it)
                error: cleandata is not sql/cleandata/baseline.json (2 differences); nothing was changed.
                """), "\(run.err)")
        #expect(
            try server.psql(
                database,
                "SELECT count(*) FROM pg_attribute WHERE attrelid = 'control.schema_versions'::regclass AND attname = 'checksum';"
            )
                == "0\n")
    }
}
