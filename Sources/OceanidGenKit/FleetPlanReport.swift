import Foundation

/// A `FleetPlan` rendered for people (text, Markdown for a pull-request comment) or scripts (JSON).
public struct FleetPlanReport: Sendable {
    /// The output syntaxes of `oceanid-gen plan --format`.
    public enum Format: String, CaseIterable, Sendable {
        /// A summary table, then one collapsible `<details>` section per kind (GitHub Markdown).
        case markdown
        /// One line per change, its fields indented below it.
        case text
        /// The plan as one JSON object (`base`, `needsApproval`, `changes`).
        case json
    }

    /// GitHub refuses comments longer than 65,536 characters; the plan stays well below it.
    public static let defaultLimit = 60_000

    /// The plan.
    public var plan: FleetPlan
    /// The base revision's name as given, and its commit id.
    public var base: String

    /// A report of `plan` against `base`.
    public init(plan: FleetPlan, base: String) {
        self.plan = plan
        self.base = base
    }

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
        return count == 0
            ? "No changes against \(base)."
            : "\(count) change\(count == 1 ? "" : "s") against \(base)"
                + (plan.needsApproval ? "; needs a second person's approval (\(approvalRisks()))." : ".")
    }

    func approvalRisks() -> String {
        FleetPlan.Risk.allCases.filter(\.needsApproval).compactMap { risk in
            let count = plan.changes.filter { $0.risks.contains(risk) }.count
            return count == 0 ? nil : "\(risk.rawValue) ×\(count)"
        }.joined(separator: ", ")
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
        for change in plan.changes {
            out += line(change) + "\n"
            for field in change.fields {
                out += "    \(field.path): \(Self.clip(field.old)) -> \(Self.clip(field.new))\n"
            }
        }
        return out
    }

    func json() -> String {
        struct Document: Encodable {
            var base: String
            var needsApproval: Bool
            var changes: [FleetPlan.Change]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(base: base, needsApproval: plan.needsApproval, changes: plan.changes)))
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
