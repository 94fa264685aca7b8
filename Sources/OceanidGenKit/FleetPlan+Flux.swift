import Compiler
import DSL
import Foundation

/// The Flux graph and the guardrails' verdicts in the plan, as typed changes rather than field noise.
///
/// - A Flux Kustomization or HelmRelease is listed under `flux` (`Kustomization flux-system/apps`) with
///   its edges summarised: `dependsOn` (what must be ready first,
///   https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies), `healthChecks` (what it
///   waits for, https://fluxcd.io/flux/components/kustomize/kustomizations/#health-checks) and `path`.
/// - `policy/input/<cluster>.json` (the guardrails' input, which restates every object the plan already
///   lists) is not listed as a file: its verdicts are, evaluated on both sides by the compiler's
///   `Guardrails` (the same rules as policy/guardrails.rego): a denial that appears or goes away, a change
///   of the fleet's guardrail policy (what it allows itself), and each verdict that policy change silences
///   (what the head's objects would be denied under the base's policy), listed once as `now allowed` rather
///   than also as a denial that went away.
extension FleetPlan {
    /// The Flux API groups whose objects form the graph Flux reconciles.
    static let fluxGroups = ["kustomize.toolkit.fluxcd.io/", "helm.toolkit.fluxcd.io/"]

    /// Whether an object of `apiVersion` is a Flux Kustomization or HelmRelease.
    static func isFluxGraphObject(apiVersion: String) -> Bool {
        fluxGroups.contains { apiVersion.hasPrefix($0) }
    }

    /// A Flux object's edges as one value each: `dependsOn` (`namespace/name`, sorted), `healthChecks`
    /// (`Kind namespace/name`, sorted) and `path`; absent ones are left out.
    static func fluxEdges(_ object: Any?) -> [String: String] {
        let spec = (object as? [String: Any])?["spec"] as? [String: Any] ?? [:]
        var out: [String: String] = [:]
        func reference(_ item: Any, kind: Bool) -> String {
            let fields = item as? [String: Any] ?? [:]
            let name = [fields["namespace"], fields["name"]].compactMap { $0.map { "\($0)" } }.joined(separator: "/")
            return kind ? "\(fields["kind"].map { "\($0)" } ?? "?") \(name)" : name
        }
        if let list = spec["dependsOn"] as? [Any] {
            out["dependsOn"] = list.map { reference($0, kind: false) }.sorted().joined(separator: ", ")
        }
        if let list = spec["healthChecks"] as? [Any] {
            out["healthChecks"] = list.map { reference($0, kind: true) }.sorted().joined(separator: ", ")
        }
        if let path = spec["path"] { out["path"] = "\(path)" }
        return out
    }

    /// The fields of a Flux object's change: its edges that differ (`dependsOn`, `healthChecks`, `path`),
    /// then its other fields outside them.
    static func fluxFields(old: Any?, new: Any?, fields: [FieldChange]) -> [FieldChange] {
        let edges = fieldChanges(fluxEdges(old), fluxEdges(new))
        let rest = fields.filter { field in
            !["spec.dependsOn", "spec.healthChecks", "spec.path"].contains { field.path.hasPrefix($0) }
        }
        return edges + rest
    }

    /// The section of guardrail verdicts. Its changes carry no settings (`make`): the input restates every
    /// object and so every setting, and the object changes behind a verdict list their own.
    static let guardrailKind = "guardrail"

    /// A guardrails input: `policy/input/<cluster>.json`.
    static func isPolicyInput(_ path: String) -> Bool { path.hasPrefix("policy/input/") && path.hasSuffix(".json") }

    /// The head's policy input as the compiler built it: the document whose `JSONRenderer` rendering is the
    /// head's file, and the messages of its denials when the guardrails evaluated it during the compile.
    public struct KnownPolicyInput: Sendable {
        /// The document (`PolicyInput.document`).
        public var document: Tree
        /// Its denials; nil when the compile did not evaluate it (they are evaluated here).
        public var denials: [Guardrails.Denial]?

        /// A document and, if known, its denials.
        public init(document: Tree, denials: [Guardrails.Denial]?) {
            self.document = document
            self.denials = denials
        }
    }

