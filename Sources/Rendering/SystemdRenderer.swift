/// The renderer of systemd unit files (`systemd.unit(5)`, `systemd.syntax(7)`): sections in
/// order, one `Key=value` a line (a key may repeat), a blank line between sections.
///
/// Values are written as given; command lines for `Exec*=` are built with `commandLine(_:)`,
/// which quotes each argument and escapes what systemd would otherwise expand (`%`
/// specifiers, `$` variables), so an argument is passed to the program exactly.
public enum SystemdRenderer {
    /// A plain value (`Description=`, `Requires=`): `%` doubled, so systemd's specifiers
    /// (`%h`, `%n`) never expand in text the fleet wrote (systemd.unit(5), "Specifiers").
    public static func text(_ value: String) -> String {
        value.replacingOccurrences(of: "%", with: "%%")
    }

    /// The unit file: `[Name]` then one `Key=value` line per entry, sections in the order given and
    /// separated by a blank line, a final newline. Values are written verbatim: escape them first with
    /// `text(_:)` or `commandLine(_:prefix:)`.
    public static func render(_ sections: [(name: String, entries: [(key: String, value: String)])]) -> String {
        sections.map { section in
            "[\(section.name)]\n" + section.entries.map { "\($0.key)=\($0.value)\n" }.joined()
        }.joined(separator: "\n")
    }

    /// An `Exec*=` command line: every argument that holds whitespace, a quote, a backslash
    /// or a `;` is double-quoted with `\"` and `\\` escaped; `%` becomes `%%` and `$` `$$`
    /// everywhere (systemd.service(5), "Command lines"). A leading `-` (ignore failure) stays
    /// outside the first word: pass it as `prefix`.
    public static func commandLine(_ arguments: [String], prefix: String = "") -> String {
        prefix
            + arguments.map { argument -> String in
                var word = ""
                for c in argument {
                    switch c {
                    case "%": word += "%%"
                    case "$": word += "$$"
                    default: word.append(c)
                    }
                }
                let needsQuotes =
                    word.isEmpty
                    || word.contains { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == ";" }
                guard needsQuotes else { return word }
                var quoted = "\""
                for c in word {
                    if c == "\"" || c == "\\" { quoted += "\\" }
                    quoted.append(c)
                }
                return quoted + "\""
            }.joined(separator: " ")
    }
}
