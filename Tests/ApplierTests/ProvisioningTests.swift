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
