import DSL
@_exported import SchemaModel

extension SchemaState {
    /// Where each declared object was written, by key (`table:curated.vessels`,
    /// `column:curated.vessels.name`, `drop:...`), for diagnostics and migration headers.
    public typealias Locations = [String: SourceLocation]
}

/// The tool's own table in every database: each migration records itself here.
enum ControlTable {
    static let schema = "control"
    static let table = "schema_versions"

    static func definition() -> SchemaState.TableDef {
        SchemaState.TableDef(
            name: table, comment: "Applied migrations, one row per file (written by each migration itself).",
            columns: [
                .init(
                    name: "domain", type: "text", nullable: false, defaultExpression: nil, identity: false,
                    comment: "The database the migration belongs to."),
                .init(
                    name: "version", type: "text", nullable: false, defaultExpression: nil, identity: false,
                    comment: "The migration's four-digit version (V<NNNN>)."),
                .init(
                    name: "activated_at", type: "timestamp with time zone", nullable: false, defaultExpression: "now()",
                    identity: false, comment: "When the migration was applied."),
                .init(
                    name: "checksum", type: "text", nullable: true, defaultExpression: nil, identity: false,
                    comment:
                        "sha256 of the migration's body, compared before anything is applied again; NULL on rows "
                        + "recorded before oceanid-gen adopted the database."),
            ],
            constraints: [
                .init(
                    name: "schema_versions_checksum_check", kind: "c",
                    definition: "CHECK (checksum ~ '^sha256:[0-9a-f]{64}$')",
                    columns: ["checksum"], references: nil),
                .init(
                    name: "schema_versions_pkey", kind: "p", definition: "PRIMARY KEY (\"domain\", \"version\")",
                    columns: ["domain", "version"], references: nil),
                .init(
                    name: "schema_versions_version_check", kind: "c",
                    definition: "CHECK (checksum IS NULL OR version ~ '^[0-9]{4}$')",
                    columns: ["version"], references: nil),
            ],
            indexes: [])
    }
}

