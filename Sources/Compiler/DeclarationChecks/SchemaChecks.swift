import DSL

/// The declaration of one database, checked before it is diffed: PostgreSQL identifiers,
/// each name once where PostgreSQL needs it unique (tables and indexes share a schema's
/// namespace), keys, indexes and foreign keys on columns that exist, enum columns of
/// declared enums, identity on integer columns, grants to declared roles with privileges
/// that exist for their target (GRANT's synopsis), and SQL fragments that stay one clause.
enum SchemaChecks {
    /// A database an application owns (`ownedBy`) holds only what that application creates
    /// (Label Studio's image runs `manage.py locked_migrate` on start against its Postgres:
    /// HumanSignal/label-studio `deploy/docker-entrypoint.d/common/30-run-db-migrations.sh`):
    /// the fleet declares no schema there, and grants only on the database itself.
    static func ownership(_ database: Database) -> [Diagnostic] {
        guard let owner = database.ownedBy else { return [] }
        var out: [Diagnostic] = database.schemas.map {
            .declaredInApplicationDatabase(
                "schema '\($0.name)'", database: database.name, owner: owner, at: $0.location,
                databaseAt: database.location)
        }
        for grant in database.grants {
            let target: String
            switch grant.target {
            case .database: continue
            case .schema(let s): target = "schema '\(s)'"
            case .allTables(let s): target = "the tables of schema '\(s)'"
            }
            out.append(
                .declaredInApplicationDatabase(
                    "a grant to '\(grant.role)' on \(target)", database: database.name, owner: owner,
                    at: grant.location, databaseAt: database.location))
        }
        return out
    }

    static let privileges: [String: Set<Grant.Privilege>] = [
        "database": [.connect, .create, .temporary],
        "schema": [.usage, .create],
        "tables": [.select, .insert, .update, .delete],
    ]

