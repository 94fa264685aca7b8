import DSL

/// One override read from `settings.yaml`, with the line it was written on.
public struct SettingOverride: Sendable {
    public var key: String
    public var value: Tree
    public var location: SourceLocation
    /// The scalar exactly as written (`010`, `1.10`, `yes`), when the override is a plain or
    /// quoted scalar: a string setting takes this text, never the number YAML would read.
    public var text: String?
    public init(key: String, value: Tree, location: SourceLocation, text: String? = nil) {
        self.key = key
        self.value = value
        self.location = location
        self.text = text
    }
}

/// Checks overrides against the declared settings and resolves the values the fleet is
/// built with. A malformed override is a diagnostic naming the setting; it is never
/// silently replaced by the default.
public enum SettingsResolver {
    public static func resolve(_ settings: [AnySetting], overrides: [SettingOverride]) -> (SettingValues, [Diagnostic])
    {
        var diagnostics: [Diagnostic] = Diagnostic.duplicates(
            .duplicateSetting, "setting", in: settings, name: \.key, location: \.location)
        var declared: [String: AnySetting] = [:]
        for setting in settings where declared[setting.key] == nil { declared[setting.key] = setting }
        var accepted: [String: Tree] = [:]
        for var override in overrides {
            // A string setting keeps the text: `branch: 010` is "010", not the number 10 (or 8).
            if let setting = declared[override.key], setting.typeName == String.typeName, let text = override.text {
                // `~`, `null` or nothing is YAML's null, not a value: say so rather than use "~".
                if override.value == .null {
                    diagnostics.append(
                        .invalidSetting(
                            override.key,
                            problem: "'\(text)' is YAML's null; write a value, or remove the line to use the default",
                            at: override.location, declared: setting.location))
                    continue
                }
                override.value = .string(text)
            }
            guard let setting = declared[override.key] else {
                diagnostics.append(.unknownSetting(override.key, known: Array(declared.keys), at: override.location))
                continue
            }
            if let problem = setting.validate(override.value) {
                diagnostics.append(
                    .invalidSetting(override.key, problem: problem, at: override.location, declared: setting.location))
            } else {
                accepted[override.key] = override.value
            }
        }
        return (SettingValues(overrides: accepted), diagnostics.sorted())
    }
}
