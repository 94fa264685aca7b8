import SchemaModel

/// The differences between the schema the committed migrations produce (the `schema` of
/// `sql/<db>/schema.lock.json`) and a live catalog (`CatalogReader`), one sentence each, in a
/// stable order: schemas, enums, tables, columns (type, nullability, identity, whether a
/// default exists, comment), constraints (by name and kind), indexes (columns, uniqueness),
/// roles (LOGIN), grants, comments. Not compared, because the lock keeps them as declared and
/// the server returns them normalized (`CHECK (x > 0)` comes back `CHECK ((x > 0))`, `'new'`
/// as `'new'::stage.review_status`): a constraint's clause and a default's expression.
/// Like Atlas' `schema diff` of an inspected database against the migration directory
/// (https://atlasgo.io/declarative/diff), and Flyway's drift report, offline of the compiler.
public enum SchemaDrift {
    /// Every difference between `expected` and `live`; empty when they agree.
    public static func differences(expected: SchemaState, live: SchemaState) -> [String] {
        var out: [String] = []
        if expected.comment != live.comment { out.append("the database's comment differs") }
        let schemas = pair(expected.schemas, live.schemas, \.name)
        for (name, e, l) in schemas {
            guard let e, let l else {
                out.append(missingOrExtra("schema \(name)", expected: e != nil))
                continue
            }
            if e.comment != l.comment { out.append("schema \(name): its comment differs") }
            for (enumName, ee, le) in pair(e.enums, l.enums, \.name) {
                guard let ee, let le else {
                    out.append(missingOrExtra("enum \(name).\(enumName)", expected: ee != nil))
                    continue
                }
                if ee.values != le.values {
                    out.append(
                        "enum \(name).\(enumName): values are \(le.values.joined(separator: ", ")), the migrations "
                            + "make \(ee.values.joined(separator: ", "))")
                }
            }
            for (tableName, et, lt) in pair(e.tables, l.tables, \.name) {
                guard let et, let lt else {
                    out.append(missingOrExtra("table \(name).\(tableName)", expected: et != nil))
                    continue
                }
                out += table("\(name).\(tableName)", et, lt)
            }
        }
        for (name, e, l) in pair(expected.roles, live.roles, \.name) {
            // A role the migrations do not create may hold grants made by hand: its grants say so.
            guard let e else { continue }
            guard let l else {
                out.append("role \(name) is missing or holds no privilege in this database")
                continue
            }
            if e.login != l.login {
                out.append(
                    "role \(name) is \(l.login ? "LOGIN" : "NOLOGIN"), the migrations make it "
                        + (e.login ? "LOGIN" : "NOLOGIN"))
            }
        }
        for (key, e, l) in pair(expected.grants, live.grants, { "\($0.role) on \($0.target)" }) {
            let revoked = Set(e?.privileges ?? []).subtracting(l?.privileges ?? []).sorted()
            let added = Set(l?.privileges ?? []).subtracting(e?.privileges ?? []).sorted()
            if !revoked.isEmpty {
                out.append("grant \(revoked.joined(separator: ", ")) to \(key) was revoked")
            }
            if !added.isEmpty {
                out.append("grant \(added.joined(separator: ", ")) to \(key) was made by hand")
            }
        }
        return out
    }

    static func table(_ name: String, _ e: SchemaState.TableDef, _ l: SchemaState.TableDef) -> [String] {
        var out: [String] = []
        if e.comment != l.comment { out.append("table \(name): its comment differs") }
        for (column, ec, lc) in pair(e.columns, l.columns, \.name) {
            guard let ec, let lc else {
                out.append(missingOrExtra("column \(name).\(column)", expected: ec != nil))
                continue
            }
            if ec.type != lc.type {
                out.append("column \(name).\(column) is \(lc.type), the migrations make \(ec.type)")
            }
            if ec.nullable != lc.nullable {
                out.append(
                    "column \(name).\(column) is \(lc.nullable ? "nullable" : "NOT NULL"), the migrations make "
                        + (ec.nullable ? "it nullable" : "it NOT NULL"))
            }
            if ec.identity != lc.identity { out.append("column \(name).\(column): identity differs") }
            if (ec.defaultExpression == nil) != (lc.defaultExpression == nil) {
                out.append(
                    "column \(name).\(column) "
                        + (lc.defaultExpression.map { "has DEFAULT \($0), the migrations make none" }
                            ?? "has no DEFAULT, the migrations make \(ec.defaultExpression ?? "")"))
            }
            if ec.comment != lc.comment { out.append("column \(name).\(column): its comment differs") }
        }
        for (constraint, ec, lc) in pair(e.constraints, l.constraints, \.name) {
            guard let ec, let lc else {
                out.append(missingOrExtra("constraint \(constraint) on \(name)", expected: ec != nil))
                continue
            }
            if ec.kind != lc.kind || ec.columns != lc.columns && ec.kind != "c" {
                out.append(
                    "constraint \(constraint) on \(name) is \(lc.definition), the migrations make \(ec.definition)")
            }
        }
        for (index, ei, li) in pair(e.indexes, l.indexes, \.name) {
            guard let ei, let li else {
                out.append(
                    missingOrExtra(
                        "index \(index) on \(name)" + (li.map { " (\($0.columns.joined(separator: ", ")))" } ?? ""),
                        expected: ei != nil))
                continue
            }
            if ei.columns != li.columns || ei.unique != li.unique {
                out.append(
                    "index \(index) on \(name) is \(li.unique ? "UNIQUE " : "")(\(li.columns.joined(separator: ", "))), "
                        + "the migrations make \(ei.unique ? "UNIQUE " : "")(\(ei.columns.joined(separator: ", ")))")
            }
        }
        return out
    }

    static func missingOrExtra(_ what: String, expected: Bool) -> String {
        expected
            ? "\(what) is missing (the migrations make it)" : "\(what) is not made by any migration (made by hand?)"
    }

    /// The two lists joined by key, in key order.
    static func pair<T>(_ expected: [T], _ live: [T], _ key: (T) -> String) -> [(String, T?, T?)] {
        let e = Dictionary(expected.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let l = Dictionary(live.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        return Set(e.keys).union(l.keys).sorted().map { ($0, e[$0], l[$0]) }
    }
}
