import Compiler
import Foundation

/// Where the commands print, and whether they may use color. Tests capture both streams.
public struct Console: Sendable {
    /// Writes text to standard output as given (callers end lines with `\n`).
    public var out: @Sendable (String) -> Void
    /// Writes text to standard error as given (callers end lines with `\n`).
    public var err: @Sendable (String) -> Void
    /// Whether stdout may carry ANSI color escapes.
    public var colorOut: Bool
    /// Whether stderr may carry ANSI color escapes.
    public var colorErr: Bool
    /// stderr is a terminal: diagnostics show their source line with a caret under the value
    /// and end with a count, as swiftc and clang print them. Otherwise (pipes, files, CI
    /// logs) each is the one-line `path:line: error: message [code]` scripts parse.
    public var terminalErr: Bool

    /// A console writing through `out` and `err`; plain text unless told otherwise (what tests want).
    public init(
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        colorOut: Bool = false, colorErr: Bool = false, terminalErr: Bool = false
    ) {
        self.out = out
        self.err = err
        self.colorOut = colorOut
        self.colorErr = colorErr
        self.terminalErr = terminalErr
    }

    /// The process's stdout and stderr; color when they are terminals and NO_COLOR is unset.
    public static func standard(color: ColorChoice = .auto) -> Console {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"] != nil
        func wants(_ fd: Int32) -> Bool {
            switch color {
            case .always: true
            case .never: false
            case .auto: !noColor && isatty(fd) == 1
            }
        }
        return Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            colorOut: wants(1), colorErr: wants(2), terminalErr: isatty(2) == 1)
    }

    /// `--color auto|always|never`: `auto` colors a stream only when it is a terminal and `NO_COLOR`
    /// is unset.
    public enum ColorChoice: String, Sendable, CaseIterable { case auto, always, never }

    enum Style: String {
        case red = "31"
        case green = "32"
        case cyan = "36"
        case bold = "1"
        case boldRed = "1;31"
        case boldYellow = "1;33"
        case dim = "2"
        case boldGreen = "1;32"
        case
            boldCyan = "1;36"
    }

    static func paint(_ text: String, _ style: Style, _ on: Bool) -> String {
        on ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Prints diagnostics on stderr in order of importance (`DiagnosticPresentation`: errors
    /// first, repeated warnings folded unless `detail` is `.verbose`, only errors and a summary
    /// with `.errorsOnly`): `file:line: error: message [code]` (with notes on their own lines),
    /// and in a terminal the source line under each with a caret (see `DiagnosticRenderer`) and
    /// a count at the end.
    func print(_ diagnostics: [Diagnostic], root: String, detail: DiagnosticPresentation.Detail = .folded) {
        guard !diagnostics.isEmpty else { return }
        let presentation = DiagnosticPresentation(diagnostics, detail: detail)
        if terminalErr {
            var renderer = DiagnosticRenderer(root: root, color: colorErr)
            err(renderer.render(presentation))
            return
        }
        for item in presentation.items {
            var d = item.diagnostic
            if item.count > 1 { d.notes = [] }
            var text = d.formatted(relativeTo: root)
            if colorErr {
                let label = "\(d.severity.rawValue):"
                let style: Style = d.severity == .error ? .boldRed : d.severity == .warning ? .boldYellow : .bold
                if let range = text.range(of: " \(label) ") {
                    text.replaceSubrange(range, with: " " + Console.paint(label, style, true) + " ")
                }
            }
            if let fold = DiagnosticPresentation.foldNote(item) {
                text += "\n\(d.location.relative(to: root)): note: " + fold
            }
            err(text + "\n")
        }
        // Without errors the command's own summary line counts the warnings (`check`).
        if detail == .errorsOnly && presentation.errors > 0 { err(presentation.summary + "\n") }
    }

    /// Colors a unified diff line by line.
    func colored(diff: String) -> String {
        guard colorOut else { return diff }
        return diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("+++") || line.hasPrefix("---") { return Console.paint(String(line), .bold, true) }
            if line.hasPrefix("@@") { return Console.paint(String(line), .cyan, true) }
            if line.hasPrefix("+") { return Console.paint(String(line), .green, true) }
            if line.hasPrefix("-") { return Console.paint(String(line), .red, true) }
            return String(line)
        }.joined(separator: "\n")
    }
}
