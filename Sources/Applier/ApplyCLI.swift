import ArgumentParser
import CloudState
import Foundation

/// `oceanid-apply plan|apply`, run in-process: the binary's `main` and the tests call `run`.
/// It parses the command line (`OceanidApply`), reads the desired state, checks the
/// credentials' shape, hands the providers to the `Reconciler` and reports. Exit codes (like
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
        case is OceanidApply:
            return usage(ValidationError("expected a command, plan or apply"), arguments, environment)
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
        let command = arguments.first { Command(rawValue: $0) != nil }
        var message = OceanidApply.message(for: error)
        if command == nil, arguments.first != "help" {
            // Before a command, ArgumentParser would call the first word an unexpected argument.
            let word = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
            message =
                word.map { "unknown command '\($0)'; expected plan or apply" } ?? "expected a command, plan or apply"
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

    /// Every environment variable holding a secret.
    static let credentialVariables = [
        "CLOUDFLARE_API_TOKEN", "BRIDGE_TOKEN", "LABEL_STUDIO_API_KEY",
        "LABEL_STUDIO_AWS_ACCESS_KEY_ID", "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY",
        "CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET",
    ]

    /// Runs `plan` or `apply` with parsed options; returns the exit code.
    public static func execute(
        _ command: Command, _ options: ApplyOptions, yes: Bool, in environment: ApplyEnvironment
    )
        -> Int32
    {
        var report = Report(command: command.rawValue, exitCode: 0, plan: [], done: [], skipped: [])
        let json = options.json
        func finish(_ code: Int32, errors: [String] = []) -> Int32 {
            for error in errors { environment.err("error: \(printable(error))\n") }
            report.exitCode = code
            if !errors.isEmpty { report.error = errors.joined(separator: "; ") }
            if json { environment.out(report.encoded() + "\n") }
            return code
        }
        // Everything that can be known without a request is checked first.
        let state: DesiredState
        switch StateFile.read(options.statePath) {
        case .success(let read): state = read
        case .failure(let error): return finish(1, errors: [error.description])
        }
        if let problem = credentialProblem(environment.variables) { return finish(1, errors: [problem]) }
        var httpOptions = HTTPClient.Options()
        httpOptions.totalTimeoutSeconds = options.timeoutSeconds
        let context = ProviderContext(
            command: command, variables: environment.variables, statePath: options.statePath,
            client: HTTPClient(options: httpOptions), retry: environment.retry,
            reloadModels: options.reloadModels)
        let chosen = options.only
        let providers = Providers.all.filter { chosen.isEmpty || chosen.contains($0.name) }
            .compactMap { $0.init(state: state, context: context) }
        for name in Providers.names where chosen.contains(name) && !providers.contains(where: { $0.name == name }) {
            environment.err(
                "warning: --only chose \(name), which \(options.statePath) does not declare; nothing to do\n")
        }
        let reconciler = Reconciler(
            providers: providers, variables: environment.variables, chosen: chosen,
            secrets: credentialVariables.compactMap { environment.variables[$0] })
        var outcomes = reconciler.plan()
        report.plan = outcomes.flatMap(\.planned)
        report.skipped = outcomes.compactMap { outcome in
            if case .skipped(let reasons) = outcome.status {
                Report.Skipped(provider: outcome.name, reasons: reasons)
            } else {
                nil
            }
        }
        // Nothing got as far as a request: every provider was skipped or failed its checks.
        if !outcomes.isEmpty, !outcomes.contains(where: \.requested) {
            return finish(1, errors: Self.lines(outcomes, skips: true) + ["nothing was requested"])
        }
        for line in Self.lines(report.skipped) { environment.err("warning: \(printable(line))\n") }
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
                    + "; remove or adopt \(conflicts.count == 1 ? "it" : "them") by hand"
            ]
        if command == .plan {
            let errors = Self.lines(outcomes) + conflictError
            return finish(errors.isEmpty ? (changes.isEmpty ? 0 : 2) : 1, errors: errors)
        }
        guard !changes.isEmpty else {
            let errors = Self.lines(outcomes) + conflictError
            return finish(errors.isEmpty ? 0 : 1, errors: errors)
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
        let errors = Self.lines(outcomes) + conflictError
        return finish(errors.isEmpty ? 0 : 1, errors: errors)
    }

    /// A credential with a control character (a line break pasted with it) would forge a
    /// header; a very short one is a truncated paste, and scrubbing it from messages would
    /// shred them. Both are refused before anything else, naming the variable, never the value.
    static func credentialProblem(_ variables: [String: String]) -> String? {
        for name in credentialVariables {
            guard let value = variables[name], !value.isEmpty else { continue }
            if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
                return "\(name) holds a space, line break or control character (copied with the value?); "
                    + "nothing was requested"
            }
            if value.count < 8 {
                return "\(name) is \(value.count) characters long, too short for a credential (truncated?); "
                    + "nothing was requested"
            }
        }
        return nil
    }

    /// Every failure's sentences, in provider order, each once; with `skips`, then the skipped
    /// providers' lines too (when nothing ran, they are errors).
    static func lines(_ outcomes: [Reconciler.Outcome], skips: Bool = false) -> [String] {
        var seen: Set<String> = []
        let failures = outcomes.flatMap { outcome -> [String] in
            if case .failed(let reasons) = outcome.status { reasons } else { [] }
        }
        let skipped = outcomes.compactMap { outcome -> Report.Skipped? in
            if case .skipped(let reasons) = outcome.status {
                Report.Skipped(provider: outcome.name, reasons: reasons)
            } else {
                nil
            }
        }
        return (failures + (skips ? lines(skipped) : [])).filter { seen.insert($0).inserted }
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
        let providerWidth = (items.map(\.provider.count).max() ?? 0) + 1
        var text = ""
        for item in items {
            text +=
                item.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                + item.provider.padding(toLength: providerWidth, withPad: " ", startingAt: 0)
                + item.object.padding(toLength: width + 2, withPad: " ", startingAt: 0) + item.detail + "\n"
        }
        let counts = PlanItem.Action.allCases.map { action in
            "\(items.filter { $0.action == action }.count) to \(action.rawValue)"
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

        var command: String
        var exitCode: Int32
        var plan: [PlanItem]
        var done: [PlanItem]
        var skipped: [Skipped]
        var error: String?

        func encoded() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
    }
}
