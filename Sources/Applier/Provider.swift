import CloudState
import Foundation

/// One service whose live state the applier reconciles with its part of the desired state:
/// the Cloudflare DNS records of a zone, a CrunchyBridge firewall, Label Studio's storages.
///
/// A provider is built from the desired state and the run's context without a request, says
/// what it needs before it may send one (`credentials`, `problems`), then plans and applies.
/// The `Reconciler` decides the order, skips a provider without its credentials and keeps
/// going past one that fails. To add a provider, see `Sources/Applier/README.md`.
public protocol Provider {
    /// What `apply(_:)` needs to carry out one change (often a `Step` of desired and live).
    associatedtype ProviderStep

    /// The name `--only` takes and the plan table shows (`dns`): lower case, one word, unique.
    static var name: String { get }

    /// Builds the provider for this run; nil when the desired state does not declare it.
    /// Never sends a request.
    init?(state: DesiredState, context: ProviderContext)

    /// The service as people call it (`Cloudflare DNS`), prefixed to errors that name only a
    /// host (a refused connection).
    var title: String { get }

    /// The environment variables this run needs (plan may need fewer than apply). When one
    /// is unset the provider is skipped, or fails when `--only` chose it.
    var credentials: [Credential] { get }

    /// Why the desired state cannot be applied by this provider (a placeholder ID that
    /// `oceanid-gen build` wrote before the setting was filled in); each one a whole sentence
    /// saying what to set. Non-empty: the provider fails without a request.
    var problems: [String] { get }

    /// Names of providers whose changes must land before this one's (DNS after the tunnels,
    /// Access after DNS). When one of them fails, this provider's changes are held back.
    var dependencies: [String] { get }

    /// Reads the live state and compares it with the desired state: every change, in the
    /// order it is to be applied (creates and updates are still run before every delete).
    /// Throws `ProviderError` or `HTTPError` when the service cannot be read.
    func plan() throws -> [Change<ProviderStep>]

    /// Carries out one change from `plan()`; a conflict is never passed. Throws
    /// `ProviderError` or `HTTPError`, naming the object.
    func apply(_ change: Change<ProviderStep>) throws
}

extension Provider {
    /// The name, from an instance.
    public var name: String { Self.name }
    /// No dependencies.
    public var dependencies: [String] { [] }
    /// No problems.
    public var problems: [String] { [] }
}

/// Environment variables that a provider needs together, and what to say when one is unset.
public struct Credential: Sendable, Equatable {
    /// The variables (`CLOUDFLARE_API_TOKEN`; or `CF_ACCESS_CLIENT_ID`, `CF_ACCESS_CLIENT_SECRET`).
    public var variables: [String]
    /// The sentence shown when one of them is unset or empty: it names every variable and
    /// where the value is kept.
    public var whenMissing: String

    /// Variables with the sentence shown when one is missing.
    public init(variables: [String], whenMissing: String) {
        self.variables = variables
        self.whenMissing = whenMissing
    }

    /// One variable whose value ESC keeps under `escKey`.
    public static func variable(_ name: String, escKey: String) -> Credential {
        Credential(variables: [name], whenMissing: "\(name) is not set (the ESC key \(escKey))")
    }

    /// The variables of this credential that are unset or empty.
    public func missing(in environment: [String: String]) -> [String] {
        variables.filter { (environment[$0] ?? "").isEmpty }
    }
}

/// Whether this run plans only or applies too.
public enum Command: String, Sendable, CaseIterable {
    /// Read live state and print the changes.
    case plan
    /// Plan, then carry the changes out.
    case apply
}

/// What every provider is built from besides the desired state.
public struct ProviderContext {
    /// Whether this run plans or applies (apply may need more credentials).
    public var command: Command
    /// The environment variables (credentials, base URLs).
    public var variables: [String: String]
    /// The desired state's path, for messages.
    public var statePath: String
    /// The one HTTP client of the run.
    public var client: HTTPClient
    /// How requests are retried.
    public var retry: RetryPolicy
    /// `--reload-models`: plan a reload of every declared Triton model.
    public var reloadModels: Bool

    /// A context; `variables` are the process environment's in the command.
    public init(
        command: Command, variables: [String: String], statePath: String, client: HTTPClient,
        retry: RetryPolicy, reloadModels: Bool = false
    ) {
        self.command = command
        self.variables = variables
        self.statePath = statePath
        self.client = client
        self.retry = retry
        self.reloadModels = reloadModels
    }

    /// A variable's value, empty when unset.
    public subscript(_ name: String) -> String { variables[name] ?? "" }
}

/// Every provider, in the order the reconciler runs them: the tunnels' ingress before the DNS
/// records that route to it, DNS before the Access applications that guard the names, the
/// database firewall, Label Studio's storages, Triton's models.
public enum Providers {
    /// The provider types in order.
    public static var all: [any Provider.Type] {
        [
            TunnelProvider.self, DNSProvider.self, AccessProvider.self, FirewallProvider.self,
            LabelStudioProvider.self, TritonProvider.self,
        ]
    }

    /// Every provider's name, in order (`--only` takes these).
    public static var names: [String] { all.map { $0.name } }
}
