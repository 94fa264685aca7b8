import DSL
import Foundation
import TestSupport
import Testing

/// `explain <setting>` lists exactly the files the setting's value feeds: two settings with
/// one value, a one-character value beside the same literal, and a value a literal repeats.
@Suite struct ExplainProvenanceTests {
    /// Among its settings: imageA and imageB with one value, mode `a` beside a literal `a`,
    /// zone `eu` beside a literal `eu`.
    static let definition = ProvenanceFixtures.definition

    @Test func aSettingListsOnlyTheFilesItsOwnValueFeeds() throws {
        let dir = try TemporaryFolder("explain-provenance")
        defer { dir.remove() }
        #expect(CapturedRun(Self.definition, ["build"], root: dir.path).status == 0)
        let run = CapturedRun(
            Self.definition, ["explain", "--json", "imageA", "imageB", "mode", "zone"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let report = try JSONDecoder().decode(ExplainTests.Report.self, from: Data(run.out.utf8))
        let files = try #require(report.explanations).map { answer in
            (answer.settings.first?.files ?? []).filter { $0.hasPrefix("clusters/") }
        }
        let alpha = "clusters/c/apps/deployment-alpha.yaml"
        let beta = "clusters/c/apps/deployment-beta.yaml"
        #expect(files == [[alpha], [beta], [alpha], [beta]], "\(files)")
    }
}
