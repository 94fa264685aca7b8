extension SchemaChange {
    /// The key of the declaration a change's `summary` names, as `SchemaState.declared` keys its
    /// locations (`role:bi_readonly`, `schema:curated`, `enum:curated.status`, `table:curated.vessels`,
    /// `column:curated.vessels.imo`, `constraint:curated.vessels.vessels_pkey`,
    /// `index:curated.vessels.vessels_imo_idx`, `grant:bi_readonly tables:curated`,
    /// `drop-table:raw.old`, `drop-column:raw.rows.legacy`); nil for a summary that names no single
    /// declaration (the database's comment, `drop index x`, a constraint or index rename).
    ///
    /// The summaries are the ones `SchemaDiff` and `OnlineForms` write into a migration's header
    /// (`--   create role bi_readonly (NOLOGIN) (definitions/Databases.swift:185)`). A committed
    /// migration keeps the line its header was written with; `oceanid-gen plan` looks the key up in
    /// the current definitions (`DatabaseIR.declarations`) so that a later edit above the
    /// declaration does not leave the plan pointing at another line.
    public static func declarationKey(summary: String) -> String? {
        // The reason after `: ` (drops, allowances) and an attribute in parentheses are not names.
        let words = summary.split(separator: " ").map { word in
            String(word.hasSuffix(":") || word.hasSuffix(",") ? word.dropLast() : word)
        }
        func word(after marker: String, from start: Int = 0) -> String? {
            guard start < words.count, let index = words[start...].firstIndex(of: marker), index + 1 < words.count
            else { return nil }
            return words[index + 1]
        }
        func starts(_ prefix: String) -> Bool { summary.hasPrefix(prefix + " ") }
        if starts("grant"), let on = words.firstIndex(of: "on"), let to = words.lastIndex(of: "to"), on + 1 == to - 1,
            to + 1 < words.count
        {
            return "grant:\(words[to + 1]) \(words[on + 1])"
        }
        if starts("drop table"), let name = word(after: "table") { return "drop-table:\(name)" }
        if starts("drop column"), let name = word(after: "column") { return "drop-column:\(name)" }
        if starts("create role") || starts("comment on role"), let name = word(after: "role") { return "role:\(name)" }
        if starts("role"), words.count > 1 { return "role:\(words[1])" }
        if starts("create schema") || starts("comment on schema"), let name = word(after: "schema") {
            return "schema:\(name)"
        }
        if starts("create enum") || starts("add value"), let name = word(after: "enum") { return "enum:\(name)" }
        if starts("comment on type"), let name = word(after: "type") { return "enum:\(name)" }
        if starts("create table") || starts("comment on table"), let name = word(after: "table") {
            return "table:\(name)"
        }
        if starts("rename table"), let old = word(after: "table"), let new = word(after: "to"),
            let dot = old.lastIndex(of: ".")
        {
            return "table:\(old[..<dot]).\(new)"
        }
        if starts("rename column"), let old = word(after: "column"), let new = word(after: "to"),
            let dot = old.lastIndex(of: ".")
        {
            return "column:\(old[..<dot]).\(new)"
        }
        for kind in ["add constraint", "drop constraint", "validate constraint", "create index"] where starts(kind) {
            let noun = kind.hasSuffix("index") ? "index" : "constraint"
            guard let name = word(after: noun), let table = word(after: "on") else { return nil }
            return "\(noun):\(table).\(name)"
        }
        for prefix in ["add column", "comment on column"] where starts(prefix) {
            return word(after: "column").map { "column:\($0)" }
        }
        for prefix in ["drop default of", "change type of"] where starts(prefix) {
            return word(after: "of").map { "column:\($0)" }
        }
        for prefix in ["set not null on", "drop not null on"] where starts(prefix) {
            return word(after: "on").map { "column:\($0)" }
        }
        return nil
    }
}
