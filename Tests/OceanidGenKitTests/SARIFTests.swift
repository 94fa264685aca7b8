import Compiler
import DSL
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

/// `build|check|plan --format sarif`: a SARIF 2.1.0 log that validates against the OASIS schema
/// (Tests/schemas/sarif/, with Python's jsonschema from .venv) and puts each diagnostic on its line
/// of `definitions/` with the right rule.
@Suite struct SARIFTests {
    static let schema = Paths.repository + "/Tests/schemas/sarif/sarif-schema-2.1.0.json"

    /// `definitions/Shop.swift` as the fixture writes it: the fleet below is declared at these lines.
    static let source = """
        // A shop that is not the real fleet: one Deployment 'api', declared twice when `duplicate`.
        let api = Deployment("api") {
            Container("api", image: "busybox:1.36.1").resources(requests: .init(memory: "512m"))
        }
        let copy = Deployment("api") {
            Container("api", image: "busybox:1.36.1")
        }

        """

    /// The shop fleet, its declarations located at `root`'s `definitions/Shop.swift` (lines 2-6 of
    /// `source`): `api` (its memory request in millibytes, a warning) and, when `duplicate`, a
    /// second Deployment `api` in another component (an error, noting the first).
    static func shop(root: String, duplicate: Bool) -> FleetDefinition {
        let file = root + "/definitions/Shop.swift"
        func container(line: Int, memory: String) -> Container {
            Container("api", image: "busybox:1.36.1", file: file, line: line)
                .args(["sh", "-c", "sleep infinity"])
                .resources(requests: .init(cpu: "10m", memory: memory), limits: .init(cpu: "50m", memory: "32Mi"))
                .securityContext(.restricted)
        }
        return FleetDefinition(
            Fleet("shop") {
                Cluster("lab") {
                    Node("lab-1", role: .server)
                    Namespace("shop") {
                        Component("api") {
                            Deployment("api", file: file, line: 2) { container(line: 3, memory: "512m") }
                        }
                        if duplicate {
                            Component("copy") {
                                Deployment("api", file: file, line: 5) { container(line: 6, memory: "16Mi") }
                            }
                        }
                    }
                }
            })
    }

    /// A repository on branch `feature` whose main has the warning-only shop built and committed.
    func repository() throws -> GitFixture {
        let git = try GitFixture()
        try git.folder.write("definitions/Shop.swift", Self.source)
        let built = CapturedRun(Self.shop(root: git.path, duplicate: false), ["build", "--commit"], root: git.path)
        #expect(built.status == 0, "\(built.err)")
        try git.run("add", "-A")
        try git.run("commit", "-q", "-m", "shop")
        try git.run("checkout", "-q", "-b", "feature")
        return git
    }

