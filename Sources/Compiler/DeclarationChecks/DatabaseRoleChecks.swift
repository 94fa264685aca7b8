import DSL
import Foundation

/// The database role a workload connects as has what the schemas it names need, and no more
/// than a network-facing service should hold.
///
/// The role is known from the ESC key of the workload's database URL (a Secret key fetched as
/// it is, or passed through a template as `{{ .url }}`): each database declares its URLs with
/// the role they log in as (`ConnectionURL(Settings.cleandataPostgraphileUrl, as: "postgraphile")`).
/// A key that reads like a declared database's URL (it starts with the database's name and
/// ends in `url`) but that no `ConnectionURL` declares is an error: the role it connects as
/// would be unknown, so nothing could be judged (`[undeclared-url-role]`).
///
/// Grants (`[missing-schema-grant]`): the schemas are those the container names: `--schema a,b`
/// / `--schema=a,b` arguments (PostGraphile's CLI) and literal env values whose name contains
/// `SCHEMA` (comma-separated). PostgreSQL needs USAGE on a schema to reach any object in it, and
/// a table privilege to read or write its tables (https://www.postgresql.org/docs/current/ddl-priv.html):
/// a named schema the role has no USAGE on, or no privilege on its tables, is an error at the
/// declaration that names it. A URL whose role is the owner or a superuser is not judged here.
///
/// Superusers (`[network-facing-superuser]`): a workload that a Service selects or that binds a
/// host port takes requests from the network; if it holds a URL whose role is a superuser
/// (PostgreSQL bypasses every permission check for one, and lets it run programs on the server:
/// `COPY ... PROGRAM`, https://www.postgresql.org/docs/current/sql-copy.html) or the database's
/// owner (every privilege on everything the owner created, including `DROP`), one bug in the
/// service (an injection, a leaked env) hands over the whole database. An error, not a warning:
/// the fix is always available (a login role with the grants its schemas need) and nothing the
/// service does requires the power. The owner of a database an application owns
/// (`Database(_:ownedBy:)`) is exempt: that application migrates its own schema and must own it.
enum DatabaseRoleChecks {
    /// One database URL a container is handed.
    struct Connection {
        var database: Database
        var url: ConnectionURL
        /// The declared role; nil for an owner or superuser the provider creates.
        var role: DatabaseRole?
        var env: Env
    }

