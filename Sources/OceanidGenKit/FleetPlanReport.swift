import Foundation

/// A `FleetPlan` rendered for people (text, Markdown for a pull-request comment) or scripts (JSON).
public struct FleetPlanReport: Sendable {
    /// The output syntaxes of `oceanid-gen plan --format`.
    public enum Format: String, CaseIterable, Sendable {
        /// A summary table, then one collapsible `<details>` section per kind (GitHub Markdown).
        case markdown
        /// One line per change, its fields indented below it.
        case text
        /// The plan as one JSON object (`base`, `needsApproval`, `approval`, `changes`).
        case json
    }

    /// GitHub refuses comments longer than 65,536 characters; the plan stays well below it.
    public static let defaultLimit = 60_000

    /// The plan.
    public var plan: FleetPlan
    /// The base revision's name as given, and its commit id.
    public var base: String
    /// Which risk classes need a second person's approval, and who chose them.
    public var approval: PlanApproval
    /// The change of `planApprovalRisks` the head makes (nil: none), which needs approval itself.
    public var policyChange: PlanApproval.PolicyChange?

    /// A report of `plan` against `base`, judged by `approval` (default: deletes, exposes, destructive-sql);
    /// `policyChange`: the head changes the approval classes.
    public init(
        plan: FleetPlan, base: String, approval: PlanApproval = .standard,
        policyChange: PlanApproval.PolicyChange? = nil
    ) {
        self.plan = plan
        self.base = base
        self.approval = approval
        self.policyChange = policyChange
    }

    /// Whether a second person must approve: a change of a class `approval` names, or a change of the
    /// approval policy itself.
    public var needsApproval: Bool { policyChange != nil || plan.needsApproval(approval) }

    /// The plan as text of the given format. Markdown longer than `limit` characters has its largest
    /// sections replaced by their counts (naming `fullPlanPath` when given) until it fits; `limit` is
    /// ignored for text and JSON.
    public func render(_ format: Format, limit: Int = defaultLimit, fullPlanPath: String? = nil) -> String {
        switch format {
        case .text: return text()
        case .json: return json()
        case .markdown: return markdown(limit: limit, fullPlanPath: fullPlanPath)
        }
    }

    /// The changes grouped by kind, in the plan's order.
    var sections: [(kind: String, changes: [FleetPlan.Change])] {
        var order: [String] = []
        var groups: [String: [FleetPlan.Change]] = [:]
        for change in plan.changes {
            if groups[change.kind] == nil { order.append(change.kind) }
            groups[change.kind, default: []].append(change)
        }
        return order.map { ($0, groups[$0]!) }
    }

    static func symbol(_ action: FleetPlan.Action) -> String {
        switch action {
        case .add: "+"
        case .change: "~"
        case .delete: "-"
        }
    }

    static func clip(_ value: String?) -> String {
        guard let value else { return "(none)" }
        return value.count > 120 ? String(value.prefix(117)) + "..." : value
    }

    func headline() -> String {
        let count = plan.changes.count
        let approval = needsApproval ? "; needs a second person's approval (\(approvalRisks()))." : "."
        return count == 0
            ? "No changes against \(base)" + approval
            : "\(count) change\(count == 1 ? "" : "s") against \(base)" + approval
    }

    func approvalRisks() -> String {
        (plan.approvalReasons(approval).map { "\($0.risk.rawValue) ×\($0.changes.count)" }
            + (policyChange == nil ? [] : ["approval policy"])).joined(separator: ", ")
    }

    /// How many changes each approval reason names before "and N more".
    static let reasonsListed = 5

    /// Why approval is needed, one line per class: the changes of that class (the first few) and
    /// who chose the classes; nil when it is not needed. `code` wraps names (Markdown backticks).
    func approvalLines(code: (String) -> String) -> [String]? {
        let reasons = plan.approvalReasons(approval)
        guard !reasons.isEmpty || policyChange != nil else { return nil }
        let chosen = approval.sortedRisks.map { code($0.rawValue) }.joined(separator: ", ")
        var lines = ["Approval classes (\(approval.origin)): \(chosen.isEmpty ? "none" : chosen)."]
        for (risk, changes) in reasons {
            var names = changes.prefix(Self.reasonsListed).map { code("\($0.kind) \($0.name)") }
            if changes.count > Self.reasonsListed { names.append("and \(changes.count - Self.reasonsListed) more") }
            lines.append("\(code(risk.rawValue)) needs approval: \(names.joined(separator: ", ")).")
        }
        if let policyChange { lines.append("Needs approval: \(policyChange.message).") }
        return lines
    }

    func line(_ change: FleetPlan.Change) -> String {
        let risks = change.risks.isEmpty ? "" : " [\(change.risks.map(\.rawValue).joined(separator: ", "))]"
        let origin = change.origin.map { ", \($0)" } ?? ""
        let settings = change.settings.isEmpty ? "" : "; settings \(change.settings.joined(separator: ", "))"
        return
            "\(Self.symbol(change.action)) \(change.kind) \(change.name) (\(change.file)\(origin)\(settings))\(risks)"
    }

