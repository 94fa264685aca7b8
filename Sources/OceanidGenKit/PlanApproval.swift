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
/// and every class (`SettingsFile.overrides` reports it, so every command refuses it). Such a value
/// at the base, which no command refused, makes `plan` warn and fail closed to every class
/// (`read(baseSettingsText:file:revision:)`).
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
    /// Why the classes are not the ones settings.yaml chose, when its value could not be used (only
    /// at the base, where no command has refused it: see `read(baseSettingsText:file:revision:)`): one
    /// line naming `settings.yaml:N`, the revision, the value and the classes used instead; nil when
    /// the value was used or there was none.
    public var warning: String?

    /// A policy of `risks`, chosen at `location` (nil: the default).
    public init(risks: Set<FleetPlan.Risk>, location: SourceLocation?) {
        self.risks = risks
        self.location = location
    }

    /// Who chose the classes, for reports: `settings.yaml:4 (planApprovalRisks)`,
    /// `settings.yaml:4 at the base (planApprovalRisks)`, or `default`.
    public var origin: String {
        guard let location else { return "default" }
        let chosen = "\(SettingsFile.path):\(location.line)\(atBase ? " at the base" : "") (\(Self.settingKey))"
        return warning == nil ? chosen : "every class: \(chosen) is invalid"
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

    /// The policy the base revision's settings.yaml chooses, as `plan` judges by it (`atBase`).
    /// `revision`: the base as the reader named it (`main`), for the warning.
    ///
    /// Every command refuses a bad `planApprovalRisks` in the working tree, but the base's value was
    /// committed by whatever ran there (an older oceanid-gen with other classes, a commit that skipped
    /// the hook), so it may not parse. Then the plan fails closed to every class (`FleetPlan.Risk`), not
    /// to the defaults: the base may have chosen more than the defaults (`credentials`, `restarts`), and
    /// with every class no change its value could have gated passes ungated. The cost is approvals for
    /// changes the team might not gate until the base is fixed, which the `warning` says how to do (the
    /// pull request that fixes it needs approval anyway: it changes the policy). The same holds for a
    /// settings.yaml that is not YAML at all: whether it chose classes cannot be known.
    public static func read(baseSettingsText text: String?, file: String, revision: String) -> PlanApproval {
        var policy = standard
        policy.atBase = true
        guard let text else { return policy }
        let every = PlanApproval(risks: Set(FleetPlan.Risk.allCases), location: nil)
        let instead = "plan requires approval for every class instead, \(every.listed); fix the value on \(revision)"
        let document: Yams.Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            // The key's line if it is written on one of its own (YAML's error may be anywhere).
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (lines.firstIndex { $0.hasPrefix("\(settingKey):") } ?? 0) + 1
            var broken = PlanApproval(risks: every.risks, location: SourceLocation(file: file, line: line))
            broken.atBase = true
            broken.warning =
                "\(SettingsFile.path) at the base (\(revision)) is not YAML, so whether it sets "
                + "\(settingKey) cannot be told: \(instead)"
            return broken
        }
        // An empty file (or comments only), or one that is not a mapping, has no key.
        guard let mapping = document?.mapping else { return policy }
        for (key, value) in mapping where key.string == settingKey {
            let location = SourceLocation(file: file, line: key.mark?.line ?? 1)
            if var chosen = parse(value, at: location).0 {
                chosen.atBase = true
                return chosen
            }
            var broken = PlanApproval(risks: every.risks, location: location)
            broken.atBase = true
            let items = (value.sequence.map(Array.init) ?? []).filter {
                $0.scalar.flatMap { FleetPlan.Risk(rawValue: $0.string) } == nil
            }.map { "'\(flow($0))'" }
            broken.warning =
                "\(SettingsFile.path):\(location.line) at the base (\(revision)): \(settingKey) \(flow(value)) is "
                + (items.isEmpty
                    ? "not a list of risk classes"
                    : "not usable (\(items.joined(separator: ", ")) \(items.count == 1 ? "is not a" : "are not") risk "
                        + "class\(items.count == 1 ? "" : "es"))")
                + "; \(instead)"
            return broken
        }
        return policy
    }

    /// `node` on one line as YAML's flow style writes it (`[deletes, exposse]`, `{name: cloud}`).
    static func flow(_ node: Yams.Node) -> String {
        if let items = node.sequence { return "[" + items.map(flow).joined(separator: ", ") + "]" }
        if let pairs = node.mapping {
            return "{" + pairs.map { "\(flow($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
        }
        return node.scalar?.string ?? ""
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
