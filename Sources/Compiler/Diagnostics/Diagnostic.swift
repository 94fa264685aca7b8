import DSL

/// A problem found in the fleet: a value, not an exception, so every check runs and all
/// problems are reported at once, sorted by location.
public struct Diagnostic: Hashable, Sendable, Comparable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case error, warning, note
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// A secondary location that helps explain the problem.
    public struct Note: Hashable, Sendable, Codable {
        public var message: String
        public var location: SourceLocation?
        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var location: SourceLocation
    public var notes: [Note]
    /// The offending value as written (a quantity, an image, a name), when the check has
    /// one: a value that came from settings.yaml is then blamed on its line there.
    public var subject: String?
    /// The setting the offending value was read from, when the check knows it (a
    /// `SettingRead`): an override of it in settings.yaml takes the blame whatever the value.
    public var setting: String?

    public init(_ code: DiagnosticCode, _ message: String, severity: Severity = .error,
                at location: SourceLocation, notes: [Note] = [], subject: String? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.subject = subject
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.severity, a.code.rawValue, a.message) < (b.location, b.severity, b.code.rawValue, b.message)
    }

    /// `file:line: error: message [code]` followed by indented notes, as compilers print.
    public func formatted(relativeTo root: String? = nil) -> String {
        let loc = root.map { location.relative(to: $0) } ?? location
        var text = "\(loc): \(severity.rawValue): \(message) [\(code.rawValue)]"
        for note in notes {
            if let at = note.location {
                let noteLoc = root.map { at.relative(to: $0) } ?? at
                text += "\n\(noteLoc): note: \(note.message)"
            } else {
                text += "\n    note: \(note.message)"
            }
        }
        return text
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
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