    static func run(_ database: Database) -> [Diagnostic] {
        var out: [Diagnostic] = ownership(database)
        // PostgreSQL reads a bare number as milliseconds; a unit is required so "10" is not 10 ms.
        for (setting, value) in [
            ("lock_timeout", database.lockTimeout), ("statement_timeout", database.statementTimeout),
        ]
        where value.wholeMatch(of: #/[1-9][0-9]{0,8}(ms|s|min|h)/#) == nil {
            out.append(.invalidMigrationTimeout(setting, value, database: database.name, at: database.location))
        }
        func name(_ what: String, _ value: String, at location: SourceLocation) {
            if let p = NameRule.postgresIdentifier.violation(value) {
                out.append(.invalidName(what, value, rule: .postgresIdentifier, problem: p, at: location))
            }
        }
        func fragment(_ what: String, _ sql: String, at location: SourceLocation) {
            if sql.contains(";") || sql.contains("--") || sql.contains("/*")
                || sql.unicodeScalars.contains(where: { $0.value < 0x20 && $0.value != 0x0A })
                || !Self.isOneExpression(sql)
            {
                out.append(.notOneSQLExpression(sql, what: what, at: location))
            }
        }
        func text(_ what: String, _ value: String?, at location: SourceLocation) {
            if let value, value.unicodeScalars.contains(where: { $0.value == 0 }) {
                out.append(.nulInText(what, at: location))
            }
        }
        func reserved(_ what: String, _ value: String, at location: SourceLocation) {
            if value == "public" || value.hasPrefix("pg_") {
                out.append(.reservedPostgresName(value, what: what, at: location))
            }
        }
        name("database", database.name, at: database.location)
        text("comment of database \(database.name)", database.comment, at: database.location)
        out += Diagnostic.duplicates(
            .duplicateObject, "schema", in: database.schemas, name: \.name, location: \.location)
        let enums = Set(database.schemas.flatMap { s in s.enums.map { "\(s.name).\($0.name)" } })
        let tables = Dictionary(
            database.schemas.flatMap { s in s.tables.map { ("\(s.name).\($0.name)", $0) } },
            uniquingKeysWith: { a, _ in a })
        for schema in database.schemas {
            name("schema", schema.name, at: schema.location)
            reserved("schema", schema.name, at: schema.location)
            text("comment of schema \(schema.name)", schema.comment, at: schema.location)
            if schema.name == "control", schema.tables.contains(where: { $0.name == "schema_versions" }) {
                out.append(.migrationTableDeclared(at: schema.location))
            }
            // Tables, enum types and indexes share the schema's relation/type namespace.
            var relations: [(String, SourceLocation)] =
                schema.tables.map { ($0.name, $0.location) } + schema.enums.map { ($0.name, $0.location) }
            for e in schema.enums {
                name("enum type", e.name, at: e.location)
                for value in e.values where value.isEmpty || value.utf8.count > 63 {
                    out.append(.invalidEnumValue(value, enum: "\(schema.name).\(e.name)", at: e.location))
                }
                out += Diagnostic.duplicates(
                    .duplicateObject, "value of enum \(schema.name).\(e.name)", in: e.values, name: { $0 },
                    location: { _ in e.location })
            }
            for drop in schema.drops where schema.tables.contains(where: { $0.name == drop.name }) {
                out.append(.declaredAndDropped(table: "\(schema.name).\(drop.name)", at: drop.location))
            }
            for table in schema.tables {
                let t = "\(schema.name).\(table.name)"
                name("table", table.name, at: table.location)
                text("comment of table \(t)", table.comment, at: table.location)
                if table.columns.isEmpty {
                    out.append(.tableWithoutColumns(t, at: table.location))
                }
                out += Diagnostic.duplicates(
                    .duplicateObject, "column of table \(t)", in: table.columns, name: \.name, location: \.location)
                let columns = Set(table.columns.map(\.name))
                for column in table.columns {
                    name("column", column.name, at: column.location)
                    if ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"].contains(column.name) {
                        out.append(.systemColumnName(column.name, at: column.location))
                    }
                    if column.identity { relations.append(("\(table.name)_\(column.name)_seq", column.location)) }
                    if column.check != nil, "\(table.name)_\(column.name)_check".utf8.count > 63 {
                        out.append(
                            .checkNameTooLong(
                                table: t, column: column.name,
                                checkName: "\(table.name)_\(column.name)_check",
                                at: column.location))
                    }
                    if case .enumType(let s, let e) = column.type, let d = column.defaultExpression, d.hasPrefix("'"),
                        d.hasSuffix("'"), d.count >= 2,
                        let values = database.schemas.first(where: { $0.name == s })?.enums.first(where: {
                            $0.name == e
                        })?.values,
                        !values.contains(String(d.dropFirst().dropLast()))
                    {
                        out.append(
                            .defaultNotInEnum(
                                d, table: t, column: column.name, enumType: "\(s).\(e)",
                                values: values, at: column.location))
                    }
                    text("comment of column \(t).\(column.name)", column.comment, at: column.location)
                    if let d = column.defaultExpression {
                        fragment("default of \(t).\(column.name)", d, at: column.location)
                    }
                    if let c = column.check { fragment("check of \(t).\(column.name)", c, at: column.location) }
                    if column.identity, ![.smallint, .integer, .bigint].contains(column.type) {
                        out.append(
                            .identityNotInteger(
                                table: t, column: column.name, type: column.type.sql,
                                at: column.location))
                    }
                    if column.identity, column.defaultExpression != nil {
                        out.append(.identityWithDefault(table: t, column: column.name, at: column.location))
                    }
                    // An enum column names its schema by the `Schema` value or as the one its table is
                    // placed in (`ColumnType.of(_:)`): the type must be listed in that schema's body, where
                    // PostgreSQL looks `schema.type` up (CREATE TABLE's data_type, a schema-qualified name:
                    // https://www.postgresql.org/docs/current/sql-createtable.html).
                    if case .enumType(let s, let e) = column.type, !enums.contains("\(s).\(e)") {
                        let declared = database.schemas.flatMap { other in
                            other.enums.filter { $0.name == e }.map { (schema: other.name, at: $0.location) }
                        }
                        out.append(
                            .undeclaredEnumType(
                                "\(s).\(e)", table: t, column: column.name,
                                known: Array(enums), declaredIn: declared,
                                schemaAt: database.schemas.first { $0.name == s }?.location,
                                at: column.location))
                    }
                    switch column.type {
                    case .varchar(let n) where n < 1 || n > 10_485_760, .char(let n) where n < 1 || n > 10_485_760:
                        out.append(.invalidColumnLength(n, table: t, column: column.name, at: column.location))
                    case .numeric(let p, let s) where p < 1 || p > 1000 || s < 0 || s > p:
                        out.append(
                            .invalidNumericPrecision(
                                precision: p, scale: s, table: t, column: column.name,
                                at: column.location))
                    default: break
                    }
                }
                for drop in table.drops where columns.contains(drop.name) {
                    out.append(.declaredAndDropped(column: drop.name, table: t, at: drop.location))
                }
                let keys = table.constraints.filter { if case .primaryKey = $0.kind { true } else { false } }
                if keys.count > 1 {
                    out.append(.primaryKeys(keys.count, table: t, at: keys[1].location))
                }
                var constraintNames: [(String, SourceLocation)] = table.columns.compactMap { c in
                    c.check.map { _ in ("\(table.name)_\(c.name)_check", c.location) }
                }
                for constraint in table.constraints {
                    let def = SchemaState.ConstraintDef(table: table.name, constraint)
                    constraintNames.append((def.name, constraint.location))
                    if def.kind == "p" || def.kind == "u" { relations.append((def.name, constraint.location)) }
                    if def.name.utf8.count > 63 {
                        out.append(.constraintNameTooLong(def.name, at: constraint.location))
                    }
                    for column in def.columns where !columns.contains(column) {
                        out.append(
                            .constraintOnUnknownColumn(
                                column, constraint: def.name, table: t,
                                known: Array(columns), at: constraint.location))
                    }
                    switch constraint.kind {
                    case .check(let expression): fragment("check \(def.name)", expression, at: constraint.location)
                    case .foreignKey(let from, let s, let target, let referenced, let onDelete):
                        if let onDelete,
                            !["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"].contains(onDelete)
                        {
                            out.append(.invalidOnDelete(onDelete, foreignKey: def.name, at: constraint.location))
                        }
                        if from.count != referenced.count || from.isEmpty {
                            out.append(
                                .foreignKeyArity(
                                    def.name, from: from.count, to: referenced.count,
                                    at: constraint.location))
                        }
                        if let other = tables["\(s).\(target)"] {
                            let otherColumns = Set(other.columns.map(\.name))
                            for column in referenced where !otherColumns.contains(column) {
                                out.append(
                                    .foreignKeyToUnknownColumn(
                                        def.name, target: "\(s).\(target)",
                                        column: column, at: constraint.location))
                            }
                            // PostgreSQL needs a primary key or unique constraint on exactly the referenced columns.
                            let keys = other.constraints.compactMap { c -> Set<String>? in
                                switch c.kind {
                                case .primaryKey(let k), .unique(let k): Set(k)
                                default: nil
                                }
                            }
                            if !keys.contains(Set(referenced)) {
                                out.append(
                                    .foreignKeyNotToKey(
                                        def.name, target: "\(s).\(target)",
                                        columns: referenced, at: constraint.location))
                            }
                            for (a, b) in zip(from, referenced) {
                                if let ta = table.columns.first(where: { $0.name == a })?.type,
                                    let tb = other.columns.first(where: { $0.name == b })?.type, ta != tb
                                {
                                    out.append(
                                        .foreignKeyTypeMismatch(
                                            def.name, from: a, fromType: ta.sql, to: b,
                                            toType: tb.sql, at: constraint.location))
                                }
                            }
                        } else {
                            out.append(
                                .foreignKeyToUnknownTable(
                                    def.name, target: "\(s).\(target)",
                                    known: Array(tables.keys), at: constraint.location))
                        }
                    case .primaryKey(let c):
                        if c.isEmpty { out.append(.constraintWithoutColumns(def.name, at: constraint.location)) }
                        for column in table.columns where c.contains(column.name) && column.nullable {
                            out.append(.nullablePrimaryKeyColumn(table: t, column: column.name, at: column.location))
                        }
                    case .unique(let c):
                        if c.isEmpty { out.append(.constraintWithoutColumns(def.name, at: constraint.location)) }
                    }
                }
                out += Diagnostic.duplicates(
                    .duplicateObject, "constraint of table \(t)", in: constraintNames, name: \.0, location: \.1)
                for index in table.indexes {
                    name("index", index.name, at: index.location)
                    relations.append((index.name, index.location))
                    if index.columns.isEmpty { out.append(.indexWithoutColumns(index.name, at: index.location)) }
                    for column in index.columns where !columns.contains(column) {
                        out.append(.indexOnUnknownColumn(column, index: index.name, table: t, at: index.location))
                    }
                }
            }
            out += Diagnostic.duplicates(
                .duplicateObject,
                "relation or type in schema \(schema.name) (tables, types and indexes share one namespace)",
                in: relations, name: \.0, location: \.1)
        }
        let roles = Set(database.roles.map(\.name))
        out += Diagnostic.duplicates(.duplicateObject, "role", in: database.roles, name: \.name, location: \.location)
        for role in database.roles {
            name("role", role.name, at: role.location)
            reserved("role", role.name, at: role.location)
        }
        let schemas = Set(database.schemas.map(\.name))
        for grant in database.grants {
            if !roles.contains(grant.role) {
                out.append(.grantToUndeclaredRole(grant.role, known: Array(roles), at: grant.location))
            }
            let (kind, schema): (String, String?) =
                switch grant.target {
                case .database: ("database", nil)
                case .schema(let s): ("schema", s)
                case .allTables(let s): ("tables", s)
                }
            if let schema, !schemas.contains(schema) {
                out.append(.grantOnUndeclaredSchema(schema, at: grant.location))
            }
            for privilege in grant.privileges where !(privileges[kind]?.contains(privilege) ?? false) {
                out.append(
                    .privilegeNotGrantable(
                        privilege.rawValue, on: kind,
                        allowed: privileges[kind]!.map(\.rawValue), at: grant.location))
            }
            if grant.privileges.isEmpty { out.append(.grantWithoutPrivileges(role: grant.role, at: grant.location)) }
        }
        return out
    }
}

extension SchemaChecks {
    /// One expression: parentheses balanced and no comma outside them or a string literal
    /// (`coalesce(a, b)` is one; `1, x integer` would add a column).
    static func isOneExpression(_ sql: String) -> Bool {
        var depth = 0
        var quoted: Character?
        for c in sql {
            if let q = quoted {
                if c == q { quoted = nil }
                continue
            }
            switch c {
            case "'", "\"": quoted = c
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return false }
            case ",": if depth == 0 { return false }
            default: break
            }
        }
        return depth == 0 && quoted == nil
    }

    /// Roles are cluster-wide: one declared in several databases must say the same thing.
    static func roles(across databases: [Database]) -> [Diagnostic] {
        var first: [String: DatabaseRole] = [:]
        var out: [Diagnostic] = []
        for role in databases.flatMap(\.roles) {
            if let other = first[role.name] {
                if other.login != role.login || other.comment != role.comment {
                    out.append(.roleRedeclared(role.name, at: role.location, first: other.location))
                }
            } else {
                first[role.name] = role
            }
        }
        return out
    }
}
