import DSL

/// One override read from `settings.yaml`, with the line it was written on.
public struct SettingOverride: Sendable {
    /// The setting's key as written on the line (`flux.version`); need not name a declared setting.
    public var key: String
    /// The value as YAML parsed it (a scalar, list or mapping).
    public var value: Tree
    /// The settings.yaml line: where a diagnostic about the override, or one blame moves, points.
    public var location: SourceLocation
    /// The scalar exactly as written (`010`, `1.10`, `yes`), when the override is a plain or
    /// quoted scalar: a string setting takes this text, never the number YAML would read.
    public var text: String?
    /// An override of `key` with its parsed value, line and, for a scalar, its text as written.
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
    /// Resolves the overrides against the declared settings (the define stage's first step).
    ///
    /// - Returns: the accepted overrides (`SettingValues`; a setting without one keeps its
    ///   default) and the diagnostics, sorted: a key declared twice (`duplicateSetting`), an
    ///   override of an undeclared key (`unknownSetting`, naming the known keys), and a value the
    ///   setting's validation refuses or YAML's null for a string (`invalidSetting`), and each
    ///   `.invented` default settings.yaml does not set (`inventedDefault`, a warning). A refused
    ///   override is left out, never replaced; a later override of the same key wins.
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
        // A default invented here is a guess: say so until settings.yaml sets it (grouped when many).
        diagnostics += Diagnostic.inventedDefaults(
            settings.compactMap { setting in
                guard case .invented(let why) = setting.source, accepted[setting.key] == nil,
                    declared[setting.key]?.location == setting.location
                else { return nil }
                return (setting.key, setting.defaultValue.map(Self.text) ?? "", why, setting.location)
            })
        return (SettingValues(overrides: accepted), diagnostics.sorted())
    }

    /// A default as one line: a scalar as written, a mapping or list as JSON-like text.
    static func text(_ tree: Tree) -> String {
        switch tree {
        case .string(let text): text
        case .int(let value): String(value)
        case .bool(let value): String(value)
        default: "\(tree)"
        }
    }
}
