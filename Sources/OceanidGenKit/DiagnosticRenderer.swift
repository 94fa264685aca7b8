import Compiler
import DSL
import Foundation

/// Diagnostics the way a compiler shows them in a terminal (swiftc, clang, rustc):
///
///     definitions/Apps.swift:42: error: image 'nginx:latest' is not pinned [unpinned-image]
///        42 |         Container("web", image: "nginx:latest")
///           |                                  ^~~~~~~~~~~~
///     definitions/Apps.swift:30: note: first declared here
///        30 |     let web = Deployment("web") {
///           |     ^
///     1 error, 0 warnings
///
/// The caret sits under the offending value (`Diagnostic.subject`) when the line holds it,
/// else under the setting it was read from, else (a settings.yaml line) under the value
/// after `key:`, else under the line's first character; notes with a location get their own line. The
/// first line of each is exactly the plain form, so the location still parses. Severity
/// colors as clang's: errors red, warnings yellow, notes cyan, the caret green.
struct DiagnosticRenderer {
    var root: String
    var color: Bool
    /// Files already read, by absolute path (nil: unreadable).
    private var sources: [String: [Substring]?] = [:]

    init(root: String, color: Bool) {
        self.root = root
        self.color = color
    }

    func paint(_ text: String, _ style: Console.Style) -> String { Console.paint(text, style, color) }

    mutating func render(_ presentation: DiagnosticPresentation) -> String {
        var out = ""
        for item in presentation.items {
            let d = item.diagnostic
            let style: Console.Style =
                d.severity == .error ? .boldRed : d.severity == .warning ? .boldYellow : .boldCyan
            out += header(
                d.location, d.severity.rawValue, style, "\(Diagnostic.printable(d.message)) [\(d.code.rawValue)]")
            out += excerpt(d.location, subject: d.subject, setting: d.setting, valueAtFault: true)
            if let fold = DiagnosticPresentation.foldNote(item) {
                out += "    " + paint("note:", .boldCyan) + " \(fold)\n"
                continue
            }
            for note in d.notes {
                if let at = note.location {
                    out += header(at, "note", .boldCyan, Diagnostic.printable(note.message))
                    out += excerpt(at, subject: nil, setting: nil, valueAtFault: false)
                } else {
                    out += "    " + paint("note:", .boldCyan) + " \(Diagnostic.printable(note.message))\n"
                }
            }
        }
        out += presentation.summary + "\n"
        return out
    }

    func header(_ location: SourceLocation, _ label: String, _ style: Console.Style, _ message: String) -> String {
        paint("\(location.relative(to: root)):", .bold) + " " + paint("\(label):", style) + " " + paint(message, .bold)
            + "\n"
    }

    /// The source line with a gutter, and the caret line; empty when the file or line is gone.
    mutating func excerpt(_ location: SourceLocation, subject: String?, setting: String?, valueAtFault: Bool) -> String
    {
        if sources[location.file] == nil {
            // Read at its place in the root (a definitions file compiled in elsewhere is there).
            let shown = location.relative(to: root).file
            let path = shown.hasPrefix("/") ? shown : root + "/" + shown
            let text = try? String(contentsOfFile: path, encoding: .utf8)
            sources[location.file] = .some(text.map(SettingsFile.lines))
        }
        guard let lines = sources[location.file] ?? nil, location.line >= 1, location.line <= lines.count else {
            return ""
        }
        // The line as printed (control characters shown, tabs kept for alignment).
        let line = Diagnostic.printable(String(lines[location.line - 1]), keepTabs: true)
        let number = String(location.line)
        let gutter = String(repeating: " ", count: max(number.count, 4) - number.count + 1)
        let (start, width) = Self.caret(
            in: line, yaml: location.file.hasSuffix(".yaml"), subject: subject.map { Diagnostic.printable($0) },
            setting: setting, valueAtFault: valueAtFault)
        // Tabs stay tabs so the caret lines up however the terminal sets its stops.
        let pad = String(line[..<start].map { $0 == "\t" ? "\t" : " " })
        let marker = "^" + String(repeating: "~", count: max(width - 1, 0))
        let blank = String(repeating: " ", count: gutter.count + number.count)
        return paint(gutter + number + " |", .dim) + " " + line + "\n" + paint(blank + " |", .dim) + " " + pad
            + paint(marker, .boldGreen) + "\n"
    }

    /// Where on `line` a diagnostic points, and how many characters wide: under `subject` when the
    /// line holds it, else under `setting`, else (a settings.yaml line, `yaml`, when `valueAtFault`)
    /// under the value after `key:`, else under the line's first non-blank character (width 1).
    /// The terminal caret and SARIF's `region.startColumn` (`SARIFLog`) both come from here.
    static func caret(
        in line: String, yaml: Bool, subject shown: String?, setting: String?, valueAtFault: Bool
    ) -> (start: String.Index, width: Int) {
        var start = line.firstIndex { !$0.isWhitespace } ?? line.startIndex
        var width = 1
        // On a settings.yaml `key: value` line a subject that is the key (an unknown or
        // repeated setting) is the key; any other is looked for in the value first
        // (`tritonImage: triton` has the subject inside the key too).
        let colon = yaml ? line.range(of: ": ") : nil
        let key = colon.map { line[..<$0.lowerBound].drop { $0 == " " } }
        let region = key.map(String.init) == shown ? nil : colon.map { line[$0.upperBound...] }
        if let shown, !shown.isEmpty, let range = region?.range(of: shown) ?? line.range(of: shown) {
            start = range.lowerBound
            width = shown.count
        } else if let setting, let range = line.range(of: setting) {
            start = range.lowerBound
            width = setting.count
        } else if valueAtFault, yaml, let colon = line.range(of: ": "),
            line[..<colon.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == " " })
        {
            // `key: value  # comment` → the value
            var value = line[colon.upperBound...].drop { $0 == " " }
            if let hash = value.range(of: " #") { value = value[..<hash.lowerBound] }
            while value.last == " " { value = value.dropLast() }
            if !value.isEmpty {
                start = value.startIndex
                width = value.count
            }
        }
        return (start, width)
    }
}
