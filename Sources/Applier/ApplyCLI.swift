import ArgumentParser
import CloudState
import Foundation

/// `oceanid-apply plan|apply`, run in-process: the binary's `main` and the tests call `run`.
/// It parses the command line (`OceanidApply`), reads the desired state, hands the providers
/// to the `Reconciler` (which checks each one's credentials before it may send a request) and
/// reports. Exit codes (like
/// `terraform plan -detailed-exitcode`): plan 0 nothing to change, 2 changes planned, 1 an
/// error; apply 0 done (or nothing to do), 1 an error; 64 usage.
public enum ApplyCLI {
    /// Runs one command line (without the program name) and returns the exit code; all output
    /// goes through `environment`.
    public static func run(_ arguments: [String], environment: ApplyEnvironment = .process) -> Int32 {
        let parsed: ParsableCommand
        do {
            parsed = try OceanidApply.parseAsRoot(arguments)
        } catch {
            return usage(error, arguments, environment)
        }
        switch parsed {
        case let plan as OceanidApply.Plan:
            return execute(.plan, plan.options, yes: false, in: environment)
        case let apply as OceanidApply.Apply:
            return execute(.apply, apply.options, yes: apply.yes, in: environment)
        case let status as OceanidApply.Db.Status:
            return DatabaseCommand.run(status.options.request("status"), in: environment)
        case let inspect as OceanidApply.Db.Inspect:
            return DatabaseCommand.run(inspect.options.request("inspect"), in: environment)
        case let adopt as OceanidApply.Db.Adopt:
            return DatabaseCommand.run(adopt.options.request("adopt"), in: environment)
        case let migrate as OceanidApply.Db.Migrate:
            return DatabaseCommand.run(migrate.request, in: environment)
        case is OceanidApply:
            return usage(ValidationError("expected a command, plan, apply or db"), arguments, environment)
        default:
            // ArgumentParser's own `help [command]`: running it throws the help it shows.
            do {
                var command = parsed
                try command.run()
                return 0
            } catch {
                return usage(error, arguments, environment)
            }
        }
    }

    /// Help on stdout (exit 0), or a short usage error on stderr (exit 64) and, with `--json`,
    /// the report on stdout.
    static func usage(_ error: Error, _ arguments: [String], _ environment: ApplyEnvironment) -> Int32 {
        let code = OceanidApply.exitCode(for: error)
        if code == .success {
            environment.out(OceanidApply.fullMessage(for: error) + "\n")
            return 0
        }
        let command = arguments.first { Command(rawValue: $0) != nil || $0 == "db" }
        var message = OceanidApply.message(for: error)
        if command == nil, arguments.first != "help" {
            // Before a command, ArgumentParser would call the first word an unexpected argument.
            let word = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
            message =
                word.map { "unknown command '\($0)'; expected plan, apply or db" }
                ?? "expected a command, plan, apply or db"
        }
        message = message.prefix(1).lowercased() + message.dropFirst()
        environment.err(
            "error: \(printable(message))\nRun 'oceanid-apply --help' for the commands, options and environment.\n")
        if arguments.contains("--json") {
            let report = Report(command: command ?? "", exitCode: 64, plan: [], done: [], skipped: [], error: message)
            environment.out(report.encoded() + "\n")
        }
        return 64
    }

