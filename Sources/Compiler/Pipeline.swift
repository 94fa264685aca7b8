import DSL

/// The compiler's stages, named once (the emitters and the writer continue the chain in
/// OceanidGenKit's BuildPipeline):
///
/// 1. `SettingsResolver.resolve`: `[AnySetting]` + `[SettingOverride]` → `SettingValues` + `[Diagnostic]`
/// 2. `FleetDefinition.build`: `SettingValues` → `Fleet`
/// 3. `FleetCheck.run`: `Fleet` → `[Diagnostic]` (every problem, sorted)
/// 4. `Lowering.lower`: `Fleet` → `FleetIR` (only when stage 1 and 3 found no error)
/// 5. `FluxGraphCheck.run`: `FleetIR` → `[Diagnostic]` (references between lowered objects)
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
        var diagnostics = (settingProblems + FleetCheck.run(fleet, indexes: indexes, settings: definition.settings)).sorted()
        guard !diagnostics.hasErrors else { return Result(diagnostics: diagnostics, ir: nil, fleet: fleet) }
        let ir = Lowering.lower(fleet, indexes: indexes)
        diagnostics = (diagnostics + FluxGraphCheck.run(ir)).sorted()
        guard !diagnostics.hasErrors else { return Result(diagnostics: diagnostics, ir: nil, fleet: fleet) }
        return Result(diagnostics: diagnostics, ir: ir, fleet: fleet)
    }
}
