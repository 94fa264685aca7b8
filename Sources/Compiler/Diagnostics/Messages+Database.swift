import DSL

/// Databases: the declared schema (`SchemaChecks`), the migrations planned from it
/// (`SchemaDiff`), and the database firewall (`EdgeChecks.firewallProblems`).
extension Diagnostic {
    // MARK: Roles of workloads

    /// A workload that connects as `role` and names `schema` (`DatabaseRoleChecks`), while the
    /// role lacks `privilege` there.
    static func missingSchemaGrant(
        container: String, schema: String, database: String, role: String, missing: String, grant: String,
        roleLocation: SourceLocation, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .missingSchemaGrant,
            "container '\(container)' uses schema '\(schema)' of database '\(database)' as role '\(role)', which has "
                + "no \(missing) there; add \(grant)",
            at: loc, notes: [.init("role '\(role)' is declared here", at: roleLocation)], subject: schema)
    }

    /// A network-facing workload (`facing` says why) handed a URL whose role is a superuser or
    /// the database's owner (`DatabaseRoleChecks`).
    static func networkFacingSuperuser(
        workload: String, env: String, key: String, role: String, authority: ConnectionURL.Authority,
        database: String, facing: String, facingLocation: SourceLocation, urlLocation: SourceLocation,
        at loc: SourceLocation
    ) -> Diagnostic {
        let power = authority == .superuser ? "a superuser" : "the owner of database '\(database)'"
        return Diagnostic(
            .networkFacingSuperuser,
            "\(workload) takes requests from the network but env '\(env)' connects to database '\(database)' as "
                + "'\(role)' (ESC key '\(key)'), \(power); give it a login role of its own with the grants its "
                + "schemas need (DatabaseRole(\"<name>\", login: true), Grant(...), ConnectionURL(<its key>, "
                + "as: \"<name>\")) and hand it that URL",
            at: loc,
            notes: [
                .init("\(facing) here", at: facingLocation),
                .init("ESC key '\(key)' is declared as role '\(role)' here", at: urlLocation),
            ], subject: key)
    }

    /// An env handed an ESC key that reads like `database`'s URL which no `ConnectionURL` declares.
    static func undeclaredURLRole(
        container: String, env: String, key: String, database: String, databaseLocation: SourceLocation,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredURLRole,
            "container '\(container)' env '\(env)' takes ESC key '\(key)', a URL of database '\(database)' whose "
                + "role is not declared; declare ConnectionURL(key: \"\(key)\", as: \"<role>\") in the database",
            at: loc, notes: [.init("database '\(database)' is declared here", at: databaseLocation)], subject: key)
    }

    static func connectionURLUndeclaredRole(_ role: String, key: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .invalidSchema,
            "connection URL '\(key)' logs in as role '\(role)', which the database does not declare; declare "
                + "DatabaseRole(\"\(role)\", login: true), or say authority: .owner or .superuser",
            at: loc, notes: Suggestions.note(for: role, among: known, kind: "role").map { [$0] } ?? [], subject: role)
    }

    static func connectionURLRoleCannotLogIn(_ role: String, key: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "connection URL '\(key)' logs in as role '\(role)', which is declared NOLOGIN; declare it login: true",
            at: loc, subject: role)
    }

    /// A baseline that changed (or appeared) after the database was declared `.adopted()`
    /// (`Baseline`): regenerating the history would rewrite migrations production has recorded.
    static func baselineChangedAfterAdoption(database: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .baselineChangedAfterAdoption,
            "database '\(database)' is declared .adopted(), but \(Baseline.path(database)) is not the baseline "
                + "its history was generated from (\(SchemaLock.path(database)) records another sha256, or none): "
                + "regenerating would rewrite migrations production has recorded; restore the file "
                + "(git checkout HEAD -- \(Baseline.path(database)))",
            at: loc,
            notes: [.init("the baseline", at: SourceLocation(file: Baseline.path(database), line: 1))],
            subject: database)
    }

    /// A committed migration or lock of a database an application owns (`MigrationPlanner`).
    static func historyInApplicationDatabase(_ path: String, database: String, owner: String) -> Diagnostic {
        Diagnostic(
            .declaredInApplicationDatabase,
            "'\(path)' is oceanid-gen's migration history for database '\(database)', which \(owner) owns: it would "
                + "create oceanid-gen's 'control' schema there; the fleet keeps no history in it (its roles and grants "
                + "are \(ProvisionSQL.path(database)), run on every apply); delete it (git rm \(path))",
            at: SourceLocation(file: path, line: 1), subject: path)
    }

    // MARK: Firewall

    /// A fleet reconciles one firewall (`cloud/desired-state.json` holds one network).
    static func secondFirewall(network: String, at loc: SourceLocation, first: SourceLocation?) -> Diagnostic {
        Diagnostic(
            .duplicateObject, "a second database firewall (network '\(network)'); the fleet reconciles one", at: loc,
            notes: [.init("the first is declared here", at: first)])
    }

    static func invalidFirewallNetwork(_ network: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidFirewallNetwork,
            "database firewall network '\(network)' is not a CrunchyBridge network ID (letters and digits)",
            at: loc, subject: network)
    }

    static func firewallAdmitsNothing(network: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .firewallAdmitsNothing,
            "database firewall of network '\(network)' admits nothing; the databases would be unreachable", at: loc)
    }

    static func unknownFirewallNode(_ node: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownNode, "database firewall admits node '\(node)', which no cluster declares", at: loc, subject: node)
    }

    static func firewallNodeWithoutIP(_ node: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidFirewallSource,
            "database firewall admits node '\(node)', which declares no public IP (Node(..., publicIP:))", at: loc)
    }

    static func invalidPublicIP(_ ip: String, node: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidCIDR, "node '\(node)' public IP '\(ip)' is not an IPv4 address", at: loc, subject: ip)
    }

    static func firewallSourceWithoutDescription(_ node: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidFirewallSource, "firewall rule for '\(node)' needs a one-line description", at: loc)
    }

    // MARK: Schema: names and text

    /// `what`: "default of column s.t.c", "check c_check", ...
    static func notOneSQLExpression(_ sql: String, what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "\(what) '\(sql)' must be one SQL expression (balanced, no top-level ',', no ';', comments or control "
                + "characters)",
            at: loc, subject: sql)
    }

    /// A migration timeout PostgreSQL would refuse or misread (https://www.postgresql.org/docs/15/config-setting.html).
    static func invalidMigrationTimeout(
        _ setting: String, _ value: String, database: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "\(setting) '\(value)' of database \(database)'s migrations is not a duration; write a positive number "
                + "with its unit: ms, s, min or h (PostgreSQL reads a bare number as milliseconds)",
            at: loc)
    }

    static func nulInText(_ what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "\(what) holds a NUL character, which PostgreSQL text cannot", at: loc)
    }

    static func reservedPostgresName(_ name: String, what: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "\(what) name '\(name)' is PostgreSQL's own ('public' and 'pg_' names are taken)",
            at: loc, subject: name)
    }

    /// A schema, or a grant inside a database an application owns: the fleet would create
    /// objects the application's own migrations do not expect.
    static func declaredInApplicationDatabase(
        _ what: String, database: String, owner: String, at loc: SourceLocation, databaseAt: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .declaredInApplicationDatabase,
            "\(what) is declared inside database '\(database)', which \(owner) owns: \(owner) creates and migrates "
                + "everything in it, so the fleet declares only the database's roles and database grants "
                + "(CONNECT, CREATE, TEMPORARY); remove it",
            at: loc, notes: [.init("'\(database)' is declared as owned by \(owner) here", at: databaseAt)])
    }

    static func migrationTableDeclared(at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "control.schema_versions is oceanid-gen's own migration table; do not declare it", at: loc)
    }

    static func invalidEnumValue(_ value: String, enum name: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "enum \(name) value '\(value)' must be 1-63 bytes", at: loc, subject: value)
    }

    static func systemColumnName(_ column: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "column name '\(column)' is a PostgreSQL system column", at: loc, subject: column)
    }

    /// `table`: schema-qualified; `checkName`: the name PostgreSQL would give the check.
    static func checkNameTooLong(table: String, column: String, checkName: String, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(
            .invalidSchema,
            "the check of \(table).\(column) would be named '\(checkName)', longer than 63 bytes; use Check(name, "
                + "...) instead",
            at: loc)
    }

    static func constraintNameTooLong(_ name: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "constraint name '\(name)' is longer than 63 bytes (PostgreSQL would cut it); name it",
            at: loc)
    }

    // MARK: Schema: tables and columns

    /// `table`: schema-qualified.
    static func declaredAndDropped(table: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "table \(table) is both declared and dropped", at: loc)
    }

    /// `table`: schema-qualified.
    static func declaredAndDropped(column: String, table: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "column \(table).\(column) is both declared and dropped", at: loc)
    }

    static func tableWithoutColumns(_ table: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "table \(table) has no columns", at: loc)
    }

    /// `enumType`: schema-qualified; `values`: its declared values in order.
    static func defaultNotInEnum(
        _ value: String, table: String, column: String, enumType: String, values: [String],
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "default \(value) of \(table).\(column) is not a value of \(enumType) (\(values.joined(separator: ", ")))",
            at: loc, subject: value)
    }

    /// `type`: the column's SQL type.
    static func identityNotInteger(table: String, column: String, type: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "identity column \(table).\(column) must be smallint, integer or bigint, not \(type)",
            at: loc)
    }

    static func identityWithDefault(table: String, column: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "identity column \(table).\(column) cannot also have a default", at: loc)
    }

    /// `enumType`: schema-qualified; `known`: the database's enum types; `declaredIn`: the schemas that
    /// declare an enum type of the same name, with where (the column named the wrong schema);
    /// `schemaAt`: the named schema's declaration, when it exists (the type was not listed there).
    static func undeclaredEnumType(
        _ enumType: String, table: String, column: String, known: [String],
        declaredIn: [(schema: String, at: SourceLocation)] = [], schemaAt: SourceLocation? = nil,
        at loc: SourceLocation
    ) -> Diagnostic {
        let name = enumType.split(separator: ".", maxSplits: 1).last.map(String.init) ?? enumType
        let schema = enumType.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        var notes: [Diagnostic.Note] = declaredIn.map {
            .init(
                "enum type '\(name)' is declared in schema '\($0.schema)': name that Schema value, "
                    + "`.of(\(name), in: \($0.schema))`",
                at: $0.at)
        }
        if notes.isEmpty {
            if let schemaAt {
                notes.append(
                    .init(
                        "schema '\(schema)' does not list it: put the EnumType value in its body, "
                            + "as its tables are", at: schemaAt))
            }
            if let hint = Suggestions.note(for: enumType, among: known, kind: "enum type") { notes.append(hint) }
        }
        return Diagnostic(
            .invalidSchema, "column \(table).\(column) has type \(enumType), which the database does not declare",
            at: loc, notes: notes)
    }

    static func invalidColumnLength(_ length: Int, table: String, column: String, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(.invalidSchema, "column \(table).\(column) length \(length) must be 1-10485760", at: loc)
    }

    static func invalidNumericPrecision(
        precision: Int, scale: Int, table: String, column: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "column \(table).\(column) numeric(\(precision),\(scale)) needs 1 <= precision <= 1000 and 0 <= scale <= "
                + "precision",
            at: loc)
    }

    static func nullablePrimaryKeyColumn(table: String, column: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "primary key column \(table).\(column) is declared nullable; PostgreSQL makes it NOT NULL, so declare it "
                + "so",
            at: loc)
    }

    // MARK: Schema: keys and indexes

    static func primaryKeys(_ count: Int, table: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "table \(table) has \(count) primary keys; it may have one", at: loc)
    }

    /// `known`: the table's columns.
    static func constraintOnUnknownColumn(
        _ column: String, constraint: String, table: String, known: [String],
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "constraint \(constraint) on \(table) names column '\(column)', which the table does not declare",
            at: loc, notes: Suggestions.note(for: column, among: known, kind: "column").map { [$0] } ?? [])
    }

    static func constraintWithoutColumns(_ constraint: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "constraint \(constraint) names no columns", at: loc)
    }

    static func invalidOnDelete(_ action: String, foreignKey: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "foreign key \(foreignKey) ON DELETE \(action) must be CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO "
                + "ACTION",
            at: loc)
    }

    static func foreignKeyArity(_ foreignKey: String, from: Int, to: Int, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "foreign key \(foreignKey) maps \(from) column(s) to \(to)", at: loc)
    }

    /// `target`: the schema-qualified referenced table.
    static func foreignKeyToUnknownColumn(
        _ foreignKey: String, target: String, column: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "foreign key \(foreignKey) references \(target).\(column), which is not declared", at: loc)
    }

    static func foreignKeyNotToKey(
        _ foreignKey: String, target: String, columns: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "foreign key \(foreignKey) references \(target) (\(columns.joined(separator: ", "))), "
                + "which is not its primary key or a unique constraint",
            at: loc)
    }

    /// `fromType`, `toType`: the columns' SQL types.
    static func foreignKeyTypeMismatch(
        _ foreignKey: String, from: String, fromType: String, to: String, toType: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "foreign key \(foreignKey) maps \(from) (\(fromType)) to \(to) (\(toType)); the types must match",
            at: loc)
    }

    /// `known`: the database's schema-qualified tables.
    static func foreignKeyToUnknownTable(
        _ foreignKey: String, target: String, known: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "foreign key \(foreignKey) references table \(target), which the database does not declare",
            at: loc, notes: Suggestions.note(for: target, among: known, kind: "table").map { [$0] } ?? [])
    }

    static func indexWithoutColumns(_ index: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "index \(index) names no columns", at: loc)
    }

    static func indexOnUnknownColumn(
        _ column: String, index: String, table: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "index \(index) on \(table) names column '\(column)', which the table does not declare",
            at: loc)
    }

    // MARK: Schema: roles and grants

    /// `known`: the database's roles.
    static func grantToUndeclaredRole(_ role: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema, "grant to role '\(role)', which the database does not declare", at: loc,
            notes: Suggestions.note(for: role, among: known, kind: "role").map { [$0] } ?? [], subject: role)
    }

    static func grantOnUndeclaredSchema(_ schema: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "grant on schema '\(schema)', which the database does not declare", at: loc)
    }

    /// `kind`: "database", "schema" or "tables"; `allowed`: the privileges it takes.
    static func privilegeNotGrantable(
        _ privilege: String, on kind: String, allowed: [String], at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "\(privilege) cannot be granted on \(kind == "tables" ? "tables" : "a \(kind)"); "
                + "it takes \(allowed.sorted().joined(separator: ", "))",
            at: loc)
    }

    static func grantWithoutPrivileges(role: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidSchema, "grant to '\(role)' lists no privileges", at: loc)
    }

    static func roleRedeclared(_ role: String, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidSchema,
            "role '\(role)' is declared again with other attributes; roles are shared by every database of the server",
            at: loc, notes: [.init("first declared here", at: first)])
    }

    // MARK: Migrations

    /// A change the planner will not make on its own; `message` says which and how to allow it.
    static func destructiveChange(_ message: String, at loc: SourceLocation, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.destructiveChange, message, at: loc, notes: notes)
    }

    /// A planned statement that holds ACCESS EXCLUSIVE on a table that already holds rows while
    /// it scans or rewrites it (`StatementLocks`): every read and write of the table waits.
    static func lockingChange(
        _ kind: StatementLocks.Kind, table: String, statement: String, at loc: SourceLocation,
        tableAt: SourceLocation? = nil
    ) -> Diagnostic {
        Diagnostic(
            .lockingChange,
            "\(kind.name) on the existing table \(table) holds ACCESS EXCLUSIVE (its reads and writes wait) while it "
                + (kind.work == .rewrite ? "rewrites the whole table" : "reads every row")
                + ": `\(statement)`; the planner has no online form for it (by hand: "
                + (kind.onlineForm ?? "none is known")
                + "); declare .allowingLock(because: \"...\") on the table to accept the lock",
            at: loc, notes: tableAt.map { [.init("table \(table) is declared here", at: $0)] } ?? [])
    }

    /// A refused change in a schema workloads read: the same problem, naming each workload
    /// (its role and the schema) in the message and pointing at where it names the schema.
    static func destructiveChange(_ refused: Diagnostic, readBy readers: [(schema: String, SchemaConsumer)])
        -> Diagnostic
    {
        let names = readers.map { "\($0.1.workload) (container \($0.1.container), role \($0.1.role))" }
        return Diagnostic(
            .destructiveChange,
            refused.message + "; schema \(Set(readers.map(\.schema)).sorted().joined(separator: ", ")) is read by "
                + names.joined(separator: ", "),
            at: refused.location,
            notes: refused.notes
                + readers.map {
                    .init("\($0.1.workload) reads schema \($0.schema) as \($0.1.role) here", at: $0.1.location)
                }
        )
    }

    static func staleRole(_ role: String, database: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .staleHint,
            "role '\(role)' is no longer declared; roles are shared by the whole server, so it stays "
                + "(its grants in \(database) are revoked); drop it by hand once nothing uses it",
            at: loc)
    }

    /// `table`: schema-qualified; `hint`: the `.renamed(from:)` name.
    static func tableAlreadyRenamed(_ table: String, hint: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.staleHint, "table \(table) is already named so; remove .renamed(from: \"\(hint)\")", at: loc)
    }

    /// `table`: schema-qualified; `hint`: the `.renamed(from:)` name.
    static func columnAlreadyRenamed(
        _ column: String, table: String, hint: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .staleHint, "column \(table).\(column) is already named so; remove .renamed(from: \"\(hint)\")", at: loc)
    }

    static func staleTableDrop(_ table: String, schema: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .staleHint,
            "Drop(\"\(table)\"): the committed schema has no table '\(table)' in '\(schema)'; remove the declaration",
            at: loc)
    }

    /// `table`: schema-qualified.
    static func staleColumnDrop(_ column: String, table: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .staleHint,
            "Drop(\"\(column)\"): table \(table) has no column '\(column)' in the committed schema; remove the "
                + "declaration",
            at: loc)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    static let database: [DiagnosticDoc] = [
        .init(
            "A database is declared `.adopted()` (its baseline history has been applied in production) and "
                + "`sql/<db>/baseline.json` is not the file the history was generated from: the build would regenerate "
                + "migrations that production has recorded.",
            fix: "Restore `baseline.json` from git; to change the schema, change the definitions instead.",
            example: .baselineChangedAfterAdoption(database: "shop", at: at)),
        .init(
            "A schema, or a grant on a schema or its tables, is declared in a database an application owns "
                + "(`Database(_:ownedBy:)`), which creates and migrates everything inside it itself.",
            fix: "Remove it; declare only the database's roles and database-level grants.",
            example: .declaredInApplicationDatabase(
                "schema 'control'", database: "labelfish", owner: "Label Studio", at: at, databaseAt: other)),
        .init(
            "A workload connects as a declared role (its ESC key names the database and the role) and names a "
                + "schema (`--schema`, a `*SCHEMA*` env) on which the role has no USAGE or no table privilege.",
            fix: "Grant the role what the message names in the database's declaration.",
            example: .missingSchemaGrant(
                container: "api", schema: "stage", database: "shop", role: "api", missing: "USAGE",
                grant: "Grant([.usage], on: .schema(\"stage\"), to: \"api\")", roleLocation: at, at: at)),
        .init(
            "A workload that a Service selects (or that binds a host port) is handed a database URL whose role is a "
                + "superuser or the database's owner (`ConnectionURL(..., authority:)`): one bug in the service hands "
                + "over the whole database.",
            fix: "Give the service a login role of its own with the grants its schemas need, declare its URL with "
                + "`ConnectionURL(_:as:)`, and hand it that URL.",
            example: .networkFacingSuperuser(
                workload: "Deployment 'api'", env: "DATABASE_URL", key: "shopDbUrl", role: "postgres",
                authority: .superuser, database: "shop", facing: "Service 'api' selects its pods",
                facingLocation: other, urlLocation: other, at: at)),
        .init(
            "A workload is handed an ESC key that reads like a declared database's URL (it starts with the "
                + "database's name and ends in `url`), but the database declares no `ConnectionURL` for it, so the "
                + "role it connects as is unknown.",
            fix: "Declare `ConnectionURL(<key>, as: \"<role>\")` in the database (with `authority:` for an owner or "
                + "superuser).",
            example: .undeclaredURLRole(
                container: "api", env: "DATABASE_URL", key: "shopApiUrl", database: "shop", databaseLocation: other,
                at: at)),
        .init(
            "The planned migration would lose data or cannot be made in place (a dropped table or column, "
                + "a narrowing type change, a new NOT NULL column without a default).",
            fix: "Declare the intent (`Drop(..., because:)`, `.allowing(..., because:)`), or change the declaration.",
            example: .destructiveChange(
                "table s.t is in the committed schema but no longer declared; declare Drop(\"t\", because: \"...\") "
                    + "in schema 's' to drop it (its rows go with it), or restore it", at: at)),
        .init(
            "The database firewall admits no source, so no node could reach the databases.",
            fix: "Admit at least one node with a public IP.",
            example: .firewallAdmitsNothing(network: "abc123", at: at)),
        .init(
            "The database firewall's network is not a CrunchyBridge network ID.",
            fix: "Copy the network ID (letters and digits) from CrunchyBridge.",
            example: .invalidFirewallNetwork("db-net!", at: at)),
        .init(
            "A database firewall source cannot become a rule: its node has no public IP, "
                + "or the rule has no one-line description.",
            fix: "Declare the node's `publicIP:` and describe the rule on one line.",
            example: .firewallNodeWithoutIP("lab-1", at: at)),
        .init(
            "A committed migration file is misnamed, edited after it was committed, or its version is taken twice.",
            fix: "Restore the committed file; new changes go into a new migration that `oceanid-gen build` writes.",
            example: .invalidMigration("sql/shop/migrations/V1__short.sql", problem: "is not named V<NNNN>__<slug>.sql")
        ),
        .init(
            "A planned migration statement holds ACCESS EXCLUSIVE on a table that already exists while it scans or "
                + "rewrites it (a type change, SET NOT NULL, a new CHECK, PRIMARY KEY or UNIQUE): every query on the "
                + "table waits until it commits. The lock and the work of each statement kind are declared in "
                + "`StatementLocks` and proven on PostgreSQL 15.",
            fix: "On a small table, accept it. On a large one, apply the change in the online form the message names.",
            example: .lockingChange(
                StatementLocks.kinds.first { $0.name == "set not null" } ?? StatementLocks.kinds[0], table: "s.t",
                statement: "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"a\" SET NOT NULL;", at: at)),
        .init(
            "A database declaration PostgreSQL would refuse: unknown columns, tables, roles or types, "
                + "keys and grants that do not fit, names PostgreSQL keeps for itself.",
            fix: "Declare what is referenced, or reference what is declared.",
            example: .constraintOnUnknownColumn("b", constraint: "t_pkey", table: "s.t", known: ["a"], at: at)),
        .init(
            "A hint in the declaration has nothing left to do (a rename already made, a drop of something gone, "
                + "a role no longer declared).",
            fix: "Remove the hint; the committed schema already says what it asked for.",
            example: .tableAlreadyRenamed("s.t", hint: "old", at: at)),
    ]
}
