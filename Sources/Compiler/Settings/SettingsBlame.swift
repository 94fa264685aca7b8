import DSL

/// Blames the right line: a problem that a value written in settings.yaml feeds (a resources
/// override with `cpu: lots`, an image override without a tag, a port that collides) is
/// reported at its `settings.yaml:<line>`, naming the setting, with a note at the
/// declaration that uses it.
///
/// Which setting fed a problem is found, not guessed: the fleet is checked again with one
/// override changed (`perturbed`), and a problem that then changes or goes away was fed by
/// it. Two settings with the same value, a one-character value, a value that a literal
/// repeats: each is blamed exactly where its own value went. Booleans select what exists
/// rather than being a value a check finds wrong, so they are never blamed. Costs one check
/// of the fleet per override, and only when some problem names no setting.
public enum SettingsBlame {
    /// `diagnostics` with each problem an override fed moved to that override's line.
    ///
    /// - Parameter recheck: the fleet's diagnostics when built with other values.
    public static func relocate(
        _ diagnostics: [Diagnostic], defined: DefinedFleet,
        recheck: (SettingValues) -> [Diagnostic]
    ) -> [Diagnostic] {
        let settings = Dictionary(
            defined.source.definition.settings.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var overrides: [String: SettingOverride] = [:]
        for override in defined.source.overrides
        where overrides[override.key] == nil
            && defined.values.overrides[override.key] != nil && settings[override.key]?.isSecret == false
        {
            overrides[override.key] = override
        }
        guard !overrides.isEmpty else { return diagnostics }
        var result = diagnostics
        // Explicitly attributed problems (a `SettingRead`) move whatever the value.
        for (i, diagnostic) in result.enumerated() {
            if let key = diagnostic.setting, let override = overrides[key] {
                result[i] = moved(diagnostic, to: override)
            }
        }
        // The settings' own problems (an invented default) come from resolving them, which a recheck
        // does not repeat: never fed by a value.
        let open = result.indices.filter {
            result[$0].setting == nil && !isSettingsProblem(result[$0], overrides) && result[$0].code.area != .settings
        }
        guard !open.isEmpty else { return result }
        var fedBy: [Int: [String]] = [:]
        let errors = Set(diagnostics.filter { $0.severity == .error }.map { Spot($0) })
        for key in overrides.values.sorted(by: { $0.location < $1.location }).map(\.key) {
            guard let setting = settings[key], setting.typeName != Bool.typeName,
                let tree = defined.values.overrides[key]
            else { continue }
            // The first change that is valid for the setting and conclusive: one that makes
            // no new error, since an error stops the checks that run only on a fleet without
            // errors (the Flux graph, the guardrails, the migration plan) and their problems
            // would go away without having been fed by the override.
            for changed in perturbations(tree) where setting.validate(changed) == nil {
                let again = recheck(defined.values.overriding(key, with: changed))
                guard again.allSatisfy({ $0.severity != .error || errors.contains(Spot($0)) }) else { continue }
                let kept = Set(again)
                for i in open where !kept.contains(result[i]) { fedBy[i, default: []].append(key) }
                break
            }
        }
        for (i, keys) in fedBy {
            // Fed by several (two values that collide): at the first override's line, with a
            // note at each other's.
            guard let override = overrides[keys[0]] else { continue }
            var placed = placed(
                result[i], on: override, reads: defined.uses.filter { $0.key == keys[0] }.map(\.location))
            for other in keys.dropFirst() {
                guard let line = overrides[other]?.location else { continue }
                placed.notes.append(.init("setting '\(other)' feeds it too", at: line))
            }
            result[i] = placed
        }
        return result
    }

    /// Where an error is (its code and place), whatever its message says.
    struct Spot: Hashable {
        var code: DiagnosticCode
        var location: SourceLocation
        init(_ diagnostic: Diagnostic) {
            code = diagnostic.code
            location = diagnostic.location
        }
    }

    /// A problem of settings.yaml itself (already at its line).
    static func isSettingsProblem(_ diagnostic: Diagnostic, _ overrides: [String: SettingOverride]) -> Bool {
        overrides.values.contains { $0.location.file == diagnostic.location.file }
    }

    /// The diagnostic at the override's line, with a note at the use: the read in the
    /// diagnostic's own file, else the read behind one of its notes (the other side of a
    /// conflict, which then gets a note of its own).
    static func placed(_ diagnostic: Diagnostic, on override: SettingOverride, reads: [SourceLocation]) -> Diagnostic {
        if reads.isEmpty || reads.contains(where: { $0.file == diagnostic.location.file }) {
            return moved(diagnostic, to: override)
        }
        let notes = diagnostic.notes.compactMap(\.location)
        guard let use = notes.first(where: { place in reads.contains { $0.file == place.file } }) else {
            return moved(diagnostic, to: override)
        }
        var result = moved(diagnostic, to: override, usedAt: use)
        result.notes.insert(.init("it conflicts with what is declared here", at: diagnostic.location), at: 1)
        result.notes.removeAll { $0.location == use && $0.message != "the value is used here" }
        return result
    }

    /// The diagnostic at the override's line, naming the setting once, with a note at the use.
    static func moved(_ diagnostic: Diagnostic, to override: SettingOverride, usedAt use: SourceLocation? = nil)
        -> Diagnostic
    {
        var moved = diagnostic
        moved.message =
            diagnostic.message.hasPrefix("setting '\(override.key)'")
            ? diagnostic.message
            : "setting '\(override.key)': \(diagnostic.message)"
        moved.location = override.location
        moved.notes = [.init("the value is used here", at: use ?? diagnostic.location)] + diagnostic.notes
        return moved
    }

    /// Other values of the same kind, tried in order until one is valid for the setting and
    /// conclusive: strings get a leading `1` (a quantity stays a quantity), a trailing `x`
    /// (a name stays a name) or a leading `a`; numbers grow or shrink by one. Booleans and
    /// nulls have none.
    static func perturbations(_ tree: Tree) -> [Tree] {
        [{ "1" + $0 }, { $0 + "x" }, { "a" + $0 }].compactMap { change in changed(tree, strings: change, by: 1) }
            + [changed(tree, strings: { "b" + $0 }, by: -1)].compactMap { $0 }
    }

    /// The same value with every scalar changed so that any check reading it sees another
    /// value of the same kind (the first of `perturbations`); nil when nothing in it can change.
    static func perturbed(_ tree: Tree) -> Tree? { changed(tree, strings: { "1" + $0 }, by: 1) }

    static func changed(_ tree: Tree, strings: (String) -> String, by step: Int) -> Tree? {
        switch tree {
        case .string(let s): .string(strings(s))
        case .int(let i): .int(i.addingReportingOverflow(step).overflow ? i - step : i + step)
        case .double(let d): .double(d + Double(step))
        case .bool, .null: nil
        case .list(let items):
            items.contains { changed($0, strings: strings, by: step) != nil }
                ? .list(items.map { changed($0, strings: strings, by: step) ?? $0 }) : nil
        case .map(let entries):
            entries.contains { changed($0.value, strings: strings, by: step) != nil }
                ? .map(entries.map { Tree.Entry($0.key, changed($0.value, strings: strings, by: step) ?? $0.value) })
                : nil
        }
    }
}
