/// A PostgreSQL database the fleet owns: its schemas with their tables and enums, its roles
/// and grants. The compiler diffs this declaration against the schema the committed
/// migrations produce (`sql/<name>/schema.snapshot.json`) and writes the next migration,
/// `sql/<name>/migrations/V<NNNN>__<slug>.sql`; once written each is append-only.
///
/// Every database also gets `control.schema_versions(domain, version, activated_at,
/// checksum)`, where each migration records itself.
///
/// ```swift
/// Database("cleandata") {
///     let curated = Schema("curated", comment: "Reviewed vessel data.") {
///         Table("flag_states", comment: "ISO 3166-1 alpha-3 flags.") {
///             Column("flag_code", .char(3), comment: "ISO 3166-1 alpha-3 code.").check("flag_code ~ '^[A-Z]{3}$'")
///             PrimaryKey("flag_code")
///         }
///     }
///     curated
///     let reader = DatabaseRole("bi_readonly")
///     reader
///     Grant([.usage], on: .schema(curated), to: reader)
/// }
/// ```
public struct Database: Hashable, Sendable {
    /// The database name: a PostgreSQL identifier (lower case, at most 63 bytes).
    public var name: String
    /// The schemas (`CREATE SCHEMA`) in declaration order. A schema of the committed state that is no
    /// longer declared is refused: oceanid-gen never drops a schema (drop its tables with `Drop`).
    public var schemas: [Schema]
    /// The roles the database's grants name. Roles are cluster-wide in PostgreSQL, so one declared in
    /// several databases must say the same thing (`login`, `comment`); one no longer declared stays on
    /// the server, with a warning, and only its grants here are revoked.
    public var roles: [DatabaseRole]
    /// The grants, merged per role and target (the privileges of two grants to the same role on the
    /// same target are one `GRANT`); a privilege no longer declared is revoked by the next migration.
    public var grants: [Grant]
    /// `COMMENT ON DATABASE` (set through `current_database()`, so the migration applies to any copy)
    /// and the opening paragraph of `docs/databases/<name>.md`; nil means none (a removed one is
    /// cleared with `IS NULL`).
    public var comment: String?
    /// Where the database was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// The application that creates and migrates everything inside this database itself
    /// (Label Studio for `labelfish`), or nil when the fleet declares its schemas. The fleet
    /// then declares only the database's roles and database-level grants; a schema, or a grant
    /// on a schema or its tables, is an error at its declaration.
    public var ownedBy: String?
    /// The connection URLs kept in ESC for this database, each with the role it connects as
    /// (`ConnectionURL`): how the compiler knows which role a workload handed one uses.
    public var urls: [ConnectionURL] = []
    /// `lock_timeout` each of its generated migrations sets (PostgreSQL's interval spelling,
    /// `10s`): a statement that waits longer for its lock fails instead of queueing every
    /// query behind it (https://www.postgresql.org/docs/15/runtime-config-client.html).
    public var lockTimeout = "10s"
    /// `statement_timeout` each of its generated migrations sets (`15min`): a statement that
    /// runs longer fails, and the migration rolls back.
    public var statementTimeout = "15min"
    /// Whether the history that starts from `sql/<name>/baseline.json` has been applied where the
    /// baseline came from (`oceanid-apply db adopt` ran there): from then on the build never
    /// regenerates the history, and a changed `baseline.json` is an error. False: the history is
    /// regenerated from the baseline whenever it changes (before the cut-over).
    public var adopted = false

    /// A database from a body of schemas, roles and grants; `ownedBy` names the application
    /// that owns everything inside it.
    ///
    /// ```swift
    /// Database("labelfish", ownedBy: "Label Studio") {
    ///     DatabaseRole("labelfish_owner", login: true)
    ///     Grant([.connect, .create, .temporary], on: .database, to: "labelfish_owner")
    /// }
    /// ```
    public init(
        _ name: String, ownedBy: String? = nil, comment: String? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<DatabaseItem> _ items: () -> [DatabaseItem]
    ) {
        self.name = name
        self.ownedBy = ownedBy
        self.comment = comment
        self.schemas = []
        self.roles = []
        self.grants = []
        for item in items() {
            switch item {
            case .schema(let s): schemas.append(s)
            case .role(let r): roles.append(r)
            case .grant(let g): grants.append(g)
            case .url(let u): urls.append(u)
            }
        }
        self.location = SourceLocation(file: file, line: line)
    }

    /// The same database, its migrations setting `lock_timeout = lock` and
    /// `statement_timeout = statement` (each `<number>ms|s|min|h`, checked by the compiler).
    public func timeouts(lock: String, statement: String) -> Database {
        var copy = self
        copy.lockTimeout = lock
        copy.statementTimeout = statement
        return copy
    }

