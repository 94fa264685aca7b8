import Foundation

/// Host files in the plan, by what their program reads rather than as opaque text.
///
/// - A systemd unit (`hosts/<host>/etc/systemd/...`) is compared directive by directive, keyed
///   `Section.Directive` (`Service.ExecStart`), so a changed `ExecStart` reads as that directive's
///   old and new value and a changed comment plans nothing. The unit file syntax is systemd's
///   (systemd.syntax(7), https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html):
///   `[Section]` headers; `Key=Value` assignments, whitespace around `=` ignored; lines starting
///   with `#` or `;` are comments; a line ending in a backslash continues on the next, the
///   backslash read as a space; runs of whitespace in a value read as one (systemd splits command
///   lines and lists on whitespace). A directive assigned more than once (`ExecStartPre=`) keeps every
///   value in order, one per line, and an empty assignment resets the list before it, as systemd
///   does for list-valued settings.
/// - Any other host file that is not YAML or JSON (squid.conf, a script) is one multi-line field,
///   `content`, which the report shows as a line diff.
extension FleetPlan {
    /// Whether `path` is a systemd unit file under a host's `etc/systemd/`.
    static func isSystemdUnit(_ path: String) -> Bool {
        let suffixes = [".service", ".socket", ".timer", ".path", ".mount", ".target", ".conf"]
        return path.contains("/systemd/") && suffixes.contains { path.hasSuffix($0) }
    }

    /// A unit file's directives: `Section.Directive` → its value (several values one per line, in
    /// order, after the last empty assignment). nil for nil text.
    static func systemdDirectives(_ text: String?) -> [String: String]? {
        guard let text else { return nil }
        var section = ""
        var values: [String: [String]] = [:]
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = pending + raw
            pending = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pending = line + " "
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast())
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                // Not an assignment systemd would read; kept whole so that a change still shows.
                values["\(section).\(trimmed)", default: []].append("")
                continue
            }
            let key = "\(section).\(trimmed[..<equals].trimmingCharacters(in: .whitespaces))"
            // Runs of whitespace read as one: systemd splits command lines and lists on whitespace,
            // and a continued line keeps its indentation after the space its backslash became.
            let value = trimmed[trimmed.index(after: equals)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
                .joined(separator: " ")
            if value.isEmpty { values[key] = [] } else { values[key, default: []].append(value) }
        }
        if !pending.isEmpty { values["\(section).\(pending.trimmingCharacters(in: .whitespaces))"] = [""] }
        return values.mapValues { $0.joined(separator: "\n") }
    }

    /// The field changes of a changed host file that is not YAML or JSON: a unit's directives that
    /// differ, or the whole text as `content`. Empty when a unit changed only in comments or layout.
    static func hostTextFields(_ path: String, old: String, new: String) -> [FieldChange] {
        if isSystemdUnit(path), let before = systemdDirectives(old), let after = systemdDirectives(new) {
            return fieldChanges(before, after)
        }
        return old == new ? [] : [FieldChange(path: "content", old: old, new: new)]
    }
}
