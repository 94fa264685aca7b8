/// A database's schema as plain, comparable values: what the declaration says, and what the
/// committed migrations produced (the `schema` of `sql/<db>/schema.lock.json`, this value as
/// JSON). Types are in `format_type()` spelling and constraints are rendered clauses,
/// so the snapshot compares directly with PostgreSQL's catalog. No source locations: they
/// live in the compiler's `SchemaState.Locations` beside it. A leaf module: the compiler
/// plans with it and oceanid-apply reads a live catalog into it (`db inspect`, drift).
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, comment: String? = nil, enums: [EnumDef], tables: [TableDef]
        ) {
            self.name = name
            self.comment = comment
            self.enums = enums
            self.tables = tables
        }
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, values: [String], comment: String? = nil
        ) {
            self.name = name
            self.values = values
            self.comment = comment
        }
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, comment: String? = nil, columns: [ColumnDef], constraints: [ConstraintDef],
            indexes: [IndexDef]
        ) {
            self.name = name
            self.comment = comment
            self.columns = columns
            self.constraints = constraints
            self.indexes = indexes
        }
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, type: String, nullable: Bool, defaultExpression: String? = nil, identity: Bool,
            comment: String? = nil
        ) {
            self.name = name
            self.type = type
            self.nullable = nullable
            self.defaultExpression = defaultExpression
            self.identity = identity
            self.comment = comment
        }
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, kind: String, definition: String, columns: [String], references: String? = nil
        ) {
            self.name = name
            self.kind = kind
            self.definition = definition
            self.columns = columns
            self.references = references
        }
    }
    /// An index (`CREATE [UNIQUE] INDEX`, pg_index) on plain columns.
    public struct IndexDef: Codable, Hashable, Sendable {
        /// The index's name (unique within the schema in PostgreSQL).
        public var name: String
        /// The indexed columns, in key order.
        public var columns: [String]
        /// `UNIQUE` (pg_index.indisunique).
        public var unique: Bool

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, columns: [String], unique: Bool
        ) {
            self.name = name
            self.columns = columns
            self.unique = unique
        }
    }
    /// A role (`CREATE ROLE`, pg_roles); a migration never drops one.
    public struct RoleDef: Codable, Hashable, Sendable {
        /// The role's name, cluster-wide in PostgreSQL.
        public var name: String
        /// `LOGIN` (may connect) or `NOLOGIN` (a group role) (pg_roles.rolcanlogin).
        public var login: Bool
        /// `COMMENT ON ROLE`; nil when none is declared.
        public var comment: String?

        /// Every field, as the memberwise initializer would take them.
        public init(
            name: String, login: Bool, comment: String? = nil
        ) {
            self.name = name
            self.login = login
            self.comment = comment
        }
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

        /// Every field, as the memberwise initializer would take them.
        public init(
            role: String, target: String, privileges: [String]
        ) {
            self.role = role
            self.target = target
            self.privileges = privileges
        }
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

    /// Every field, as the memberwise initializer would take them.
    public init(
        format: Int = 1, database: String, version: Int, comment: String? = nil, schemas: [SchemaDef], roles: [RoleDef],
        grants: [GrantDef]
    ) {
        self.format = format
        self.database = database
        self.version = version
        self.comment = comment
        self.schemas = schemas
        self.roles = roles
        self.grants = grants
    }
}
