import Compiler

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

    /// A code span: pipes escaped, line breaks as spaces; `empty` for empty text. Text with
    /// backticks gets a delimiter one backtick longer than its longest run, padded with
    /// spaces (CommonMark, "Code spans"), so the value shows as it is.
    static func code(_ text: String?, empty: String = "—") -> String {
        guard let text, !text.isEmpty else { return empty }
        var longest = 0
        var run = 0
        for c in text.unicodeScalars {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        guard longest > 0 else { return "`" + escaped(text, code: true) + "`" }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + escaped(text, code: true) + " " + fence
    }

    private static func escaped(_ text: String, code: Bool) -> String {
        guard text.unicodeScalars.contains(where: { "|<>".unicodeScalars.contains($0) || Diagnostic.isControl($0) })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case _ where Diagnostic.isControl(scalar):  // shown, not obeyed (bidi overrides, escapes)
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            case "<" where !code: out += "&lt;"
            case ">" where !code: out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
