import DSL
import Foundation

/// The database role a workload connects as has what the schemas it names need.
///
/// The role is known from the ESC key of the workload's database URL (a Secret key fetched as
/// it is): a key that starts with a declared database's name, ends in `url` and names one of
/// that database's login roles in between (`cleandataPostgraphileUrl` → role `postgraphile`).
/// The schemas are those the container names: `--schema a,b` / `--schema=a,b` arguments
/// (PostGraphile's CLI) and literal env values whose name contains `SCHEMA` (comma-separated).
/// PostgreSQL needs USAGE on a schema to reach any object in it, and a table privilege to read
/// or write its tables (https://www.postgresql.org/docs/current/ddl-priv.html): a named schema
/// the role has no USAGE on, or no privilege on its tables, is an error at the declaration
/// that names it. A URL whose key names no role (an owner's URL) is not judged.
enum DatabaseRoleChecks {
    static func check(_ index: ClusterIndex, fleet: Fleet) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard let workload = object.workload, let namespace = object.id.namespace else { continue }
            for container in workload.pod.allContainers {
                guard let (database, role) = connection(of: container, namespace: namespace, index: index, fleet: fleet)
                else { continue }
                for (schema, location) in schemas(of: container) {
                    guard database.schemas.contains(where: { $0.name == schema }) else { continue }
                    let grants = database.grants.filter { $0.role == role.name }
                    let usage = grants.contains { $0.target == .schema(schema) && $0.privileges.contains(.usage) }
                    let tables = grants.contains { $0.target == .allTables(inSchema: schema) }
                    if !usage {
                        out.append(
                            .missingSchemaGrant(
                                container: container.name, schema: schema, database: database.name, role: role.name,
                                missing: "USAGE",
                                grant: "Grant([.usage], on: .schema(\"\(schema)\"), to: \"\(role.name)\")",
                                roleLocation: role.location, at: location))
                    } else if !tables {
                        out.append(
                            .missingSchemaGrant(
                                container: container.name, schema: schema, database: database.name, role: role.name,
                                missing: "privilege on its tables",
                                grant:
                                    "Grant([.select], on: .allTables(inSchema: \"\(schema)\"), to: \"\(role.name)\")",
                                roleLocation: role.location, at: location))
                    }
                }
            }
        }
        return out
    }

    /// Who reads what: for each database, each schema a workload names while connecting as one
    /// of its login roles (the same reading as `check`), the workloads, sorted. The planner
    /// names them on a change it refuses in that schema.
    static func consumers(_ clusters: [ClusterIndex], fleet: Fleet) -> [String: [String: [SchemaConsumer]]] {
        var out: [String: [String: Set<SchemaConsumer>]] = [:]
        for index in clusters {
            for object in index.objects {
                guard let workload = object.workload, let namespace = object.id.namespace else { continue }
                for container in workload.pod.allContainers {
                    guard
                        let (database, role) = connection(
                            of: container, namespace: namespace, index: index, fleet: fleet)
                    else { continue }
                    for (schema, location) in schemas(of: container) {
                        let consumer = SchemaConsumer(
                            workload: "\(object.id.kind.lowercased()) \(namespace)/\(object.id.name)",
                            container: container.name, role: role.name, location: location)
                        out[database.name, default: [:]][schema, default: []].insert(consumer)
                    }
                }
            }
        }
        return out.mapValues {
            $0.mapValues { $0.sorted { ($0.workload, $0.container) < ($1.workload, $1.container) } }
        }
    }

    /// The database and login role a container's database URL connects as, from its ESC key.
    static func connection(of container: Container, namespace: String, index: ClusterIndex, fleet: Fleet)
        -> (Database, DatabaseRole)?
    {
        for env in container.env {
            guard case .secret(let name, let key) = env.source else { continue }
            let secret = index.objects(in: namespace).lazy.compactMap { object -> SecretDeclaration? in
                if case .secret(let s) = object.payload, s.name == name { return s }
                return nil
            }.first
            guard let secret else { continue }
            var fetched = key
            if let template = secret.template[key] {
                let inner = template.filter { !" {}".contains($0) }
                guard inner.hasPrefix("."), secret.keys[String(inner.dropFirst())] != nil else { continue }
                fetched = String(inner.dropFirst())
            }
            guard let escKey = secret.keys[fetched] else { continue }
            let flat = escKey.lowercased().filter { $0.isLetter || $0.isNumber }
            for database in fleet.databases {
                let db = database.name.lowercased().filter { $0.isLetter || $0.isNumber }
                guard flat.hasPrefix(db), flat.hasSuffix("url") else { continue }
                let middle = flat.dropFirst(db.count).dropLast(3)
                if let role = database.roles.first(where: { role in
                    role.login && !role.name.isEmpty
                        && middle.contains(role.name.lowercased().filter { $0.isLetter || $0.isNumber })
                }) {
                    return (database, role)
                }
            }
        }
        return nil
    }

    /// The schemas a container names, each with where it is named.
    static func schemas(of container: Container) -> [(String, SourceLocation)] {
        var out: [(String, SourceLocation)] = []
        let words = container.command + container.args
        for (i, word) in words.enumerated() {
            var list: String?
            if word == "--schema" || word == "-s", i + 1 < words.count { list = words[i + 1] }
            if word.hasPrefix("--schema=") { list = String(word.dropFirst("--schema=".count)) }
            for schema in (list ?? "").split(separator: ",") {
                out.append((schema.trimmingCharacters(in: .whitespaces), container.location))
            }
        }
        for env in container.env where env.name.uppercased().contains("SCHEMA") {
            guard case .literal(let value) = env.source else { continue }
            for schema in value.split(separator: ",") {
                out.append((schema.trimmingCharacters(in: .whitespaces), env.location))
            }
        }
        return out
    }
}
