/// The renderer of directive-per-line config files (`squid.conf(5)`): one directive a line,
/// its name and arguments separated by single spaces, a final newline. The compiler rejects
/// names and arguments that hold a line break, so a directive can never spill onto a second
/// line.
public enum DirectiveRenderer {
    /// The file: one `name arg1 arg2` line per directive, in the order given, each ending in `\n`.
    /// Arguments are written as given (no quoting); the compiler has already refused line breaks.
    public static func render(_ directives: [(name: String, arguments: [String])]) -> String {
        directives.map { ([$0.name] + $0.arguments).joined(separator: " ") + "\n" }.joined()
    }
}
