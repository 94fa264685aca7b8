import Compiler
import DSL

/// IR → `docs/databases/<database>.md`: the data dictionary of each declared database, from
/// its declaration and comments (the state its newest migration produces): every schema,
/// table and column with type, nullability, default and meaning; keys, checks and indexes;
/// enum types; roles and what they may do; and the migrations that built it.
public enum DataDictionaryEmitter {
    /// `docs/databases/<database>.md`: the page of one database.
    public static func path(_ database: String) -> String { OutputLayout.file("databases/\(database).md", in: .docs) }

    /// One Markdown page per entry of `FleetIR.databases`, in the IR's order; none when no database
    /// is declared.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.databases.map { database in
            GeneratedFile(
                path: path(database.name), syntax: .markdown, body: render(database), origin: database.location)
        }
    }

    /// A table cell (see `MarkdownTable.cell`).
    static func cell(_ text: String?) -> String { MarkdownTable.cell(text) }

    /// A code span in a table cell (see `MarkdownTable.code`).
    static func code(_ text: String?) -> String { MarkdownTable.code(text) }

    static func render(_ database: DatabaseIR) -> String {
        let state = database.declared
        var out = "# Database `\(database.name)`\n\n"
        if let comment = state.comment { out += comment + "\n\n" }
        let migrations = database.lock.migrations.map(\.file)
        if database.provision != nil {
            out +=
                "An application migrates everything inside this database. The fleet keeps only its roles and grants, "
                + "in `sql/\(database.name)/provision.sql` (idempotent, run on every apply); oceanid-gen keeps no "
                + "migration history in it.\n\n"
        } else {
            out +=
                "Schema version V\(String(format: "%04d", state.version)), built by \(migrations.count) migration\(migrations.count == 1 ? "" : "s") "
                + "under `sql/\(database.name)/migrations/` (generated from `definitions/`; see the README's \"Databases and migrations\").\n\n"
        }
        if !state.schemas.isEmpty { out += "| schema | tables | meaning |\n|---|---|---|\n" }
        for schema in state.schemas {
            out += "| `\(schema.name)` | \(schema.tables.count) | \(cell(schema.comment)) |\n"
        }
        for schema in state.schemas {
            out += "\n## Schema `\(schema.name)`\n\n"
            if let comment = schema.comment { out += comment + "\n\n" }
            for e in schema.enums {
                out +=
                    "- enum `\(schema.name).\(e.name)`: " + e.values.map { "`\($0)`" }.joined(separator: ", ")
                    + (e.comment.map { " — \($0)" } ?? "") + "\n"
            }
            if !schema.enums.isEmpty { out += "\n" }
            for table in schema.tables {
                out += "### `\(schema.name).\(table.name)`\n\n"
                if let comment = table.comment { out += comment + "\n\n" }
                out += "| column | type | null | default | meaning |\n|---|---|---|---|---|\n"
                for column in table.columns {
                    let type = column.type + (column.identity ? " (identity)" : "")
                    out +=
                        "| `\(column.name)` | \(code(type)) | \(column.nullable ? "yes" : "no") | \(code(column.defaultExpression)) | \(cell(column.comment)) |\n"
                }
                if !table.constraints.isEmpty || !table.indexes.isEmpty {
                    out += "\n"
                    for constraint in table.constraints {
                        out += "- `\(constraint.name)`: \(code(constraint.definition))\n"
                    }
                    for index in table.indexes {
                        out +=
                            "- index `\(index.name)`\(index.unique ? " (unique)" : ""): "
                            + index.columns.map { "`\($0)`" }.joined(separator: ", ") + "\n"
                    }
                }
                out += "\n"
            }
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        if !state.roles.isEmpty || !state.grants.isEmpty {
            out += "\n## Roles and privileges\n\n| role | login | may | meaning |\n|---|---|---|---|\n"
            for role in state.roles {
                let grants = state.grants.filter { $0.role == role.name }.map { grant -> String in
                    let target =
                        grant.target == "database"
                        ? "the database"
                        : grant.target.hasPrefix("schema:")
                            ? "schema `\(grant.target.dropFirst(7))`"
                            : "every table of `\(grant.target.dropFirst(7))`"
                    return grant.privileges.joined(separator: ", ") + " on " + target
                }
                out +=
                    "| `\(role.name)` | \(role.login ? "yes" : "no") | \(cell(grants.joined(separator: "; "))) | \(cell(role.comment)) |\n"
            }
        }
        return out
    }
}
