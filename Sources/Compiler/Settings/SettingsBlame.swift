import DSL

/// Blames the right line: a value written in settings.yaml that fails a check of the fleet
/// (a resources override with `cpu: lots`, an image override without a tag) is reported at
/// its `settings.yaml:<line>`, naming the setting, with a note at the declaration that uses
/// it. A diagnostic is moved when the offending value it names (`Diagnostic.subject`) is
/// exactly a value of an override (a scalar, or a leaf of a mapping) and the setting was read
/// in the diagnostic's file or in the file of one of its notes (a conflict's other side: a
/// host port the setting's DaemonSet also takes); a value of one or two characters (`0`, `1`)
/// must also have been read on the very line of the diagnostic or of a note, so a coincidence
/// never moves a diagnostic.
public enum SettingsBlame {
    public static func relocate(_ diagnostics: [Diagnostic], overrides: [SettingOverride], settings: [AnySetting],
                                usage: SettingUsage) -> [Diagnostic] {
        let secretKeys = Set(settings.filter(\.isSecret).map(\.key))
        // The text as written counts too: a string setting keeps it (`2.20`, not the float 2.2).
        let candidates = overrides.filter { !secretKeys.contains($0.key) }.map { ($0, leaves($0.value).union($0.text.map { [$0] } ?? [])) }
        guard !candidates.isEmpty else { return diagnostics }
        return diagnostics.map { diagnostic in
            if let key = diagnostic.setting, let override = overrides.first(where: { $0.key == key }) {
                return moved(diagnostic, to: override)
            }
            guard let subject = diagnostic.subject else { return diagnostic }
            let places = [diagnostic.location] + diagnostic.notes.compactMap(\.location)
            for (override, values) in candidates where values.contains(subject) {
                let reads = usage.reads(of: override.key).filter { read in
                    subject.count >= 3 ? places.contains { $0.file == read.file } : places.contains { $0 == read }
                }
                guard !reads.isEmpty else { continue }
                // Read in the diagnostic's own file: used there. Only in a note's file (the
                // other side of a conflict): the use is that note's place.
                if reads.contains(where: { $0.file == diagnostic.location.file }) { return moved(diagnostic, to: override) }
                let use = places.dropFirst().first { place in reads.contains { $0.file == place.file } } ?? diagnostic.location
                var result = moved(diagnostic, to: override, usedAt: use)
                result.notes.insert(.init("it conflicts with what is declared here", at: diagnostic.location), at: 1)
                result.notes.removeAll { $0.location == use && $0.message != "the value is used here" }
                return result
            }
            return diagnostic
        }
    }

    /// The diagnostic at the override's line, naming the setting once, with a note at the use.
    static func moved(_ diagnostic: Diagnostic, to override: SettingOverride, usedAt use: SourceLocation? = nil) -> Diagnostic {
        var moved = diagnostic
        moved.message = diagnostic.message.hasPrefix("setting '\(override.key)'") ? diagnostic.message
            : "setting '\(override.key)': \(diagnostic.message)"
        moved.location = override.location
        moved.notes = [.init("the value is used here", at: use ?? diagnostic.location)] + diagnostic.notes
        return moved
    }

    static func trimmed(_ s: Substring) -> String {
        var t = s
        while t.first == " " { t.removeFirst() }
        while t.last == " " { t.removeLast() }
        return String(t)
    }

    /// Every scalar of an override as it would appear in a message.
    static func leaves(_ tree: Tree) -> Set<String> {
        switch tree {
        // A comma-separated list (`ops@x, oncall@x`) is blamed for each of its items too.
        case .string(let s): Set([s]).union(s.contains(",") ? s.split(separator: ",").map(trimmed).filter { !$0.isEmpty } : [])
        case .int(let i): [String(i)]
        case .double(let d): [String(d)]
        case .bool(let b): [b ? "true" : "false"]
        case .null: []
        case .list(let items): items.reduce(into: Set<String>()) { $0.formUnion(leaves($1)) }
        case .map(let entries): entries.reduce(into: Set<String>()) { $0.formUnion(leaves($1.value)) }
        }
    }
}
