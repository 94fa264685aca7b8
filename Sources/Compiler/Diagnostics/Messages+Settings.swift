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
