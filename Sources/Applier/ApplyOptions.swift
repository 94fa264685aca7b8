import ArgumentParser
import Foundation

/// The options `plan` and `apply` share. Each may be given once (a second `--timeout` is
/// refused, not silently preferred), and a value never looks like an option: `--state --json`
/// is refused, not read as a file named `--json`.
public struct ApplyOptions: ParsableArguments {
    @Option(
        name: .customLong("state"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("The desired state (default: cloud/desired-state.json).", valueName: "path"))
    var stateValues: [String] = []

    @Flag(
        name: .customLong("json"),
        help: "One JSON document on stdout: {command, exitCode, plan, done, skipped, error?}.")
    var jsonCount: Int

    @Option(
        name: .customLong("timeout"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "The longest one request may take, answer included (default 60); a request that times "
                + "out is retried like a reset.", valueName: "seconds"))
    var timeoutValues: [String] = []

    @Flag(
        name: .customLong("reload-models"),
        help: "Plan a reload of every declared Triton model, even a ready one (after training published a new version)."
    )
    var reloadModelsCount: Int

    @Flag(
        name: .customLong("adopt"),
        help: ArgumentHelp(
            "Take over, in place, objects the applier does not own but the desired state names (DNS records by "
                + "type and name, Access applications by domain, Label Studio storages by project and prefix); "
                + "without it they are conflicts."))
    var adoptCount: Int

    @Option(
        name: .customLong("only"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "Only these providers (\(Providers.names.joined(separator: ", "))); one without its "
                + "credentials is then an error, not skipped.", valueName: "provider,..."))
    var onlyValues: [String] = []

    /// An empty set of options (ArgumentParser fills it).
    public init() {}

    /// The desired state's path.
    public var statePath: String { stateValues.first ?? "cloud/desired-state.json" }
    /// Whether the output is one JSON document.
    public var json: Bool { jsonCount > 0 }
    /// Whether every declared Triton model is reloaded.
    public var reloadModels: Bool { reloadModelsCount > 0 }
    /// Whether unowned objects the desired state names are adopted (`--adopt`).
    public var adopt: Bool { adoptCount > 0 }
    /// The longest one request may take, in seconds.
    public var timeoutSeconds: Double { timeoutValues.first.flatMap(Double.init) ?? 60 }
    /// The providers `--only` chose (empty: every provider).
    public var only: Set<String> {
        Set(
            onlyValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            })
    }

    /// Refuses an option given twice, a value that is an option, seconds out of range and
    /// unknown provider names.
    public func validate() throws {
        for (name, count) in [
            ("--state", stateValues.count), ("--json", jsonCount), ("--timeout", timeoutValues.count),
            ("--reload-models", reloadModelsCount), ("--only", onlyValues.count),
            ("--adopt", adoptCount),
        ] where count > 1 {
            throw ValidationError("\(name) is given twice")
        }
        for (name, values) in [("--state", stateValues), ("--timeout", timeoutValues), ("--only", onlyValues)]
        where values.contains(where: { $0.hasPrefix("-") || $0.isEmpty }) {
            throw ValidationError("\(name) needs a value")
        }
        if let text = timeoutValues.first {
            // libcurl counts milliseconds; 0 would mean no limit at all.
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0.001, seconds <= 86_400 else {
                throw ValidationError("--timeout needs seconds between 0.001 and 86400, not '\(text)'")
            }
        }
        let unknown = only.subtracting(Providers.names).sorted()
        if !unknown.isEmpty {
            throw ValidationError(
                "--only names no provider called \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "the providers are \(Providers.names.joined(separator: ", "))")
        }
    }
}
