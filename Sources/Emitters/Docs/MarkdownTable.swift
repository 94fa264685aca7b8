/// Text for one cell of a GitHub-flavoured Markdown table (GFM spec, "Tables"): a cell is one
/// line, and a pipe ends it even inside a code span unless escaped as `\|`. One pass over
/// the scalars (Foundation's replacingOccurrences went through NSString once per rule and was
/// a tenth of a real-fleet build once the settings table came).
enum MarkdownTable {
    /// Plain text: pipes escaped, angle brackets as entities (no HTML gets through), line
    /// breaks as spaces; empty or nil as an em dash.
    static func cell(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "—" }
        return escaped(text, code: false)
    }

    /// A code span: pipes escaped, a backtick (which would end the span) as `'`, line breaks
    /// as spaces; `empty` for empty text.
    static func code(_ text: String?, empty: String = "—") -> String {
        guard let text, !text.isEmpty else { return empty }
        return "`" + escaped(text, code: true) + "`"
    }

    private static func escaped(_ text: String, code: Bool) -> String {
        guard text.utf8.contains(where: { $0 == 124 || $0 == 10 || $0 == 13 || $0 == 60 || $0 == 62 || $0 == 96 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<" where !code: out += "&lt;"
            case ">" where !code: out += "&gt;"
            case "`" where code: out += "'"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
