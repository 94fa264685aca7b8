import Compiler
import Foundation
import Workspace

/// The no-op shortcut around the pipeline: `plan(against:)` runs through `shortcut`, and
/// `build` and `check` end with `remember`. Everything else about it (the stat cache, the
/// clean record, the inputs' fingerprint) is `Freshness`'s, in Workspace.
extension BuildPipeline {
    /// A decorator around `plan`, which compiles against an input tree and plans: when the
    /// clean record says `source` is already what these inputs generate, its answer without
    /// compiling (`Planned.shortcut`); otherwise `plan`'s, run through an `InputRecorder` so
    /// the answer carries the record this run may file (`Planned.cleanRecord`).
    /// - Parameter settings: `settings.yaml`'s bytes, the same the compiler reads.
    func shortcut(
        against source: TreeSource, settings: Data?,
        otherwise plan: (InputTree) throws -> Planned
    ) rethrows -> Planned {
        let freshness = Freshness(root: root, program: programID, settings: settings)
        if let record = freshness.shortcut(source) {
            return Planned(
                generated: Generated(diagnostics: record.diagnostics, files: nil, ir: nil),
                plan: OutputPlan(unchangedFiles: record.files), fileCount: record.files, shortcut: true)
        }
        let inputs = InputRecorder(source)
        var planned = try plan(inputs)
        if planned.plan != nil {
            planned.cleanRecord = freshness.record(
                files: planned.fileCount, diagnostics: planned.generated.diagnostics,
                inputs: inputs, source: source)
        }
        return planned
    }

    /// What `build` (after applying `planned`, with the files it `written`) and `check` (nil:
    /// it wrote nothing) tell the stat cache: see `Freshness.remember`.
    func remember(_ planned: Planned, in source: TreeSource, written: [WrittenFile]? = nil) {
        guard let plan = planned.plan else { return }
        Freshness.remember(plan, in: source, written: written, record: planned.cleanRecord)
    }
}
