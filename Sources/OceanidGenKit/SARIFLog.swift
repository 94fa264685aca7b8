import Compiler
import DSL
import Foundation

/// The fleet's diagnostics as a SARIF 2.1.0 log (`build|check|plan --format sarif`), the format
/// GitHub code scanning reads, so each diagnostic shows on its line of `definitions/` (or
/// `settings.yaml`) in a pull request.
///
/// Shape (OASIS SARIF 2.1.0, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html, and
/// the subset GitHub documents in "SARIF support for code scanning",
/// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
/// one run; `tool.driver` names oceanid-gen, its version (the program digest, or `dev`) and one
/// `rules` entry per code used (sorted by code; descriptions, fix and example from the catalog's
/// `DiagnosticDoc`); each result has `ruleId`, `ruleIndex`, `level` (error, warning, note), the
/// message, one `physicalLocation` whose `artifactLocation.uri` is relative to the repository root
/// with `uriBaseId` `%SRCROOT%` and a `region` (`startLine`, and `startColumn` in UTF-16 code units,
/// SARIF's default `columnKind`, under the offending value as the terminal caret is), and the notes
/// with a place as `relatedLocations` (notes without one are appended to the message).
///
/// Deterministic bytes: keys sorted, results in the diagnostics' order, no time and no absolute
/// path. A location outside the root (never the case for a fleet compiled from its own
/// `definitions/`) has no `physicalLocation`. GitHub computes `partialFingerprints` itself when the
/// upload action finds none, and accepts at most 25,000 results per run and 1,000 locations per
/// result: past those the log keeps the most severe ones and counts the rest in the run's
/// `properties.omittedResults`.
struct SARIFLog: Encodable, Equatable {
    /// GitHub's limit on results in one run (larger uploads are refused).
    static let resultLimit = 25_000
    /// GitHub's limit on `relatedLocations` of one result.
    static let relatedLocationLimit = 1_000
    /// Where the 2.1.0 schema is published (the errata 01 text, OASIS).
    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    struct Message: Encodable, Equatable {
        var text: String
        var markdown: String?
    }
    struct Descriptor: Encodable, Equatable {
        struct Configuration: Encodable, Equatable { var level: String }
        struct Properties: Encodable, Equatable { var tags: [String] }
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var helpUri: String?
        var defaultConfiguration: Configuration
        var properties: Properties
    }
    struct Driver: Encodable, Equatable {
        var name: String
        var version: String
        var informationUri: String?
        var rules: [Descriptor]
    }
    struct Tool: Encodable, Equatable { var driver: Driver }
    struct ArtifactLocation: Encodable, Equatable {
        var uri: String
        var uriBaseId: String
    }
    struct Region: Encodable, Equatable {
        var startLine: Int
        var startColumn: Int?
    }
    struct PhysicalLocation: Encodable, Equatable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }
    struct Location: Encodable, Equatable {
        var id: Int?
        var physicalLocation: PhysicalLocation?
        var message: Message?
    }
    struct Result: Encodable, Equatable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]?
        var relatedLocations: [Location]?
    }
    struct RunProperties: Encodable, Equatable { var omittedResults: Int }
    struct Run: Encodable, Equatable {
        var tool: Tool
        var columnKind: String
        var results: [Result]
        var properties: RunProperties?
    }

    var schema: String
    var version: String
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    /// The log of `diagnostics` found in the fleet at `root` (absolute). `toolVersion`: the
    /// program's digest when known. `repositoryURL`: the repository's web address
    /// (`https://github.com/owner/name`, from `GITHUB_SERVER_URL` and `GITHUB_REPOSITORY` in
    /// Actions), from which `informationUri` and each rule's `helpUri` (docs/diagnostics.md at
    /// the code's row, anchor `code-<code>`) are made; without it both are left out, since SARIF wants absolute URIs.
    init(diagnostics: [Diagnostic], root: String, toolVersion: String? = nil, repositoryURL: String? = nil) {
        var sources = SourceLines(root: root)
        let kept =
            diagnostics.count <= Self.resultLimit
            ? diagnostics
            : Array(diagnostics.sorted { ($0.severity, $0) < ($1.severity, $1) }.prefix(Self.resultLimit)).sorted()
        let codes = Set(kept.map(\.code)).sorted { $0.rawValue < $1.rawValue }
        let index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        let base = repositoryURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let rules = codes.map { Self.descriptor($0, base: base) }
        let results = kept.map { d -> Result in
            var text = d.message
            var related: [Location] = []
            for note in d.notes {
                if let at = note.location,
                    let place = sources.physicalLocation(at, subject: nil, setting: nil, valueAtFault: false),
                    related.count < Self.relatedLocationLimit
                {
                    related.append(
                        Location(id: related.count, physicalLocation: place, message: .init(text: note.message)))
                } else {
                    let shown = note.location.map { "\($0.relative(to: root)): " } ?? ""
                    text += "\nnote: \(shown)\(note.message)"
                }
            }
            let place = sources.physicalLocation(
                d.location, subject: d.subject, setting: d.setting, valueAtFault: true)
            return Result(
                ruleId: d.code.rawValue, ruleIndex: index[d.code] ?? 0, level: d.severity.rawValue,
                message: .init(text: text), locations: place.map { [Location(physicalLocation: $0)] },
                relatedLocations: related.isEmpty ? nil : related)
        }
        let omitted = diagnostics.count - kept.count
        schema = Self.schemaURI
        version = "2.1.0"
        runs = [
            Run(
                tool: Tool(
                    driver: Driver(
                        name: "oceanid-gen", version: toolVersion.map { String($0.prefix(12)) } ?? "dev",
                        informationUri: base.map { $0 + "/blob/HEAD/docs/reference/commands.md" }, rules: rules)),
                columnKind: "utf16CodeUnits", results: results,
                properties: omitted > 0 ? RunProperties(omittedResults: omitted) : nil)
        ]
    }

    /// The rule for `code`: its catalog entry's summary, fix and example (`DiagnosticDoc`).
    static func descriptor(_ code: DiagnosticCode, base: String?) -> Descriptor {
        let doc = code.doc
        let summary = doc?.summary ?? code.rawValue
        let fix = doc?.fix ?? "See docs/diagnostics.md."
        let example = doc.map { $0.example.formatted() } ?? ""
        let area = code.area
        let text =
            "\(summary)\n\nFix: \(fix)\n\nExample:\n\(example)\n\nSee docs/diagnostics.md, section \(area.title)."
        let markdown =
            "\(summary)\n\n**Fix:** \(fix)\n\n```\n\(example)\n```\n\nSee `docs/diagnostics.md`, section "
            + "*\(area.title)*."
        // Each word of the code capitalised: GitHub shows `name` as the rule's title.
        let name = code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return Descriptor(
            id: code.rawValue, name: name, shortDescription: .init(text: summary),
            fullDescription: .init(text: "\(summary) \(fix)"), help: .init(text: text, markdown: markdown),
            helpUri: base.map { $0 + "/blob/HEAD/docs/diagnostics.md#" + code.docsAnchor },
            defaultConfiguration: .init(level: code.defaultSeverity.rawValue), properties: .init(tags: [area.rawValue]))
    }

    /// The log as UTF-8 JSON, keys sorted, ending in a newline.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The files diagnostics point into, read once each, to place a region's column.
