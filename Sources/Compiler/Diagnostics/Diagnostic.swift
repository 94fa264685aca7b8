import DSL

/// A problem found in the fleet: a value, not an exception, so every check runs and all
/// problems are reported at once, sorted by location.
public struct Diagnostic: Hashable, Sendable, Comparable, Codable {
    /// How bad a problem is: an error stops the build (nothing is written), a warning and a
    /// note are printed and the build goes on.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case error, warning, note
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        /// Errors first, then warnings, then notes.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// A secondary location that helps explain the problem.
    public struct Note: Hashable, Sendable, Codable {
        /// What the note says (the other side of a conflict, a suggestion).
        public var message: String
        /// Where it points; nil for a note without a place (printed indented).
        public var location: SourceLocation?
        /// A note, at `location` when given.
        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    /// The stable code (`--json`, `docs/diagnostics.md`).
    public var code: DiagnosticCode
    /// Error, warning or note.
    public var severity: Severity
    /// One line saying what is wrong, naming the value.
    public var message: String
    /// The declaration (or settings.yaml line) that is wrong.
    public var location: SourceLocation
    /// Other places and hints that explain the problem, in order.
    public var notes: [Note]
    /// The offending value as written (a quantity, an image, a name), when the check has
    /// one: the terminal renderer puts its caret under it. (Which settings.yaml line to
    /// blame is found by re-checking, `SettingsBlame`, not from this text.)
    public var subject: String?
    /// The setting the offending value was read from, when the check knows it (a
    /// `SettingRead`): an override of it in settings.yaml takes the blame whatever the value.
    public var setting: String?

    /// A diagnostic; only the catalog (`Diagnostics/Messages*.swift`) makes them, so the
    /// initializer is internal to the compiler.
    ///
    /// - Parameter severity: the code's `defaultSeverity` unless given.
    init(
        _ code: DiagnosticCode, _ message: String, severity: Severity? = nil,
        at location: SourceLocation, notes: [Note] = [], subject: String? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.location = location
        self.notes = notes
        self.subject = subject
    }

    /// By location, then severity, code and message: the order diagnostics are printed in.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.severity, a.code.rawValue, a.message) < (b.location, b.severity, b.code.rawValue, b.message)
    }

    /// `file:line: error: message [code]` followed by indented notes, as compilers print;
    /// each on one line whatever the values in it hold (see `printable`).
    public func formatted(relativeTo root: String? = nil) -> String {
        let loc = root.map { location.relative(to: $0) } ?? location
        var text = "\(loc): \(severity.rawValue): \(Self.printable(message)) [\(code.rawValue)]"
        for note in notes {
            if let at = note.location {
                let noteLoc = root.map { at.relative(to: $0) } ?? at
                text += "\n\(noteLoc): note: \(Self.printable(note.message))"
            } else {
                text += "\n    note: \(Self.printable(note.message))"
            }
        }
        return text
    }

    /// C0, DEL, C1, and the bidirectional formatting characters (U+200E/F, U+202A–E,
    /// U+2066–9) that reorder how a line reads ("Trojan Source", CVE-2021-42574).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Text safe to print on one terminal line: messages quote values from settings.yaml,
    /// which may hold line breaks or escape sequences (`\e[31m`) that would break the
    /// one-line form scripts parse or drive the terminal. Control characters (C0, DEL, C1)
    /// become `\n`, `\r`, `\t` or `\u{1B}`; `keepTabs` leaves tabs (a source line's indentation).
    public static func printable(_ text: String, keepTabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += keepTabs ? "\t" : "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Diagnostic {
    /// The same diagnostic, blamed on an override of `setting` when settings.yaml has one.
    public func blaming(_ setting: String) -> Diagnostic {
        var copy = self
        copy.setting = setting
        return copy
    }
}

extension [Diagnostic] {
    /// Whether any diagnostic is an error (the build stops and writes nothing).
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