    /// The same database, declared adopted (`adopted`): its baseline history is applied in production
    /// and is never regenerated again.
    public func adopted(_ adopted: Bool = true) -> Database {
        var copy = self
        copy.adopted = adopted
        return copy
    }

    /// A database with empty schemas of these names (fixtures, a database whose tables an
    /// application migrates itself).
    ///
    /// ```swift
    /// Database("shop", schemas: ["orders"])
    /// ```
    public init(_ name: String, schemas: [String] = [], file: String = #filePath, line: Int = #line) {
        self.init(name, file: file, line: line) {
            for schema in schemas { Schema(schema, file: file, line: line) {} }
        }
    }
}

/// A declaration inside `Database { ... }`.
public enum DatabaseItem: Hashable, Sendable {
    case schema(Schema)
    case role(DatabaseRole)
    case grant(Grant)
    case url(ConnectionURL)
}

extension ListBuilder where Element == DatabaseItem {
    /// A schema in a `Database` body.
    public static func buildExpression(_ x: Schema) -> [DatabaseItem] { [.schema(x)] }
    /// A role in a `Database` body.
    public static func buildExpression(_ x: DatabaseRole) -> [DatabaseItem] { [.role(x)] }
    /// A grant in a `Database` body.
    public static func buildExpression(_ x: Grant) -> [DatabaseItem] { [.grant(x)] }
    /// Several grants at once (a helper that returns the grants of a role).
    public static func buildExpression(_ x: [Grant]) -> [DatabaseItem] { x.map(DatabaseItem.grant) }
    /// A connection URL (its ESC key and role) in a `Database` body.
    public static func buildExpression(_ x: ConnectionURL) -> [DatabaseItem] { [.url(x)] }
}

/// A connection URL of the database kept under an ESC key, and the role it logs in as. The URL
/// itself never enters git; declaring its role lets the compiler judge every workload handed the
/// key: the grants of the schemas it names (`[missing-schema-grant]`) and whether a
/// network-facing service holds an all-powerful role (`[network-facing-superuser]`). Nothing is
/// emitted: the role's password and the URL are set where the URL is stored.
///
/// ```swift
/// ConnectionURL(Settings.cleandataDbUrl, as: "postgres", authority: .superuser)
/// ConnectionURL(Settings.cleandataPostgraphileUrl, as: "postgraphile")
/// ```
public struct ConnectionURL: Hashable, Sendable {
    /// What the role may do beyond its grants.
    public enum Authority: String, Hashable, Sendable {
        /// Only what the database's `Grant`s give it: the role must be a declared login role.
        case grants
        /// The database's owner (`ALTER DATABASE ... OWNER`, or created with it): every privilege on
        /// the database and on what it creates (https://www.postgresql.org/docs/current/ddl-priv.html).
        case owner
        /// A superuser, or the provider's administrator (CrunchyBridge's `postgres`): bypasses every
        /// permission check (https://www.postgresql.org/docs/current/role-attributes.html).
        case superuser
    }
    /// The ESC key holding the URL (`cleandataPostgraphileUrl`).
    public var key: String
    /// The role in the URL's user part.
    public var role: String
    /// `.grants` (the default) for a declared role; `.owner` or `.superuser` for a role that may
    /// do everything, which need not be declared (the provider creates it).
    public var authority: Authority
    /// Where the URL was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The URL under ESC key `key` logs in as `role`.
    ///
    /// ```swift
    /// ConnectionURL(Settings.cleandataCsvIngestionWorkerUrl, as: "csv_ingestion_worker")
    /// ```
    ///
    /// The name form stays for a role no `DatabaseRole` declares: the server's superuser
    /// (`authority: .superuser`) or a role the provider made.
    public init(
        _ key: SecretSetting, as role: String, authority: Authority = .grants, file: String = #filePath,
        line: Int = #line
    ) {
        self.init(key: key.key, as: role, authority: authority, file: file, line: line)
    }

    /// The URL under ESC key `key` logs in as a declared role, by its value.
    ///
    /// ```swift
    /// let worker = DatabaseRole("csv_ingestion_worker", login: true)
    /// ConnectionURL(Settings.cleandataCsvIngestionWorkerUrl, as: worker)
    /// ```
    public init(
        _ key: SecretSetting, as role: DatabaseRole, authority: Authority = .grants, file: String = #filePath,
        line: Int = #line
    ) {
        self.init(key: key.key, as: role.name, authority: authority, file: file, line: line)
    }

