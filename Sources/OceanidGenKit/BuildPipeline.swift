import Compiler
import DSL
import Emitters
import Foundation
import Workspace

/// The whole pipeline, one stage per line:
///
///     settings.yaml ── SettingsFile.overrides ──► [SettingOverride]
///     FleetDefinition + overrides + committed inputs ── CompilerPipeline.compile ──► [Diagnostic], FleetIR
///     FleetIR ── OutputEmitters.emit ──► [GeneratedFile]          (pure)
///     [GeneratedFile] ── SecretScan.run ──► [Diagnostic]         (the last net: no secret value in any file)
///     [GeneratedFile] ── Workspace.plan ──► OutputPlan            (against the working tree, the index or HEAD)
///
/// Any error diagnostic stops before the plan: a fleet with errors writes nothing. `build`
/// applies the plan, `check` prints it, the golden tests compare its files: all three run
/// this same pipeline.
public struct BuildPipeline: Sendable {
    public var definition: FleetDefinition
    public var root: String

    public init(definition: FleetDefinition, root: String) {
        self.definition = definition
        self.root = root
    }

    public struct Generated: Sendable {
        public var diagnostics: [Diagnostic]
        /// nil when the fleet has errors.
        public var files: [GeneratedFile]?
        public var ir: FleetIR?
    }

    /// What a run decided: the diagnostics, the files, and the plan against a tree (nil when
    /// the fleet has errors).
    public struct Planned: Sendable {
        public var generated: Generated
        public var plan: OutputPlan?
    }

    /// Compiles and emits in memory; reads `settings.yaml` and, through `inputs`, the
    /// committed files the compiler needs (the migration history). Writes nothing.
    public func generate(inputs: InputTree = EmptyInputTree()) -> Generated {
        let settingsPath = "\(root)/\(SettingsFile.path)"
        var overrides: [SettingOverride] = []
        var diagnostics: [Diagnostic] = []
        if let data = FileManager.default.contents(atPath: settingsPath) {
            (overrides, diagnostics) = SettingsFile.overrides(text: String(decoding: data, as: UTF8.self), file: settingsPath)
        }
        let compiled = CompilerPipeline.compile(definition, overrides: overrides, inputs: inputs)
        diagnostics = (diagnostics + compiled.diagnostics).sorted()
        guard let ir = compiled.ir, !diagnostics.hasErrors else {
            return Generated(diagnostics: diagnostics, files: nil, ir: nil)
        }
        let files = OutputEmitters.emit(ir)
        diagnostics = (diagnostics + SecretScan.run(files)).sorted()
        guard !diagnostics.hasErrors else { return Generated(diagnostics: diagnostics, files: nil, ir: nil) }
        return Generated(diagnostics: diagnostics, files: files, ir: ir)
    }

    /// Generates against `source` (its committed files are the inputs) and plans the changes
    /// that would make `source` what the definitions generate.
    public func plan(against source: TreeSource) throws -> Planned {
        let generated = generate(inputs: source)
        guard let files = generated.files else { return Planned(generated: generated, plan: nil) }
        return Planned(generated: generated, plan: try Workspace(root: root).plan(files, against: source))
    }
}
