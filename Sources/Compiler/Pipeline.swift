import DSL

/// The compiler's stages, named once (the emitters and the writer continue the chain in
/// OceanidGenKit's BuildPipeline):
///
/// 1. `SettingsResolver.resolve`: `[AnySetting]` + `[SettingOverride]` → `SettingValues` + `[Diagnostic]`
/// 2. `FleetDefinition.build`: `SettingValues` → `Fleet` (each setting read is recorded)
/// 3. `FleetCheck.check`: `Fleet` → `[Diagnostic]` + `CheckedFleet?`. Every check runs on the
///    declarations and on the objects they lower to (labels, annotations, characters, secrets
///    as emitted); the Flux graph only on a fleet without errors, so a broken one does not
///    cascade; a problem whose value came from settings.yaml is reported at that line
///    (`SettingsBlame`). A `CheckedFleet` exists only when no diagnostic is an error.
/// 4. `MigrationPlanner.plan`: databases + committed history and locks → next migrations, or
///    the diagnostics that refuse a tampered history or a destructive change
/// 5. `Lowering.lower`: `CheckedFleet` + settings table + database plans → `FleetIR`
/// 6. `Guardrails.run`: `FleetIR` → `[Diagnostic]` (policy/guardrails.rego's rules, natively)
public enum CompilerPipeline {
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        /// nil when any diagnostic is an error.
        public var ir: FleetIR?
        public var fleet: Fleet?
    }

    /// - Parameter inputs: committed files the compiler reads (the migration history), from
    ///   the same tree `check` compares with.
    public static func compile(_ definition: FleetDefinition, overrides: [SettingOverride] = [],
                               inputs: InputTree = EmptyInputTree()) -> Result {
        let (values, settingProblems) = SettingsResolver.resolve(definition.settings, overrides: overrides)
        let fleet = definition.build(values)
        let blame = { SettingsBlame.relocate($0, overrides: overrides, settings: definition.settings, usage: values.usage) }
        let (checkProblems, checked) = FleetCheck.check(fleet, settings: definition.settings, blame: blame)
        var diagnostics = (settingProblems + checkProblems
            + MigrationHistory.problems(databases: fleet.databases.map(\.name), inputs: inputs)).sorted()
        guard let checked, !diagnostics.hasErrors else { return Result(diagnostics: diagnostics, ir: nil, fleet: fleet) }
        // The databases: committed history against its lock, declaration against the locked schema.
        let (planProblems, plans) = MigrationPlanner.plan(fleet.databases, inputs: inputs)
        diagnostics = (diagnostics + planProblems).sorted()
        guard !diagnostics.hasErrors else { return Result(diagnostics: diagnostics, ir: nil, fleet: fleet) }
        let table = SettingsTable.rows(definition.settings, overrides: overrides, values: values)
        let ir = Lowering.lower(checked, settings: table, plans: plans)
        // The guardrails read the whole lowered fleet (objects, nodes, hosts, cloud state).
        let guarded = (diagnostics + (definition.guardrails ? Guardrails.run(ir) : [])).sorted()
        guard !guarded.hasErrors else { return Result(diagnostics: guarded, ir: nil, fleet: fleet) }
        return Result(diagnostics: guarded, ir: ir, fleet: fleet)
    }
}

/// The settings table of the IR: every declared setting, its value and its source.
enum SettingsTable {
    static func rows(_ settings: [AnySetting], overrides: [SettingOverride], values: SettingValues) -> [SettingRowIR] {
        let overrideAt = Dictionary(overrides.map { ($0.key, $0.location) }, uniquingKeysWith: { a, _ in a })
        return settings.map { setting in
            let accepted = values.overrides[setting.key]
            let source: SettingRowIR.Source = setting.isSecret ? .escKey : accepted != nil ? .settingsFile(overrideAt[setting.key]!) : .defaultValue
            return SettingRowIR(key: setting.key, typeName: setting.typeName, summary: setting.summary, isSecret: setting.isSecret,
                                defaultValue: setting.defaultValue, value: setting.isSecret ? nil : (accepted.map { setting.defaultValue?.merging($0) ?? $0 } ?? setting.defaultValue),
                                source: source, declaredAt: setting.location, usedAt: values.usage.reads(of: setting.key).sorted())
        }.sorted { $0.key < $1.key }
    }
}
