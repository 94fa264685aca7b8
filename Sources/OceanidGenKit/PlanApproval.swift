import Compiler
import DSL
import Yams

/// Which risk classes of a plan's changes need a second person's approval, so that `plan` exits 3
/// (`ExitStatus.needsApproval`) rather than 1. By default `deletes`, `exposes` and
/// `destructive-sql`; a team chooses its own list with the settings.yaml key `planApprovalRisks`
/// (a key of the tool, not one of the fleet's settings):
///
/// ```yaml
/// planApprovalRisks: [deletes, exposes, destructive-sql, credentials]
/// planApprovalRisks: []          # nothing needs approval: changes exit 1
/// ```
///
/// Errors: a value that is not a list of class names, or a name that is not one of
/// `FleetPlan.Risk`'s, is an `invalid-setting` error at its settings.yaml line naming the value
/// and every class (`SettingsFile.overrides` reports it, so every command refuses it).
public struct PlanApproval: Equatable, Sendable {
    /// The settings.yaml key.
    public static let settingKey = "planApprovalRisks"
    /// The classes that need approval when settings.yaml does not choose: those whose
    /// `FleetPlan.Risk.needsApproval` is true (deletes, exposes, destructive-sql).
    public static let defaultRisks: [FleetPlan.Risk] = FleetPlan.Risk.allCases.filter(\.needsApproval)
    /// The default policy: `defaultRisks`, chosen by nobody.
    public static let standard = PlanApproval(risks: Set(defaultRisks), location: nil)

    /// The classes whose changes need approval.
    public var risks: Set<FleetPlan.Risk>
    /// The settings.yaml line that chose them; nil for the default.
    public var location: SourceLocation?
    /// Whether the policy was read from the base revision's settings.yaml (as `plan` reads it), not the
    /// working tree's: a pull request may not choose the policy it is judged by.
    public var atBase = false

    /// A policy of `risks`, chosen at `location` (nil: the default).
    public init(risks: Set<FleetPlan.Risk>, location: SourceLocation?) {
        self.risks = risks
        self.location = location
    }

    /// Who chose the classes, for reports: `settings.yaml:4 (planApprovalRisks)`,
    /// `settings.yaml:4 at the base (planApprovalRisks)`, or `default`.
    public var origin: String {
        location.map { "\(SettingsFile.path):\($0.line)\(atBase ? " at the base" : "") (\(Self.settingKey))" }
            ?? "default"
    }

    /// The classes as a reader sees them: `[deletes, exposes, destructive-sql]`, `[]`.
    public var listed: String { "[" + sortedRisks.map(\.rawValue).joined(separator: ", ") + "]" }

    /// A change of `planApprovalRisks` between the base (the policy `plan` judges by) and the head (the
    /// policy after merge). It needs a second person's approval whatever either policy says: otherwise a
    /// pull request could weaken the policy and, after merge, the next one would pass unreviewed.
    public struct PolicyChange: Codable, Equatable, Sendable {
        /// The base's classes, sorted.
        public var base: [FleetPlan.Risk]
        /// The head's classes, sorted.
        public var head: [FleetPlan.Risk]
        /// One line for reports: `the approval policy changed: planApprovalRisks [deletes, exposes,
        /// destructive-sql] (default) → [] (settings.yaml:4) (takes effect after merge)`.
        public var message: String
    }

    /// The change from `base` to `head` (the base's policy and the working tree's); nil when both choose
    /// the same classes (moving the key, or writing the defaults out, changes nothing).
    public static func change(from base: PlanApproval, to head: PlanApproval) -> PolicyChange? {
        guard base.risks != head.risks else { return nil }
        var after = head
        after.atBase = false
        return PolicyChange(
            base: base.sortedRisks, head: head.sortedRisks,
            message: "the approval policy changed: \(settingKey) \(base.listed) (\(base.origin)) → "
                + "\(head.listed) (\(after.origin)) (takes effect after merge)")
    }

    /// The classes, in `FleetPlan.Risk` order.
    public var sortedRisks: [FleetPlan.Risk] { risks.sorted() }

    /// The value of `planApprovalRisks` as YAML composed it, written at `location`: the policy, or
    /// (nil) the diagnostics that refuse it (one per bad item, or one for a value of the wrong shape).
    static func parse(_ node: Yams.Node, at location: SourceLocation) -> (PlanApproval?, [Diagnostic]) {
        let allowed = FleetPlan.Risk.allCases.map(\.rawValue)
        guard let items = node.sequence else {
            let problem = Diagnostic.invalidToolSetting(
                settingKey, value: node.scalar?.string,
                problem: "must be a list of risk classes, such as [deletes, exposes, destructive-sql]",
                allowed: allowed, at: location)
            return (nil, [problem])
        }
        var risks: Set<FleetPlan.Risk> = []
        var problems: [Diagnostic] = []
        for item in items {
            // An item on its own line points at that line; a flow list `[a, b]` at the key's.
            let at = SourceLocation(file: location.file, line: item.mark?.line ?? location.line)
            guard let name = item.scalar?.string else {
                problems.append(
                    .invalidToolSetting(
                        settingKey, value: nil, problem: "has an item that is not a class name", allowed: allowed,
                        at: at))
                continue
            }
            guard let risk = FleetPlan.Risk(rawValue: name) else {
                problems.append(
                    .invalidToolSetting(
                        settingKey, value: name, problem: "is not a risk class", allowed: allowed, at: at))
                continue
            }
            risks.insert(risk)
        }
        return problems.isEmpty ? (PlanApproval(risks: risks, location: location), []) : (nil, problems)
    }

    /// The policy settings.yaml's text chooses (`file`: the path its locations name): the default
    /// when there is no text, no such key, or a value that does not parse (which
    /// `SettingsFile.overrides` has already reported as an error).
    public static func read(settingsText text: String?, file: String) -> PlanApproval {
        guard let text, let node = try? Yams.compose(yaml: text), let mapping = node.mapping else { return standard }
        for (key, value) in mapping where key.string == settingKey {
            let location = SourceLocation(file: file, line: key.mark?.line ?? 1)
            if let policy = parse(value, at: location).0 { return policy }
        }
        return standard
    }
}

extension FleetPlan {
    /// The changes of each class `approval` names, for the classes that have any, in class order:
    /// why the plan needs a second person's approval (empty: it does not).
    public func approvalReasons(_ approval: PlanApproval) -> [(risk: Risk, changes: [Change])] {
        approval.sortedRisks.compactMap { risk in
            let matching = changes.filter { $0.risks.contains(risk) }
            return matching.isEmpty ? nil : (risk, matching)
        }
    }

    /// Whether any change is of a class `approval` names.
    public func needsApproval(_ approval: PlanApproval) -> Bool {
        changes.contains { change in change.risks.contains { approval.risks.contains($0) } }
    }
}
