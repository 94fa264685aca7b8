import DSL
import Rendering

/// The text of `sql/<db>/provision.sql` for a database an application owns: the fleet's roles
/// and database grants as one idempotent transaction, run on every apply. It creates roles
/// only when missing, grants (a repeated `GRANT` changes nothing: PostgreSQL keeps one ACL entry
/// per grantee and grantor, https://www.postgresql.org/docs/current/sql-grant.html), sets
/// comments, and records nothing in the database: no `control` schema, no history table.
/// A grant removed from the declaration is not revoked by it (nothing remembers it was given).
public enum ProvisionSQL {
    /// `sql/<database>/provision.sql`, relative to the repository root.
    public static func path(_ database: String) -> String { OutputLayout.sql(database) + "/provision.sql" }

    /// The script: a header naming each statement and where it was declared, then one
    /// transaction holding the migrations' advisory lock.
    /// Before the transaction, one `-- oceanid:expects role <name> LOGIN|NOLOGIN` line per role and one
    /// `-- oceanid:expects grant <PRIVILEGE,...> on database to <role>` per database grant of `declared`:
    /// what `oceanid-apply db status <db>` checks the live database has.
    static func render(
        database: String, owner: String, changes: [SchemaChange], declared: SchemaState = .empty("")
    ) -> String {
        var text = "-- Provisioning of database \(database), which \(SQL.commentLine(owner)) owns: "
        text += "\(changes.count) statement\(changes.count == 1 ? "" : "s").\n"
        for change in changes {
            let at =
                change.location.map {
                    " (\($0.file.split(separator: "/").suffix(2).joined(separator: "/")):\($0.line))"
                } ?? ""
            text += "--   \(SQL.commentLine(change.summary))\(at)\n"
        }
        text += """
            -- \(SQL.commentLine(owner)) creates and migrates everything inside the database; this script only
            -- keeps the fleet's roles and grants. Idempotent and recording nothing in the database: run it
            -- on every apply, connected to \(database) as a role that may create roles and grant on it:
            -- psql -X -v ON_ERROR_STOP=1 -d \(database) -f sql/\(database)/provision.sql
            \(expectations(declared))BEGIN;
            SET LOCAL lock_timeout = '10s';
            SELECT pg_advisory_xact_lock(hashtext('oceanid-gen migrations'));

            """
        text += changes.map(\.sql).joined(separator: "\n") + "\n"
        text += "COMMIT;\n"
        return (FileSyntax.sql.header ?? "") + text
    }

    /// The `-- oceanid:expects` lines of `declared`'s roles and database grants, each ending in a newline.
    static func expectations(_ declared: SchemaState) -> String {
        let roles = declared.roles.map { "-- oceanid:expects role \($0.name) \($0.login ? "LOGIN" : "NOLOGIN")\n" }
        let grants = declared.grants.filter { $0.target == "database" }.map {
            "-- oceanid:expects grant \($0.privileges.joined(separator: ",")) on database to \($0.role)\n"
        }
        return (roles + grants).joined()
    }
}
