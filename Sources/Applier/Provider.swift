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
