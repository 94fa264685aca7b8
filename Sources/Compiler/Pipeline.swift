import DSL

/// The compiler's stages, named once (the emitters and the writer continue the chain in
/// OceanidGenKit's BuildPipeline):
///
/// 1. `SettingsResolver.resolve`: `[AnySetting]` + `[SettingOverride]` → `SettingValues` + `[Diagnostic]`
/// 2. `FleetDefinition.build`: `SettingValues` → `Fleet`
/// 3. `Lowering.lower`: `Fleet` → `FleetIR` (total: it builds trees from any fleet; nothing
///    is emitted from it unless every check passes)
/// 4. `FleetCheck.run`: `Fleet` + `FleetIR` → `[Diagnostic]` (every problem, sorted; the
///    metadata checks read what the lowering will emit)
/// 5. `FluxGraphCheck.run`: `FleetIR` → `[Diagnostic]` (references between lowered objects,
///    only when stage 1 and 4 found no error, so a broken fleet does not cascade)
/// 6. `SettingsBlame.relocate`: a problem whose value came from settings.yaml is reported at
///    that line, with a note at the declaration that uses it
public enum CompilerPipeline {
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        /// nil when any diagnostic is an error.
        public var ir: FleetIR?
        public var fleet: Fleet?
    }

    public static func compile(_ definition: FleetDefinition, overrides: [SettingOverride] = []) -> Result {
        let (values, settingProblems) = SettingsResolver.resolve(definition.settings, overrides: overrides)
        let fleet = definition.build(values)
        let indexes = fleet.clusters.map(ClusterIndex.init)  // built once, shared by check and lower
        let ir = Lowering.lower(fleet, indexes: indexes)
        var diagnostics = settingProblems + FleetCheck.run(fleet, indexes: indexes, lowered: ir, settings: definition.settings)
        if !diagnostics.hasErrors { diagnostics += FluxGraphCheck.run(ir) }
        diagnostics = SettingsBlame.relocate(diagnostics, overrides: overrides, settings: definition.settings, usage: values.usage).sorted()
        guard !diagnostics.hasErrors else { return Result(diagnostics: diagnostics, ir: nil, fleet: fleet) }
        return Result(diagnostics: diagnostics, ir: ir, fleet: fleet)
    }
}
