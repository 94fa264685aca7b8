import Compiler
import DSL
import Emitters
import TestSupport
import Testing

/// Provenance is data: which setting fed a file is read off the fleet built with its values
/// marked, never guessed from text, so equal values, short values and values a literal
/// repeats are each attributed to exactly the setting that fed them.
@Suite struct ProvenanceTests {
    @Test func findsNeedlesAnywhereAndWordsOnlyAtBoundaries() {
        #expect(TextSearch.contains("metrics: 127.0.0.1:2200\n", "2200", word: true))
        #expect(!TextSearch.contains("port: 22001", "2200", word: true), "inside a longer number")
        #expect(TextSearch.contains("port: 22001 and 2200", "2200", word: true), "a later match counts")
        #expect(TextSearch.contains("2200", "2200", word: true), "the whole text")
        #expect(TextSearch.contains("aab", "ab", word: false), "a false start on the same first byte")
        #expect(!TextSearch.contains("ab", "abc", word: false), "longer than the text")
        #expect(!TextSearch.contains("xcleandataDbUrl", "cleandataDbUrl", word: true))
        #expect(TextSearch.contains("key: \"oceanid-cluster:cleandataDbUrl\"", "cleandataDbUrl", word: true))
        #expect(!TextSearch.contains("éclair", "clair", word: true), "a non-ASCII letter is part of the word")
        #expect(TextSearch.contains("ünïcode → boathou.se", "boathou.se", word: false))
        #expect(!TextSearch.contains("", "x", word: false))
    }

    static let definition = ProvenanceFixtures.definition

    func fed(_ overrides: [SettingOverride] = []) throws -> [String: [String]] {
        let result = CompilerPipeline.compile(Self.definition, overrides: overrides)
        let ir = try #require(result.ir, "\(result.diagnostics.map { $0.formatted() })")
        let files = OutputEmitters.emit(ir)
        let provenance = Provenance(ir: ir, files: files)
        return Dictionary(
            uniqueKeysWithValues: files.filter { !$0.path.hasPrefix("docs/") }.map { file in
                (file.path, provenance.settings(feeding: file).map(\.key))
            })
    }

    @Test func eachValueIsAttributedToTheSettingThatFedIt() throws {
        let fed = try fed()
        let alpha = try #require(fed.first { $0.key.hasSuffix("deployment-alpha.yaml") }?.value)
        let beta = try #require(fed.first { $0.key.hasSuffix("deployment-beta.yaml") }?.value)
        #expect(
            alpha == ["domain", "imageA", "mode", "replicas"],
            "its own image, the one-character mode, the interpolated domain")
        #expect(
            beta == ["imageB", "zone"], "the same image value from the other setting; the literal 'a' is not mode's")
        #expect(
            fed.filter { $0.key.contains("deployment-") }.allSatisfy { !$0.value.contains("withWorker") },
            "a boolean feeds only what changes when it does: no worker file exists while it is false")
    }

    @Test func aBooleanFeedsWhatItAdds() throws {
        let on = try fed([
            SettingOverride(
                key: "withWorker", value: .bool(true), location: DSL.SourceLocation(file: "settings.yaml", line: 1))
        ])
        let worker = try #require(on.first { $0.key.hasSuffix("deployment-worker.yaml") }?.value)
        #expect(worker == ["withWorker"])
        #expect(on.first { $0.key.hasSuffix("deployment-alpha.yaml") }?.value.contains("withWorker") == false)
    }

    @Test func theSettingsTableListsWhereEachValueGoes() throws {
        let result = CompilerPipeline.compile(Self.definition)
        let files = OutputEmitters.emit(try #require(result.ir))
        let table = try #require(files.first { $0.path == "docs/settings.md" }).contents
        let zoneRow = try #require(table.split(separator: "\n").first { $0.hasPrefix("| `zone` |") })
        #expect(
            zoneRow.contains("deployment-beta.yaml") && !zoneRow.contains("deployment-alpha.yaml"),
            "the literal 'eu' in alpha is not the setting's: \(zoneRow)")
    }

    static let apiURL = Setting("apiURL", default: "https://10.43.0.1:443", summary: "")
    static let target = Setting("target", default: "", summary: "")
    static let port = Setting("port", default: 9100, summary: "")

    /// Values the definitions take apart, test for emptiness or compute with: the marks are
    /// lost or change the branch, so each of these is found by changing it alone.
    static let computing = FleetDefinition(settings: [apiURL.erased, target.erased, port.erased]) { s in
        let host = s[apiURL].split(separator: "/").dropFirst().first.map { String($0.split(separator: ":")[0]) } ?? ""
        let target = s[target]
        let port = s[port]
        return Fleet("t") {
            Cluster("c") {
                Node("c-1", role: .server)
                Namespace("apps") {
                    Deployment("api") {
                        Container("api", image: "nginx:1.27") {
                            Port("metrics", port + 1)
                            Env("API_HOST", host)
                            if !target.isEmpty { Env("TARGET", target) }
                        }
                    }
                    Deployment("other") { Container("other", image: "nginx:1.27") }
                }
            }
        }
    }

    @Test func splitEmptyAndComputedValuesAreFoundByChangingThem() throws {
        let result = CompilerPipeline.compile(Self.computing)
        let ir = try #require(result.ir, "\(result.diagnostics.map { $0.formatted() })")
        let files = OutputEmitters.emit(ir)
        let provenance = Provenance(ir: ir, files: files)
        let api = try #require(files.first { $0.path.hasSuffix("deployment-api.yaml") })
        let other = try #require(files.first { $0.path.hasSuffix("deployment-other.yaml") })
        #expect(provenance.settings(feeding: api).map(\.key) == ["apiURL", "port", "target"])
        #expect(provenance.settings(feeding: other).isEmpty, "nothing of theirs reaches it")
    }

    @Test func aFleetThatReadsNoSettingIsNotTracedTwice() throws {
        #expect(CompilerPipeline.compile(FleetDefinition(Fixtures.demo())).ir?.traces == nil)
        #expect(try #require(CompilerPipeline.compile(Self.definition).ir).traces != nil)
    }
}
