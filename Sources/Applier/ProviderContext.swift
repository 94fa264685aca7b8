import Foundation

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
    /// `--adopt`: an object the applier does not own but the desired state names (a DNS record
    /// by type and name, an Access application by domain, a Label Studio storage by project,
    /// bucket and prefix) is taken over in place instead of being a conflict.
    public var adopt: Bool

    /// A context; `variables` are the process environment's in the command.
    public init(
        command: Command, variables: [String: String], statePath: String, client: HTTPClient,
        retry: RetryPolicy, reloadModels: Bool = false, adopt: Bool = false
    ) {
        self.command = command
        self.variables = variables
        self.statePath = statePath
        self.client = client
        self.retry = retry
        self.reloadModels = reloadModels
        self.adopt = adopt
    }

    /// A variable's value, empty when unset.
    public subscript(_ name: String) -> String { variables[name] ?? "" }
}
