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
            account's tunnel routes to private networks, the Cloudflare DNS records of the zone, the Access applications and their policies, the CrunchyBridge network \
            firewall, every Label Studio project's S3 storages and the Triton models to keep loaded).

            A provider whose credentials are not set is skipped, with a warning naming the missing variables and their \
            ESC keys; the others still plan (chosen with --only, it is an error). A malformed credential (too short, \
            or holding a space or line break) fails only the providers that use it. One that fails does not stop the others: they converge, and every failure is reported at the \
            end. Creates and updates come before deletes.

            `oceanid-apply db status|migrate|inspect|adopt <database>` compares a live PostgreSQL with sql/<database>/ \
            (DATABASE_URL; see `oceanid-apply db --help`).

            EXIT CODES:
              plan    0 nothing to change, 2 changes planned, 1 an error, a
                      conflict, or nothing could be planned
              apply   0 done (or nothing to do), 1 an error or a conflict
              both    64 usage (an unknown option, command or provider)

            ENVIRONMENT (the ESC keys are the defaults; the runtime messages name the desired state's):
              CLOUDFLARE_API_TOKEN  the API token (ESC cloudflareApiToken; Zone
                    DNS:Edit; Account Cloudflare Tunnel:Edit, Access: Apps and
                    Policies:Edit, Access: Service Tokens:Read); never printed
              OCEANID_CLOUDFLARE_API  its base URL (default
                    https://api.cloudflare.com/client/v4); plain http only to
                    loopback (tests' fake servers)
              BRIDGE_TOKEN  the CrunchyBridge API key (ESC crunchyBridgeApiKey);
                    never printed
              OCEANID_CRUNCHYBRIDGE_API  its base URL (default
                    https://api.crunchybridge.com)
              LABEL_STUDIO_API_KEY  Label Studio's API token (ESC
                    labelStudioApiKey; legacy token or personal access token);
                    never printed
              LABEL_STUDIO_AWS_ACCESS_KEY_ID, LABEL_STUDIO_AWS_SECRET_ACCESS_KEY
                    the S3 keys new storages get (ESC
                    aws.labelStudio.accessKeyId, aws.labelStudio.secretAccessKey);
                    needed by apply only; Label Studio never returns them
              OCEANID_LABELSTUDIO_URL  its base URL (default: the state's)
              CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET
                    the Access service token for Triton behind Access (no ESC
                    key: the token the gpu.<base> Access policy allows)
              OCEANID_TRITON_URL  Triton's base URL (default: the state's)
              AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
                    a key allowed s3:GetBucketCORS and s3:PutBucketCORS on the
                    Label Studio bucket (cors); never printed
              OCEANID_S3_ENDPOINT  S3's base URL, path style (default: the
                    bucket's endpoint, or https://<bucket>.s3.<region>.amazonaws.com)

            Only DNS records carrying the ownership comment ("\(DNSRecord.ownershipComment)") and Access \
            applications and Label Studio storages whose name or title ends in \
            "\(AccessApplication.ownershipSuffix)" are ever changed or deleted; a record in the way that the \
            applier does not own is a conflict, reported and left alone, unless --adopt takes it over in place \
            (DNS records by type and name, Access applications by domain, storages by project and prefix; \
            IDs kept, shown as adopt or adopt+update). The firewall list is the fleet's alone: \
            rules it does not declare are removed, after the declared ones exist.
            """,
        subcommands: [Plan.self, Apply.self, Db.self])

    /// The root command (it only dispatches).
    public init() {}

    /// `oceanid-apply plan`.
    public struct Plan: ParsableCommand {
        /// Its help.
        public static let configuration = CommandConfiguration(
            abstract: "Read live state and print what would be created, updated or deleted.",
            usage: "oceanid-apply plan [--state <path>] [--json] [--timeout <seconds>] [--reload-models] "
                + "[--adopt] [--only <provider,...>]",
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
                + "[--adopt] [--only <provider,...>]",
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
