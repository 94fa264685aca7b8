import Foundation

/// A database an application owns (labelfish, Label Studio's): oceanid-gen keeps no history there,
/// only `sql/<db>/provision.sql`, the fleet's roles and database grants as one idempotent
/// transaction. `db migrate <db>` runs it under the migrations' advisory lock; `db status <db>`
/// checks that every role and database grant its `-- oceanid:expects` lines name exists (the
/// grantee's own ACL entries on the database, `aclexplode(pg_database.datacl)`: PUBLIC's default
/// CONNECT and TEMPORARY do not count; https://www.postgresql.org/docs/15/ddl-priv.html).
public struct Provisioning: Equatable {
    /// A role the script creates.
    public struct Role: Equatable {
        /// Its name.
        public var name: String
        /// Whether it may log in.
        public var login: Bool
    }
    /// A grant on the database the script makes.
    public struct Grant: Equatable {
        /// The privileges (`CONNECT`, `CREATE`, `TEMPORARY`).
        public var privileges: [String]
        /// The grantee.
        public var role: String
    }

    /// The script's text.
    public var script: String
    /// The roles it creates.
    public var roles: [Role]
    /// The database grants it makes.
    public var grants: [Grant]

    /// Reads `<root>/sql/<database>/provision.sql`; nil when the database has none.
    public static func read(_ database: String, root: String) -> Provisioning? {
        let path = root + "/" + MigrationFiles.folder(database) + "/provision.sql"
        guard let script = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var roles: [Role] = []
        var grants: [Grant] = []
        for line in script.split(separator: "\n") where line.hasPrefix("-- oceanid:expects ") {
            let words = line.dropFirst("-- oceanid:expects ".count).split(separator: " ").map(String.init)
            if words.count == 3, words[0] == "role" {
                roles.append(Role(name: words[1], login: words[2] == "LOGIN"))
            } else if words.count == 6, words[0] == "grant", words[2...4] == ["on", "database", "to"] {
                grants.append(Grant(privileges: words[1].split(separator: ",").map(String.init), role: words[5]))
            }
        }
        return Provisioning(script: script, roles: roles, grants: grants)
    }
}

extension DatabaseCommand {
    /// `db status` of a provisioned database: 0 every role and grant exists, 2 one is missing (each named).
    static func provisionStatus(
        _ request: Request, _ provisioning: Provisioning, _ connection: PostgresConnection,
        _ environment: ApplyEnvironment
    ) throws -> Int32 {
        var missing: [String] = []
        for role in provisioning.roles {
            let rows = try connection.query(
                "SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = $1", [role.name])
            guard let row = rows.first else {
                missing.append("role \(role.name) does not exist")
                continue
            }
            if (row[0] == "t") != role.login {
                missing.append(
                    "role \(role.name) is \(row[0] == "t" ? "LOGIN" : "NOLOGIN"), provision.sql makes it "
                        + (role.login ? "LOGIN" : "NOLOGIN"))
            }
        }
        for grant in provisioning.grants {
            let held = Set(
                try connection.query(
                    """
                    SELECT x.privilege_type FROM pg_catalog.pg_database d, aclexplode(d.datacl) x
                    JOIN pg_catalog.pg_roles r ON r.oid = x.grantee WHERE d.datname = current_database() AND r.rolname = $1
                    """, [grant.role]
                ).compactMap { $0[0] })
            for privilege in grant.privileges where !held.contains(privilege) {
                missing.append("grant \(privilege) on database \(request.database) to \(grant.role) is missing")
            }
        }
        for line in missing { environment.out("missing   \(line)\n") }
        let folder = MigrationFiles.folder(request.database)
        environment.out(
            missing.isEmpty
                ? "\(request.database): provisioned (\(provisioning.roles.count) role\(provisioning.roles.count == 1 ? "" : "s"), "
                    + "\(provisioning.grants.count) database grant\(provisioning.grants.count == 1 ? "" : "s"))\n"
                : "\(request.database): \(missing.count) missing; run oceanid-apply db migrate \(request.database) "
                    + "(\(folder)/provision.sql)\n")
        return missing.isEmpty ? 0 : 2
    }

    /// `db migrate` of a provisioned database: runs `provision.sql` (idempotent) under the advisory lock.
    static func provision(
        _ request: Request, _ provisioning: Provisioning, _ connection: PostgresConnection,
        _ environment: ApplyEnvironment
    ) throws -> Int32 {
        let name = MigrationFiles.folder(request.database) + "/provision.sql"
        if request.dryRun {
            environment.out("would run \(name):\n\(provisioning.script)dry run: nothing was applied\n")
            return 0
        }
        try connection.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey])
        let file = MigrationFiles.File(
            version: 0, name: "provision.sql", text: provisioning.script, checksum: nil, transactional: true)
        for statement in SQLStatements.split(provisioning.script) {
            do {
                try connection.execute(statement.text)
            } catch let failure as PostgresConnection.Failure {
                if connection.inTransaction { try? connection.execute("ROLLBACK") }
                environment.err(report(failure, statement, in: file))
                environment.err("error: \(name) was rolled back; nothing was changed\n")
                return 1
            }
        }
        environment.out("provisioned \(request.database) (\(name); it records nothing in the database)\n")
        return 0
    }
}