    /// Runs jsonschema's Draft 4 validator (the schema's draft) over `log`; nil when it validates,
    /// else what it says.
    static func schemaErrors(_ log: String) throws -> String? {
        let folder = try TemporaryFolder("oceanid-sarif")
        defer { folder.remove() }
        try folder.write("log.sarif", log)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
                .iter_errors(log), key=lambda e: list(e.path))
            for e in errors: print("/".join(map(str, e.path)), e.message)
            sys.exit(1 if errors else 0)
            """
        let run = try runProcess(Paths.python, ["-c", script, schema, folder.path + "/log.sarif"])
        return run.status == 0 ? nil : run.output
    }

    /// The parts of a result the assertions read: rule, level, uri, line, column, related lines.
    struct Placed: Equatable, CustomStringConvertible {
        var ruleId: String
        var level: String
        var uri: String
        var line: Int
        var column: Int?
        var related: [String]
        var description: String { "\(ruleId) \(level) \(uri):\(line):\(column ?? 0) \(related)" }
    }

    static func placed(_ log: String) throws -> [Placed] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        return try results.map { result in
            func place(_ location: [String: Any]) throws -> (String, Int, Int?) {
                let physical = try #require(location["physicalLocation"] as? [String: Any])
                let artifact = try #require(physical["artifactLocation"] as? [String: Any])
                #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
                let region = try #require(physical["region"] as? [String: Any])
                return (
                    try #require(artifact["uri"] as? String), try #require(region["startLine"] as? Int),
                    region["startColumn"] as? Int
                )
            }
            let locations = try #require(result["locations"] as? [[String: Any]])
            #expect(locations.count == 1)
            let (uri, line, column) = try place(try #require(locations.first))
            let related = try (result["relatedLocations"] as? [[String: Any]] ?? []).map { location in
                let (uri, line, _) = try place(location)
                let message = (location["message"] as? [String: Any])?["text"] as? String ?? ""
                return "\(uri):\(line) \(message)"
            }
            return Placed(
                ruleId: try #require(result["ruleId"] as? String), level: try #require(result["level"] as? String),
                uri: uri, line: line, column: column, related: related)
        }
    }

    /// Each placed result names a line that exists in the file at the root, and each rule used is
    /// described once, from the catalog.
    static func assertPointsIntoTheRepository(_ log: String, root: String) throws {
        for result in try placed(log) {
            let text = try String(contentsOfFile: root + "/" + result.uri, encoding: .utf8)
            #expect(result.line >= 1 && result.line <= SettingsFile.lines(text).count, "\(result)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any])
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "oceanid-gen")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let used = Set(try placed(log).map(\.ruleId))
        #expect(rules.compactMap { $0["id"] as? String } == used.sorted())
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            let code = try #require(DiagnosticCode(rawValue: id))
            let short = (rule["shortDescription"] as? [String: Any])?["text"] as? String
            #expect(short == code.doc?.summary)
        }
        #expect(!log.contains(root), "an absolute path in the log")
    }

    @Test func errorsAndWarningsOfBuildCheckAndPlanValidateAndPointAtTheirLines() throws {
        let git = try repository()
        defer { git.remove() }
        let fleet = Self.shop(root: git.path, duplicate: true)
        let expected = [
            Placed(
                ruleId: "memory-in-millibytes", level: "warning", uri: "definitions/Shop.swift", line: 3, column: 82,
                related: []),
            Placed(
                ruleId: "duplicate-object", level: "error", uri: "definitions/Shop.swift", line: 5, column: 1,
                related: ["definitions/Shop.swift:2 first declared here"]),
        ]
        for command in [["build"], ["check"], ["plan"]] {
            let run = CapturedRun(fleet, command + ["--format", "sarif"], root: git.path)
            #expect(run.status == 2, "\(command): \(run.err)")
            #expect(try Self.schemaErrors(run.out) == nil, "\(command)")
            let results = try Self.placed(run.out)
            #expect(results == expected, "\(command): \(results)")
            try Self.assertPointsIntoTheRepository(run.out, root: git.path)
            // The text diagnostics still go to stderr, for the job log.
            #expect(run.err.contains("definitions/Shop.swift:5: error: duplicate Deployment shop/api"), "\(run.err)")
            // Same fleet, same bytes.
            #expect(CapturedRun(fleet, command + ["--format", "sarif"], root: git.path).out == run.out)
        }
    }

    @Test func aFleetWithOnlyWarningsBuildsAndPlansWithItsWarningsInTheLog() throws {
        let git = try repository()
        defer { git.remove() }
        let fleet = Self.shop(root: git.path, duplicate: false)
        let warning = Placed(
            ruleId: "memory-in-millibytes", level: "warning", uri: "definitions/Shop.swift", line: 3, column: 82,
            related: [])
        for (command, status) in [(["build"], 0), (["check", "--against", "head"], 0), (["plan"], 0)] {
            let run = CapturedRun(fleet, command + ["--format", "sarif"], root: git.path)
            #expect(run.status == Int32(status), "\(command): \(run.err)")
            #expect(try Self.schemaErrors(run.out) == nil, "\(command)")
            let results = try Self.placed(run.out)
            #expect(results == [warning], "\(command): \(results)")
            // stdout is the log alone: the summary build and check print moved to stderr.
            #expect(run.out.hasPrefix("{"), "\(command): \(run.out)")
        }
        let build = CapturedRun(fleet, ["build", "--format", "sarif"], root: git.path)
        #expect(build.err.contains("oceanid-gen build: up to date"), "\(build.err)")
        // The message carries the note that has no place.
        #expect(build.out.contains(#"is in millibytes ('m' = 1/1000 byte)\nnote: did you mean '512Mi'?"#))
    }

    /// A problem in settings.yaml is placed on its line there, under the key it names.
    @Test func aSettingsProblemPointsAtItsSettingsYAMLLine() throws {
        let git = try repository()
        defer { git.remove() }
        try git.folder.write("settings.yaml", "# overrides\n  replicaz: 2\n")
        // Staged: `check` judges the index only when it holds the working tree's inputs.
        try git.run("add", "settings.yaml")
        let run = CapturedRun(
            Self.shop(root: git.path, duplicate: false), ["check", "--format", "sarif"], root: git.path)
        #expect(run.status == 2, "\(run.err)")
        #expect(try Self.schemaErrors(run.out) == nil)
        let results = try Self.placed(run.out)
        #expect(
            results.filter { $0.uri == "settings.yaml" }
                == [
                    Placed(
                        ruleId: "unknown-setting", level: "error", uri: "settings.yaml", line: 2, column: 3, related: []
                    )
                ], "\(results)")
        try Self.assertPointsIntoTheRepository(run.out, root: git.path)
    }

    @Test func jsonStaysWhatItWasAndFormatJSONIsTheSame() throws {
        let git = try repository()
        defer { git.remove() }
        let fleet = Self.shop(root: git.path, duplicate: true)
        let json = CapturedRun(fleet, ["check", "--json"], root: git.path)
        let format = CapturedRun(fleet, ["check", "--format", "json"], root: git.path)
        #expect(json.status == 2 && format.status == 2)
        #expect(json.out == format.out)
        #expect(json.out.contains(#""code" : "duplicate-object""#), "\(json.out)")
    }

    /// The validator is not a rubber stamp: a level SARIF does not have is refused.
    @Test func theSchemaRefusesALogThatIsNotSARIF() throws {
        let git = try repository()
        defer { git.remove() }
        let run = CapturedRun(
            Self.shop(root: git.path, duplicate: true), ["check", "--format", "sarif"], root: git.path)
        let broken = run.out.replacingOccurrences(of: #""level" : "error""#, with: #""level" : "fatal""#)
        #expect(broken != run.out)
        let errors = try Self.schemaErrors(broken)
        #expect(errors?.contains("'fatal' is not one of") == true, "\(errors ?? "validated")")
        let noVersion = run.out.replacingOccurrences(of: #""version" : "2.1.0""#, with: #""version" : "2.0.0""#)
        #expect(try Self.schemaErrors(noVersion) != nil)
    }

    /// Every code's rule (the catalog's examples, one per code) validates, with the repository's
    /// address making absolute `informationUri` and `helpUri`s; past 25,000 results the errors are kept.
    @Test func everyRuleValidatesAndTheResultLimitKeepsTheErrors() throws {
        let examples = DiagnosticCode.allCases.compactMap { $0.doc?.example }
        #expect(examples.count == DiagnosticCode.allCases.count)
        let log = SARIFLog(
            diagnostics: examples, root: "/nowhere", toolVersion: String(repeating: "ab", count: 32),
            repositoryURL: "https://github.com/example/fleet")
        let text = log.encoded()
        #expect(try Self.schemaErrors(text) == nil)
        let driver = log.runs[0].tool.driver
        #expect(driver.version == String(repeating: "ab", count: 6))
        #expect(driver.informationUri == "https://github.com/example/fleet/blob/HEAD/docs/reference/commands.md")
        #expect(driver.rules.count == DiagnosticCode.allCases.count)
        let edge = try #require(driver.rules.first { $0.id == "unrouted-hostname" })
        #expect(edge.helpUri == "https://github.com/example/fleet/blob/HEAD/docs/diagnostics.md#code-unrouted-hostname")
        // Every rule's anchor is one docs/diagnostics.md really has, on its code's row.
        let docs = try String(contentsOfFile: Paths.repository + "/docs/diagnostics.md", encoding: .utf8)
        #expect(docs.contains("\n| <a id=\"code-unrouted-hostname\"></a>`unrouted-hostname` | "))
        for rule in driver.rules {
            let anchor = try #require(rule.helpUri?.split(separator: "#").last)
            #expect(docs.contains("<a id=\"\(anchor)\"></a>`\(rule.id)`"), "\(rule.id)")
        }

        let warning = try #require(examples.first { $0.severity == .warning })
        let error = try #require(examples.first { $0.severity == .error })
        let many = Array(repeating: warning, count: SARIFLog.resultLimit) + [error]
        let capped = SARIFLog(diagnostics: many, root: "/nowhere")
        #expect(capped.runs[0].results.count == SARIFLog.resultLimit)
        #expect(capped.runs[0].results.filter { $0.level == "error" }.count == 1)
        #expect(capped.runs[0].properties == .init(omittedResults: 1))
    }
}