    static func check(_ index: ClusterIndex, fleet: Fleet) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard let workload = object.workload, let namespace = object.id.namespace else { continue }
            // Asked only for a URL whose role is an owner or a superuser (few workloads): every Service of
            // the namespace against this workload's labels, per workload, was quadratic in a namespace's size.
            var facingFound: (String, SourceLocation)??
            func facing() -> (String, SourceLocation)? {
                if let found = facingFound { return found }
                let found = networkFacing(workload, namespace: namespace, index: index)
                facingFound = .some(found)
                return found
            }
            for container in workload.pod.allContainers {
                for env in container.env {
                    guard let escKey = escKey(of: env, namespace: namespace, index: index) else { continue }
                    guard let connection = connection(escKey, env: env, fleet: fleet) else {
                        if let database = database(namedBy: escKey, fleet: fleet) {
                            out.append(
                                .undeclaredURLRole(
                                    container: container.name, env: env.name, key: escKey, database: database.name,
                                    databaseLocation: database.location, at: env.location))
                        }
                        continue
                    }
                    switch connection.url.authority {
                    case .grants:
                        if let role = connection.role {
                            out += grants(of: role, in: connection.database, container: container)
                        }
                    case .owner, .superuser:
                        if connection.url.authority == .owner, connection.database.ownedBy != nil { continue }
                        guard let (what, location) = facing() else { continue }
                        out.append(
                            .networkFacingSuperuser(
                                workload: "\(object.id.kind) '\(workload.name)'", env: env.name, key: escKey,
                                role: connection.url.role, authority: connection.url.authority,
                                database: connection.database.name, facing: what, facingLocation: location,
                                urlLocation: connection.url.location, at: env.location))
                    }
                }
            }
        }
        return out
    }

    /// Who reads what: for each database, each schema a workload names while connecting as one
    /// of its declared login roles (the same reading as `check`), the workloads, sorted. The
    /// planner names them on a change it refuses in that schema.
    static func consumers(_ clusters: [ClusterIndex], fleet: Fleet) -> [String: [String: [SchemaConsumer]]] {
        var out: [String: [String: Set<SchemaConsumer>]] = [:]
        for index in clusters {
            for object in index.objects {
                guard let workload = object.workload, let namespace = object.id.namespace else { continue }
                for container in workload.pod.allContainers {
                    for env in container.env {
                        guard let escKey = escKey(of: env, namespace: namespace, index: index),
                            let connection = connection(escKey, env: env, fleet: fleet)
                        else { continue }
                        for (schema, location) in schemas(of: container) {
                            let consumer = SchemaConsumer(
                                workload: "\(object.id.kind.lowercased()) \(namespace)/\(object.id.name)",
                                container: container.name, role: connection.url.role, location: location)
                            out[connection.database.name, default: [:]][schema, default: []].insert(consumer)
                        }
                    }
                }
            }
        }
        return out.mapValues {
            $0.mapValues { $0.sorted { ($0.workload, $0.container) < ($1.workload, $1.container) } }
        }
    }

    /// The grants `role` lacks for the schemas `container` names.
    static func grants(of role: DatabaseRole, in database: Database, container: Container) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (schema, location) in schemas(of: container) {
            guard database.schemas.contains(where: { $0.name == schema }) else { continue }
            let grants = database.grants.filter { $0.role == role.name }
            let usage = grants.contains { $0.target == .schema(schema) && $0.privileges.contains(.usage) }
            let tables = grants.contains { $0.target == .allTables(inSchema: schema) }
            if !usage {
                out.append(
                    .missingSchemaGrant(
                        container: container.name, schema: schema, database: database.name, role: role.name,
                        missing: "USAGE", grant: "Grant([.usage], on: .schema(\"\(schema)\"), to: \"\(role.name)\")",
                        roleLocation: role.location, at: location))
            } else if !tables {
                out.append(
                    .missingSchemaGrant(
                        container: container.name, schema: schema, database: database.name, role: role.name,
                        missing: "privilege on its tables",
                        grant: "Grant([.select], on: .allTables(inSchema: \"\(schema)\"), to: \"\(role.name)\")",
                        roleLocation: role.location, at: location))
            }
        }
        return out
    }

    /// What makes the workload take requests from the network, and where it is declared: a
    /// Service selecting its pods, or a host port; nil when neither.
    static func networkFacing(_ workload: any PodWorkload, namespace: String, index: ClusterIndex)
        -> (String, SourceLocation)?
    {
        for object in index.objects(in: namespace) {
            guard case .service(let service) = object.payload, !service.selector.isEmpty,
                service.selector.allSatisfy({ workload.podLabels[$0.key] == $0.value })
            else { continue }
            return ("Service '\(service.name)' selects its pods", service.location)
        }
        for container in workload.pod.allContainers {
            if let port = container.ports.first(where: { $0.hostPort != nil || workload.pod.hostNetwork }) {
                return (
                    "container '\(container.name)' listens on the node's port \(port.hostPort ?? port.number)",
                    port.location
                )
            }
        }
        return nil
    }

    /// The ESC key an env's value comes from: a Secret key fetched as it is, or a template
    /// that passes one fetched key through unchanged (`{{ .url }}`).
    static func escKey(of env: Env, namespace: String, index: ClusterIndex) -> String? {
        guard case .secret(let name, let key) = env.source else { return nil }
        let secret = index.objects(in: namespace).lazy.compactMap { object -> SecretDeclaration? in
            if case .secret(let s) = object.payload, s.name == name { return s }
            return nil
        }.first
        guard let secret else { return nil }
        var fetched = key
        if let template = secret.template[key] {
            let inner = template.filter { !" {}".contains($0) }
            guard inner.hasPrefix("."), secret.keys[String(inner.dropFirst())] != nil else { return nil }
            fetched = String(inner.dropFirst())
        } else if !secret.template.isEmpty {
            return nil
        }
        return secret.keys[fetched]
    }

    /// The declared URL under `escKey`, with its database and (for `.grants`) its role.
    static func connection(_ escKey: String, env: Env, fleet: Fleet) -> Connection? {
        for database in fleet.databases {
            guard let url = database.urls.first(where: { $0.key == escKey }) else { continue }
            let role = database.roles.first { $0.name == url.role }
            return Connection(database: database, url: url, role: role, env: env)
        }
        return nil
    }

    /// The declared database whose URL `escKey` reads like (`cleandataDbUrl`, `cleandata_x_url`).
    static func database(namedBy escKey: String, fleet: Fleet) -> Database? {
        let flat = escKey.lowercased().filter { $0.isLetter || $0.isNumber }
        return fleet.databases.first { database in
            let db = database.name.lowercased().filter { $0.isLetter || $0.isNumber }
            return !db.isEmpty && flat.hasPrefix(db) && flat.hasSuffix("url")
        }
    }

    /// A database's URLs: each key once, each `.grants` role a declared login role.
    static func urls(of database: Database) -> [Diagnostic] {
        var out = Diagnostic.duplicates(
            .duplicateObject, "connection URL", in: database.urls, name: \.key, location: \.location)
        for url in database.urls where url.authority == .grants {
            if let role = database.roles.first(where: { $0.name == url.role }) {
                if !role.login { out.append(.connectionURLRoleCannotLogIn(url.role, key: url.key, at: url.location)) }
            } else {
                out.append(
                    .connectionURLUndeclaredRole(
                        url.role, key: url.key, known: database.roles.map(\.name), at: url.location))
            }
        }
        return out
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
