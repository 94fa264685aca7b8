import DSL
import Foundation
import Rendering

/// Adopting a live database, like Flyway's `baseline`
/// (https://documentation.red-gate.com/fd/baseline-184127456.html): the live catalog, read by
/// `oceanid-apply db inspect <db>` and committed as `sql/<db>/baseline.json`, becomes V0001 of
/// the database's history, a migration that is never run where the baseline came from but recorded
/// there by `oceanid-apply db adopt <db>` (`sql/<db>/adopt.sql`, generated here); the next migration
/// goes from the baseline to the declaration.
///
/// Rules:
/// - The history is regenerated from the baseline when `baseline.json`'s SHA-256 is not the one the
///   lock records (a new or re-inspected baseline), and only while the database is not declared
///   `.adopted()`: the definitions say when a history has been applied where it matters, and after
///   that a changed baseline is the error `baseline-changed-after-adoption`.
/// - V0001 creates the baseline on an empty database with the tool's own `control.schema_versions`
///   in place of the baseline's (a history table from before oceanid-gen has no `checksum`);
///   `adopt.sql` upgrades the live one to exactly that table, keeping its rows.
/// - The baseline keeps the server's spelling of check clauses, defaults and keys
///   (`pg_get_constraintdef`, `pg_get_expr`); before diffing, a clause whose `canonical` form equals
///   the declared one's takes the declared spelling, so a rewritten clause is not dropped and added.
public enum Baseline {
    /// `sql/<database>/baseline.json`: the inspected live schema (`SchemaState` JSON), committed by hand.
    public static func path(_ database: String) -> String { OutputLayout.sql(database) + "/baseline.json" }

    /// `sql/<database>/adopt.sql`: upgrades the baseline's history table and records V0001 (generated).
    public static func adoptPath(_ database: String) -> String { OutputLayout.sql(database) + "/adopt.sql" }

    /// The schema V0001 creates: the baseline with the tool's `control.schema_versions` (the
    /// `control` schema is added when the baseline has none).
    static func startingPoint(_ baseline: SchemaState) -> SchemaState {
        var state = baseline
        state.version = 1
        let table = ControlTable.definition()
        if let i = state.schemas.firstIndex(where: { $0.name == ControlTable.schema }) {
            state.schemas[i].tables.removeAll { $0.name == ControlTable.table }
            state.schemas[i].tables.append(table)
            state.schemas[i].tables.sort { $0.name < $1.name }
        } else {
            state.schemas.append(.init(name: ControlTable.schema, enums: [], tables: [table]))
            state.schemas.sort { $0.name < $1.name }
        }
        return state
    }

    /// `previous` with each constraint clause and column default that means what the declared one
    /// says (equal `canonical` forms) spelled as declared; anything else is left for the diff.
    static func align(_ previous: SchemaState, to declared: SchemaState) -> SchemaState {
        var out = previous
        for (s, schema) in out.schemas.enumerated() {
            guard let target = declared.schema(schema.name) else { continue }
            for (t, table) in schema.tables.enumerated() {
                guard let want = target.tables.first(where: { $0.name == table.name }) else { continue }
                for (c, constraint) in table.constraints.enumerated() {
                    // The model's columns of a table check are the declaration's (none); the catalog lists them.
                    if let d = want.constraints.first(where: { $0.name == constraint.name }), d.kind == constraint.kind,
                        d != constraint, canonical(d.definition) == canonical(constraint.definition)
                    {
                        out.schemas[s].tables[t].constraints[c] = d
                    }
                }
                for (c, column) in table.columns.enumerated() {
                    if let d = want.columns.first(where: { $0.name == column.name }),
                        let expression = column.defaultExpression, let declaredDefault = d.defaultExpression,
                        expression != declaredDefault, canonical(expression) == canonical(declaredDefault)
                    {
                        out.schemas[s].tables[t].columns[c].defaultExpression = declaredDefault
                    }
                }
            }
        }
        return out
    }

