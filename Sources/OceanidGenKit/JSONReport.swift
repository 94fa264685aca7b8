import Compiler
import DSL
import Emitters
import Foundation

/// The `--json` shapes: one JSON document on stdout, keys sorted, paths relative to the root.
struct JSONReport: Encodable {
    struct Location: Encodable {
        var file: String
        var line: Int
    }
    struct Note: Encodable {
        var message: String
        var location: Location?
    }
    struct DiagnosticEntry: Encodable {
        var code: String
        var severity: String
        var message: String
        var location: Location
        var notes: [Note]
    }
    struct FileEntry: Encodable {
        var path: String
        /// create, update, delete (build) or missing, stale, hand-edited, extra (check)
        var status: String
    }

    var command: String
    var ok: Bool
    var exitCode: Int32
    var diagnostics: [DiagnosticEntry]
    var files: [FileEntry]
    /// What stopped the command when it is not a diagnostic of the fleet (a usage error, an
    /// unreadable output tree); absent otherwise.
    var error: String?
    /// `graph`: the topology (vertices, edges, groups); absent for the other commands.
    var graph: Topology?
    /// `explain`: one answer per query that matched; absent for the other commands.
    var explanations: [Explanation]?
    /// `build`: what its changes need that it did not do (`BuildFollowUp`); absent for the other commands.
    var followUps: [BuildFollowUp]?

    init(
        command: String, status: ExitStatus, diagnostics: [Diagnostic], files: [FileEntry], root: String,
        error: String? = nil
    ) {
        self.command = command
        self.error = error
        self.ok = status == .ok
        self.exitCode = status.rawValue
        self.files = files
        self.diagnostics = diagnostics.map { d in
            let loc = d.location.relative(to: root)
            return DiagnosticEntry(
                code: d.code.rawValue, severity: d.severity.rawValue, message: d.message,
                location: Location(file: loc.file, line: loc.line),
                notes: d.notes.map { n in
                    Note(
                        message: n.message,
                        location: n.location.map {
                            let l = $0.relative(to: root)
                            return Location(file: l.file, line: l.line)
                        })
                })
        }
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
