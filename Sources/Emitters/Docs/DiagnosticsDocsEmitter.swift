import Compiler

/// The diagnostic catalog → `docs/diagnostics.md`: for every code its area, default severity,
/// meaning, an example and the fix, one table per area (`DiagnosticArea` order, codes sorted).
///
/// The page depends on the compiler, not on the fleet: every build writes the same bytes, and
/// a new code shows up in it as soon as the catalog has its `DiagnosticDoc`.
public enum DiagnosticsDocsEmitter {
    /// `docs/diagnostics.md`.
    public static let path = OutputLayout.file("diagnostics.md", in: .docs)

    /// The page, from the catalog's documentation (`DiagnosticDoc.all`); like the docs index,
    /// it names the fleet's declaration as its origin (`oceanid-gen explain` points there).
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        [GeneratedFile(path: path, syntax: .markdown, body: render(DiagnosticDoc.all), origin: ir.location)]
    }

    /// The page for `docs` (each area that has one gets a section).
    static func render(_ docs: [DiagnosticDoc]) -> String {
        var lines = [
            "# Diagnostics", "",
            "Every diagnostic `oceanid-gen check` and `oceanid-gen build` can report, generated from the catalog in",
            "`Sources/Compiler/Diagnostics/`. A diagnostic prints as `file:line: severity: message [code]`, notes",
            "indented below it; scripts and `--json` match on the code, which never changes (messages may).",
            "The severity is the code's default; an error stops the build, a warning does not.", "",
        ]
        let areas = DiagnosticArea.allCases.filter { area in docs.contains { $0.code.area == area } }
        for area in areas {
            let count = docs.filter { $0.code.area == area }.count
            lines.append("- \(area.title): \(count) code\(count == 1 ? "" : "s")")
        }
        for area in areas {
            lines += [
                "", "## \(area.title)", "", area.summary, "",
                "| code | severity | meaning | example | fix |",
                "|---|---|---|---|---|",
            ]
            for doc in docs where doc.code.area == area {
                // An anchor per code (`#code-<code>`), where a SARIF rule's help link lands; GitHub keeps
                // the id (as `user-content-code-<code>`) and follows `#code-<code>` to it.
                let anchor = "<a id=\"\(doc.code.docsAnchor)\"></a>"
                let cells = [
                    anchor + MarkdownTable.code(doc.code.rawValue), doc.code.defaultSeverity.rawValue,
                    MarkdownTable.cell(doc.summary), example(doc.example), MarkdownTable.cell(doc.fix),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The example as the compiler prints it, without its location: the message line, then
    /// each note, each a code span.
    static func example(_ diagnostic: Diagnostic) -> String {
        let message = "\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code.rawValue)]"
        return ([message] + diagnostic.notes.map { "note: \($0.message)" }).map { MarkdownTable.code($0) }.joined(
            separator: " ")
    }
}
