import DSL

/// What `docs/diagnostics.md` says about one code: what it means, how to fix it, and an
/// example made by the code's own factory, so the example reads exactly as the compiler
/// would print it. Each `Messages+<Area>.swift` lists its area's entries next to its factories.
public struct DiagnosticDoc: Sendable {
    /// What the diagnostic means, in a sentence.
    public let summary: String
    /// How to make it go away, in a sentence.
    public let fix: String
    /// A diagnostic as a check would make it, with made-up values.
    public let example: Diagnostic

    /// The code the example has: the code this entry documents.
    public var code: DiagnosticCode { example.code }

    init(_ summary: String, fix: String, example: Diagnostic) {
        self.summary = summary
        self.fix = fix
        self.example = example
    }

    /// Where the examples are "declared": a definitions file, so they read like real ones.
    static let at = SourceLocation(file: "definitions/Fleet.swift", line: 12)
    /// A second location, for the notes that point at the other side of a problem.
    static let other = SourceLocation(file: "definitions/Fleet.swift", line: 7)
}

extension DiagnosticDoc {
    /// Every area's entries as the catalog files list them (a code listed twice or never is
    /// a test failure, not hidden here).
    public static let entries: [DiagnosticDoc] =
        fleet + kubernetes + flux + secrets + settings + edge + host + database + application + output

    /// One entry per code, in `DiagnosticCode.allCases` order (grouped by area).
    public static let all: [DiagnosticDoc] = {
        var byCode: [DiagnosticCode: DiagnosticDoc] = [:]
        for entry in entries where byCode[entry.code] == nil { byCode[entry.code] = entry }
        return DiagnosticCode.allCases.compactMap { byCode[$0] }
    }()
}

extension DiagnosticCode {
    /// This code's entry in `docs/diagnostics.md`, nil only for a code the catalog forgot
    /// (which `DiagnosticCatalogTests` reports).
    public var doc: DiagnosticDoc? { DiagnosticDoc.all.first { $0.code == self } }
}