    /// The verdict changes between two guardrails inputs, nil when either side does not parse.
    ///
    /// `known`, the head's document as the compiler built it (`new` must be its rendering), spares parsing
    /// the head, and evaluating it when its denials are known; the base is read by `PolicyInputReader`,
    /// which parses only the objects whose bytes differ from the head's. Without it both sides are parsed
    /// and evaluated. The verdicts are the same either way.
    static func verdictChanges(
        _ old: String?, _ new: String?, file: String, origin: String?, known: KnownPolicyInput? = nil
    ) -> [Change]? {
        let known = new == nil ? nil : known
        @Sendable func read(_ text: String?) -> PolicyInputReader.Reading {
            guard let text else { return PolicyInputReader.Reading(document: .map([])) }
            return PolicyInputReader.read(text, known: known.flatMap { k in new.map { ($0, k.document) } })
        }
        // A head document the compile did not evaluate is evaluated while the base is read (both cores).
        let sides = Parallel.map([0, 1], minimum: known != nil && known?.denials == nil ? 2 : 3) { side in
            side == 0
                ? VerdictSide.base(read(old))
                : VerdictSide.denials(known.map { $0.denials ?? Guardrails.evaluate($0.document) })
        }
        guard case .base(let base) = sides[0], case .denials(let evaluated) = sides[1] else { return nil }
        guard let before = base.document, let after = known?.document ?? read(new).document else { return nil }
        let cluster = String(file.dropFirst("policy/input/".count).dropLast(".json".count))
        let headDenials = evaluated ?? Guardrails.evaluate(after)
        // The base read against the head's document: only its objects whose verdicts can differ are evaluated.
        let denied =
            (known != nil && old != nil ? PolicyInputReader.denials(base, knownDenials: headDenials) : nil)
            ?? Set(Guardrails.evaluate(before).map(\.message))
        let deniedNow = Set(headDenials.map(\.message))
        var changes: [Change] = []
        func verdict(_ message: String, _ action: Action, risks: [Risk] = []) {
            changes.append(
                Change(
                    kind: guardrailKind, name: "\(cluster): \(message)", action: action, file: file, origin: origin,
                    fields: [], risks: risks))
        }
        let policy = flatten(normalized(before["policy"].map(plain) ?? [String: Any]()))
        let policyNow = flatten(normalized(after["policy"].map(plain) ?? [String: Any]()))
        let policyChanged = old != nil && new != nil && policy != policyNow
        // What the head's objects would be denied under the base's policy: allowances the change adds.
        let silenced =
            policyChanged
            ? Set(Guardrails.evaluate(replacing("policy", in: after, with: before["policy"])).map(\.message))
                .subtracting(deniedNow) : []
        for message in deniedNow.subtracting(denied).sorted() { verdict(message, .add) }
        // A denial the policy change silences is listed once, as `now allowed` below, not also as gone.
        for message in denied.subtracting(deniedNow).subtracting(silenced).sorted() { verdict(message, .delete) }
        if policyChanged {
            changes.append(
                Change(
                    kind: guardrailKind, name: "\(cluster): policy", action: .change, file: file, origin: origin,
                    fields: fieldChanges(policy, policyNow), risks: []))
            for message in silenced.sorted() {
                changes.append(
                    Change(
                        kind: guardrailKind, name: "\(cluster): now allowed: \(message)", action: .change, file: file,
                        origin: origin, fields: [], risks: []))
            }
        }
        return changes
    }

    /// One of the two sides `verdictChanges` prepares at once: the base read, the head's denials (nil: no
    /// head document known).
    enum VerdictSide: Sendable {
        /// The base's policy input as read.
        case base(PolicyInputReader.Reading)
        /// The head's denials.
        case denials([Guardrails.Denial]?)
    }

    /// `tree` with its entry `key` set to `value` (removed when nil).
    static func replacing(_ key: String, in tree: Tree, with value: Tree?) -> Tree {
        var entries = (tree.entries ?? []).filter { $0.key != key }
        if let value { entries.append(Tree.Entry(key, value)) }
        return .map(entries)
    }

    /// A tree as plain values (`[String: Any]`, `[Any]`, scalars), for `flatten`.
    static func plain(_ tree: Tree) -> Any {
        switch tree {
        case .string(let value): return value
        case .int(let value): return value
        case .double(let value): return value
        case .bool(let value): return value
        case .null: return NSNull()
        case .list(let items): return items.map(plain)
        case .map(let entries):
            return Dictionary(entries.map { ($0.key, plain($0.value)) }) { first, _ in first }
        }
    }
}