    func text() -> String {
        var out = headline() + "\n"
        for line in approvalLines(code: { $0 }) ?? [] { out += "  " + line + "\n" }
        for change in plan.changes {
            out += line(change) + "\n"
            for field in change.fields {
                out += "    \(field.path): \(Self.clip(field.old)) -> \(Self.clip(field.new))\n"
            }
        }
        return out
    }

    func json() -> String {
        /// One class that needs approval and the changes of it (`Kind name`).
        struct Reason: Encodable {
            var risk: FleetPlan.Risk
            var changes: [String]
        }
        /// The classes that need approval, who chose them, and the reasons found.
        struct Approval: Encodable {
            var risks: [FleetPlan.Risk]
            var chosenBy: String
            var reasons: [Reason]
            var policyChange: PlanApproval.PolicyChange?
        }
        struct Document: Encodable {
            var base: String
            var needsApproval: Bool
            var approval: Approval
            var changes: [FleetPlan.Change]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let approval = Approval(
            risks: approval.sortedRisks, chosenBy: approval.origin,
            reasons: plan.approvalReasons(approval).map { reason in
                Reason(risk: reason.risk, changes: reason.changes.map { "\($0.kind) \($0.name)" })
            }, policyChange: policyChange)
        let document = Document(base: base, needsApproval: needsApproval, approval: approval, changes: plan.changes)
        let data = (try? encoder.encode(document))
        return String(decoding: data ?? Data(), as: UTF8.self) + "\n"
    }

    func markdownSection(_ kind: String, _ changes: [FleetPlan.Change]) -> String {
        var out = "<details><summary>\(kind) (\(changes.count))</summary>\n\n"
        for change in changes {
            let risks =
                change.risks.isEmpty ? "" : " · " + change.risks.map { "`\($0.rawValue)`" }.joined(separator: " ")
            let origin = change.origin.map { " from `\($0)`" } ?? ""
            let settings =
                change.settings.isEmpty
                ? "" : " (settings " + change.settings.map { "`\($0)`" }.joined(separator: ", ") + ")"
            out += "- \(change.action.rawValue) **\(change.name)** in `\(change.file)`\(origin)\(settings)\(risks)\n"
            for field in change.fields {
                out += "  - `\(field.path)`: `\(Self.clip(field.old))` → `\(Self.clip(field.new))`\n"
            }
        }
        return out + "\n</details>\n"
    }

    func summarySection(_ kind: String, _ changes: [FleetPlan.Change], fullPlanPath: String?) -> String {
        let counts = [FleetPlan.Action.add, .change, .delete].compactMap { action in
            let count = changes.filter { $0.action == action }.count
            return count == 0 ? nil : "\(count) \(action.rawValue)"
        }.joined(separator: ", ")
        let full = fullPlanPath.map { "; the full plan is in `\($0)`" } ?? ""
        return "<details><summary>\(kind) (\(changes.count))</summary>\n\n"
            + "Too many to list here: \(counts)\(full).\n\n</details>\n"
    }

    func markdown(limit: Int, fullPlanPath: String?) -> String {
        var head = "### Fleet plan\n\n\(headline())\n\n"
        if let lines = approvalLines(code: { "`\($0)`" }) { head += lines.map { "- \($0)\n" }.joined() + "\n" }
        let sections = self.sections
        if !sections.isEmpty {
            head += "| Kind | Added | Changed | Deleted | Risks |\n|---|---:|---:|---:|---|\n"
            for (kind, changes) in sections {
                let risks = Set(changes.flatMap(\.risks)).sorted().map { "`\($0.rawValue)`" }.joined(separator: " ")
                head +=
                    "| \(kind) | \(changes.filter { $0.action == .add }.count) | "
                    + "\(changes.filter { $0.action == .change }.count) | "
                    + "\(changes.filter { $0.action == .delete }.count) | \(risks) |\n"
            }
            head += "\n"
        }
        var bodies = sections.map { markdownSection($0.kind, $0.changes) }
        func total() -> Int { head.count + bodies.reduce(0) { $0 + $1.count } }
        // Past the limit, the largest sections give way to their counts, largest first.
        for index in bodies.indices.sorted(by: { bodies[$0].count > bodies[$1].count }) where total() > limit {
            bodies[index] = summarySection(sections[index].kind, sections[index].changes, fullPlanPath: fullPlanPath)
        }
        var out = head + bodies.joined(separator: "\n")
        if out.count > limit {
            let note =
                "\n\n(Cut at \(limit) characters\(fullPlanPath.map { "; the full plan is in `\($0)`" } ?? "").)\n"
            out = String(out.prefix(max(0, limit - note.count))) + note
        }
        return out
    }
}
