import DSL

/// The fleet the definitions built from the resolved settings, with the settings it was
/// built from and every read it made (`SettingUse`): the output of the define stage.
public struct DefinedFleet: Sendable {
    /// Where it came from.
    public var source: FleetSource
    /// The resolved values (valid overrides over defaults).
    public var values: SettingValues
    /// The fleet itself.
    public var fleet: Fleet
    /// Every setting read the definitions made, sorted by key, then line.
    public var uses: [SettingUse]

    /// Resolves the overrides and builds the fleet. Total: an invalid override is a
    /// diagnostic and the setting keeps its default.
    public static func define(_ source: FleetSource) -> Staged<DefinedFleet> {
        let (values, problems) = SettingsResolver.resolve(source.definition.settings, overrides: source.overrides)
        let (fleet, uses) = source.definition.define(values)
        return Staged(DefinedFleet(source: source, values: values, fleet: fleet, uses: uses), diagnostics: problems)
    }

    /// The same definitions built with other values (how blame and the traces ask what a
    /// setting feeds).
    func rebuilt(with values: SettingValues) -> DefinedFleet { Self.built(source, with: values) }

    /// `source`'s definitions built with `values`, resolved elsewhere.
    static func built(_ source: FleetSource, with values: SettingValues) -> DefinedFleet {
        let (fleet, uses) = source.definition.define(values)
        return DefinedFleet(source: source, values: values, fleet: fleet, uses: uses)
    }

    /// The settings table: every declared setting, its value, its source and where it is read.
    var settingsTable: [SettingRowIR] {
        let overrideAt = Dictionary(source.overrides.map { ($0.key, $0.location) }, uniquingKeysWith: { a, _ in a })
        var readAt: [String: [SourceLocation]] = [:]
        for use in uses { readAt[use.key, default: []].append(use.location) }
        return source.definition.settings.map { setting in
            let accepted = values.overrides[setting.key]
            let source: SettingRowIR.Source
            if setting.isSecret {
                source = .escKey
            } else if accepted != nil, let line = overrideAt[setting.key] {
                source = .settingsFile(line)
            } else {
                source = .defaultValue
            }
            let value =
                setting.isSecret
                ? nil : (accepted.map { setting.defaultValue?.merging($0) ?? $0 } ?? setting.defaultValue)
            return SettingRowIR(
                key: setting.key, typeName: setting.typeName, summary: setting.summary,
                isSecret: setting.isSecret, defaultValue: setting.defaultValue, value: value,
                source: source, declaredAt: setting.location, usedAt: (readAt[setting.key] ?? []).sorted(),
                defaultSource: setting.source)
        }.sorted { $0.key < $1.key }
    }
}
