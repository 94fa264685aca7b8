import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// The scheduled reconcile of Label Studio's storages (.github/workflows/label-studio-storages.yml):
/// it runs on a schedule, its command line is one oceanid-apply accepts and chooses the Label Studio
/// provider alone, and it sets every variable that provider needs to apply the committed state.
@Suite struct ScheduledReconcileTests {
    static let path = Paths.repository + "/.github/workflows/label-studio-storages.yml"

    /// The words after the binary on the workflow's `oceanid-apply` line.
    static func arguments(_ workflow: String) throws -> [String] {
        let line = try #require(
            workflow.split(separator: "\n").first { $0.contains("oceanid-apply apply") && $0.contains("run:") })
        let words = line.split(separator: " ").map(String.init)
        let binary = try #require(words.firstIndex { $0.hasSuffix("/oceanid-apply") })
        return Array(words[(binary + 1)...])
    }

    @Test func runsOnAScheduleAndOnlyTheLabelStudioProvider() throws {
        let workflow = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(workflow.contains("schedule:\n    - cron: \"*/15 * * * *\""))
        let arguments = try Self.arguments(workflow)
        let parsed = try OceanidApply.parseAsRoot(arguments)
        let apply = try #require(parsed as? OceanidApply.Apply)
        #expect(apply.yes)
        #expect(apply.options.only == [LabelStudioProvider.name])
        #expect(apply.options.statePath == "cloud/desired-state.json")
    }

    @Test func setsEveryVariableTheProviderNeedsToApply() throws {
        let workflow = try String(contentsOfFile: Self.path, encoding: .utf8)
        let state = try StateFile.read(Paths.repository + "/cloud/desired-state.json").get()
        let context = ProviderContext(
            command: .apply, variables: [:], statePath: "cloud/desired-state.json",
            client: HTTPClient(), retry: RetryPolicy())
        let provider = try #require(LabelStudioProvider(state: state, context: context))
        let needed = provider.credentials.flatMap(\.variables)
        #expect(needed.count == 3)
        for variable in needed {
            #expect(workflow.contains("\(variable): ${{ secrets.\(variable) }}"), "\(variable) is not set")
        }
    }

    /// `--only` with another provider's name, or a misspelt one, is refused: the schedule can
    /// never quietly run every provider.
    @Test func onlyRefusesAnUnknownProvider() {
        #expect(throws: (any Error).self) {
            try OceanidApply.parseAsRoot(["apply", "--only", "label-studio", "--yes"])
        }
        #expect(throws: (any Error).self) { try OceanidApply.parseAsRoot(["apply", "--only", "--yes"]) }
    }
}
