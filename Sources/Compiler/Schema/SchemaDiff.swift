import DSL

/// One change of a migration: what it does (for the file's header), where it was declared,
/// and its SQL, in a phase that orders it against the others (schemas before tables, tables
/// before their constraints, drops late).
public struct SchemaChange: Hashable, Sendable {
    /// When a change runs within its migration, in declaration order of the cases: schemas,
    /// roles, types, renames, dropped constraints, new tables, columns, constraints, foreign keys,
    /// indexes, dropped columns, dropped tables, grants, comments: what a change needs is made in an
    /// earlier phase.
    public enum Phase: Int, Comparable, Sendable {
        case schemas, roles, types, renames, dropConstraints, createTables, columns, constraints, foreignKeys, indexes,
            dropColumns, dropTables, grants, comments
        /// Phase order: the order changes are written in a migration.
        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }
    /// Orders the change against the others of its migration.
    public var phase: Phase
    /// One line saying what it does (`create schema curated`), written as a `--` comment in
    /// the migration's header with the declaration's file and line.
    public var summary: String
    /// The SQL of the change, one or more statements each ending with `;`; the migration's
    /// body is every change's SQL joined by newlines.
    public var sql: String
    /// The declaration that asked for the change (for diagnostics and the header); nil for one that no
    /// single declaration recorded (the database's comment).
    public var location: SourceLocation?
    /// A short name for the migration's slug (`add_column_vessels_call_sign`).
    public var slug: String
    /// Must be committed before the rest of the migration can use it (a new enum value:
    /// PostgreSQL refuses its "unsafe use" in the transaction that adds it).
    public var commitsFirst = false
}

/// The difference between the schema the committed migrations produced and the declared
/// one, as ordered changes, or the diagnostics that refuse it.
///
/// Rules (anchored on Atlas' and sqldef's destructive-change analysis, see the README):
/// new objects are free; renames need `.renamed(from:)`; dropping a table or column needs a
/// `Drop(name, because:)` declaration, and a dropped column may not be used by an index or
/// constraint that stays; a type change is free only when it widens (`varchar(n)` to larger
/// or `text`, `numeric` to more precision, `smallint` → `integer` → `bigint`), otherwise it
/// needs `.allowing(.narrowing, because:)`; `SET NOT NULL` on a column without a default
/// needs `.allowing(.setNotNull, because:)`; a new NOT NULL column on an existing table needs
/// a default; enum values may only be appended; schemas and enum types are never dropped.
enum SchemaDiff {
    static func changes(
        from old: SchemaState, to new: SchemaState, database: Database,
        locations: SchemaState.Locations
    ) -> (changes: [SchemaChange], diagnostics: [Diagnostic]) {
        var d = Differ(old: old, new: new, database: database, locations: locations)
        d.run()
        let ordered = d.changes.enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }
            .map(\.element)
        return (ordered, d.diagnostics)
    }
}

private struct Differ {
    var old: SchemaState
    let new: SchemaState
    let database: Database
    let locations: SchemaState.Locations
    var changes: [SchemaChange] = []
    var diagnostics: [Diagnostic] = []

    init(old: SchemaState, new: SchemaState, database: Database, locations: SchemaState.Locations) {
        self.old = old
        self.new = new
        self.database = database
        self.locations = locations
    }

    var databaseLocation: SourceLocation { locations["database:\(database.name)"] ?? database.location }

    mutating func add(
        _ phase: SchemaChange.Phase, _ summary: String, _ sql: String, at key: String? = nil, slug: String,
        commitsFirst: Bool = false
    ) {
        changes.append(
            SchemaChange(
                phase: phase, summary: summary, sql: sql, location: key.flatMap { locations[$0] }, slug: slug,
                commitsFirst: commitsFirst))
    }