/// SQL spellings shared by the state and the migrations.
enum SQL {
    /// A double-quoted identifier (every name is quoted, so reserved words are safe).
    static func id(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func qualified(_ schema: String, _ name: String) -> String { id(schema) + "." + id(name) }
    /// A single-quoted literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    static func columns(_ names: [String]) -> String { names.map(id).joined(separator: ", ") }

    /// A type as DDL writes it: built-in spellings as they are, a declared enum type
    /// (`schema.name`) quoted part by part, so reserved words are safe.
    static func type(_ formatType: String) -> String {
        let builtins = [
            "smallint", "integer", "bigint", "boolean", "text", "date", "timestamp with time zone", "jsonb", "bytea",
            "uuid",
        ]
        if builtins.contains(formatType) || formatType.hasPrefix("numeric(") || formatType.hasPrefix("character") {
            return formatType
        }
        let parts = formatType.split(separator: ".", maxSplits: 1).map(String.init)
        return parts.count == 2 ? qualified(parts[0], parts[1]) : formatType
    }

    /// A dollar-quoting tag that does not occur in `text` (`$oceanid$`, `$oceanid1$`, ...).
    static func dollarTag(avoiding text: String) -> String {
        var i = 0
        while true {
            let tag = "$oceanid\(i == 0 ? "" : String(i))$"
            if !text.contains(tag) { return tag }
            i += 1
        }
    }

    /// One line of text for a `--` comment: every control character (a carriage return ends
    /// a comment for psql as a newline does) becomes a space.
    static func commentLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}

extension SchemaState {
    /// The declared state of a database, with where each object was declared. The `control`
    /// schema and its `schema_versions` table are always part of it.
    static func declared(_ database: Database) -> (SchemaState, Locations) {
        var locations: Locations = ["database:\(database.name)": database.location]
        var schemas: [SchemaDef] = []
        for schema in database.schemas {
            locations["schema:\(schema.name)"] = schema.location
            let enums = schema.enums.map { e -> EnumDef in
                locations["enum:\(schema.name).\(e.name)"] = e.location
                return EnumDef(name: e.name, values: e.values, comment: e.comment)
            }.sorted { $0.name < $1.name }
            let tables = schema.tables.map { table -> TableDef in
                let key = "\(schema.name).\(table.name)"
                locations["table:\(key)"] = table.location
                for drop in table.drops { locations["drop-column:\(key).\(drop.name)"] = drop.location }
                var constraints: [ConstraintDef] = []
                let columns = table.columns.map { c -> ColumnDef in
                    locations["column:\(key).\(c.name)"] = c.location
                    if let check = c.check {
                        let name = "\(table.name)_\(c.name)_check"
                        locations["constraint:\(key).\(name)"] = c.location
                        constraints.append(
                            ConstraintDef(
                                name: name, kind: "c", definition: "CHECK (\(check))", columns: [c.name],
                                references: nil))
                    }
                    return ColumnDef(
                        name: c.name, type: c.type.sql, nullable: c.nullable, defaultExpression: c.defaultExpression,
                        identity: c.identity, comment: c.comment)
                }
                for constraint in table.constraints {
                    let def = ConstraintDef(table: table.name, constraint)
                    locations["constraint:\(key).\(def.name)"] = constraint.location
                    constraints.append(def)
                }
                let indexes = table.indexes.map { i -> IndexDef in
                    locations["index:\(key).\(i.name)"] = i.location
                    return IndexDef(name: i.name, columns: i.columns, unique: i.unique)
                }
                return TableDef(
                    name: table.name, comment: table.comment, columns: columns,
                    constraints: constraints.sorted { $0.name < $1.name }, indexes: indexes.sorted { $0.name < $1.name }
                )
            }
            for drop in schema.drops { locations["drop-table:\(schema.name).\(drop.name)"] = drop.location }
            schemas.append(SchemaDef(name: schema.name, comment: schema.comment, enums: enums, tables: tables))
        }
        // The tool's control table, in the declared control schema or a new one.
        if let i = schemas.firstIndex(where: { $0.name == ControlTable.schema }) {
            if !schemas[i].tables.contains(where: { $0.name == ControlTable.table }) {
                schemas[i].tables.append(ControlTable.definition())
            }
        } else {
            schemas.append(
                SchemaDef(
                    name: ControlTable.schema, comment: "oceanid-gen's migration history.", enums: [],
                    tables: [ControlTable.definition()]))
        }
        for i in schemas.indices { schemas[i].tables.sort { $0.name < $1.name } }
        let roles = database.roles.map { r -> RoleDef in
            locations["role:\(r.name)"] = r.location
            return RoleDef(name: r.name, login: r.login, comment: r.comment)
        }.sorted { $0.name < $1.name }
        var grants: [String: GrantDef] = [:]
        for grant in database.grants {
            let target: String =
                switch grant.target {
                case .database: "database"
                case .schema(let s): "schema:\(s)"
                case .allTables(let s): "tables:\(s)"
                }
            let key = "\(grant.role) \(target)"
            locations["grant:\(key)"] = locations["grant:\(key)"] ?? grant.location
            var def = grants[key] ?? GrantDef(role: grant.role, target: target, privileges: [])
            def.privileges = Array(Set(def.privileges + grant.privileges.map(\.rawValue))).sorted()
            grants[key] = def
        }
        let state = SchemaState(
            database: database.name, version: 0, comment: database.comment,
            schemas: schemas.sorted { $0.name < $1.name }, roles: roles, grants: grants.values.sorted())
        return (state, locations)
    }
}

extension SchemaState.ConstraintDef {
    /// A declared constraint as a name and clause, named as PostgreSQL would name it.
    init(table: String, _ c: Constraint) {
        switch c.kind {
        case .primaryKey(let columns):
            self.init(
                name: c.name ?? "\(table)_pkey", kind: "p", definition: "PRIMARY KEY (\(SQL.columns(columns)))",
                columns: columns, references: nil)
        case .unique(let columns):
            self.init(
                name: c.name ?? "\(table)_\(columns.joined(separator: "_"))_key", kind: "u",
                definition: "UNIQUE (\(SQL.columns(columns)))", columns: columns, references: nil)
        case .check(let expression):
            self.init(
                name: "\(table)_\(c.name ?? "expr")_check", kind: "c", definition: "CHECK (\(expression))", columns: [],
                references: nil)
        case .foreignKey(let columns, let schema, let target, let referenced, let onDelete):
            self.init(
                name: c.name ?? "\(table)_\(columns.joined(separator: "_"))_fkey", kind: "f",
                definition:
                    "FOREIGN KEY (\(SQL.columns(columns))) REFERENCES \(SQL.qualified(schema, target)) (\(SQL.columns(referenced)))"
                    + (onDelete.map { " ON DELETE \($0)" } ?? ""),
                columns: columns, references: "\(schema).\(target)")
        }
    }
}
