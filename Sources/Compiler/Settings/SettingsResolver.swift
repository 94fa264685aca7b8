import DSL

/// One override read from `settings.yaml`, with the line it was written on.
public struct SettingOverride: Sendable {
    public var key: String
    public var value: Tree
    public var location: SourceLocation
    public init(key: String, value: Tree, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// Checks overrides against the declared settings and resolves the values the fleet is
/// built with. A malformed override is a diagnostic naming the setting; it is never
/// silently replaced by the default.
public enum SettingsResolver {
    public static func resolve(_ settings: [AnySetting], overrides: [SettingOverride]) -> (SettingValues, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var declared: [String: AnySetting] = [:]
        for setting in settings {
            if let first = declared[setting.key] {
                diagnostics.append(.duplicate(.duplicateSetting, "setting", setting.key, at: setting.location, first: first.location))
            } else {
                declared[setting.key] = setting
            }
        }
        var accepted: [String: Tree] = [:]
        for override in overrides {
            guard let setting = declared[override.key] else {
                diagnostics.append(.unknownSetting(override.key, known: Array(declared.keys), at: override.location))
                continue
            }
            if let problem = setting.validate(override.value) {
                diagnostics.append(.invalidSetting(override.key, problem: problem, at: override.location, declared: setting.location))
            } else {
                accepted[override.key] = override.value
            }
        }
        return (SettingValues(overrides: accepted), diagnostics.sorted())
    }
}
