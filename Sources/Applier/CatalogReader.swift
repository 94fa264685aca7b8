import Foundation
import SchemaModel

/// Reads a live database's own schemas into the model the planner uses (`SchemaState`), from
/// PostgreSQL's catalogs (https://www.postgresql.org/docs/15/catalogs.html): every schema but
/// `public`, `information_schema` and `pg_*`; its enum types, tables, columns
/// (`format_type`, `pg_get_expr`), constraints (`pg_get_constraintdef`), indexes not backing
/// a constraint, comments; the roles granted anything; and the grants (`aclexplode` of the
/// database's, schemas' and tables' ACLs and the default privileges). The session's
/// `search_path` is `pg_catalog` while it reads, so every type and expression comes back
/// schema-qualified whatever the caller's path. Privileges an object's owner holds as its
/// owner, and PUBLIC's, are not grants of the model.
public enum CatalogReader {
    /// The predicate for the database's own schemas, on `pg_namespace n`.
    static let own = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'public')"

    /// The live schema of the connected database, as `version` 0 (not yet produced by a migration).
    public static func read(_ connection: PostgresConnection, database: String) throws -> SchemaState {
        try connection.execute("SET search_path = pg_catalog")
        defer { _ = try? connection.execute("RESET search_path") }
        let comment = try connection.query(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
        var schemas: [SchemaState.SchemaDef] = []
        for row in try connection.query(
            "SELECT n.nspname, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n WHERE \(own) ORDER BY 1")
        {
            let name = row[0] ?? ""
            schemas.append(
                SchemaState.SchemaDef(
                    name: name, comment: row[1], enums: try enums(connection, name),
                    tables: try tables(connection, name)))
        }
        let grants = try self.grants(connection)
        let roleNames = Set(grants.map(\.role))
        let roles = try connection.query(
            "SELECT rolname, rolcanlogin, shobj_description(oid, 'pg_authid') FROM pg_roles ORDER BY 1"
        ).filter { roleNames.contains($0[0] ?? "") }.map {
            SchemaState.RoleDef(name: $0[0] ?? "", login: $0[1] == "t", comment: $0[2])
        }
        return SchemaState(
            database: database, version: 0, comment: comment.first?[0] ?? nil, schemas: schemas, roles: roles,
            grants: grants)
    }

    static func enums(_ connection: PostgresConnection, _ schema: String) throws -> [SchemaState.EnumDef] {
        try connection.query(
            """
            SELECT t.typname, string_agg(e.enumlabel, E'\\n' ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type')
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 GROUP BY t.oid, t.typname ORDER BY 1
            """, [schema]
        ).map {
            SchemaState.EnumDef(
                name: $0[0] ?? "", values: ($0[1] ?? "").components(separatedBy: "\n"), comment: $0[2])
        }
    }

    static func tables(_ connection: PostgresConnection, _ schema: String) throws -> [SchemaState.TableDef] {
        var out: [SchemaState.TableDef] = []
        for row in try connection.query(
            """
            SELECT c.oid::text, c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 2
            """, [schema])
        {
            let oid = row[0] ?? "0"
            let columns = try connection.query(
                """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                  a.attidentity <> '', col_description(a.attrelid, a.attnum)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
                """, [oid]
            ).map {
                SchemaState.ColumnDef(
                    name: $0[0] ?? "", type: $0[1] ?? "", nullable: $0[2] == "t",
                    defaultExpression: $0[4] == "t" ? nil : $0[3], identity: $0[4] == "t", comment: $0[5])
            }
            let constraints = try connection.query(
                """
                SELECT con.conname, con.contype::text, pg_get_constraintdef(con.oid),
                  (SELECT string_agg(a.attname, E'\\n' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num),
                  (SELECT rn.nspname || '.' || rc.relname FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                   WHERE rc.oid = con.confrelid)
                FROM pg_constraint con WHERE con.conrelid = $1::oid ORDER BY 1
                """, [oid]
            ).map {
                SchemaState.ConstraintDef(
                    name: $0[0] ?? "", kind: $0[1] ?? "", definition: $0[2] ?? "",
                    columns: $0[3].map { $0.components(separatedBy: "\n") } ?? [], references: $0[4])
            }
            let indexes = try connection.query(
                """
                SELECT ic.relname, i.indisunique,
                  (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), E'\\n' ORDER BY k)
                   FROM generate_series(1, i.indnkeyatts) k)
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE i.indrelid = $1::oid AND NOT EXISTS (SELECT FROM pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
                ORDER BY 1
                """, [oid]
            ).map {
                SchemaState.IndexDef(
                    name: $0[0] ?? "", columns: ($0[2] ?? "").components(separatedBy: "\n"), unique: $0[1] == "t")
            }
            out.append(
                SchemaState.TableDef(
                    name: row[1] ?? "", comment: row[2], columns: columns, constraints: constraints, indexes: indexes))
        }
        return out
    }

    /// The grants in the model's three targets. `tables:<schema>` holds a privilege when every
    /// table of the schema grants it (a revoke on one table removes it), or, in a schema without
    /// tables, when the schema's default privileges grant it.
    static func grants(_ connection: PostgresConnection) throws -> [SchemaState.GrantDef] {
        let rows = try connection.query(
            """
            SELECT 'database', r.rolname, x.privilege_type FROM pg_database d, aclexplode(d.datacl) x
              JOIN pg_roles r ON r.oid = x.grantee WHERE d.datname = current_database() AND x.grantee <> d.datdba
            UNION
            SELECT 'schema:' || n.nspname, r.rolname, x.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) x
              JOIN pg_roles r ON r.oid = x.grantee WHERE \(own) AND x.grantee <> n.nspowner
            UNION
            SELECT 'tables:' || t.nspname, t.rolname, t.privilege_type FROM (
              SELECT n.nspname, r.rolname, x.privilege_type, count(*) AS granted,
                (SELECT count(*) FROM pg_class c2 WHERE c2.relnamespace = n.oid AND c2.relkind IN ('r', 'p')) AS total
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) x
              JOIN pg_roles r ON r.oid = x.grantee
              WHERE \(own) AND c.relkind IN ('r', 'p') AND x.grantee <> c.relowner
              GROUP BY n.oid, n.nspname, r.rolname, x.privilege_type) t WHERE t.granted = t.total
            UNION
            SELECT 'tables:' || n.nspname, r.rolname, x.privilege_type
              FROM pg_default_acl da JOIN pg_namespace n ON n.oid = da.defaclnamespace, aclexplode(da.defaclacl) x
              JOIN pg_roles r ON r.oid = x.grantee
              WHERE \(own) AND da.defaclobjtype = 'r'
                AND NOT EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))
            """)
        var merged: [String: SchemaState.GrantDef] = [:]
        for row in rows {
            let (target, role, privilege) = (row[0] ?? "", row[1] ?? "", row[2] ?? "")
            var grant = merged["\(role) \(target)"] ?? SchemaState.GrantDef(role: role, target: target, privileges: [])
            grant.privileges = Array(Set(grant.privileges + [privilege])).sorted()
            merged["\(role) \(target)"] = grant
        }
        return merged.values.sorted()
    }
}
