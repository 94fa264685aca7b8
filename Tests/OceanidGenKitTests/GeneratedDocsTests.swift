import Compiler
import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// docs/ is generated like every output: every setting, hostname and pod selector of the
/// fleet is in it, links resolve, and no machine-specific path leaks into it.
@Suite struct GeneratedDocsTests {
    func built(settings: String? = nil) throws -> TemporaryFolder {
        let dir = try TemporaryFolder()
        if let settings { try dir.write("settings.yaml", settings) }
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        return dir
    }

    @Test func everySettingIsARowWithItsValueAndWhereItWasSet() throws {
        let dir = try built(settings: "# overrides\nsquidImage: ubuntu/squid:6.6-24.04_beta\n")
        defer { dir.remove() }
        let table = try #require(dir.read("docs/settings.md"))
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let settings = Oceanid.definition.settings
        #expect(rows.count == settings.count)
        for setting in settings {
            #expect(rows.contains { $0.hasPrefix("| `\(setting.key)` | \(setting.typeName) |") }, "\(setting.key)")
        }
        let squid = try #require(rows.first { $0.hasPrefix("| `squidImage` |") })
        #expect(squid.contains("| `ubuntu/squid:6.6-24.04_beta` | `settings.yaml:2` |"), "\(squid)")
        #expect(squid.contains("`clusters/tethys/networking/egress-system/"), "where the value appears: \(squid)")
        let secret = try #require(rows.first { $0.hasPrefix("| `cleandataDbUrl` |") })
        #expect(secret.contains("| secret | ESC key `cleandataDbUrl` |"))
    }

    /// A value with a pipe, a backtick or angle brackets stays inside its cell (line breaks
    /// become spaces too; no title setting accepts one).
    @Test func valuesCannotBreakTheTable() throws {
        let dir = try built(settings: "aws.labelStudio.exportTitle: \"a|b`c <script>\"\n")
        defer { dir.remove() }
        let table = try #require(dir.read("docs/settings.md"))
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("| `aws.labelStudio.exportTitle` |") })
        // Cells are split by pipes that are not escaped: 9 columns (with "default from"), 10 pipes.
        var pipes = 0
        var previous: Character = " "
        for c in row {
            if c == "|" && previous != "\\" { pipes += 1 }
            previous = c
        }
        #expect(pipes == 10, "\(row)")
        #expect(row.contains("| `` a\\|b`c <script> `` |"), "the value as it is, in a longer code fence: \(row)")
    }

    /// A five-character value that is not read where the file is declared still shows where
    /// it appears (the new value is checked against what a rebuild really changed).
    @Test func aShortValueAppearsWhereTheRebuildPutIt() throws {
        let dir = try built(settings: "aws.labelStudio.exportPrefix: zzexp\n")
        defer { dir.remove() }
        let table = try #require(dir.read("docs/settings.md"))
        let row = try #require(
            table.split(separator: "\n").first { $0.hasPrefix("| `aws.labelStudio.exportPrefix` |") })
        for path in ["cloud/desired-state.json", "policy/input/tethys.json"] {
            #expect(dir.read(path)?.contains("zzexp") == true)
            #expect(row.contains("`\(path)`"), "\(row)")
        }
    }

    /// docs/diagnostics.md, as committed and as a build writes it, has a row for every code
    /// with its default severity, and the index links it.
    @Test func diagnosticsPageListsEveryCode() throws {
        let dir = try built()
        defer { dir.remove() }
        let committed = try String(contentsOfFile: Paths.repository + "/docs/diagnostics.md", encoding: .utf8)
        #expect(dir.read("docs/diagnostics.md") == committed, "docs/diagnostics.md is stale: run make build")
        let rows = committed.split(separator: "\n").filter { $0.hasPrefix("| <a id=\"code-") }
        #expect(rows.count == DiagnosticCode.allCases.count)
        // Every table row is a code's anchored row: none without its anchor, no second copy.
        let tableRows = committed.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| code |") }
        #expect(tableRows.count == rows.count, "\(tableRows.filter { !rows.contains($0) })")
        for code in DiagnosticCode.allCases {
            // Each row carries its code's anchor, where a SARIF rule's help link lands.
            let row = "| <a id=\"code-\(code.rawValue)\"></a>`\(code.rawValue)` | \(code.defaultSeverity.rawValue) |"
            #expect(rows.contains { $0.hasPrefix(row) }, "\(code.rawValue)")
        }
        #expect(dir.read("docs/README.md")?.contains("[Diagnostics](diagnostics.md)") == true)
    }

    @Test func everyRoutedHostnameAndEveryWorkloadIsListed() throws {
        let dir = try built()
        defer { dir.remove() }
        let hostnames = try #require(dir.read("docs/hostnames.md"))
        for host in ["tethys.boathou.se", "label.boathou.se", "gpu.boathou.se"] {
            #expect(hostnames.contains("| `\(host)` | CNAME → `"), "\(host)")
        }
        #expect(hostnames.contains("host service `tritonserver` on node calypso"))
        let labels = try #require(dir.read("docs/labels.md"))
        #expect(labels.contains("| tethys | egress-system | Deployment `egress-gateway` |"))
        #expect(
            labels.contains("`kubectl -n egress-system get pod -l app=egress-gateway`"), "the seeds' runbook selector")
        let topology = try #require(dir.read("docs/topology.md"))
        #expect(topology.contains("```mermaid\nflowchart LR\n"))
    }

    @Test func linksResolveAndNoAbsolutePathLeaks() throws {
        let dir = try built()
        defer { dir.remove() }
        let files = dir.snapshot().filter { $0.key.hasPrefix("docs/") }
        #expect(files.count >= 7)
        for (path, text) in files {
            #expect(!text.contains(Paths.repository) && !text.contains(dir.path), "\(path) holds an absolute path")
            // Markdown links to other docs: relative to the page's folder, each a generated file.
            let folder = (path as NSString).deletingLastPathComponent
            var rest = text[...]
            while let open = rest.range(of: "](") {
                guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
                let target = String(rest[open.upperBound..<close])
                rest = rest[close...]
                guard !target.contains("://") else { continue }
                let resolved = ((folder as NSString).appendingPathComponent(target) as NSString).standardizingPath
                #expect(files[resolved] != nil, "\(path) links \(target), which is not generated")
            }
        }
        let readme = try #require(try? String(contentsOfFile: Paths.repository + "/README.md", encoding: .utf8))
        #expect(readme.contains("](docs/README.md)"), "the README links the generated docs")
    }
}
