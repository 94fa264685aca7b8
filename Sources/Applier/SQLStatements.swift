/// Splits SQL text into statements the way psql does before sending each: at a `;` outside
/// quotes ('...', "..."), dollar quotes ($tag$...$tag$), `--` and `/* */` comments
/// (https://www.postgresql.org/docs/15/sql-syntax-lexical.html). Comments before a
/// statement are dropped; empty statements are skipped.
public enum SQLStatements {
    /// One statement and the 1-based line it starts on.
    public struct Statement: Equatable {
        /// Where it starts in the file.
        public var line: Int
        /// Its text, with its `;`.
        public var text: String
    }

    /// The statements of `text`, in order; a trailing one without `;` is kept.
    public static func split(_ text: String) -> [Statement] {
        let chars = Array(text.unicodeScalars)
        var out: [Statement] = []
        var current = String.UnicodeScalarView()
        var line = 1
        var startLine: Int?
        var i = 0
        func append(_ scalar: Unicode.Scalar) {
            if startLine == nil, !scalar.properties.isWhitespace { startLine = line }
            if startLine != nil { current.append(scalar) }
            if scalar == "\n" { line += 1 }
        }
        func starts(_ token: [Unicode.Scalar], at index: Int) -> Bool {
            index + token.count <= chars.count && Array(chars[index..<index + token.count]) == token
        }
        while i < chars.count {
            let c = chars[i]
            if c == "-", starts(["-", "-"], at: i) {
                // A comment runs to the end of the line; kept only inside a statement.
                while i < chars.count, chars[i] != "\n" {
                    if startLine != nil { current.append(chars[i]) }
                    i += 1
                }
                continue
            }
            if c == "/", starts(["/", "*"], at: i) {
                while i < chars.count, !starts(["*", "/"], at: i) {
                    append(chars[i])
                    i += 1
                }
                if i < chars.count {
                    append("*")
                    append("/")
                    i += 2
                }
                continue
            }
            if c == "'" || c == "\"" {
                append(c)
                i += 1
                while i < chars.count {
                    append(chars[i])
                    i += 1
                    if chars[i - 1] == c {
                        // A doubled quote continues the literal.
                        if i < chars.count, chars[i] == c {
                            append(c)
                            i += 1
                        } else {
                            break
                        }
                    }
                }
                continue
            }
            if c == "$", let tag = dollarTag(chars, at: i) {
                for scalar in tag { append(scalar) }
                i += tag.count
                while i < chars.count, !starts(tag, at: i) {
                    append(chars[i])
                    i += 1
                }
                for scalar in tag where i < chars.count {
                    append(scalar)
                    i += 1
                }
                continue
            }
            append(c)
            i += 1
            if c == ";" {
                out.append(Statement(line: startLine ?? line, text: String(current)))
                current = String.UnicodeScalarView()
                startLine = nil
            }
        }
        let rest = String(current).trimmingWhitespace
        if !rest.isEmpty { out.append(Statement(line: startLine ?? line, text: rest)) }
        return out.filter { $0.text != ";" }
    }

    /// `$tag$` or `$$` starting at `index` (a tag is letters, digits and `_`, not starting with a digit).
    static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var j = index + 1
        while j < chars.count,
            chars[j] == "_" || chars[j].properties.isAlphabetic
                || (j > index + 1 && ("0"..."9").contains(chars[j]))
        {
            j += 1
        }
        guard j < chars.count, chars[j] == "$" else { return nil }
        return Array(chars[index...j])
    }
}

extension String {
    /// Without leading and trailing whitespace (Foundation-free).
    fileprivate var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
