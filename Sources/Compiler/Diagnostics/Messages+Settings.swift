import DSL

/// Settings read where something needs them (`EdgeChecks.identifier`); the factories for
/// settings.yaml itself are in `Messages.swift`.
extension Diagnostic {
    // MARK: Values something needs

    /// Setting `key` is empty but the `what` it holds is needed; `fix` says what to set, and
    /// `notes` where the setting was read, when elsewhere.
    static func emptySetting(
        _ key: String, what: String, fix: String, at loc: SourceLocation, notes: [Note]
    ) -> Diagnostic {
        Diagnostic(
            .missingSetting, "setting '\(key)' is empty, but the \(what) is needed here; \(fix)", at: loc, notes: notes)
    }

    /// Setting `key` still holds the all-zero placeholder `value`.
    static func placeholderSetting(
        _ value: String, setting key: String, what: String, fix: String, at loc: SourceLocation,
        notes: [Note]
    ) -> Diagnostic {
        Diagnostic(
            .placeholderSetting,
            "setting '\(key)' is the all-zero placeholder, so the \(what) cannot be deployed yet; \(fix)",
            at: loc, notes: notes, subject: value)
    }

    // MARK: Defaults nobody chose

    /// Settings whose defaults were invented here (`SettingSource.invented`) and that settings.yaml
    /// does not set: one warning per setting, at its declaration, while there are at most
    /// `inventedDefaultsListedAlone`; more are one warning at the first, listing every key, with a
    /// note at each declaration (so they do not open every command with a screenful).
    static func inventedDefaults(_ settings: [(key: String, value: String, why: String, at: SourceLocation)])
        -> [Diagnostic]
    {
        guard let first = settings.first else { return [] }
        if settings.count <= inventedDefaultsListedAlone {
            return settings.map { setting in
                Diagnostic(
                    .inventedDefault,
                    "setting '\(setting.key)' keeps a default invented here ('\(setting.value)': \(setting.why)); "
                        + "set '\(setting.key): <value>' in settings.yaml once the real value is known",
                    at: setting.at, notes: [], subject: setting.key)
            }
        }
        return [
            Diagnostic(
                .inventedDefault,
                "\(settings.count) settings keep defaults invented here: "
                    + settings.map(\.key).joined(separator: ", ")
                    + "; set each in settings.yaml once the real value is known (docs/settings.md says why each was chosen)",
                at: first.at,
                notes: settings.map { Note("'\($0.key)' is '\($0.value)': \($0.why)", at: $0.at) },
                subject: settings.map(\.key).joined(separator: ","))
        ]
    }

    /// How many invented defaults are reported one warning each; more are grouped into one.
    static let inventedDefaultsListedAlone = 3

    // MARK: Keys of the tool itself

    /// settings.yaml's `key` (a key of the tool, not a setting the fleet declares, such as
    /// `planApprovalRisks`) holds a value the tool cannot use: `value` is what was written (nil
    /// when the whole value has the wrong shape), `problem` what is wrong, `allowed` every value
    /// an item may take. Names the closest allowed value when `value` is a near miss (not when it
    /// is allowed and only the shape is wrong).
    public static func invalidToolSetting(
        _ key: String, value: String?, problem: String, allowed: [String], at loc: SourceLocation
    ) -> Diagnostic {
        // A near miss gets a suggestion; an allowed value in the wrong shape does not.
        let guess = value.flatMap { value in
            Suggestions.closest(to: value, among: allowed).flatMap { $0 == value ? nil : $0 }
        }
        let subject = value.map { "'\($0)' " } ?? ""
        return Diagnostic(
            .invalidSetting,
            "malformed override of setting '\(key)': \(subject)\(problem); "
                + "the allowed values are \(allowed.joined(separator: ", "))",
            at: loc, notes: guess.map { [Note("did you mean '\($0)'?")] } ?? [], subject: value ?? key)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    static let settings: [DiagnosticDoc] = [
        .init(
            "settings.yaml gives the same setting twice, or the definitions declare one setting twice.",
            fix: "Keep one of the two.",
            example: .duplicateOverride(
                "squidImage", firstLine: 3, at: SourceLocation(file: "settings.yaml", line: 9))),
        .init(
            "settings.yaml cannot be read, or an override is not a value its setting can take.",
            fix: "Give the setting a value of its type (the message names it); `docs/settings.md` lists every setting.",
            example: .invalidSetting(
                "port", problem: "expected an integer",
                at: SourceLocation(file: "settings.yaml", line: 2), declared: at)),
        .init(
            "A setting's default was invented here (its declaration says `source: .invented(...)`): no seed or upstream "
                + "document gives the value, so it is a guess until settings.yaml sets it. More than three are one "
                + "warning listing them, with a note at each declaration.",
            fix: "Set the real value in settings.yaml (docs/settings.md shows each default's source); or, when a "
                + "document states it, declare the setting with `source: .seed(quote)` or `.upstream(url)`.",
            example: .inventedDefaults([
                (
                    key: "hfDatasetRepo", value: "goldfish-inc/oceanid-annotations",
                    why: "the seeds name the key, never its value", at: at
                )
            ])[0]),
        .init(
            "A setting that something needs here is empty.",
            fix: "Set it in settings.yaml; the message says the shape.",
            example: .emptySetting(
                "cloudflareAccountId", what: "Cloudflare account ID",
                fix: "set 'cloudflareAccountId: <32 hex digits>' in settings.yaml", at: at, notes: [])),
        .init(
            "A setting still holds its all-zero placeholder, so what it identifies cannot be deployed yet.",
            fix: "Set the real value in settings.yaml before deploying.",
            example: .placeholderSetting(
                "00000000000000000000000000000000", setting: "cloudflareAccountId",
                what: "Cloudflare account ID",
                fix: "set 'cloudflareAccountId: <32 hex digits>' in settings.yaml", at: at, notes: [])),
        .init(
            "settings.yaml overrides a setting the definitions do not declare.",
            fix: "Fix the key's spelling (the note suggests one), or remove the override.",
            example: .unknownSetting(
                "squidImge", known: ["squidImage"], at: SourceLocation(file: "settings.yaml", line: 4))),
    ]
}
