import Foundation

/// Plans every provider, then applies: creates and updates of every provider first, deletes
/// last, so a failure never leaves a name without a record nor the database without an
/// allowed source. It keeps going past a failing provider: the others still plan and
/// converge, and every failure is reported at the end. A provider without its credentials is
/// skipped (or refused, when `--only` chose it); one with a problem or a malformed credential
/// is refused, alone; one whose dependency failed is held back.
public struct Reconciler {
    /// The providers, in the order they run.
    public var providers: [any Provider]
    /// The environment variables their credentials are read from.
    public var variables: [String: String]
    /// Names `--only` chose: one of these without its credentials fails instead of being skipped.
    public var chosen: Set<String>
    /// Values never shown in a message (every credential's value).
    public var secrets: [String]

    /// A reconciler of `providers`, in that order.
    public init(
        providers: [any Provider], variables: [String: String], chosen: Set<String> = [], secrets: [String] = []
    ) {
        self.providers = providers
        self.variables = variables
        self.chosen = chosen
        self.secrets = secrets.filter { !$0.isEmpty }
    }

    /// What became of one provider.
    public enum Status: Equatable, Sendable {
        /// Not run: credentials are missing (the sentences name each variable).
        case skipped([String])
        /// Planned (and, after `apply`, every change made).
        case planned
        /// Stopped before any request: its problems, a malformed credential, its missing
        /// credentials when `--only` chose it or it has other problems. The sentences do not
        /// name the provider (several providers stopped by one sentence are named together).
        case refused([String])
        /// Not planned because `blocker`, a provider it depends on, did not get through.
        case heldBack(blocker: String)
        /// Failed: a plan or apply error, or changes held back during apply.
        case failed([String])
    }

    /// One provider's part of the run.
    public struct Outcome {
        /// The provider's name.
        public var name: String
        /// What became of it.
        public var status: Status
        /// Its planned changes, conflicts included (empty unless it planned).
        public var planned: [PlanItem] { changes.map(\.item) }
        /// The changes applied, in order.
        public internal(set) var done: [PlanItem] = []
        /// Whether it got as far as planning, the first request.
        public internal(set) var requested = false
        var changes: [AnyChange] = []
        var dependencies: [String] = []

        /// Whether it did not converge: it was refused or held back before planning, or it
        /// failed to plan or apply.
        public var failed: Bool {
            switch status {
            case .refused, .heldBack, .failed: true
            case .skipped, .planned: false
            }
        }
    }

    /// A change with the provider it belongs to bound in.
    struct AnyChange {
        var item: PlanItem
        var apply: () throws -> Void
    }

    /// Checks each provider's problems and credentials (set, and well formed), then plans every
    /// provider that may run, in order; one whose dependency failed is held back. Only
    /// providers that get as far as planning send requests.
    public func plan() -> [Outcome] {
        var outcomes: [Outcome] = []
        for provider in providers {
            var outcome = Outcome(name: provider.name, status: .planned, dependencies: provider.dependencies)
            let missing = provider.credentials.filter { !$0.missing(in: variables).isEmpty }.map(\.whenMissing)
            let refused = provider.problems + provider.credentials.flatMap { $0.malformed(in: variables) }
            let failed = Set(outcomes.filter(\.failed).map(\.name))
            if !refused.isEmpty || !missing.isEmpty && chosen.contains(provider.name) {
                outcome.status = .refused(refused + missing)
            } else if !missing.isEmpty {
                outcome.status = .skipped(missing)
            } else if let blocker = provider.dependencies.first(where: failed.contains) {
                outcome.status = .heldBack(blocker: blocker)
            } else {
                outcome.requested = true
                do {
                    outcome.changes = try Self.changes(of: provider)
                } catch let error as HTTPError {
                    // libcurl's messages name only a host.
                    outcome.status = .failed([scrubbed("\(provider.title): \(error)")])
                } catch {
                    outcome.status = .failed([scrubbed("\(error)")])
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The provider's changes, each bound to the provider that carries it out.
    static func changes<P: Provider>(of provider: P) throws -> [AnyChange] {
        try provider.plan().map { change in AnyChange(item: change.item) { try provider.apply(change) } }
    }

    /// Applies every planned change but conflicts: creates and updates of every provider in
    /// order, then deletes. A provider stops at its first failure (its deletes are not made);
    /// the others go on, except those that depend on it. `done` is called after each change.
    public func apply(_ outcomes: [Outcome], done: (PlanItem) -> Void) -> [Outcome] {
        var outcomes = outcomes
        let phases: [(PlanItem) -> Bool] = [{ $0.action.createsOrChanges }, { $0.action == .delete }]
        for phase in phases {
            for index in outcomes.indices where outcomes[index].status == .planned {
                let changes = outcomes[index].changes.filter { phase($0.item) }
                guard !changes.isEmpty else { continue }
                let failedNames = Set(outcomes.filter(\.failed).map(\.name))
                if let blocker = outcomes[index].dependencies.first(where: failedNames.contains) {
                    let held =
                        outcomes[index].changes.filter { $0.item.action != .conflict }.count
                        - outcomes[index].done.count
                    outcomes[index].status = .failed([
                        "\(outcomes[index].name): \(held) change\(held == 1 ? "" : "s") not made "
                            + "because \(blocker), which goes first, did not converge; "
                            + "run apply again"
                    ])
                    continue
                }
                for change in changes {
                    do {
                        try change.apply()
                        outcomes[index].done.append(change.item)
                        done(change.item)
                    } catch {
                        let before = outcomes[index].done.map { "\($0.action.rawValue) \($0.object)" }
                        outcomes[index].status = .failed([
                            "\(change.item.action.rawValue) \(change.item.object) failed: \(scrubbed("\(error)")); "
                                + "done before it: \(before.isEmpty ? "nothing" : before.joined(separator: ", ")); "
                                + "run apply again to converge"
                        ])
                        break
                    }
                }
            }
        }
        return outcomes
    }

    /// A message with every secret replaced by `<token>`.
    func scrubbed(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<token>") }
    }
}
