/// A bash script as a value: comments and commands made of words, rendered by the one
/// shell renderer, which quotes every interpolated value. Nothing the fleet or settings.yaml
/// supplies can become shell syntax: a literal word is emitted bare only when it consists of
/// characters that are never special to bash, and is single-quoted otherwise; a comment's
/// line breaks each start a new `#` line.
///
/// ```swift
/// ShellScript(lines: [.comment("Install Flux"), .command([[.literal("helm"), .literal("repo"), .literal("add")]])])
/// ```
public struct ShellScript: Equatable, Sendable {
    /// One word of a command line.
    public enum Word: Equatable, Sendable {
        /// Text used as it is: quoted when it holds anything bash would interpret.
        case literal(String)
        /// `"${NAME}"`: a variable from the environment (NAME a valid shell identifier).
        case variable(String)
        /// `"${NAME:?message}"`: the variable, or stop with the message when it is unset or empty.
        case required(String, message: String)
        /// Several words written without a space between them (`--x=` + `"${X}"`).
        case joined([Word])
    }

    /// One command: its words in groups, the groups written on continuation lines.
    public struct Command: Equatable, Sendable {
        /// The words of the command, one inner array per source line: groups are joined by ` \`, a
        /// line break and two spaces of indentation.
        public var groups: [[Word]]
        /// A command of these word groups.
        public init(_ groups: [[Word]]) { self.groups = groups }
    }

    /// One line (or one continued command) of the script, in order.
    public enum Line: Equatable, Sendable {
        /// An empty line.
        case blank
        /// `# text` (one `#` line per line of text).
        case comment(String)
        /// A command, or a pipeline of commands joined by `|`.
        case pipeline([Command])

        /// A single command (a pipeline of one).
        public static func command(_ groups: [[Word]]) -> Line { .pipeline([Command(groups)]) }
    }

    /// The script's body, in order, after the shebang.
    public var lines: [Line]
    /// A script of these lines.
    public init(lines: [Line]) { self.lines = lines }
}

/// The one renderer of bash scripts (`bootstrap/<cluster>/bootstrap.sh`): `ShellScript` → text,
/// quoting every word so values stay data. Same script, same bytes.
public enum ShellRenderer {
    /// The script: its shebang and `lines` (the file's header goes after the shebang).
    public static func render(_ script: ShellScript) -> String {
        var out = "#!/usr/bin/env bash\n"
        for line in script.lines {
            switch line {
            case .blank: out += "\n"
            case .comment(let text):
                for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    out += part.isEmpty ? "#\n" : "# \(part)\n"
                }
            case .pipeline(let commands):
                out +=
                    commands.map { command in
                        command.groups.map { $0.map(word).joined(separator: " ") }.joined(separator: " \\\n  ")
                    }.joined(separator: " | ") + "\n"
            }
        }
        return out
    }

    /// One word as bash text.
    public static func word(_ word: ShellScript.Word) -> String {
        switch word {
        case .literal(let text): return quoted(text)
        case .variable(let name): return "\"${\(identifier(name))}\""
        case .required(let name, let message): return "\"${\(identifier(name)):?\(escapedInDoubleQuotes(message))}\""
        case .joined(let words): return words.map(Self.word).joined()
        }
    }

    /// Characters that are never special to bash, anywhere in a word.
    private static func isPlain(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || "-_./:=@%+,".utf8.contains(b)
    }

    /// Bare when every byte is plain (and the word is not empty), single-quoted otherwise;
    /// a single quote inside becomes `'\''`.
    public static func quoted(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isPlain), text.first != "=" { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }

    /// A valid shell variable name from any text: letters, digits and `_`, not starting with a digit.
    public static func identifier(_ text: String) -> String {
        var name = String(text.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if name.isEmpty || name.first!.isNumber { name = "_" + name }
        return name
    }

    /// Text inside `"${X:?...}"`: `\`, `"`, `$`, `` ` `` and `}` escaped, line breaks as spaces.
    private static func escapedInDoubleQuotes(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\", "\"", "$", "`", "}": out += "\\\(c)"
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
