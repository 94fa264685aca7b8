import Compiler
import DSL
import Emitters
import Foundation
import Workspace

/// The whole pipeline, one stage per line:
///
///     settings.yaml ── SettingsFile.overrides ──► [SettingOverride]
///     FleetDefinition + overrides ── CompilerPipeline.compile ──► [Diagnostic], FleetIR
///     FleetIR ── OutputEmitters.emit ──► [GeneratedFile]          (pure)
///     [GeneratedFile] ── SecretScan.run ──► [Diagnostic]         (no secret value in any file)
///     [GeneratedFile] ── Workspace.plan ──► OutputPlan ── Workspace.apply ──► disk
///
/// Any error diagnostic stops before the plan: a fleet with errors writes nothing.
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

    /// Compiles and emits in memory; touches nothing but `settings.yaml` (read).
    public func generate() -> Generated {
        let settingsPath = "\(root)/\(SettingsFile.path)"
        var overrides: [SettingOverride] = []
        var diagnostics: [Diagnostic] = []
        if let data = FileManager.default.contents(atPath: settingsPath) {
            (overrides, diagnostics) = SettingsFile.overrides(text: String(decoding: data, as: UTF8.self), file: settingsPath)
        }
        let compiled = CompilerPipeline.compile(definition, overrides: overrides)
        diagnostics = (diagnostics + compiled.diagnostics).sorted()
        guard let ir = compiled.ir, !diagnostics.hasErrors else {
            return Generated(diagnostics: diagnostics, files: nil, ir: nil)
        }
        let files = OutputEmitters.emit(ir)
        diagnostics = (diagnostics + SecretScan.run(files)).sorted()
        guard !diagnostics.hasErrors else { return Generated(diagnostics: diagnostics, files: nil, ir: nil) }
        return Generated(diagnostics: diagnostics, files: files, ir: ir)
    }
}