    /// Every environment variable holding a secret (scrubbed from every message).
    static let credentialVariables = [
        "CLOUDFLARE_API_TOKEN", "BRIDGE_TOKEN", "LABEL_STUDIO_API_KEY",
        "LABEL_STUDIO_AWS_ACCESS_KEY_ID", "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY",
        "CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    ]

    /// Runs `plan` or `apply` with parsed options; returns the exit code.
    public static func execute(
        _ command: Command, _ options: ApplyOptions, yes: Bool, in environment: ApplyEnvironment
    )
        -> Int32
    {
        var report = Report(command: command.rawValue, exitCode: 0, plan: [], done: [], skipped: [])
        let json = options.json
        var outcomes: [Reconciler.Outcome] = []
        // Every provider's failure, then `errors`; in `--json` the failures stay in `failures`
        // and `error` holds the other errors, or else sums the failures up.
        func finish(_ code: Int32, errors: [String] = []) -> Int32 {
            report.failures = Self.failures(outcomes)
            for line in Self.lines(report.failures) + errors { environment.err("error: \(printable(line))\n") }
            report.exitCode = code
            let summary = errors.isEmpty && !report.failures.isEmpty ? [Self.summary(outcomes, skips: false)] : errors
            if !summary.isEmpty { report.error = summary.joined(separator: "; ") }
            if json { environment.out(report.encoded() + "\n") }
            return code
        }
        // Everything that can be known without a request is checked first.
        let state: DesiredState
        switch StateFile.read(options.statePath) {
        case .success(let read): state = read
        case .failure(let error): return finish(1, errors: [error.description])
        }
        var httpOptions = HTTPClient.Options()
        httpOptions.totalTimeoutSeconds = options.timeoutSeconds
        let context = ProviderContext(
            command: command, variables: environment.variables, statePath: options.statePath,
            client: HTTPClient(options: httpOptions), retry: environment.retry,
            reloadModels: options.reloadModels, adopt: options.adopt)
        let chosen = options.only
        let providers = Providers.all.filter { chosen.isEmpty || chosen.contains($0.name) }
            .compactMap { $0.init(state: state, context: context) }
        for name in Providers.names where chosen.contains(name) && !providers.contains(where: { $0.name == name }) {
            environment.err(
                "warning: --only chose \(name), which \(options.statePath) does not declare; nothing to do\n")
        }
        let reconciler = Reconciler(
            providers: providers, variables: environment.variables, chosen: chosen,
            // A value too short to be a credential is never sent (its provider is refused), and
            // replacing it in messages would shred them.
            secrets: credentialVariables.compactMap { environment.variables[$0] }.filter {
                $0.count >= Credential.shortest
            })
        outcomes = reconciler.plan()
        report.plan = outcomes.flatMap(\.planned)
        report.skipped = outcomes.compactMap { outcome in
            if case .skipped(let reasons) = outcome.status {
                Report.Skipped(provider: outcome.name, reasons: reasons)
            } else {
                nil
            }
        }
        for line in Self.lines(report.skipped) { environment.err("warning: \(printable(line))\n") }
        // Nothing got as far as a request: every provider was skipped, refused or held back.
        if !outcomes.isEmpty, !outcomes.contains(where: \.requested) {
            return finish(1, errors: ["nothing could be planned: " + Self.summary(outcomes, skips: true)])
        }
        let failedToPlan = outcomes.contains(where: \.failed)
        if !json, !report.plan.isEmpty || !failedToPlan, !outcomes.isEmpty {
            environment.out(printable(table(report.plan)))
        }
        let changes = report.plan.filter { $0.action != .conflict }
        let conflicts = report.plan.filter { $0.action == .conflict }
        // A conflict means the desired state cannot be reached without touching what is not
        // ours: an error for scripts (exit 1), after whatever else can be done.
        let conflictError =
            conflicts.isEmpty
            ? []
            : [
                "\(conflicts.count) object\(conflicts.count == 1 ? "" : "s") in the way that the applier does not own: "
                    + conflicts.map(\.object).joined(separator: ", ")
                    + "; run \(command.rawValue) --adopt to take \(conflicts.count == 1 ? "it" : "them") over in place "
                    + "(IDs kept), or remove \(conflicts.count == 1 ? "it" : "them") by hand"
            ]
        if command == .plan {
            let failed = outcomes.contains(where: \.failed) || !conflictError.isEmpty
            return finish(failed ? 1 : (changes.isEmpty ? 0 : 2), errors: conflictError)
        }
        guard !changes.isEmpty else {
            return finish(outcomes.contains(where: \.failed) || !conflictError.isEmpty ? 1 : 0, errors: conflictError)
        }
        if !yes {
            // --json keeps stdout one document: no prompt there.
            guard environment.isTerminal, !json else {
                return finish(1, errors: [json ? "apply --json needs --yes" : "apply without a terminal needs --yes"])
            }
            environment.err("Apply \(changes.count) change\(changes.count == 1 ? "" : "s")? Type yes: ")
            guard environment.readLine() == "yes" else {
                return finish(1, errors: ["not confirmed; nothing was changed"])
            }
        }
        outcomes = reconciler.apply(outcomes) { item in
            report.done.append(item)
            if !json {
                environment.out(printable("done: \(item.action.rawValue) \(item.provider) \(item.object)") + "\n")
            }
        }
        if !json { environment.out("Applied \(report.done.count) change\(report.done.count == 1 ? "" : "s").\n") }
        return finish(outcomes.contains(where: \.failed) || !conflictError.isEmpty ? 1 : 0, errors: conflictError)
    }

    /// Every provider that did not converge, in provider order, with what stopped it.
    static func failures(_ outcomes: [Reconciler.Outcome]) -> [Report.Failure] {
        outcomes.compactMap { outcome in
            switch outcome.status {
            case .skipped, .planned:
                return nil
            case .refused(let reasons):
                return Report.Failure(provider: outcome.name, status: .refused, reasons: reasons)
            case .heldBack(let blocker):
                let blockerHeldBack = outcomes.contains { blocking in
                    if case .heldBack = blocking.status { blocking.name == blocker } else { false }
                }
                return Report.Failure(
                    provider: outcome.name, status: .heldBack,
                    reasons: [
                        "not planned because \(blocker), which goes first, \(blockerHeldBack ? "was held back" : "failed")"
                    ])
            case .failed(let reasons):
                return Report.Failure(provider: outcome.name, status: .failed, reasons: reasons)
            }
        }
    }

    /// The failures' lines, in provider order, each once. A sentence that stopped providers
    /// before any request is prefixed with every provider it stopped (`tunnel, access: the
    /// account ID …`), where the first of them comes; a held-back provider's with its name.
    static func lines(_ failures: [Report.Failure]) -> [String] {
        var seen: Set<String> = []
        let lines = failures.flatMap { failure -> [String] in
            switch failure.status {
            case .refused:
                failure.reasons.map { reason in
                    let names = failures.filter { $0.status == .refused && $0.reasons.contains(reason) }.map(\.provider)
                    return "\(names.joined(separator: ", ")): \(reason)"
                }
            case .heldBack: failure.reasons.map { "\(failure.provider): \($0)" }
            case .failed: failure.reasons
            }
        }
        return lines.filter { seen.insert($0).inserted }
    }

    /// What became of the providers that did not plan, in one line: `tunnel failed; dns,
    /// access held back` and, with `skips`, `; firewall, labelstudio, triton skipped`.
    static func summary(_ outcomes: [Reconciler.Outcome], skips: Bool) -> String {
        let groups: [(String, (Reconciler.Status) -> Bool)] = [
            ("failed", { if case .refused = $0 { true } else if case .failed = $0 { true } else { false } }),
            ("held back", { if case .heldBack = $0 { true } else { false } }),
            ("skipped", { if case .skipped = $0 { skips } else { false } }),
        ]
        return groups.compactMap { word, matches in
            let names = outcomes.filter { matches($0.status) }.map(\.name)
            return names.isEmpty ? nil : "\(names.joined(separator: ", ")) \(word)"
        }.joined(separator: "; ")
    }

    /// One line per group of providers skipped for the same reasons (`tunnel, dns, access
    /// skipped: CLOUDFLARE_API_TOKEN is not set (…)`).
    static func lines(_ skipped: [Report.Skipped]) -> [String] {
        var groups: [(names: [String], reasons: [String])] = []
        for skip in skipped {
            if let index = groups.firstIndex(where: { $0.reasons == skip.reasons }) {
                groups[index].names.append(skip.provider)
            } else {
                groups.append(([skip.provider], skip.reasons))
            }
        }
        return groups.map { "\($0.names.joined(separator: ", ")) skipped: \($0.reasons.joined(separator: "; "))" }
    }

    /// Text from a provider (a rule's description, a title) may hold terminal escapes: shown
    /// with control characters replaced, so it can never redraw or retitle the terminal.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.value < 0x20 && scalar != "\n" || (0x7f...0x9f).contains(scalar.value) ? "\u{FFFD}" : scalar
                }))
    }

    /// The plan as a table: action, provider, object, detail; then the counts.
    static func table(_ items: [PlanItem]) -> String {
        guard !items.isEmpty else { return "No changes: the live state matches the desired state.\n" }
        let width = items.map(\.object.count).max() ?? 0
        let actionWidth = max(9, (items.map(\.action.rawValue.count).max() ?? 0) + 1)
        let providerWidth = (items.map(\.provider.count).max() ?? 0) + 1
        var text = ""
        for item in items {
            text +=
                item.action.rawValue.padding(toLength: actionWidth, withPad: " ", startingAt: 0)
                + item.provider.padding(toLength: providerWidth, withPad: " ", startingAt: 0)
                + item.object.padding(toLength: width + 2, withPad: " ", startingAt: 0) + item.detail + "\n"
        }
        // Adoptions are counted only when there are some, so a plan without them reads as before.
        let counts = PlanItem.Action.allCases.compactMap { action -> String? in
            let count = items.filter { $0.action == action }.count
            return action.isAdoption && count == 0 ? nil : "\(count) to \(action.rawValue)"
        }
        return text + "Plan: " + counts.joined(separator: ", ") + ".\n"
    }

    /// What `--json` prints: one document per run.
    struct Report: Encodable {
        /// A provider skipped for its missing credentials.
        struct Skipped: Encodable, Equatable {
            var provider: String
            var reasons: [String]
        }

        /// A provider that did not converge.
        struct Failure: Encodable, Equatable {
            /// How far it got.
            enum Status: String, Encodable {
                /// Stopped before any request: a problem, a malformed or (chosen) missing credential.
                case refused
                /// Not planned: a provider it depends on did not get through.
                case heldBack = "held back"
                /// A plan or apply error.
                case failed
            }

            var provider: String
            var status: Status
            var reasons: [String]
        }

        var command: String
        var exitCode: Int32
        var plan: [PlanItem]
        var done: [PlanItem]
        var skipped: [Skipped]
        var failures: [Failure] = []
        var error: String?

        func encoded() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
    }
}