    /// The URL under the ESC key named `key` (a fixture's, a key not declared as a setting).
    ///
    /// ```swift
    /// ConnectionURL(key: "ordersReaderUrl", as: "reader")
    /// ```
    public init(
        key: String, as role: String, authority: Authority = .grants, file: String = #filePath, line: Int = #line
    ) {
        self.key = key
        self.role = role
        self.authority = authority
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A schema (`CREATE SCHEMA`) and its tables and enum types.
///
/// ```swift
/// Schema("stage", comment: "Rows as ingested, before review.") { Table("documents") { ... } }
/// ```
public struct Schema: Hashable, Sendable {
    /// The schema name: a PostgreSQL identifier (lower case, at most 63 bytes), neither `public` nor
    /// starting with `pg_`.
    public var name: String
    /// `COMMENT ON SCHEMA`, also the schema's paragraph in the data dictionary; nil leaves none.
    public var comment: String?
    /// The tables, diffed by name against the committed schema (rename one with `.renamed(from:)`).
    public var tables: [Table]
    /// The enum types (`CREATE TYPE ... AS ENUM`); they share the schema's namespace with tables and
    /// indexes, so no name may be used twice. A type no longer declared is refused, never dropped.
    public var enums: [EnumType]
    /// Tables of the committed schema this declaration drops on purpose.
    public var drops: [Drop]
    /// Where the schema was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A schema from a body of tables, enum types and `Drop`s of committed tables.
    ///
    /// ```swift
    /// Schema("curated", comment: "Reviewed vessel data.") {
    ///     EnumType("vessel_status", ["active", "laid_up", "scrapped"])
    ///     Table("vessels") { Column("vessel_id", .bigint, identity: true); PrimaryKey("vessel_id") }
    ///     Drop("vessels_old", because: "merged into vessels in V0007")
    /// }
    /// ```
    public init(
        _ name: String, comment: String? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<SchemaItem> _ items: () -> [SchemaItem]
    ) {
        self.name = name
        self.comment = comment
        self.tables = []
        self.enums = []
        self.drops = []
        for item in items() {
            switch item {
            case .table(var t):
                // Foreign keys written without a schema reference this one (`ForeignKey(_:references:)`),
                // and so do enum columns written without one (`ColumnType.of(_:)`).
                t.constraints = t.constraints.map { $0.inEnclosingSchema(name) }
                t.columns = t.columns.map { $0.inEnclosingSchema(name) }
                tables.append(t)
            case .enumType(let e): enums.append(e)
            case .drop(let d): drops.append(d)
            }
        }
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A declaration inside `Schema { ... }`.
public enum SchemaItem: Hashable, Sendable {
    case table(Table)
    case enumType(EnumType)
    case drop(Drop)
}

extension ListBuilder where Element == SchemaItem {
    /// A table in a `Schema` body.
    public static func buildExpression(_ x: Table) -> [SchemaItem] { [.table(x)] }
    /// An enum type in a `Schema` body.
    public static func buildExpression(_ x: EnumType) -> [SchemaItem] { [.enumType(x)] }
    /// A `Drop` of a committed table in a `Schema` body.
    public static func buildExpression(_ x: Drop) -> [SchemaItem] { [.drop(x)] }
}

/// An enum type (`CREATE TYPE ... AS ENUM`): values may only be appended (PostgreSQL cannot
/// remove or reorder them without rebuilding the type).
///
/// ```swift
/// EnumType("vessel_status", ["active", "laid_up", "scrapped", "lost", "unknown"])
/// ```
public struct EnumType: Hashable, Sendable {
    /// The type name: a PostgreSQL identifier, unique among the schema's tables, types and indexes.
    /// Columns use the value through `ColumnType.of(_:)` (a table of the same schema) or
    /// `ColumnType.of(_:in:)` (a table of another schema), never by this name.
    public var name: String
    /// The labels in sort order (PostgreSQL orders enum values as declared, not alphabetically); each
    /// 1 to 63 bytes, none twice. Only appending is allowed: a new value becomes `ALTER TYPE ... ADD
    /// VALUE`, committed before the rest of the migration uses it.
    public var values: [String]
    /// `COMMENT ON TYPE`, also shown beside the type in the data dictionary; nil leaves none.
    public var comment: String?
    /// Where the enum type was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// An enum type with its values in order.
    ///
    /// ```swift
    /// EnumType("review_state", ["pending", "accepted", "rejected"], comment: "Where a row is in review.")
    /// ```
    public init(_ name: String, _ values: [String], comment: String? = nil, file: String = #filePath, line: Int = #line)
    {
        self.name = name
        self.values = values
        self.comment = comment
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A table with its columns, keys, checks and indexes.
///
/// ```swift
/// Table("vessels", comment: "The golden record per hull.") {
///     Column("vessel_id", .bigint, identity: true)
///     Column("name", .text)
///     PrimaryKey("vessel_id")
///     Index("vessels_name_idx", on: ["name"])
/// }
/// ```
public struct Table: Hashable, Sendable {
    /// The table name: a PostgreSQL identifier (lower case, at most 63 bytes), unique among the
    /// schema's tables, enum types and indexes.
    public var name: String
    /// `COMMENT ON TABLE`, also the table's paragraph in the data dictionary; nil leaves none (and
    /// removing a comment writes `COMMENT ON TABLE ... IS NULL`).
    public var comment: String?
    /// The columns in `CREATE TABLE` order. A new column must be nullable, have a default or be an
    /// identity, because adding a NOT NULL column without one fails on a table with rows.
    public var columns: [Column]
    /// The table constraints (`PrimaryKey`, `Unique`, `Check`, `ForeignKey`); column checks from
    /// `Column.check(_:)` are added to these when the table is compared.
    public var constraints: [Constraint]
    /// The btree indexes (`CREATE [UNIQUE] INDEX`), named in the schema's namespace.
    public var indexes: [Index]
    /// Columns of the committed table this declaration drops on purpose.
    public var drops: [Drop]
    /// `.renamed(from:)`: the table's previous name, so the change is a rename, not a drop and an add.
    public var renamedFrom: String?
    /// `.allowingLock(because:)`: why a change with no online form may hold ACCESS EXCLUSIVE on this
    /// table while it scans or rewrites it (a type change, SET NOT NULL, a new PRIMARY KEY or UNIQUE);
    /// nil makes such a change the error `locking-change`.
    public var lockAllowedBecause: String?
    /// Where the table was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A table from a body of columns, constraints, indexes and `Drop`s of committed columns.
    ///
    /// ```swift
    /// Table("vessel_events", comment: "One row per change to a vessel.") {
    ///     Column("event_id", .bigint, identity: true)
    ///     Column("vessel_id", .bigint)
    ///     PrimaryKey("event_id")
    ///     ForeignKey(["vessel_id"], references: "vessels", in: "curated", columns: ["vessel_id"], onDelete: "CASCADE")
    /// }
    /// ```
    public init(
        _ name: String, comment: String? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<TableItem> _ items: () -> [TableItem]
    ) {
        self.name = name
        self.comment = comment
        self.columns = []
        self.constraints = []
        self.indexes = []
        self.drops = []
        for item in items() {
            switch item {
            case .column(let c): columns.append(c)
            case .constraint(let c): constraints.append(c)
            case .index(let i): indexes.append(i)
            case .drop(let d): drops.append(d)
            }
        }
        self.location = SourceLocation(file: file, line: line)
    }

    /// The table was called `old` in the committed schema: rename it (its rows stay).
    ///
    /// ```swift
    /// Table("vessel_events") { ... }.renamed(from: "events")
    /// ```
    public func renamed(from old: String) -> Table {
        var copy = self
        copy.renamedFrom = old
        return copy
    }

    /// Accepts that a change with no online form holds ACCESS EXCLUSIVE on this table while it scans or
    /// rewrites it (its reads and writes wait): `reason` says why that is acceptable (a small table, a
    /// maintenance window).
    ///
    /// ```swift
    /// Table("rfmos") { ... }.allowingLock(because: "a few dozen rows")
    /// ```
    public func allowingLock(because reason: String) -> Table {
        var copy = self
        copy.lockAllowedBecause = reason
        return copy
    }
}

/// A declaration inside `Table { ... }`.
public enum TableItem: Hashable, Sendable {
    case column(Column)
    case constraint(Constraint)
    case index(Index)
    case drop(Drop)
}

extension ListBuilder where Element == TableItem {
    /// A column in a `Table` body.
    public static func buildExpression(_ x: Column) -> [TableItem] { [.column(x)] }
    /// A constraint (`PrimaryKey`, `Unique`, `Check`, `ForeignKey`) in a `Table` body.
    public static func buildExpression(_ x: Constraint) -> [TableItem] { [.constraint(x)] }
    /// An index in a `Table` body.
    public static func buildExpression(_ x: Index) -> [TableItem] { [.index(x)] }
    /// A `Drop` of a committed column in a `Table` body.
    public static func buildExpression(_ x: Drop) -> [TableItem] { [.drop(x)] }
}

/// A PostgreSQL column type, spelled as `format_type()` prints it (so declared and catalog
/// types compare as text).
public enum ColumnType: Hashable, Sendable {
    case smallint, integer, bigint, boolean, text, date, timestamptz, jsonb, bytea, uuid
    /// `numeric(precision, scale)`.
    case numeric(Int, Int)
    /// `character varying(n)`.
    case varchar(Int)
    /// `character(n)`.
    case char(Int)
    /// A declared enum type, `schema.name`: what `.of(_:)` and `.of(_:in:)` store. Write the
    /// `EnumType` value with those rather than this case, so neither name can be misspelled; an
    /// `invalid-schema` error at the column reports a type the named schema does not declare.
    case enumType(schema: String, name: String)

    /// The `format_type()` spelling (`character varying(64)`, `timestamp with time zone`).
    public var sql: String {
        switch self {
        case .smallint: "smallint"
        case .integer: "integer"
        case .bigint: "bigint"
        case .boolean: "boolean"
        case .text: "text"
        case .date: "date"
        case .timestamptz: "timestamp with time zone"
        case .jsonb: "jsonb"
        case .bytea: "bytea"
        case .uuid: "uuid"
        case .numeric(let p, let s): "numeric(\(p),\(s))"
        case .varchar(let n): "character varying(\(n))"
        case .char(let n): "character(\(n))"
        case .enumType(let schema, let name): "\(schema).\(name)"
        }
    }

    /// A column of enum type `e`, declared in the same schema as the column's table: the schema is
    /// the `Schema { }` the table is placed in (as for `ForeignKey(_:references:)`), so no name is
    /// written. The `EnumType` value must be listed in that schema's body too; if it is not, or is
    /// listed in another schema, the `invalid-schema` check reports the column and notes where the
    /// type is declared.
    ///
    /// ```swift
    /// let status = EnumType("review_status", ["pending", "approved"])
    /// Schema("stage") {
    ///     status
    ///     Table("review_queue") { Column("status", .of(status), default: "'pending'") }
    /// }
    /// ```
    public static func of(_ e: EnumType) -> ColumnType { .enumType(schema: Column.enclosingSchema, name: e.name) }

    /// A column of enum type `e` declared in another schema, both by their values (as
    /// `ForeignKey(_:references:in:)` names a table of another schema).
    ///
    /// ```swift
    /// let stage = Schema("stage") { status }
    /// Schema("label") { Table("tasks") { Column("status", .of(status, in: stage)) } }
    /// ```
    public static func of(_ e: EnumType, in schema: Schema) -> ColumnType {
        .enumType(schema: schema.name, name: e.name)
    }
}

/// A column: type, nullability, default (an SQL expression), identity, check, comment.
///
/// ```swift
/// Column("imo_number", .integer, nullable: true, comment: "IMO ship number, 7 digits with check digit.")
///     .check("imo_number BETWEEN 1000000 AND 9999999")
/// Column("activated_at", .timestamptz, default: "now()")
/// ```
public struct Column: Hashable, Sendable {
    /// The column name: a PostgreSQL identifier (lower case, at most 63 bytes), unique in the table.
    public var name: String
    /// The column type, compared with the committed one as `format_type()` text. Widening (a larger
    /// integer, a longer `varchar`, `varchar` to `text`, more numeric digits) is applied as is; any
    /// other change needs `.allowing(.narrowing, because:)`.
    public var type: ColumnType
    /// Whether the column accepts NULL; `false` (the default) writes `NOT NULL`. Making a nullable
    /// column NOT NULL backfills NULLs with the default, or needs `.allowing(.setNotNull, because:)`.
    public var nullable: Bool
    /// An SQL expression (`now()`, `'pending'`, `0`), written as given.
    public var defaultExpression: String?
    /// `GENERATED ALWAYS AS IDENTITY`.
    public var identity: Bool
    /// `COMMENT ON COLUMN`, also the column's meaning in the data dictionary; nil leaves none.
    public var comment: String?
    /// `.renamed(from:)`: the column's previous name.
    public var renamedFrom: String?
    /// `.allowing(...)`: destructive changes to this column the declaration accepts, and why.
    public var allowed: Allowance?
    /// `.check(...)`: a check on this column alone (`<table>_<column>_check`).
    public var check: String?
    /// Where the column was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A column: `identity` makes it `GENERATED ALWAYS AS IDENTITY` (integer types only, and it
    /// cannot change later); `default` is one SQL expression written into the DDL as given.
    ///
    /// ```swift
    /// Column("vessel_id", .bigint, identity: true)
    /// Column("status", .of(vesselStatus), default: "'unknown'", comment: "Last known status.")
    /// ```
    public init(
        _ name: String, _ type: ColumnType, nullable: Bool = false, default defaultExpression: String? = nil,
        identity: Bool = false, comment: String? = nil, file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultExpression = defaultExpression
        self.identity = identity
        self.comment = comment
        self.location = SourceLocation(file: file, line: line)
    }

    /// The schema name an enum type written without one (`ColumnType.of(_:)`) stands for until the
    /// column's table is placed in a `Schema { }`, which replaces it with its own name.
    static let enclosingSchema = ""

    /// This column with an enum type of `enclosingSchema` pointed at `schema`.
    func inEnclosingSchema(_ schema: String) -> Column {
        guard case .enumType(let current, let name) = type, current == Self.enclosingSchema else { return self }
        var copy = self
        copy.type = .enumType(schema: schema, name: name)
        return copy
    }

    /// The column was called `old` in the committed schema: rename it (its values stay).
    public func renamed(from old: String) -> Column {
        var copy = self
        copy.renamedFrom = old
        return copy
    }

    /// A check on this column, named as PostgreSQL names a column constraint (`<table>_<column>_check`).
    ///
    /// ```swift
    /// Column("mmsi", .char(9), nullable: true).check("mmsi ~ '^[0-9]{9}$'")
    /// ```
    public func check(_ expression: String) -> Column {
        var copy = self
        copy.check = expression
        return copy
    }

    /// Accepts a destructive change to this column (narrowing its type, SET NOT NULL without
    /// a default), for a reason written into the migration.
    ///
    /// ```swift
    /// Column("mmsi", .char(9)).allowing(.narrowing, because: "every value has 9 digits (checked in V0003)")
    /// ```
    public func allowing(_ kind: Allowance.Kind, because reason: String) -> Column {
        var copy = self
        copy.allowed = Allowance(kind: kind, reason: reason)
        return copy
    }
}

/// An object of the committed schema that the declaration removes on purpose (a table in a
/// `Schema`, a column in a `Table`), and why; the reason is written into the migration. Once
/// the migration that drops it is committed, the declaration is stale and can go.
///
/// ```swift
/// Table("vessels") { ...; Drop("legacy_code", because: "replaced by flag_code in V0004") }
/// ```
public struct Drop: Hashable, Sendable {
    /// The committed table or column to drop (the name it has in the committed schema).
    public var name: String
    /// Why it goes, written into the migration's summary so the reviewer of the generated SQL reads it.
    public var reason: String
    /// Where the drop was declared (`#filePath`, `#line`); a drop of something the committed schema
    /// no longer has is reported here as stale.
    public var location: SourceLocation
    /// A drop of the committed table or column `name`, for a reason (a column's indexes and
    /// constraints must be removed in the same declaration, or the drop is refused).
    ///
    /// ```swift
    /// Drop("legacy_code", because: "replaced by flag_code in V0004")
    /// ```
    public init(_ name: String, because reason: String, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.reason = reason
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A destructive change a declaration accepts on purpose, and why.
public struct Allowance: Hashable, Sendable {
    /// Which destructive change a column accepts.
    public enum Kind: String, Hashable, Sendable {
        /// Narrowing a column's type or changing it across kinds.
        case narrowing
        /// SET NOT NULL on a column without a default (fails if a row holds NULL).
        case setNotNull
    }
    /// The change accepted (`.narrowing` or `.setNotNull`).
    public var kind: Kind
    /// Why the change is safe, written into the migration's summary.
    public var reason: String
}

/// A table constraint: primary key, unique, check or foreign key. Named by PostgreSQL's
/// default when not given (`<table>_pkey`, `<table>_<cols>_key`, `<table>_<cols>_fkey`, `<table>_<name>_check`).
public struct Constraint: Hashable, Sendable {
    /// What the constraint says, in PostgreSQL's own terms (`pg_constraint.contype` `p`, `u`, `c`, `f`).
    public enum Kind: Hashable, Sendable {
        case primaryKey([String])
        case unique([String])
        /// An SQL boolean expression over the table's columns.
        case check(String)
        /// Columns referencing `schema.table(columns)`; `onDelete`: `CASCADE`, `SET NULL`, `RESTRICT` or nil (NO ACTION).
        case foreignKey([String], schema: String, table: String, columns: [String], onDelete: String?)
    }
    /// An explicit constraint name, or nil for PostgreSQL's default (see above). A `Check` always has
    /// one; it becomes the middle of `<table>_<name>_check`.
    public var name: String?
    /// The kind of constraint and its columns or expression.
    public var kind: Kind
    /// Where the constraint was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The schema name a foreign key written without one stands for until its table is placed in a
    /// `Schema { }`, which replaces it with its own name.
    static let enclosingSchema = ""

    /// This constraint with a foreign key to `enclosingSchema` pointed at `schema`.
    func inEnclosingSchema(_ schema: String) -> Constraint {
        guard case .foreignKey(let columns, let current, let table, let referenced, let onDelete) = kind,
            current == Self.enclosingSchema
        else { return self }
        var copy = self
        copy.kind = .foreignKey(columns, schema: schema, table: table, columns: referenced, onDelete: onDelete)
        return copy
    }
}

/// `PRIMARY KEY (columns)`.
public func PrimaryKey(_ columns: String..., file: String = #filePath, line: Int = #line) -> Constraint {
    Constraint(name: nil, kind: .primaryKey(columns), location: SourceLocation(file: file, line: line))
}

/// `UNIQUE (columns)`.
public func Unique(_ columns: String..., name: String? = nil, file: String = #filePath, line: Int = #line) -> Constraint
{
    Constraint(name: name, kind: .unique(columns), location: SourceLocation(file: file, line: line))
}

/// `CHECK (expression)`, named `<table>_<name>_check`.
public func Check(_ name: String, _ expression: String, file: String = #filePath, line: Int = #line) -> Constraint {
    Constraint(name: name, kind: .check(expression), location: SourceLocation(file: file, line: line))
}

/// `FOREIGN KEY (columns) REFERENCES schema.table (columns)` to a declared table, by its value: the
/// table's name comes from the declaration and the referenced columns default to its primary key.
/// The schema is named here; prefer `ForeignKey(_:references:)` (the same schema) or
/// `ForeignKey(_:references:in:)` with the `Schema` value. The `invalid-schema` check reports a
/// schema without that table, or columns it does not have.
///
/// ```swift
/// let vessels = Table("vessels") { Column("vessel_id", .bigint, identity: true); PrimaryKey("vessel_id") }
/// ForeignKey(["vessel_id"], references: vessels, in: "curated", onDelete: .cascade)
/// ```
public func ForeignKey(
    _ columns: [String], references table: Table, in schema: String, columns referenced: [String]? = nil,
    onDelete: ReferentialAction? = nil, file: String = #filePath, line: Int = #line
) -> Constraint {
    let primaryKey = table.constraints.lazy.compactMap { constraint -> [String]? in
        if case .primaryKey(let columns) = constraint.kind { return columns } else { return nil }
    }.first
    return ForeignKey(
        columns, references: table.name, in: schema, columns: referenced ?? primaryKey ?? [],
        onDelete: onDelete?.rawValue, file: file, line: line)
}

/// `FOREIGN KEY (columns) REFERENCES table (columns)` to a table of the same schema, by its value: the
/// schema is the `Schema { }` the referencing table is placed in, so no name is written.
///
/// ```swift
/// ForeignKey(["vessel_id"], references: vessels, onDelete: .cascade)
/// ```
public func ForeignKey(
    _ columns: [String], references table: Table, columns referenced: [String]? = nil,
    onDelete: ReferentialAction? = nil, file: String = #filePath, line: Int = #line
) -> Constraint {
    ForeignKey(
        columns, references: table, in: Constraint.enclosingSchema, columns: referenced, onDelete: onDelete,
        file: file, line: line)
}

/// `FOREIGN KEY (columns) REFERENCES schema.table (columns)` to a table of another declared schema,
/// both by their values (`Grant` targets take the `Schema` value the same way).
///
/// ```swift
/// let stage = Schema("stage") { documents }
/// ForeignKey(["document_id"], references: documents, in: stage)
/// ```
public func ForeignKey(
    _ columns: [String], references table: Table, in schema: Schema, columns referenced: [String]? = nil,
    onDelete: ReferentialAction? = nil, file: String = #filePath, line: Int = #line
) -> Constraint {
    ForeignKey(
        columns, references: table, in: schema.name, columns: referenced, onDelete: onDelete, file: file, line: line)
}

/// What a foreign key does when the referenced row is deleted (`ON DELETE`; PostgreSQL docs,
/// CREATE TABLE, "REFERENCES ... ON DELETE referential_action").
///
/// ```swift
/// ForeignKey(["vessel_id"], references: vessels, in: "curated", onDelete: .setNull)
/// ```
public enum ReferentialAction: String, Hashable, Sendable, CaseIterable {
    /// `NO ACTION` (PostgreSQL's default): the delete fails at the end of the statement.
    case noAction = "NO ACTION"
    /// `RESTRICT`: the delete fails at once.
    case restrict = "RESTRICT"
    /// `CASCADE`: the referencing rows are deleted too.
    case cascade = "CASCADE"
    /// `SET NULL`: the referencing columns become NULL.
    case setNull = "SET NULL"
    /// `SET DEFAULT`: the referencing columns take their defaults.
    case setDefault = "SET DEFAULT"
}

/// `FOREIGN KEY (columns) REFERENCES schema.table (columns)` by names. Prefer the form taking the
/// `Table` value; this one stays for a table declared by a migration the fleet does not own, and
/// for fleets written before the value form.
public func ForeignKey(
    _ columns: [String], references table: String, in schema: String, columns referenced: [String],
    onDelete: String? = nil, file: String = #filePath, line: Int = #line
) -> Constraint {
    Constraint(
        name: nil, kind: .foreignKey(columns, schema: schema, table: table, columns: referenced, onDelete: onDelete),
        location: SourceLocation(file: file, line: line))
}

/// An index (`CREATE [UNIQUE] INDEX name ON table (columns)`), btree.
///
/// ```swift
/// Index("vessel_events_vessel_from_idx", on: ["vessel_id", "effective_from"])
/// ```
public struct Index: Hashable, Sendable {
    /// The index name: a PostgreSQL identifier, unique among the schema's tables, types and indexes
    /// (PostgreSQL puts an index in its table's schema). A changed index is dropped and created again.
    public var name: String
    /// The indexed columns, in key order; each must be a declared column of the table.
    public var columns: [String]
    /// `CREATE UNIQUE INDEX` when true; `false` (the default) is a plain index.
    public var unique: Bool
    /// Where the index was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// A btree index on `columns` of the enclosing table.
    ///
    /// ```swift
    /// Index("vessels_imo_idx", on: ["imo_number"], unique: true)
    /// ```
    public init(_ name: String, on columns: [String], unique: Bool = false, file: String = #filePath, line: Int = #line)
    {
        self.name = name
        self.columns = columns
        self.unique = unique
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A role (`CREATE ROLE`, cluster-wide, created only when missing; never a password: the
/// provider or the applier sets it).
///
/// ```swift
/// DatabaseRole("bi_readonly", comment: "BI logins are members; reads curated.")
/// ```
public struct DatabaseRole: Hashable, Sendable {
    /// The role name: a PostgreSQL identifier, shared by every database on the server.
    public var name: String
    /// `LOGIN` when true, `NOLOGIN` (the default) for a group role that logins are granted into.
    /// A change becomes `ALTER ROLE ... LOGIN` / `NOLOGIN`.
    public var login: Bool
    /// `COMMENT ON ROLE`, also shown beside the role in the data dictionary; nil leaves none.
    public var comment: String?
    /// Where the role was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// A role, created with `IF NOT EXISTS` semantics and no password.
    ///
    /// ```swift
    /// DatabaseRole("labelfish_owner", login: true, comment: "The Label Studio application.")
    /// ```
    public init(
        _ name: String, login: Bool = false, comment: String? = nil, file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.login = login
        self.comment = comment
        self.location = SourceLocation(file: file, line: line)
    }
}

/// Privileges granted to a role on the database, a schema, or every table of a schema.
///
/// ```swift
/// Grant([.usage], on: .schema(curated), to: biReadonly)
/// Grant([.select], on: .allTables(in: curated), to: biReadonly)
/// Grant([.connect, .create, .temporary], on: .database, to: "labelfish_owner")
/// ```
public struct Grant: Hashable, Sendable {
    /// A privilege, spelled as PostgreSQL's `GRANT` spells it. Which apply depends on the target:
    /// `.database` takes CONNECT, CREATE, TEMPORARY; `.schema` takes USAGE, CREATE; `.allTables`
    /// takes SELECT, INSERT, UPDATE, DELETE.
    public enum Privilege: String, Hashable, Sendable, CaseIterable {
        case select = "SELECT"
        case insert = "INSERT"
        case update = "UPDATE"
        case delete = "DELETE"
        case usage = "USAGE"
        case create = "CREATE"
        case connect = "CONNECT"
        case temporary = "TEMPORARY"
    }
    /// What the privileges are granted on. Write a schema by its value (`.schema(curated)`,
    /// `.allTables(in: curated)`): the name comes from the `Schema` declared once, so it cannot be
    /// misspelled. The name cases are what the value forms store; the `invalid-schema` check
    /// reports one that names a schema the database does not declare.
    public enum Target: Hashable, Sendable {
        /// The database itself (CONNECT, CREATE, TEMPORARY).
        case database
        /// A schema of the database, by name (USAGE, CREATE).
        case schema(String)
        /// Every table of the schema: those that exist and, by default privileges, those to come.
        case allTables(inSchema: String)

        /// A declared schema, by its value.
        ///
        /// ```swift
        /// let curated = Schema("curated") { ... }
        /// Grant([.usage], on: .schema(curated), to: reader)
        /// ```
        public static func schema(_ schema: Schema) -> Target { .schema(schema.name) }

        /// Every table of a declared schema, by its value.
        ///
        /// ```swift
        /// Grant([.select], on: .allTables(in: curated), to: reader)
        /// ```
        public static func allTables(in schema: Schema) -> Target { .allTables(inSchema: schema.name) }
    }
    /// The privileges; at least one, each valid for `target` (see `Privilege`).
    public var privileges: [Privilege]
    /// The database itself, a declared schema, or every table of a declared schema.
    public var target: Target
    /// The grantee: a role declared in the same database.
    public var role: String
    /// Where the grant was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// `privileges` on `target` to `role`.
    ///
    /// ```swift
    /// Grant([.select, .insert], on: .allTables(inSchema: "stage"), to: "ingest_writer")
    /// ```
    ///
    /// Prefer the value forms (`.allTables(in: stage)`, `to: writer`). The name form stays for fleets written before the value form (and for the fixes diagnostics
    /// print); the `invalid-schema` check reports a grant to a role the database does not declare.
    public init(
        _ privileges: [Privilege], on target: Target, to role: String, file: String = #filePath, line: Int = #line
    ) {
        self.privileges = privileges
        self.target = target
        self.role = role
        self.location = SourceLocation(file: file, line: line)
    }

    /// `privileges` on `target` to a declared role, by its value: the grantee cannot be misspelled.
    ///
    /// ```swift
    /// let reader = DatabaseRole("bi_readonly")
    /// Grant([.select], on: .allTables(in: curated), to: reader)
    /// ```
    public init(
        _ privileges: [Privilege], on target: Target, to role: DatabaseRole, file: String = #filePath,
        line: Int = #line
    ) {
        self.init(privileges, on: target, to: role.name, file: file, line: line)
    }
}