    mutating func refuse(_ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.destructiveChange(message, at: location ?? databaseLocation, notes: notes))
    }

    mutating func run() {
        followRenames()
        schemas()
        roles()
        for schema in new.schemas { enums(schema) }
        for schema in new.schemas { tables(schema) }
        grants()
        if old.comment != new.comment {
            let literal = new.comment.map { "quote_literal(\(SQL.literal($0)))" } ?? "'NULL'"
            let tag = SQL.dollarTag(avoiding: literal)
            add(
                .comments, "comment on database",
                """
                DO \(tag) BEGIN EXECUTE format('COMMENT ON DATABASE %I IS %s', current_database(), \(literal)); END \(tag);
                """, slug: "comment_database")
        }
    }

    // MARK: Schemas, roles, enums

    mutating func schemas() {
        for schema in new.schemas where old.schema(schema.name) == nil {
            add(
                .schemas, "create schema \(schema.name)", "CREATE SCHEMA \(SQL.id(schema.name));",
                at: "schema:\(schema.name)",
                slug: "create_schema_\(schema.name)")
        }
        for schema in new.schemas {
            let before = old.schema(schema.name)?.comment
            if before != schema.comment {
                add(
                    .comments, "comment on schema \(schema.name)",
                    "COMMENT ON SCHEMA \(SQL.id(schema.name)) IS \(comment(schema.comment));",
                    at: "schema:\(schema.name)", slug: "comment_schema_\(schema.name)")
            }
        }
        for schema in old.schemas where new.schema(schema.name) == nil {
            refuse(
                "schema '\(schema.name)' is in the committed schema but no longer declared; oceanid-gen never drops a schema (drop its tables with Drop(...), keep the schema)",
                at: databaseLocation)
        }
    }

    mutating func roles() {
        // Roles are shared by every database of the server, so one no longer declared stays
        // (its grants here are revoked below); say so rather than leave it silently.
        for role in old.roles where !new.roles.contains(where: { $0.name == role.name }) {
            diagnostics.append(.staleRole(role.name, database: database.name, at: databaseLocation))
        }
        for role in new.roles {
            let attribute = role.login ? "LOGIN" : "NOLOGIN"
            if let before = old.roles.first(where: { $0.name == role.name }) {
                if before.login != role.login {
                    add(
                        .roles, "role \(role.name) \(attribute)", "ALTER ROLE \(SQL.id(role.name)) \(attribute);",
                        at: "role:\(role.name)",
                        slug: "alter_role_\(role.name)")
                }
            } else {
                // Roles are cluster-wide: create only when missing, never with a password.
                add(
                    .roles, "create role \(role.name) (\(attribute))",
                    """
                    DO $role$ BEGIN
                      IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(SQL.literal(role.name))) THEN
                        CREATE ROLE \(SQL.id(role.name)) \(attribute);
                      END IF;
                    END $role$;
                    """, at: "role:\(role.name)", slug: "create_role_\(role.name)")
            }
            if old.roles.first(where: { $0.name == role.name })?.comment != role.comment {
                add(
                    .comments, "comment on role \(role.name)",
                    "COMMENT ON ROLE \(SQL.id(role.name)) IS \(comment(role.comment));",
                    at: "role:\(role.name)", slug: "comment_role_\(role.name)")
            }
        }
    }

    mutating func enums(_ schema: SchemaState.SchemaDef) {
        let before = old.schema(schema.name)
        for e in schema.enums {
            let key = "enum:\(schema.name).\(e.name)"
            let name = SQL.qualified(schema.name, e.name)
            guard let previous = before?.enums.first(where: { $0.name == e.name }) else {
                add(
                    .types, "create enum \(schema.name).\(e.name)",
                    "CREATE TYPE \(name) AS ENUM (\(e.values.map(SQL.literal).joined(separator: ", ")));",
                    at: key, slug: "create_type_\(e.name)")
                if let c = e.comment {
                    add(
                        .comments, "comment on type \(schema.name).\(e.name)",
                        "COMMENT ON TYPE \(name) IS \(comment(c));", at: key, slug: "comment")
                }
                continue
            }
            if Array(e.values.prefix(previous.values.count)) != previous.values {
                refuse(
                    "enum \(schema.name).\(e.name) changes values [\(previous.values.joined(separator: ", "))] to [\(e.values.joined(separator: ", "))]; values may only be appended (PostgreSQL cannot remove or reorder them in place)",
                    at: locations[key])
                continue
            }
            for value in e.values.dropFirst(previous.values.count) {
                add(
                    .types, "add value '\(value)' to enum \(schema.name).\(e.name)",
                    "ALTER TYPE \(name) ADD VALUE \(SQL.literal(value));",
                    at: key, slug: "add_value_\(e.name)", commitsFirst: true)
            }
            if previous.comment != e.comment {
                add(
                    .comments, "comment on type \(schema.name).\(e.name)",
                    "COMMENT ON TYPE \(name) IS \(comment(e.comment));", at: key, slug: "comment")
            }
        }
        for e in before?.enums ?? [] where !schema.enums.contains(where: { $0.name == e.name }) {
            refuse(
                "enum type \(schema.name).\(e.name) is in the committed schema but no longer declared; oceanid-gen does not drop types",
                at: locations["schema:\(schema.name)"])
        }
    }

    // MARK: Tables

    func declaredTable(_ schema: String, _ name: String) -> Table? {
        database.schemas.first { $0.name == schema }?.tables.first { $0.name == name }
    }

    mutating func tables(_ schema: SchemaState.SchemaDef) {
        let before = old.schema(schema.name)
        let declaredSchema = database.schemas.first { $0.name == schema.name }
        var matched: Set<String> = []
        for table in schema.tables {
            let key = "table:\(schema.name).\(table.name)"
            let hint = declaredTable(schema.name, table.name)?.renamedFrom
            if let previous = before?.tables.first(where: { $0.name == table.name }) {
                matched.insert(table.name)
                if let hint {
                    diagnostics.append(
                        .tableAlreadyRenamed(
                            "\(schema.name).\(table.name)", hint: hint,
                            at: locations[key] ?? databaseLocation))
                }
                alter(schema.name, previous, table)
            } else if let hint, let previous = before?.tables.first(where: { $0.name == hint }) {
                if schema.tables.contains(where: { $0.name == hint }) {
                    refuse(
                        "table \(schema.name).\(table.name) is renamed from '\(hint)', but '\(hint)' is still declared",
                        at: locations[key])
                    continue
                }
                matched.insert(hint)
                add(
                    .renames, "rename table \(schema.name).\(hint) to \(table.name)",
                    "ALTER TABLE \(SQL.qualified(schema.name, hint)) RENAME TO \(SQL.id(table.name));", at: key,
                    slug: "rename_table_\(hint)_to_\(table.name)")
                var renamed = previous
                renamed.name = table.name
                // Constraints and indexes keep their names through a rename; the declaration decides them.
                alter(schema.name, renamed, table)
            } else {
                // On a database with no history yet, a rename hint has nothing to rename.
                if let hint, !old.schemas.isEmpty {
                    refuse(
                        "table \(schema.name).\(table.name) is renamed from '\(hint)', which the committed schema does not have",
                        at: locations[key])
                    continue
                }
                create(schema.name, table)
            }
        }
        for table in before?.tables ?? [] where !matched.contains(table.name) {
            if let drop = declaredSchema?.drops.first(where: { $0.name == table.name }) {
                for constraint in table.constraints where constraint.kind == "f" {
                    add(
                        .dropConstraints, "drop constraint \(constraint.name)",
                        "ALTER TABLE \(SQL.qualified(schema.name, table.name)) DROP CONSTRAINT \(SQL.id(constraint.name));",
                        slug: "drop")
                }
                changes.append(
                    SchemaChange(
                        phase: .dropTables, summary: "drop table \(schema.name).\(table.name): \(drop.reason)",
                        sql: "DROP TABLE \(SQL.qualified(schema.name, table.name));", location: drop.location,
                        slug: "drop_table_\(table.name)"))
            } else {
                refuse(
                    "table \(schema.name).\(table.name) is in the committed schema but no longer declared; declare Drop(\"\(table.name)\", because: \"...\") in schema '\(schema.name)' to drop it (its rows go with it), or restore it",
                    at: locations["schema:\(schema.name)"])
            }
        }
        for drop in declaredSchema?.drops ?? [] where before?.tables.contains(where: { $0.name == drop.name }) != true {
            diagnostics.append(.staleTableDrop(drop.name, schema: schema.name, at: drop.location))
        }
    }

    func columnSQL(_ c: SchemaState.ColumnDef) -> String {
        var text = "\(SQL.id(c.name)) \(SQL.type(c.type))"
        if c.identity { text += " GENERATED ALWAYS AS IDENTITY" }
        if !c.nullable { text += " NOT NULL" }
        if let d = c.defaultExpression { text += " DEFAULT \(d)" }
        return text
    }

    mutating func create(_ schema: String, _ table: SchemaState.TableDef) {
        let key = "table:\(schema).\(table.name)"
        let name = SQL.qualified(schema, table.name)
        add(
            .createTables, "create table \(schema).\(table.name)",
            "CREATE TABLE \(name) (\n" + table.columns.map { "    " + columnSQL($0) }.joined(separator: ",\n") + "\n);",
            at: key,
            slug: "create_table_\(table.name)")
        for constraint in table.constraints { addConstraint(schema, table.name, constraint) }
        for index in table.indexes { createIndex(schema, table.name, index) }
        comments(schema, table, previous: nil)
    }

    mutating func addConstraint(_ schema: String, _ table: String, _ c: SchemaState.ConstraintDef) {
        add(
            c.kind == "f" ? .foreignKeys : .constraints, "add constraint \(c.name) on \(schema).\(table)",
            "ALTER TABLE \(SQL.qualified(schema, table)) ADD CONSTRAINT \(SQL.id(c.name)) \(c.definition);",
            at: "constraint:\(schema).\(table).\(c.name)", slug: "add_constraint_\(c.name)")
    }

    mutating func createIndex(_ schema: String, _ table: String, _ i: SchemaState.IndexDef) {
        add(
            .indexes, "create index \(i.name) on \(schema).\(table)",
            "CREATE \(i.unique ? "UNIQUE " : "")INDEX \(SQL.id(i.name)) ON \(SQL.qualified(schema, table)) (\(SQL.columns(i.columns)));",
            at: "index:\(schema).\(table).\(i.name)", slug: "add_index_\(i.name)")
    }

    mutating func comments(_ schema: String, _ table: SchemaState.TableDef, previous: SchemaState.TableDef?) {
        let name = SQL.qualified(schema, table.name)
        if table.comment != previous?.comment, table.comment != nil || previous != nil {
            add(
                .comments, "comment on table \(schema).\(table.name)",
                "COMMENT ON TABLE \(name) IS \(comment(table.comment));",
                at: "table:\(schema).\(table.name)", slug: "comment")
        }
        for column in table.columns {
            let before = previous?.columns.first { $0.name == column.name }
            if column.comment != before?.comment, column.comment != nil || before != nil {
                add(
                    .comments, "comment on column \(schema).\(table.name).\(column.name)",
                    "COMMENT ON COLUMN \(name).\(SQL.id(column.name)) IS \(comment(column.comment));",
                    at: "column:\(schema).\(table.name).\(column.name)", slug: "comment")
            }
        }
    }

    /// The changes that turn `previous` (already renamed to the declared name) into `table`.
    mutating func alter(_ schema: String, _ committed: SchemaState.TableDef, _ table: SchemaState.TableDef) {
        var previous = committed
        let tableKey = "\(schema).\(table.name)"
        let name = SQL.qualified(schema, table.name)
        let declared = declaredTable(schema, table.name)
        var current = previous.columns
        // Renamed columns first, so the rest compares by the new names.
        for column in table.columns {
            guard let hint = declared?.columns.first(where: { $0.name == column.name })?.renamedFrom else { continue }
            let key = "column:\(tableKey).\(column.name)"
            if current.contains(where: { $0.name == column.name }) {
                diagnostics.append(
                    .columnAlreadyRenamed(
                        column.name, table: tableKey, hint: hint,
                        at: locations[key] ?? databaseLocation))
            } else if let i = current.firstIndex(where: { $0.name == hint }) {
                if table.columns.contains(where: { $0.name == hint }) {
                    refuse(
                        "column \(tableKey).\(column.name) is renamed from '\(hint)', but '\(hint)' is still declared",
                        at: locations[key])
                    continue
                }
                add(
                    .renames, "rename column \(tableKey).\(hint) to \(column.name)",
                    "ALTER TABLE \(name) RENAME COLUMN \(SQL.id(hint)) TO \(SQL.id(column.name));", at: key,
                    slug: "rename_column_\(table.name)_\(hint)")
                current[i].name = column.name
                // PostgreSQL carries the rename into the table's constraints and indexes.
                previous.constraints = previous.constraints.map { Self.renaming(column: hint, to: column.name, in: $0) }
                previous.indexes = previous.indexes.map { i in
                    var i = i
                    i.columns = i.columns.map { $0 == hint ? column.name : $0 }
                    return i
                }
            } else if !old.schemas.isEmpty {
                refuse(
                    "column \(tableKey).\(column.name) is renamed from '\(hint)', which table \(tableKey) does not have",
                    at: locations[key])
            }
        }
        // A constraint or index whose name alone changed (a renamed table's defaults) is renamed,
        // not dropped and re-added: a primary key other tables reference cannot be dropped.
        let declaredNames = Set(table.constraints.map(\.name))
        for c in table.constraints where !previous.constraints.contains(where: { $0.name == c.name }) {
            if let i = previous.constraints.firstIndex(where: {
                $0.definition == c.definition && $0.kind == c.kind && !declaredNames.contains($0.name)
            }) {
                add(
                    .renames, "rename constraint \(previous.constraints[i].name) to \(c.name)",
                    "ALTER TABLE \(name) RENAME CONSTRAINT \(SQL.id(previous.constraints[i].name)) TO \(SQL.id(c.name));",
                    at: "constraint:\(tableKey).\(c.name)", slug: "rename_constraint_\(c.name)")
                previous.constraints[i].name = c.name
            }
        }
        let declaredIndexes = Set(table.indexes.map(\.name))
        for index in table.indexes where !previous.indexes.contains(where: { $0.name == index.name }) {
            if let i = previous.indexes.firstIndex(where: {
                $0.columns == index.columns && $0.unique == index.unique && !declaredIndexes.contains($0.name)
            }) {
                add(
                    .renames, "rename index \(previous.indexes[i].name) to \(index.name)",
                    "ALTER INDEX \(SQL.qualified(schema, previous.indexes[i].name)) RENAME TO \(SQL.id(index.name));",
                    at: "index:\(tableKey).\(index.name)", slug: "rename_index_\(index.name)")
                previous.indexes[i].name = index.name
            }
        }
        let constraintsBefore = Dictionary(previous.constraints.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let constraintsAfter = Dictionary(table.constraints.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let indexesBefore = Dictionary(previous.indexes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let indexesAfter = Dictionary(table.indexes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Constraints and indexes that go or change: dropped first.
        for c in previous.constraints where constraintsAfter[c.name] != c {
            add(
                .dropConstraints, "drop constraint \(c.name) on \(tableKey)",
                "ALTER TABLE \(name) DROP CONSTRAINT \(SQL.id(c.name));",
                at: "constraint:\(tableKey).\(c.name)", slug: "drop_constraint_\(c.name)")
        }
        for i in previous.indexes where indexesAfter[i.name] != i {
            add(
                .dropConstraints, "drop index \(i.name)", "DROP INDEX \(SQL.qualified(schema, i.name));",
                at: "index:\(tableKey).\(i.name)", slug: "drop_index_\(i.name)")
        }
        for column in table.columns {
            let key = "column:\(tableKey).\(column.name)"
            guard let before = current.first(where: { $0.name == column.name }) else {
                if !column.nullable && column.defaultExpression == nil && !column.identity {
                    refuse(
                        "new column \(tableKey).\(column.name) is NOT NULL without a default, which fails on a table with rows; give it a default or make it nullable (and tighten it later)",
                        at: locations[key])
                    continue
                }
                add(
                    .columns, "add column \(tableKey).\(column.name)",
                    "ALTER TABLE \(name) ADD COLUMN \(columnSQL(column));", at: key,
                    slug: "add_column_\(table.name)_\(column.name)")
                continue
            }
            let allowance = declared?.columns.first { $0.name == column.name }?.allowed
            let column_ = SQL.id(column.name)
            if before.type != column.type {
                let widening = Self.widens(before.type, to: column.type)
                if widening || allowance?.kind == .narrowing {
                    // A default of the old type may not cast: it goes first and comes back after.
                    if before.defaultExpression != nil {
                        add(
                            .columns, "drop default of \(tableKey).\(column.name) for its type change",
                            "ALTER TABLE \(name) ALTER COLUMN \(column_) DROP DEFAULT;", at: key,
                            slug: "alter_column_\(table.name)_\(column.name)")
                    }
                    // Enum to enum goes through text; a narrowing first proves no value changes
                    // (a plain cast would cut or round it silently).
                    let target = SQL.type(column.type)
                    let via = before.type.contains(".") || column.type.contains(".") ? "::text" : ""
                    var sql = ""
                    if !widening {
                        let tag = SQL.dollarTag(avoiding: tableKey + column.name)
                        sql += """
                            DO \(tag) BEGIN
                              IF EXISTS (SELECT 1 FROM \(name) WHERE ((\(column_)\(via)::\(target))\(via)::\(SQL.type(before.type))) IS DISTINCT FROM \(column_)) THEN
                                RAISE EXCEPTION 'narrowing \(tableKey).\(column.name) to \(column.type) would change stored values; fix the rows first';
                              END IF;
                            END \(tag);

                            """
                    }
                    sql +=
                        "ALTER TABLE \(name) ALTER COLUMN \(column_) TYPE \(target) USING \(column_)\(via)::\(target);"
                    if let d = column.defaultExpression, before.defaultExpression != nil {
                        sql += "\nALTER TABLE \(name) ALTER COLUMN \(column_) SET DEFAULT \(d);"
                    }
                    add(
                        .columns,
                        "change type of \(tableKey).\(column.name) from \(before.type) to \(column.type)"
                            + (allowance.map { ": \($0.reason)" } ?? ""), sql, at: key,
                        slug: "alter_column_\(table.name)_\(column.name)")
                } else {
                    refuse(
                        "column \(tableKey).\(column.name) changes type from \(before.type) to \(column.type), which may not hold every value; declare .allowing(.narrowing, because: \"...\") to accept it (the migration then refuses to run if any value would change)",
                        at: locations[key])
                }
            }
            if before.identity != column.identity {
                refuse(
                    "column \(tableKey).\(column.name) \(column.identity ? "becomes" : "stops being") an identity column; oceanid-gen does not change identity in place",
                    at: locations[key])
            }
            // A type change moved the default (dropped before, set again after): nothing more.
            let defaultMoved = before.type != column.type && before.defaultExpression != nil
            if before.defaultExpression != column.defaultExpression && !defaultMoved {
                add(
                    .columns,
                    "\(column.defaultExpression == nil ? "drop" : "set") default of \(tableKey).\(column.name)",
                    "ALTER TABLE \(name) ALTER COLUMN \(column_) "
                        + (column.defaultExpression.map { "SET DEFAULT \($0);" } ?? "DROP DEFAULT;"),
                    at: key, slug: "alter_column_\(table.name)_\(column.name)")
            }
            if before.nullable && !column.nullable {
                if column.defaultExpression == nil && allowance?.kind != .setNotNull && !column.identity {
                    refuse(
                        "column \(tableKey).\(column.name) becomes NOT NULL without a default, which fails if any row holds NULL; declare .allowing(.setNotNull, because: \"...\") to accept it",
                        at: locations[key])
                } else {
                    // Rows holding NULL take the default first, or SET NOT NULL fails on them.
                    let backfill =
                        column.defaultExpression.map {
                            "UPDATE \(name) SET \(column_) = \($0) WHERE \(column_) IS NULL;\n"
                        } ?? ""
                    add(
                        .columns,
                        "set not null on \(tableKey).\(column.name)" + (allowance.map { ": \($0.reason)" } ?? "")
                            + (backfill.isEmpty ? "" : " (NULLs take the default)"),
                        backfill + "ALTER TABLE \(name) ALTER COLUMN \(column_) SET NOT NULL;", at: key,
                        slug: "alter_column_\(table.name)_\(column.name)")
                }
            } else if !before.nullable && column.nullable {
                add(
                    .columns, "drop not null on \(tableKey).\(column.name)",
                    "ALTER TABLE \(name) ALTER COLUMN \(SQL.id(column.name)) DROP NOT NULL;", at: key,
                    slug: "alter_column_\(table.name)_\(column.name)")
            }
        }
        for column in current where !table.columns.contains(where: { $0.name == column.name }) {
            guard let drop = declared?.drops.first(where: { $0.name == column.name }) else {
                // A rename looks like a drop and an add: name the declaration that keeps the values.
                // The new columns of this table, those of the same type first, are the candidates.
                let added = table.columns.filter { new in !current.contains { $0.name == new.name } }
                let renamed = added.first { $0.type == column.type } ?? added.first
                let notes =
                    renamed.map { to -> [Diagnostic.Note] in
                        [
                            .init(
                                "if '\(column.name)' was renamed to '\(to.name)', declare it "
                                    + "Column(\"\(to.name)\", ...).renamed(from: \"\(column.name)\") to keep its values",
                                at: locations["column:\(tableKey).\(to.name)"])
                        ]
                    } ?? []
                refuse(
                    "column \(tableKey).\(column.name) is in the committed schema but no longer declared; to rename it, "
                        + "declare .renamed(from: \"\(column.name)\") on its new column (its values are kept); to drop "
                        + "it, declare Drop(\"\(column.name)\", because: \"...\") in table '\(table.name)' (its values "
                        + "go with it); or restore it",
                    at: locations["table:\(tableKey)"], notes: notes)
                continue
            }
            let users =
                table.indexes.filter { $0.columns.contains(column.name) }.map { "index \($0.name)" }
                + table.constraints.filter {
                    $0.columns.contains(column.name) || Self.mentions($0.definition, column.name)
                }
                .map { "constraint \($0.name)" }
            if !users.isEmpty {
                refuse(
                    "column \(tableKey).\(column.name) is dropped, but \(users.joined(separator: " and ")) still uses it; change or remove \(users.count == 1 ? "it" : "them") in the same declaration",
                    at: drop.location)
                continue
            }
            changes.append(
                SchemaChange(
                    phase: .dropColumns, summary: "drop column \(tableKey).\(column.name): \(drop.reason)",
                    sql: "ALTER TABLE \(name) DROP COLUMN \(SQL.id(column.name));", location: drop.location,
                    slug: "drop_column_\(table.name)_\(column.name)"))
        }
        for drop in declared?.drops ?? [] where !current.contains(where: { $0.name == drop.name }) {
            diagnostics.append(.staleColumnDrop(drop.name, table: tableKey, at: drop.location))
        }
        for c in table.constraints where constraintsBefore[c.name] != c { addConstraint(schema, table.name, c) }
        for i in table.indexes where indexesBefore[i.name] != i { createIndex(schema, table.name, i) }
        var renamedPrevious = previous
        renamedPrevious.columns = current
        comments(schema, table, previous: renamedPrevious)
    }

    /// A constraint after PostgreSQL renamed one of its table's columns.
    static func renaming(column old: String, to new: String, in c: SchemaState.ConstraintDef)
        -> SchemaState.ConstraintDef
    {
        var c = c
        c.columns = c.columns.map { $0 == old ? new : $0 }
        if let references = c.definition.range(of: " REFERENCES ") {
            // Only the local side of a foreign key names this table's columns.
            c.definition =
                c.definition[..<references.lowerBound].replacingOccurrences(of: SQL.id(old), with: SQL.id(new))
                + c.definition[references.lowerBound...]
        } else {
            c.definition = c.definition.replacingOccurrences(of: SQL.id(old), with: SQL.id(new))
        }
        return c
    }

    /// Renames declared with `.renamed(from:)` change what other tables' foreign keys say
    /// in the committed state too (PostgreSQL follows them): rewrite those references first,
    /// so the diff sees them unchanged.
    mutating func followRenames() {
        for schema in database.schemas {
            for table in schema.tables {
                let tableHint = table.renamedFrom.flatMap { hint in
                    old.table(schema.name, hint) != nil && old.table(schema.name, table.name) == nil ? hint : nil
                }
                let columnHints = table.columns.compactMap { c in c.renamedFrom.map { ($0, c.name) } }
                guard tableHint != nil || !columnHints.isEmpty else { continue }
                let before = "\(schema.name).\(tableHint ?? table.name)"
                for s in old.schemas.indices {
                    for t in old.schemas[s].tables.indices {
                        old.schemas[s].tables[t].constraints = old.schemas[s].tables[t].constraints.map { c in
                            guard c.kind == "f", c.references == before, let at = c.definition.range(of: " REFERENCES ")
                            else { return c }
                            var c = c
                            var target = String(c.definition[at.lowerBound...])
                            if let hint = tableHint {
                                target = target.replacingOccurrences(
                                    of: SQL.qualified(schema.name, hint), with: SQL.qualified(schema.name, table.name))
                                c.references = "\(schema.name).\(table.name)"
                            }
                            for (oldColumn, newColumn) in columnHints {
                                target = target.replacingOccurrences(of: SQL.id(oldColumn), with: SQL.id(newColumn))
                            }
                            c.definition = String(c.definition[..<at.lowerBound]) + target
                            return c
                        }
                    }
                }
            }
        }
    }

    /// Whether an SQL expression names the column (as a whole word, quoted or not).
    static func mentions(_ expression: String, _ column: String) -> Bool {
        if expression.contains("\"\(column)\"") { return true }
        var word = ""
        for c in expression + " " {
            if c.isLetter || c.isNumber || c == "_" {
                word.append(c)
                continue
            }
            if word == column { return true }
            word = ""
        }
        return false
    }

    /// A type change that keeps every value: more characters, more precision, a wider integer.
    static func widens(_ from: String, to: String) -> Bool {
        func number(_ s: String, prefix: String) -> [Int]? {
            guard s.hasPrefix(prefix + "("), s.hasSuffix(")") else { return nil }
            return s.dropFirst(prefix.count + 1).dropLast().split(separator: ",").compactMap { Int($0) }
        }
        let integers = ["smallint", "integer", "bigint"]
        if let a = integers.firstIndex(of: from), let b = integers.firstIndex(of: to) { return b > a }
        if let a = number(from, prefix: "character varying") {
            if to == "text" { return true }
            if let b = number(to, prefix: "character varying") { return b[0] > a[0] }
        }
        if let a = number(from, prefix: "numeric"), let b = number(to, prefix: "numeric"), a.count == 2, b.count == 2 {
            // As many integer digits or more, and as many decimals or more.
            return b[0] - b[1] >= a[0] - a[1] && b[1] >= a[1] && b != a
        }
        return false
    }

    // MARK: Grants

    func grantTarget(_ target: String) -> (kind: String, name: String) {
        let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    func grantSQL(_ verb: String, _ privileges: [String], _ g: SchemaState.GrantDef) -> String {
        let list = privileges.joined(separator: ", ")
        let to = verb == "GRANT" ? "TO" : "FROM"
        let (kind, name) = grantTarget(g.target)
        switch kind {
        case "database":
            // The database's own name is not written in: the same file applies to any copy (tests, staging).
            return
                "DO $grant$ BEGIN EXECUTE format('\(verb) \(list) ON DATABASE %I \(to) %I', current_database(), \(SQL.literal(g.role))); END $grant$;"
        case "schema":
            return "\(verb) \(list) ON SCHEMA \(SQL.id(name)) \(to) \(SQL.id(g.role));"
        default:
            // Tables that exist, and (default privileges of the migrating role) those to come.
            return "\(verb) \(list) ON ALL TABLES IN SCHEMA \(SQL.id(name)) \(to) \(SQL.id(g.role));\n"
                + "ALTER DEFAULT PRIVILEGES IN SCHEMA \(SQL.id(name)) \(verb) \(list) ON TABLES \(to) \(SQL.id(g.role));"
        }
    }

    mutating func grants() {
        let before = Dictionary(old.grants.map { ("\($0.role) \($0.target)", $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.grants.map { ("\($0.role) \($0.target)", $0) }, uniquingKeysWith: { a, _ in a })
        for g in new.grants {
            let key = "\(g.role) \(g.target)"
            let added = g.privileges.filter { !(before[key]?.privileges.contains($0) ?? false) }
            if !added.isEmpty {
                add(
                    .grants, "grant \(added.joined(separator: ", ")) on \(g.target) to \(g.role)",
                    grantSQL("GRANT", added, g), at: "grant:\(key)",
                    slug: "grant_\(g.role)")
            }
        }
        for g in old.grants {
            let key = "\(g.role) \(g.target)"
            let removed = g.privileges.filter { !(after[key]?.privileges.contains($0) ?? false) }
            if !removed.isEmpty {
                add(
                    .grants, "revoke \(removed.joined(separator: ", ")) on \(g.target) from \(g.role)",
                    grantSQL("REVOKE", removed, g),
                    slug: "revoke_\(g.role)")
            }
        }
    }

    func comment(_ text: String?) -> String { text.map(SQL.literal) ?? "NULL" }
}
