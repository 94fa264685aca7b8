import ArgumentParser
import CloudState
import Foundation

/// `oceanid-apply`: the command line as ArgumentParser reads it. `ApplyCLI.run` parses with
/// it and runs the chosen command in-process (the tests' way in); the binary does the same.
public struct OceanidApply: ParsableCommand {
    /// The commands, the help text and its exit codes.
    public static let configuration = CommandConfiguration(
        commandName: "oceanid-apply",
        abstract: "Reconciles what git cannot hold with the desired state oceanid-gen writes.",
        discussion: """
            Reads cloud/desired-state.json and brings each provider in line with it, in this order: \
            \(Providers.names.joined(separator: ", ")) (the remotely managed tunnels' ingress configurations, the \
            Cloudflare DNS records of the zone, the Access applications and their policies, the CrunchyBridge network \
            firewall, every Label Studio project's S3 storages and the Triton models to keep loaded).

            A provider whose credentials are not set is skipped, with a line naming the missing variables; the others \
            still plan. One that fails does not stop the others: they converge, and every failure is reported at the \
            end. Creates and updates come before deletes.

            EXIT CODES:
              plan    0 nothing to change, 2 changes planned, 1 an error, a
                      conflict, or nothing could be planned
              apply   0 done (or nothing to do), 1 an error or a conflict
              both    64 usage (an unknown option, command or provider)

            ENVIRONMENT:
              CLOUDFLARE_API_TOKEN  the API token (Zone DNS:Edit; Account
                    Cloudflare Tunnel:Edit, Access: Apps and Policies:Edit,
                    Access: Service Tokens:Read); never printed
              OCEANID_CLOUDFLARE_API  its base URL (default
                    https://api.cloudflare.com/client/v4); plain http only to
                    loopback (tests' fake servers)
              BRIDGE_TOKEN  the CrunchyBridge API key; never printed
              OCEANID_CRUNCHYBRIDGE_API  its base URL (default
                    https://api.crunchybridge.com)
              LABEL_STUDIO_API_KEY  Label Studio's API token (legacy token or
                    personal access token); never printed
              LABEL_STUDIO_AWS_ACCESS_KEY_ID, LABEL_STUDIO_AWS_SECRET_ACCESS_KEY
                    the S3 keys new storages get (ESC aws.labelStudio.*);
                    needed by apply only; Label Studio never returns them
              OCEANID_LABELSTUDIO_URL  its base URL (default: the state's)
              CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET
                    the Access service token for Triton behind Access
              OCEANID_TRITON_URL  Triton's base URL (default: the state's)

            Only DNS records carrying the ownership comment ("\(DNSRecord.ownershipComment)") and Access \
            applications and Label Studio storages whose name or title ends in \
            "\(AccessApplication.ownershipSuffix)" are ever changed or deleted; a record in the way that the \
            applier does not own is a conflict, reported and left alone. The firewall list is the fleet's alone: \
            rules it does not declare are removed, after the declared ones exist.
            """,
        subcommands: [Plan.self, Apply.self])

    /// The root command (it only dispatches).
    public init() {}

    /// `oceanid-apply plan`.
    public struct Plan: ParsableCommand {
        /// Its help.
        public static let configuration = CommandConfiguration(
            abstract: "Read live state and print what would be created, updated or deleted.",
            usage: "oceanid-apply plan [--state <path>] [--json] [--timeout <seconds>] [--reload-models] "
                + "[--only <provider,...>]",
            discussion: "Exit 0: nothing to change; 2: changes planned; 1: an error, a conflict, or nothing could be "
                + "planned; 64: usage.")

        /// The options `plan` and `apply` share.
        @OptionGroup public var options: ApplyOptions

        /// An empty command (ArgumentParser fills it).
        public init() {}

        /// Runs in this process's environment (exits with the run's code).
        public func run() throws {
            let code = ApplyCLI.execute(.plan, options, yes: false, in: .process)
            if code != 0 { throw ExitCode(code) }
        }
    }

    /// `oceanid-apply apply`.
    public struct Apply: ParsableCommand {
        /// Its help.
        public static let configuration = CommandConfiguration(
            abstract: "Plan, then carry the changes out: creates and updates first, deletes last.",
            usage: "oceanid-apply apply [--yes] [--state <path>] [--json] [--timeout <seconds>] [--reload-models] "
                + "[--only <provider,...>]",
            discussion:
                "Asks on a terminal unless --yes, and needs --yes without one. Exit 0: done (or nothing to do); "
                + "1: an error or a conflict; 64: usage.")

        /// The options `plan` and `apply` share.
        @OptionGroup public var options: ApplyOptions

        /// `--yes`, counted so that giving it twice is refused like every other option.
        @Flag(name: .customLong("yes"), help: "Apply without asking.")
        var yesCount: Int

        /// Whether to apply without asking.
        public var yes: Bool { yesCount > 0 }

        /// An empty command (ArgumentParser fills it).
        public init() {}

        /// Refuses `--yes` given twice.
        public func validate() throws {
            if yesCount > 1 { throw ValidationError("--yes is given twice") }
        }

        /// Runs in this process's environment (exits with the run's code).
        public func run() throws {
            let code = ApplyCLI.execute(.apply, options, yes: yes, in: .process)
            if code != 0 { throw ExitCode(code) }
        }
    }
}

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
