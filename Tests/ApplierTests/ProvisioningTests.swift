import Foundation
import TestSupport
import Testing

@testable import Applier

/// `db status|migrate` of a database an application owns: `provision.sql` run under the advisory
/// lock, and every role and database grant it names checked on the live database.
@Suite(.serialized) struct ProvisioningTests {
    @Test func theCommittedLabelfishProvisioningNamesItsRoleAndGrants() throws {
        let provisioning = try #require(Provisioning.read("labelfish", root: Paths.repository))
        #expect(provisioning.roles == [.init(name: "labelfish_owner", login: true)])
        #expect(
            provisioning.grants == [.init(privileges: ["CONNECT", "CREATE", "TEMPORARY"], role: "labelfish_owner")])
    }

    @Test func migrateProvisionsAndStatusNamesWhatIsMissing() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("provisioned")
        // Roles are the cluster's: a name of this run's own, in the shape ProvisionSQL writes.
        let role = "lf_\(UUID().uuidString.prefix(8).lowercased())"
        let folder = try TemporaryFolder("provision")
        try folder.write(
            "sql/labels/provision.sql",
            """
            -- Provisioning of database labels, which Label Studio owns: 2 statements.
            -- oceanid:expects role \(role) LOGIN
            -- oceanid:expects grant CONNECT,CREATE,TEMPORARY on database to \(role)
            BEGIN;
            SET LOCAL lock_timeout = '10s';
            SELECT pg_advisory_xact_lock(hashtext('oceanid-gen migrations'));
            DO $role$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '\(role)') THEN
                CREATE ROLE "\(role)" LOGIN;
              END IF;
            END $role$;
            DO $grant$ BEGIN EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), '\(role)'); END $grant$;
            COMMIT;

            """)
        let root = ["--root", folder.path]
        var run = try DatabaseCommandTests.run(["db", "status", "labels"] + root, database: database)
        #expect(run.status == 2)
        #expect(
            run.out == """
                missing   role \(role) does not exist
                missing   grant CONNECT on database labels to \(role) is missing
                missing   grant CREATE on database labels to \(role) is missing
                missing   grant TEMPORARY on database labels to \(role) is missing
                labels: 4 missing; run oceanid-apply db migrate labels (sql/labels/provision.sql)

                """)
        run = try DatabaseCommandTests.run(["db", "migrate", "labels"] + root, database: database)
        #expect(run.status == 0, "\(run.err)")
        run = try DatabaseCommandTests.run(["db", "migrate", "labels"] + root, database: database)
        #expect(run.status == 0 && run.out.hasPrefix("provisioned labels"), "idempotent: \(run.err)")
        run = try DatabaseCommandTests.run(["db", "status", "labels"] + root, database: database)
        #expect(run.status == 0 && run.out == "labels: provisioned (1 role, 1 database grant)\n", "\(run.out)")
        // Nothing of oceanid-gen's inside.
        #expect(try server.psql(database, "SELECT to_regnamespace('control') IS NULL;") == "t\n")
        try server.psql(database, "REVOKE CREATE ON DATABASE \(database) FROM \"\(role)\";")
        run = try DatabaseCommandTests.run(["db", "status", "labels"] + root, database: database)
        #expect(run.status == 2)
        #expect(run.out.hasPrefix("missing   grant CREATE on database labels to \(role) is missing\n"), "\(run.out)")
    }
}

/// `db migrate` honours `-- oceanid:non-transactional`: such a file runs statement by statement
/// outside a transaction, so `CREATE INDEX CONCURRENTLY` (refused inside one) applies.
@Suite(.serialized) struct NonTransactionalMigrationTests {
    @Test func aNonTransactionalMigrationRunsOutsideATransaction() throws {
        let server = try PostgresServer.get()
        let database = try server.createDatabase("concurrently")
        let folder = try TemporaryFolder("db-concurrently")
        defer { folder.remove() }
        let body = """
            DROP INDEX CONCURRENTLY IF EXISTS "shop"."items_name_idx";
            CREATE INDEX CONCURRENTLY "items_name_idx" ON "shop"."items" ("name");

            """
        let checksum = "sha256:" + MigrationFiles.sha256(body)
        let concurrent = """
            -- V0002 of database shop: 1 change.
            -- oceanid:non-transactional (CREATE INDEX CONCURRENTLY runs outside a transaction)
            SET lock_timeout = '10s';
            SELECT pg_advisory_lock(hashtext('oceanid-gen migrations'));
            -- oceanid:body begin
            \(body)-- oceanid:body end
            INSERT INTO control.schema_versions (domain, version, checksum) VALUES ('shop', '0002', '\(checksum)');
            SELECT pg_advisory_unlock(hashtext('oceanid-gen migrations'));
            RESET lock_timeout;

            """
        try DatabaseCommandTests.write(
            folder, "shop",
            [
                ("V0001__create_shop.sql", DatabaseCommandTests.migration("shop", 1, body: DatabaseCommandTests.first)),
                ("V0002__add_index_items_name_idx.sql", concurrent),
            ])
        let files = try MigrationFiles.read(database: "shop", root: folder.path)
        #expect(files.files.map(\.transactional) == [true, false])
        let root = ["--root", folder.path]
        var run = try DatabaseCommandTests.run(["db", "migrate", "shop", "--dry-run"] + root, database: database)
        #expect(run.out.contains("would apply V0002__add_index_items_name_idx.sql (outside a transaction):\n"))
        run = try DatabaseCommandTests.run(["db", "migrate", "shop"] + root, database: database)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("applied   V0002__add_index_items_name_idx.sql ("))
        #expect(
            try server.psql(
                database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'shop.items_name_idx'::regclass;")
                == "t\n")
        // The same file wrapped in a transaction is refused by PostgreSQL: the marker is what makes it run.
        #expect(throws: (any Error).self) {
            try server.psql(database, "BEGIN;\nCREATE INDEX CONCURRENTLY items_id_idx ON shop.items (id);\nCOMMIT;")
        }
    }
}