private struct SourceLines {
    var root: String
    var files: [String: [Substring]?] = [:]

    init(root: String) { self.root = root }

    /// `location` as a SARIF place relative to the root (nil outside it), its column under the
    /// offending value when the line is readable (`DiagnosticRenderer.caret`).
    mutating func physicalLocation(
        _ location: SourceLocation, subject: String?, setting: String?, valueAtFault: Bool
    ) -> SARIFLog.PhysicalLocation? {
        let relative = location.relative(to: root).file
        guard !relative.hasPrefix("/"), !relative.hasPrefix("<"), !relative.hasPrefix("..") else { return nil }
        guard location.line >= 1 else {
            return .init(artifactLocation: .init(uri: Self.uri(relative), uriBaseId: "%SRCROOT%"), region: nil)
        }
        if files[relative] == nil {
            let text = try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            files[relative] = .some(text.map(SettingsFile.lines))
        }
        var column: Int?
        if let lines = files[relative] ?? nil, location.line <= lines.count {
            let line = String(lines[location.line - 1])
            let (start, _) = DiagnosticRenderer.caret(
                in: line, yaml: relative.hasSuffix(".yaml"), subject: subject, setting: setting,
                valueAtFault: valueAtFault)
            column = line.utf16.distance(from: line.startIndex, to: start) + 1
        }
        return .init(
            artifactLocation: .init(uri: Self.uri(relative), uriBaseId: "%SRCROOT%"),
            region: .init(startLine: location.line, startColumn: column))
    }

    /// A relative path as a URI reference: each segment percent-encoded where RFC 3986 needs it.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
