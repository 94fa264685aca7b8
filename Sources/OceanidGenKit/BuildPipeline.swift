import Compiler
import DSL
import Emitters
import Foundation
import Workspace

/// The whole build, one stage per line, each a replaceable value (`compiler`, `emit`,
/// `checkFiles`, `planFiles`):
///
///     settings.yaml ── SettingsFile.overrides ──► [SettingOverride]
///     FleetSource ── compiler (CompilerPipeline: define, resolve, check declarations,
///                    lower, check output) ──► FleetIR
///     FleetIR ── emit (OutputEmitters.emit) ──► [GeneratedFile]           (pure)
///     [GeneratedFile] ── checkFiles (OutputChecks: the secret scan) ──► [GeneratedFile]
///     [GeneratedFile] ── planFiles (Workspace.plan) ──► OutputPlan   (against the working tree, the index or HEAD)
///
/// Any error diagnostic stops before the plan: a fleet with errors writes nothing. `build`
/// applies the plan, `check` prints it, the golden tests compare its files: all three run
/// this same pipeline.
///
/// A run with nothing to do skips all of it: `plan(against:)` goes through the no-op shortcut
/// (`shortcut(against:settings:otherwise:)`, `Freshness` in Workspace), and `build` and `check`
/// tell it what they found (`remember`).
public struct BuildPipeline: Sendable {
    /// The fleet as declared in `definitions/` (compiled into the program), before settings apply.
    public var definition: FleetDefinition
    /// The repository root: where `settings.yaml` is read and the output roots are planned.
    public var root: String
    /// Identifies `definition` together with the code that compiles it (the digest of the
    /// program's sources when the definition is compiled in); nil turns the shortcut off.
    public var programID: String?

    /// The compiler's stages: `FleetSource` → `FleetIR`.
    public var compiler = CompilerPipeline()
    /// `FleetIR` → `[GeneratedFile]`: every emitter, pure.
    public var emit = Stage<FleetIR, [GeneratedFile]>("emit") { Staged(OutputEmitters.emit($0)) }
    /// `[GeneratedFile]` → `[GeneratedFile]`: the output checks of the files (the secret scan).
    public var checkFiles = Stage<[GeneratedFile], [GeneratedFile]>("check files", OutputChecks.check)
    /// `[GeneratedFile]` → `OutputPlan` against a tree (the working tree, the index or HEAD):
    /// what would make the tree what the definitions generate, rewriting `drafts` (append-only
    /// files not in HEAD: `DraftMigrations`). Describes only; `build` applies.
    /// Throws `WorkspaceError` when the tree cannot be read.
    public var planFiles:
        @Sendable (_ files: [GeneratedFile], _ root: String, _ source: TreeSource, _ drafts: Set<String>) throws ->
            OutputPlan = { files, root, source, drafts in
                try Workspace(root: root).plan(files, against: source, drafts: drafts)
            }

    /// Committed migrations to move after the same versions another branch committed
    /// (`build --renumber`; `DraftMigrations.find(root:source:renumbering:)`); empty for a build.
    public var renumbering: [String] = []

    /// The standard stages for `definition` under `root`; `programID` nil never takes the shortcut.
    public init(definition: FleetDefinition, root: String, programID: String? = nil) {
        self.definition = definition
        self.root = root
        self.programID = programID
    }

    /// What compiling and emitting produced, in memory.
    public struct Generated: Sendable {
        /// Every diagnostic of the run (settings file, compiler, emitters, output checks), sorted.
        public var diagnostics: [Diagnostic]
        /// nil when the fleet has errors.
        public var files: [GeneratedFile]?
        /// The lowered fleet; nil when the fleet has errors (and after the no-op shortcut).
        public var ir: FleetIR?
    }

    /// What a run decided: the diagnostics, the files, and the plan against a tree (nil when
    /// the fleet has errors).
    public struct Planned: Sendable {
        /// The compile's result; after the shortcut only its diagnostics (recorded), no files or IR.
        public var generated: Generated
        /// The changes that would make the tree what the definitions generate; nil when the fleet
        /// has errors.
        public var plan: OutputPlan?
        /// How many files the definitions generate (0 with errors).
        public var fileCount: Int
        /// The tree was found up to date from the clean record, without compiling.
        public var shortcut = false
        /// What the stat cache records once the tree is exactly as generated (nil when this
        /// run may not vouch for it); set by the shortcut's decorator.
        public internal(set) var cleanRecord: CleanRecord?
    }

    /// `settings.yaml`'s bytes, nil when there is none. Read once per run: the fingerprint
    /// and the compiler must see the same bytes, or a clean record could be filed under
    /// settings the output was not made from.
    public func readSettings() -> Data? { FileManager.default.contents(atPath: "\(root)/\(SettingsFile.path)") }

    /// Compiles and emits in memory; reads `settings.yaml` and, through `inputs`, the
    /// committed files the compiler needs (the migration history). Writes nothing.
    public func generate(inputs: InputTree = EmptyInputTree()) -> Generated {
        generate(inputs: inputs, settings: readSettings())
    }

    /// The same with `settings.yaml`'s bytes as read by the caller.
    func generate(inputs: InputTree, settings data: Data?) -> Generated {
        let settingsPath = "\(root)/\(SettingsFile.path)"
        var overrides: [SettingOverride] = []
        var diagnostics: [Diagnostic] = []
        if let data {
            (overrides, diagnostics) = SettingsFile.overrides(
                text: String(decoding: data, as: UTF8.self), file: settingsPath)
        }
        let compiled = compiler.run(FleetSource(definition, overrides: overrides, inputs: inputs))
        diagnostics = (diagnostics + compiled.diagnostics).sorted()
        guard let ir = compiled.ir, !diagnostics.hasErrors else {
            return Generated(diagnostics: diagnostics, files: nil, ir: nil)
        }
        let emitted = emit.run(ir)
        let checked = emitted.output.map(checkFiles.run)
        diagnostics = (diagnostics + emitted.diagnostics + (checked?.diagnostics ?? [])).sorted()
        guard let files = checked?.output, !diagnostics.hasErrors else {
            return Generated(diagnostics: diagnostics, files: nil, ir: nil)
        }
        return Generated(diagnostics: diagnostics, files: files, ir: ir)
    }

    /// Generates against `source` (its committed files are the inputs) and plans the changes
    /// that would make `source` what the definitions generate, unless the no-op shortcut
    /// knows the answer without compiling. A database with a draft migration (`DraftMigrations`:
    /// written by a build, not in HEAD yet) is compiled from its committed history, and the
    /// draft is rewritten rather than stacked on; such a run files no clean record (its output
    /// depends on HEAD too).
    public func plan(against source: TreeSource) throws -> Planned {
        let settings = readSettings()
        var drafts = DraftMigrations.none
        var planned = try shortcut(against: source, settings: settings) { inputs in
            drafts = try DraftMigrations.find(root: root, source: source, renumbering: renumbering)
            let generated = generate(inputs: drafts.inputs(over: inputs), settings: settings)
            guard let files = generated.files else { return Planned(generated: generated, plan: nil, fileCount: 0) }
            return Planned(
                generated: generated, plan: try planFiles(files, root, source, Set(drafts.paths)),
                fileCount: files.count)
        }
        if !drafts.paths.isEmpty { planned.cleanRecord = nil }
        return planned
    }
}
