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

    /// The changes grouped by kind, riskiest first: kinds with a change of a class that needs approval
    /// (`approval`), then by their riskiest class (`FleetPlan.Risk` order: deletes first, cloud last; no
    /// class after every class), then in the plan's order (by kind).
    var sections: [(kind: String, changes: [FleetPlan.Change])] {
        var order: [String] = []
        var groups: [String: [FleetPlan.Change]] = [:]
        for change in plan.changes {
            if groups[change.kind] == nil { order.append(change.kind) }
            groups[change.kind, default: []].append(change)
        }
        func rank(_ kind: String) -> (Int, Int, Int) {
            let risks = Set(groups[kind]!.flatMap(\.risks))
            let riskiest = risks.min().flatMap { FleetPlan.Risk.allCases.firstIndex(of: $0) }
            return (
                risks.contains { approval.risks.contains($0) } ? 0 : 1, riskiest ?? FleetPlan.Risk.allCases.count,
                order.firstIndex(of: kind)!
            )
        }
        return order.sorted { rank($0) < rank($1) }.map { ($0, groups[$0]!) }
    }

    static func symbol(_ action: FleetPlan.Action) -> String {
        switch action {
        case .add: "+"
        case .change: "~"
        case .delete: "-"
        }
    }

    /// The longest single-line value shown whole; longer ones are cut around their first difference.
    static let clipLength = 120

    /// A single-line value as shown: "(none)" when absent, "(empty)" when empty, else cut to `clipLength`
    /// characters starting `from` characters in (a leading "..." says where it was cut).
    static func clip(_ value: String?, from start: Int = 0) -> String {
        guard let value else { return "(none)" }
        if value.isEmpty { return "(empty)" }
        let shown = start > 0 ? "..." + value.dropFirst(start) : Substring(value)
        return shown.count > clipLength ? String(shown.prefix(clipLength - 3)) + "..." : String(shown)
    }

    /// Both sides of a single-line field as shown. Two long values that share a long prefix (a JSON
    /// blob, a command line) are cut at the same place a little before their first difference, so the
    /// difference is what shows.
    static func clipped(_ field: FleetPlan.FieldChange) -> (old: String, new: String) {
        var start = 0
        if let old = field.old, let new = field.new, max(old.count, new.count) > clipLength {
            let common = zip(old, new).prefix { $0 == $1 }.count
            if common > clipLength / 2 { start = common - 20 }
        }
        return (clip(field.old, from: start), clip(field.new, from: start))
    }

    /// Whether either side of a field holds more than one line (a config file embedded in a ConfigMap or a
    /// host file): such a field is shown as a line diff, never clipped.
    static func isMultiLine(_ field: FleetPlan.FieldChange) -> Bool {
        field.old?.contains("\n") == true || field.new?.contains("\n") == true
    }

    /// The lines that differ between the two sides of a multi-line field, as unified-diff hunks (`@@`
    /// headers, two lines of context, `-`/`+` lines; `UnifiedDiff`), each line ending in a newline. An
    /// absent side is empty (all lines added or removed); sides with the same lines (only a final newline
    /// differs) give a one-line note.
    static func lineDiff(_ field: FleetPlan.FieldChange) -> String {
        let diff = UnifiedDiff.make(
            old: field.old ?? "", new: field.new ?? "", oldName: "base", newName: "head", context: 2)
        guard !diff.isEmpty else { return "(the same lines; only the final newline differs)\n" }
        // The `--- base` / `+++ head` header names nothing the field's path does not.
        return diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
            .joined(separator: "\n")
    }

    /// The longest run of consecutive backticks in `text`.
    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// `text` (one line) as a CommonMark code span: delimited by one backtick more than its longest
    /// backtick run, and padded with a space when it begins or ends with a backtick, or begins and ends
    /// with a space (a code span strips one space from each end then:
    /// https://spec.commonmark.org/0.31.2/#code-spans). Backslashes do not escape inside a code span, so
    /// the delimiter is the only way. An empty text is "(empty)" in plain text (an empty span is not one).
    static func codeSpan(_ text: String) -> String {
        guard !text.isEmpty else { return "(empty)" }
        let fence = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let pad =
            text.first == "`" || text.last == "`"
                || (text.first == " " && text.last == " " && text.contains { $0 != " " })
            ? " " : ""
        return fence + pad + text + pad + fence
    }

    /// `text` as plain Markdown text: the characters CommonMark could read as emphasis, code, links, HTML,
    /// a table cell's edge or a strikethrough (backslash, backtick, `*`, `_`, `[`, `]`, `<`, `>`, `|`, `~`)
    /// escaped with a backslash, which any ASCII punctuation may take (https://spec.commonmark.org/0.31.2/#backslash-escapes).
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|~".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A fenced code block of `content` (lines ending in a newline), its info string `info`, every line
    /// indented by `indent`: the fence is one backtick longer than any backtick run in the content and at
    /// least three, so no line inside can close it (https://spec.commonmark.org/0.31.2/#fenced-code-blocks).
    static func fenced(_ content: String, info: String, indent: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(content) + 1))
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        let body = (content.hasSuffix("\n") ? lines.dropLast() : lines[...]).map { indent + $0 + "\n" }.joined()
        return indent + fence + info + "\n" + body + indent + fence + "\n"
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
        guard !reasons.isEmpty || policyChange != nil || approval.warning != nil else { return nil }
        let chosen = approval.sortedRisks.map { code($0.rawValue) }.joined(separator: ", ")
        var lines = ["Approval classes (\(approval.origin)): \(chosen.isEmpty ? "none" : chosen)."]
        if let warning = approval.warning { lines.insert("Warning: \(warning).", at: 0) }
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
                if Self.isMultiLine(field) {
                    out += "    \(field.path):\n"
                    for line in Self.lineDiff(field).split(separator: "\n") { out += "      \(line)\n" }
                } else {
                    let shown = Self.clipped(field)
                    out += "    \(field.path): \(shown.old) -> \(shown.new)\n"
                }
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
            /// `PlanApproval.warning`: the base's value could not be used (absent when it could).
            var warning: String?
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
            }, policyChange: policyChange, warning: approval.warning)
        let document = Document(base: base, needsApproval: needsApproval, approval: approval, changes: plan.changes)
        let data = (try? encoder.encode(document))
        return String(decoding: data ?? Data(), as: UTF8.self) + "\n"
    }

    /// One kind's `<details>` section: a list item per change, a sub-item per field. Names are escaped
    /// (`escaped`), paths and single-line values are code spans (`codeSpan`), multi-line values a line
    /// diff in a fenced `diff` block (`fenced`) inside the field's item.
    func markdownSection(_ kind: String, _ changes: [FleetPlan.Change]) -> String {
        var out = "<details><summary>\(Self.escaped(kind)) (\(changes.count))</summary>\n\n"
        for change in changes {
            let risks =
                change.risks.isEmpty
                ? "" : " · " + change.risks.map { Self.codeSpan($0.rawValue) }.joined(separator: " ")
            let origin = change.origin.map { " from \(Self.codeSpan($0))" } ?? ""
            let settings =
                change.settings.isEmpty
                ? "" : " (settings " + change.settings.map { Self.codeSpan($0) }.joined(separator: ", ") + ")"
            out +=
                "- \(change.action.rawValue) **\(Self.escaped(change.name))** in \(Self.codeSpan(change.file))"
                + "\(origin)\(settings)\(risks)\n"
            for field in change.fields {
                if Self.isMultiLine(field) {
                    out += "  - \(Self.codeSpan(field.path)):\n"
                    out += Self.fenced(Self.lineDiff(field), info: "diff", indent: "    ")
                } else {
                    let shown = Self.clipped(field)
                    // "(none)" and "(empty)" are words, not the value.
                    func value(_ raw: String?, _ text: String) -> String {
                        raw?.isEmpty == false ? Self.codeSpan(text) : text
                    }
                    out +=
                        "  - \(Self.codeSpan(field.path)): \(value(field.old, shown.old)) → "
                        + "\(value(field.new, shown.new))\n"
                }
            }
        }
        return out + "\n</details>\n"
    }

    func summarySection(_ kind: String, _ changes: [FleetPlan.Change], fullPlanPath: String?) -> String {
        let counts = [FleetPlan.Action.add, .change, .delete].compactMap { action in
            let count = changes.filter { $0.action == action }.count
            return count == 0 ? nil : "\(count) \(action.rawValue)"
        }.joined(separator: ", ")
        let full = fullPlanPath.map { "; the full plan is in \(Self.codeSpan($0))" } ?? ""
        return "<details><summary>\(Self.escaped(kind)) (\(changes.count))</summary>\n\n"
            + "Too many to list here: \(counts)\(full).\n\n</details>\n"
    }

    func markdown(limit: Int, fullPlanPath: String?) -> String {
        var head = "### Fleet plan\n\n\(headline())\n\n"
        if let lines = approvalLines(code: { Self.codeSpan($0) }) { head += lines.map { "- \($0)\n" }.joined() + "\n" }
        let sections = self.sections
        if !sections.isEmpty {
            head += "| Kind | Added | Changed | Deleted | Risks |\n|---|---:|---:|---:|---|\n"
            for (kind, changes) in sections {
                let risks = Set(changes.flatMap(\.risks)).sorted().map { Self.codeSpan($0.rawValue) }
                    .joined(separator: " ")
                head +=
                    "| \(Self.escaped(kind)) | \(changes.filter { $0.action == .add }.count) | "
                    + "\(changes.filter { $0.action == .change }.count) | "
                    + "\(changes.filter { $0.action == .delete }.count) | \(risks) |\n"
            }
            head += "\n"
        }
        // A section with so many changes that their lines alone pass the limit is summarised in any case (each
        // change's line holds at least the ten characters `- `, ` **`, `** in ` and its line break): it is
        // not written out first (10,000 changes took a tenth of a second to write and count).
        var bodies = sections.map { section in
            section.changes.count * 10 > limit
                ? summarySection(section.kind, section.changes, fullPlanPath: fullPlanPath)
                : markdownSection(section.kind, section.changes)
        }
        // Counted once each (a String counts its characters by walking them: a section of 10,000 changes
        // is megabytes).
        var sizes = bodies.map(\.count)
        var total = head.count + sizes.reduce(0, +)
        // Past the limit, the largest sections give way to their counts, largest first.
        for index in bodies.indices.sorted(by: { sizes[$0] > sizes[$1] }) where total > limit {
            bodies[index] = summarySection(sections[index].kind, sections[index].changes, fullPlanPath: fullPlanPath)
            total += bodies[index].count - sizes[index]
            sizes[index] = bodies[index].count
        }
        var out = head + bodies.joined(separator: "\n")
        if out.count > limit {
            let full = fullPlanPath.map { "; the full plan is in \(Self.codeSpan($0))" } ?? ""
            let note = "\n\n(Cut at \(limit) characters\(full).)\n"
            out = String(out.prefix(max(0, limit - note.count))) + note
        }
        return out
    }
}