    /// A clause reduced to what PostgreSQL's rewrites keep (https://www.postgresql.org/docs/15/functions-info.html,
    /// `pg_get_constraintdef`, `pg_get_expr`): `x BETWEEN a AND b` becomes `x >= a AND x <= b`,
    /// `x IN (...)` becomes `x = ANY (ARRAY[...])` and `NOT IN` `<> ALL`, casts (`::text`,
    /// `::curated.vessel_status`) and double quotes around lower-case names are removed, then every
    /// parenthesis and run of whitespace. Comparing two reduced clauses ignores grouping, so clauses
    /// that differ only in the precedence of their parts compare equal: a declaration that regroups
    /// an expression is not rewritten by a baseline's migration (accepted: the server's spelling is
    /// of the same declaration).
    static func canonical(_ clause: String) -> String {
        var s = clause
        s = s.replacing(#/"([a-z_][a-z0-9_]*)"/#) { String($0.output.1) }
        s = s.replacing(
            #/::[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?( varying| with time zone| without time zone| precision)?(\(\d+(,\d+)?\))?(\[\])?/#
        ) { _ in "" }
        s = s.replacing(#/([a-z_][a-z0-9_]*) BETWEEN (\S+) AND (\S+)/#) {
            "\($0.output.1) >= \($0.output.2) AND \($0.output.1) <= \($0.output.3)"
        }
        s = s.replacing(#/([a-z_][a-z0-9_]*) NOT IN \(([^()]*)\)/#) { "\($0.output.1) <> ALL (ARRAY[\($0.output.2)])" }
        s = s.replacing(#/([a-z_][a-z0-9_]*) IN \(([^()]*)\)/#) { "\($0.output.1) = ANY (ARRAY[\($0.output.2)])" }
        s = s.replacing(#/[()]/#) { _ in " " }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `sql/<db>/adopt.sql`: in one transaction under the migrations' advisory lock, refuses a
    /// database that already records this domain, upgrades the baseline's `control.schema_versions`
    /// to the tool's (a new nullable `checksum`: rows recorded before oceanid-gen keep NULL), and
    /// records `first` (V0001) as applied without running it. `oceanid-apply db adopt` runs it after
    /// checking that the live catalog is the baseline.
    static func adoptScript(
        database: Database, baseline: SchemaState, first: MigrationIR, locations: SchemaState.Locations
    ) -> (text: String, diagnostics: [Diagnostic]) {
        func controlOnly(_ state: SchemaState) -> SchemaState {
            var only = SchemaState.empty(state.database)
            only.schemas = state.schemas.filter { $0.name == ControlTable.schema }.map {
                var schema = $0
                schema.enums = []
                schema.tables = schema.tables.filter { $0.name == ControlTable.table }
                return schema
            }
            return only
        }
        let after = controlOnly(startingPoint(baseline))
        var before = align(controlOnly(baseline), to: after)
        before.comment = after.comment
        let (changes, diagnostics) = SchemaDiff.changes(
            from: before, to: after, database: database, locations: locations)
        let name = database.name
        let checksum = MigrationSQL.recordedChecksum(in: first.text) ?? ""
        let file = first.path.split(separator: "/").last.map(String.init) ?? first.path
        var text =
            "-- Adopts a live \(name) that is \(path(name)) (oceanid-apply db adopt \(name) checks that first):\n"
        text += "-- records \(file) as applied without running it. \(changes.count) change(s) to the history table:\n"
        for change in changes { text += "--   \(SQL.commentLine(change.summary))\n" }
        text += """
            BEGIN;
            SELECT pg_advisory_xact_lock(hashtext('oceanid-gen migrations'));
            DO $guard$
            DECLARE
              recorded int;
            BEGIN
              IF to_regclass('control.schema_versions') IS NOT NULL AND EXISTS (
                SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'control.schema_versions'::regclass
                  AND attname = 'checksum' AND NOT attisdropped) THEN
                EXECUTE 'SELECT count(*) FROM control.schema_versions WHERE domain = $1 AND checksum IS NOT NULL'
                  INTO recorded USING \(SQL.literal(name));
                IF recorded > 0 THEN
                  RAISE EXCEPTION '\(name) is already adopted: control.schema_versions records its migrations';
                END IF;
              END IF;
            END
            $guard$;

            """
        text += changes.map(\.sql).joined(separator: "\n") + (changes.isEmpty ? "" : "\n")
        text += """
            INSERT INTO control.schema_versions (domain, version, checksum) VALUES (\(SQL.literal(name)), '0001', \(SQL.literal(checksum)));
            COMMIT;

            """
        return ((FileSyntax.sql.header ?? "") + text, diagnostics)
    }
}
