import DSL

/// A database's schema as plain, comparable values: what the declaration says, and what the
/// committed migrations produced (the `schema` of `sql/<db>/schema.lock.json`, this value as
/// JSON). Types are in `format_type()` spelling and constraints are rendered clauses,
/// so the snapshot compares directly with PostgreSQL's catalog. No source locations: they
/// live in `SchemaState.Locations` beside it.
public struct SchemaState: Codable, Hashable, Sendable {
    /// The snapshot format (not the tool's version): bumped only when a field changes meaning.
    public var format: Int = 1
    /// The database's name (its folder `sql/<database>/`).
    public var database: String
    /// The migration that produced this state (0: none yet).
    public var version: Int
    /// `COMMENT ON DATABASE`; nil when none is declared.
    public var comment: String?
    /// The schemas, sorted by name, always including `control` with its `schema_versions` table.
    public var schemas: [SchemaDef]
    /// The roles (`CREATE ROLE`), sorted by name; empty when none is declared.
    public var roles: [RoleDef]
    /// The grants, one per role and target with its privileges merged, sorted by role then target.
    public var grants: [GrantDef]

    /// A schema (`CREATE SCHEMA`, pg_namespace) with its enum types and tables.
    public struct SchemaDef: Codable, Hashable, Sendable {
        /// The schema's name, unquoted.
        public var name: String
        /// `COMMENT ON SCHEMA`; nil when none is declared.
        public var comment: String?
        /// Its enum types, sorted by name.
        public var enums: [EnumDef]
        /// Its tables, sorted by name.
        public var tables: [TableDef]
    }
    /// An enum type (`CREATE TYPE ... AS ENUM`, pg_enum). Values may only be appended:
    /// PostgreSQL cannot drop or reorder an enum value (`ALTER TYPE ... ADD VALUE`).
    public struct EnumDef: Codable, Hashable, Sendable {
        /// The type's name, unqualified (its schema is the enclosing `SchemaDef`).
        public var name: String
        /// The labels in their sort order (pg_enum.enumsortorder).
        public var values: [String]
        /// `COMMENT ON TYPE`; nil when none is declared.
        public var comment: String?
    }
    /// A table (`CREATE TABLE`, pg_class) with its columns, constraints and indexes.
    public struct TableDef: Codable, Hashable, Sendable {
        /// The table's name, unqualified.
        public var name: String
        /// `COMMENT ON TABLE`; nil when none is declared.
        public var comment: String?
        /// In declaration order (the order `CREATE TABLE` writes them).
        public var columns: [ColumnDef]
        /// Sorted by name.
        public var constraints: [ConstraintDef]
        /// Sorted by name.
        public var indexes: [IndexDef]
    }
    /// A column (pg_attribute).
    public struct ColumnDef: Codable, Hashable, Sendable {
        /// The column's name, unquoted.
        public var name: String
        /// The type in `format_type()` spelling (`integer`, `character varying(40)`, `numeric(9,6)`), or
        /// `schema.name` for a declared enum type.
        public var type: String
        /// False for `NOT NULL` (pg_attribute.attnotnull inverted).
        public var nullable: Bool
        /// The `DEFAULT` expression as SQL text (`now()`); nil for none.
        public var defaultExpression: String?
        /// `GENERATED ALWAYS AS IDENTITY`.
        public var identity: Bool
        /// `COMMENT ON COLUMN`; nil when none is declared.
        public var comment: String?
    }
    /// A table constraint (pg_constraint), named as PostgreSQL names an unnamed one
    /// (`<table>_pkey`, `<table>_<columns>_key`, `<table>_<columns>_fkey`, `<table>_<name>_check`).
    public struct ConstraintDef: Codable, Hashable, Sendable {
        /// The constraint's name, unique within its table.
        public var name: String
        /// `p` primary key, `u` unique, `c` check, `f` foreign key (pg_constraint.contype).
        public var kind: String
        /// The clause after `CONSTRAINT name` (`PRIMARY KEY ("a", "b")`, `CHECK (x > 0)`).
        public var definition: String
        /// The columns it covers (for dependency checks).
        public var columns: [String]
        /// For a foreign key, the referenced `schema.table`.
        public var references: String?
    }
    /// An index (`CREATE [UNIQUE] INDEX`, pg_index) on plain columns.
    public struct IndexDef: Codable, Hashable, Sendable {
        /// The index's name (unique within the schema in PostgreSQL).
        public var name: String
        /// The indexed columns, in key order.
        public var columns: [String]
        /// `UNIQUE` (pg_index.indisunique).
        public var unique: Bool
    }
    /// A role (`CREATE ROLE`, pg_roles); a migration never drops one.
    public struct RoleDef: Codable, Hashable, Sendable {
        /// The role's name, cluster-wide in PostgreSQL.
        public var name: String
        /// `LOGIN` (may connect) or `NOLOGIN` (a group role) (pg_roles.rolcanlogin).
        public var login: Bool
        /// `COMMENT ON ROLE`; nil when none is declared.
        public var comment: String?
    }
    /// The privileges a role holds on one target (`GRANT ... TO role`), merged from every
    /// declaration of the same role and target.
    public struct GrantDef: Codable, Hashable, Sendable, Comparable {
        /// The role the privileges are granted to.
        public var role: String
        /// `database`, `schema:<name>` or `tables:<schema>`.
        public var target: String
        /// Sorted privilege keywords.
        public var privileges: [String]
        /// By role, then target: the order grants are stored and granted in.
        public static func < (a: GrantDef, b: GrantDef) -> Bool { (a.role, a.target) < (b.role, b.target) }
    }

    /// An empty database (before the first migration).
    public static func empty(_ database: String) -> SchemaState {
        SchemaState(database: database, version: 0, schemas: [], roles: [], grants: [])
    }

    /// The schema named `name`, or nil when the state has none.
    public func schema(_ name: String) -> SchemaDef? { schemas.first { $0.name == name } }
    /// The table `schema`.`name`, or nil when the schema or the table does not exist.
    public func table(_ schema: String, _ name: String) -> TableDef? {
        self.schema(schema)?.tables.first { $0.name == name }
    }

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
                    name: "checksum", type: "text", nullable: false, defaultExpression: nil, identity: false,
                    comment: "sha256 of the migration's body, compared before anything is applied again."),
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
                    name: "schema_versions_version_check", kind: "c", definition: "CHECK (version ~ '^[0-9]{4}$')",
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
