import Foundation

/// One planned action on one object, as the plan table and `--json` show it.
public struct PlanItem: Codable, Hashable, Sendable {
    /// What happens to the object. `conflict`: something the applier does not own is in the
    /// way; it is reported and left alone. `adopt` (`plan --adopt`): an object the applier does
    /// not own but the desired state names, and that already matches, is marked as the
    /// applier's in place (its ID kept); `adopt+update`: the same, its differences changed too.
    public enum Action: String, Codable, Sendable, CaseIterable {
        case create, update, delete, conflict, adopt
        /// Adopted in place and changed to the desired object.
        case adoptUpdate = "adopt+update"

        /// Whether the step changes an object that exists or makes one (run before every delete).
        public var createsOrChanges: Bool { self == .create || self == .update || isAdoption }
        /// Whether the step takes over an object the applier did not own.
        public var isAdoption: Bool { self == .adopt || self == .adoptUpdate }
    }

    /// What happens to the object.
    public var action: Action
    /// The provider's name, as `--only` takes it (`dns`, `firewall`, ...).
    public var provider: String
    /// The object (`CNAME gpu.boathou.se`).
    public var object: String
    /// What differs, or why nothing may be done.
    public var detail: String

    /// An item; `provider` is the provider's name (`dns`).
    public init(action: Action, provider: String, object: String, detail: String) {
        self.action = action
        self.provider = provider
        self.object = object
        self.detail = detail
    }
}

/// What a planner that compares desired objects with live ones found for one object. The
/// values each case carries are exactly what carrying it out needs, so nothing is unwrapped.
public enum Step<Desired: Sendable, Live: Sendable>: Sendable {
    /// Nothing live matches: make `Desired`.
    case create(Desired)
    /// The applier's own live object differs from the desired one.
    case update(live: Live, desired: Desired)
    /// The applier's own live object is no longer declared (or is a second copy).
    case delete(Live)
    /// A live object the applier does not own is in the way; left alone.
    case conflict(Live)

    /// The plan's word for this step.
    public var action: PlanItem.Action {
        switch self {
        case .create: .create
        case .update: .update
        case .delete: .delete
        case .conflict: .conflict
        }
    }

    /// The live object the step concerns, if any.
    public var live: Live? {
        switch self {
        case .create: nil
        case .update(let live, _), .delete(let live), .conflict(let live): live
        }
    }

    /// The desired object the step makes real, if any.
    public var desired: Desired? {
        switch self {
        case .create(let desired), .update(_, let desired): desired
        case .delete, .conflict: nil
        }
    }
}

/// One planned change: what the plan shows (`item`) and what the provider needs to carry it
/// out (`step`, the provider's own type).
public struct Change<ProviderStep> {
    /// What the plan table and `--json` show.
    public var item: PlanItem
    /// What `Provider.apply(_:)` needs.
    public var step: ProviderStep

    /// A change.
    public init(item: PlanItem, step: ProviderStep) {
        self.item = item
        self.step = step
    }
}

extension Change {
    /// A change whose item says what `step` says: the action can never disagree with it.
    init<Desired, Live>(_ step: Step<Desired, Live>, provider: String, object: String, detail: String)
    where ProviderStep == Step<Desired, Live> {
        self.init(item: PlanItem(action: step.action, provider: provider, object: object, detail: detail), step: step)
    }
}

/// A provider's answer the applier cannot use: an error envelope, an unexpected status, a
/// body that is not the documented JSON. Never includes a token.
public struct ProviderError: Error, CustomStringConvertible, Sendable {
    /// The whole message, naming the provider and what was being done.
    public var description: String

    /// An error with its whole message.
    public init(_ description: String) { self.description = description }
}

/// The changes one provider's plan collects, each with its row: the one way every planner
/// adds a change, so the provider's name and the item's action are never written twice.
struct ChangeList<ProviderStep> {
    /// The provider's name, on every row.
    let provider: String
    /// The changes, in the order they were added.
    private(set) var changes: [Change<ProviderStep>] = []

    /// An empty list of `provider`'s changes.
    init(provider: String) { self.provider = provider }

    /// Adds a change: `action` on `object`, `detail` saying what differs, `step` carrying it out.
    mutating func add(_ action: PlanItem.Action, _ object: String, _ detail: String, _ step: ProviderStep) {
        changes.append(
            Change(item: PlanItem(action: action, provider: provider, object: object, detail: detail), step: step))
    }

    /// Adds a desired-against-live step; its action is the step's.
    mutating func add<Desired, Live>(_ step: ProviderStep, _ object: String, _ detail: String)
    where ProviderStep == Step<Desired, Live> {
        add(step.action, object, detail, step)
    }

    /// Adds changes another part of the plan collected.
    mutating func add(contentsOf other: ChangeList) { changes += other.changes }
}
