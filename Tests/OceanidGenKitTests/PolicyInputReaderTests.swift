import Compiler
import DSL
import Emitters
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

/// `PolicyInputReader`: a base's guardrails input is parsed only where its objects differ from the head's,
/// and reads as the whole parse does; the compile keeps each cluster's document and denials for `plan`.
@Suite struct PolicyInputReaderTests {
    /// The committed policy input of the real fleet, as the compiler wrote it.
    static func committed() throws -> String {
        try String(contentsOfFile: Paths.repository + "/policy/input/tethys.json", encoding: .utf8)
    }

    @Test func theCompilersLayoutIsRecognisedAndEveryEqualItemReused() throws {
        let text = try Self.committed()
        let whole = try #require(PolicyInputReader.parseWhole(text))
        let count = try #require(whole["objects"]?.items?.count)
        #expect(count > 50)
        let layout = try #require(PolicyInputReader.layout(Array(text.utf8)))
        #expect(layout.items.count == count)
        let reading = PolicyInputReader.read(text, known: (text, whole))
        #expect((reading.reused, reading.parsed, reading.whole) == (count, 0, false))
        #expect(reading.document == whole)
        // With nothing known, every item is parsed, in one list.
        let alone = PolicyInputReader.read(text, known: nil)
        #expect((alone.reused, alone.parsed, alone.whole) == (0, count, false))
        #expect(alone.document == whole)
    }

    @Test func onlyTheObjectsThatDifferAreParsed() throws {
        let head = try Self.committed()
        let known = try #require(PolicyInputReader.parseWhole(head))
        let count = try #require(known["objects"]?.items?.count)
        // The base: one image older, and the last object gone (the head added it).
        let image = try #require(head.range(of: #""image": "[^"]+""#, options: .regularExpression))
        var base = head.replacingCharacters(in: image, with: #""image": "example.org/older:0.9""#)
        let layout = try #require(PolicyInputReader.layout(Array(base.utf8)))
        let bytes = Array(base.utf8)
        let last = try #require(layout.items.last)
        let previous = layout.items[layout.items.count - 2]
        // And the second object with one field more (a line more: parsed).
        let second = layout.items[1]
        let extra = Array("{\n      \"aaa\": 1,".utf8)
        base = String(
            decoding: bytes[..<second.lowerBound] + extra + bytes[(second.lowerBound + 1)..<previous.upperBound]
                + bytes[last.upperBound...], as: UTF8.self)
        let reading = PolicyInputReader.read(base, known: (head, known))
        // The object whose image changed is the head's at its index with one value changed: read, not parsed.
        #expect((reading.reused, reading.edited, reading.parsed, reading.whole) == (count - 3, 1, 1, false))
        let expected = try #require(PolicyInputReader.parseWhole(base))
        #expect(reading.document == expected)
        #expect(reading.document?["objects"]?.items?.count == count - 1)
        #expect(reading.document?["objects"]?.items?.contains { "\($0)".contains("example.org/older:0.9") } == true)
    }

    @Test func aHandEditedLayoutIsParsedWhole() throws {
        let head = try Self.committed()
        let known = try #require(PolicyInputReader.parseWhole(head))
        // A field pulled out to the items' indentation: still JSON, no longer the compiler's layout.
        let edited = head.replacingOccurrences(of: "\n    {\n      \"apiVersion\"", with: "\n    {\n    \"apiVersion\"")
        #expect(edited != head)
        #expect(PolicyInputReader.layout(Array(edited.utf8)) == nil)
        let reading = PolicyInputReader.read(edited, known: (head, known))
        #expect((reading.reused, reading.parsed, reading.whole) == (0, 0, true))
        #expect(reading.document == known)
        // Compact JSON from another writer: the same.
        let compact = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: Data(head.utf8)), options: [.sortedKeys])
        let other = PolicyInputReader.read(String(decoding: compact, as: UTF8.self), known: (head, known))
        #expect(other.whole)
        #expect(other.document?["objects"]?.items?.count == known["objects"]?.items?.count)
        // Two top-level `objects` keys: not trusted to be the compiler's.
        let twice = "{\n  \"objects\": [],\n  \"objects\": []\n}\n"
        #expect(PolicyInputReader.layout(Array(twice.utf8)) == nil)
        // Not JSON at all.
        #expect(PolicyInputReader.read("{\n  \"objects\": [\n    {\n", known: nil).document == nil)
    }

    @Test func emptyListsAndEmptyItemsKeepTheLayout() throws {
        let empty = "{\n  \"cluster\": \"lab\",\n  \"objects\": [],\n  \"policy\": {}\n}\n"
        let open = try #require(Array(empty.utf8).firstIndex(of: UInt8(ascii: "["))) + 1
        #expect(PolicyInputReader.layout(Array(empty.utf8)) == Layout(open: open, close: open, items: []))
        let reading = PolicyInputReader.read(empty, known: nil)
        #expect(reading.document == ["cluster": "lab", "objects": [], "policy": .map([])])
        let items = "{\n  \"objects\": [\n    {},\n    {\n      \"kind\": \"Service\"\n    }\n  ]\n}\n"
        let layout = try #require(PolicyInputReader.layout(Array(items.utf8)))
        #expect(layout.items.count == 2)
        #expect(PolicyInputReader.read(items, known: nil).document == ["objects": [.map([]), ["kind": "Service"]]])
    }

    @Test func aKnownTextThatIsNotTheDocumentsRenderingReusesNothing() throws {
        let text = try Self.committed()
        let whole = try #require(PolicyInputReader.parseWhole(text))
        // A document with one object fewer than its supposed rendering: the items cannot be paired.
        var entries = try #require(whole.entries)
        let index = try #require(entries.firstIndex { $0.key == "objects" })
        entries[index].value = .list(Array(try #require(whole["objects"]?.items).dropLast()))
        let reading = PolicyInputReader.read(text, known: (text, .map(entries)))
        #expect((reading.reused, reading.parsed) == (0, whole["objects"]?.items?.count))
        #expect(reading.document == whole)
    }

    /// `verdictChanges` gives the same verdicts with the head's document and denials known as when it parses
    /// and evaluates both sides: a denial gone, one new, and a policy change that silences one.
    @Test func knownHeadDocumentsGiveTheSameVerdicts() throws {
        let path = "policy/input/tethys.json"
        let head = try Self.committed()
        let document = try #require(PolicyInputReader.parseWhole(head))
        let denials = Guardrails.evaluate(document)
        #expect(denials.isEmpty, "the real fleet passes its guardrails")
        let known = FleetPlan.KnownPolicyInput(document: document, denials: denials)
        // A base whose first pinned image was unpinned, and whose policy allowed nothing on the host network.
        let image = try #require(head.range(of: #""image": "[^"@]+:[^"]+""#, options: .regularExpression))
        let unpinned = head.replacingCharacters(in: image, with: #""image": "example.org/unpinned""#)
        let base = unpinned.replacingOccurrences(
            of: "\"hostNetwork\": [\n      \"node-tunnels/cloudflared-node\"\n    ]", with: "\"hostNetwork\": []")
        #expect(base != unpinned)
        let fast = try #require(FleetPlan.verdictChanges(base, head, file: path, origin: nil, known: known))
        let slow = try #require(FleetPlan.verdictChanges(base, head, file: path, origin: nil))
        #expect(fast == slow)
        let names = fast.map { "\($0.action.rawValue) \($0.name)" }
        #expect(names.count == 3, "\(names)")
        #expect(names.first?.hasPrefix("delete tethys: [image-pinned] ") == true, "\(names)")
        #expect(names.first?.hasSuffix(" uses the unpinned image example.org/unpinned") == true, "\(names)")
        #expect(names.dropFirst().first == "change tethys: policy", "\(names)")
        #expect(
            names.last == "change tethys: now allowed: [host-network] DaemonSet node-tunnels/cloudflared-node uses "
                + "the host network", "\(names)")
        // A head known to have a denial the base lacks: listed as new, and the base's objects elsewhere not
        // evaluated again.
        let unpinnedHead = try #require(PolicyInputReader.parseWhole(unpinned))
        let deniedHead = FleetPlan.KnownPolicyInput(document: unpinnedHead, denials: Guardrails.evaluate(unpinnedHead))
        let added = try #require(FleetPlan.verdictChanges(head, unpinned, file: path, origin: nil, known: deniedHead))
        #expect(added == FleetPlan.verdictChanges(head, unpinned, file: path, origin: nil))
        #expect(added.map(\.action) == [.add], "\(added.map(\.name))")
        #expect(added.first?.name.hasSuffix(" uses the unpinned image example.org/unpinned") == true)
        // A new cluster (no base file) adds its denials; a removed one (no head file) drops them, the
        // head known or not (a removed cluster has no head to know: its known input is not used).
        let new = FleetPlan.verdictChanges(nil, unpinned, file: path, origin: nil, known: deniedHead)
        #expect(new?.map(\.action) == [.add], "\(String(describing: new))")
        #expect(new == FleetPlan.verdictChanges(nil, unpinned, file: path, origin: nil))
        let removed = FleetPlan.verdictChanges(unpinned, nil, file: path, origin: nil, known: deniedHead)
        #expect(removed?.map(\.action) == [.delete], "\(String(describing: removed))")
        #expect(removed == FleetPlan.verdictChanges(unpinned, nil, file: path, origin: nil))
    }

    /// The compile keeps what the guardrails evaluated: each cluster's document, exactly what its
    /// `policy/input/<cluster>.json` renders, with its denials; a compile without guardrails keeps none.
    @Test func theCompileKeepsEachClustersEvaluatedDocument() throws {
        let fleet = Fleet("t") {
            Cluster("c") {
                Node("n", role: .server)
                Namespace("apps") {
                    Deployment("worker") {
                        Container("worker", image: "x/worker:1.0")
                            .resources(
                                requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
                    }
                    .hostNetwork()
                }
            }
        }
        let policy = GuardrailPolicy(hostNetwork: [.init("apps", "worker")])
        let ir = try #require(CompilerPipeline.compile(FleetDefinition(fleet, guardrails: policy)).ir)
        let evaluated = try #require(ir.policyInputs?["c"])
        let cluster = try #require(ir.clusters.first)
        #expect(evaluated.document == PolicyInput.document(cluster, ir))
        #expect(evaluated.denials == [])
        let file = try #require(OPAInputEmitter.emit(ir).first)
        #expect(file.path == "policy/input/c.json")
        // The file's keys are sorted; the lowering's trees keep their own order.
        #expect(PolicyInputReader.parseWhole(file.contents) == Self.sorted(evaluated.document))
        // Sources hands the plan the head's document for a policy input that differs, with its denials.
        let sources = FleetPlan.Sources(ir: ir, files: [file], root: "/")
        #expect(sources.policyInputs[file.path]?.document == evaluated.document)
        #expect(sources.policyInputs[file.path]?.denials?.isEmpty == true)
        let unguarded = try #require(CompilerPipeline.compile(FleetDefinition(fleet)).ir)
        #expect(unguarded.policyInputs == nil)
        let evaluatedLater = FleetPlan.Sources(ir: unguarded, files: [file], root: "/")
        #expect(evaluatedLater.policyInputs[file.path]?.denials == nil)
    }

    /// A fleet that is not the real one, held to the guardrails: a Deployment `api` and the Service selecting it
    /// in `shop`, and a Deployment `worker` in `jobs`.
    static func shop() throws -> (text: String, document: Tree) {
        func deployment(_ name: String) -> Deployment {
            Deployment(name) {
                Container(name, image: "busybox:1.36.1") { Port("http", 8080) }
                    .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
                    .securityContext(.restricted)
            }
        }
        let api = deployment("api")
        let fleet = Fleet("shop") {
            Cluster("lab") {
                Node("lab-1", role: .server)
                Namespace("shop") {
                    api
                    Service(selecting: api) { ServicePort("http", 80, target: "http") }
                }
                Namespace("jobs") { deployment("worker") }
            }
        }
        let compiled = CompilerPipeline.compile(FleetDefinition(fleet, guardrails: GuardrailPolicy()))
        let ir = try #require(compiled.ir, "\(compiled.diagnostics.map { $0.formatted() })")
        let evaluated = try #require(ir.policyInputs?["lab"])
        #expect(evaluated.denials.isEmpty)
        return (try #require(OPAInputEmitter.emit(ir).first).contents, evaluated.document)
    }

    /// `text` with `old` replaced by `new` inside the first item of its `objects` that contains `marker`.
    static func editing(_ text: String, itemWith marker: String, _ old: String, _ new: String) throws -> String {
        let bytes = Array(text.utf8)
        let layout = try #require(PolicyInputReader.layout(bytes))
        let range = try #require(layout.items.first { String(decoding: bytes[$0], as: UTF8.self).contains(marker) })
        let item = String(decoding: bytes[range], as: UTF8.self).replacingOccurrences(of: old, with: new)
        return String(decoding: bytes[..<range.lowerBound], as: UTF8.self) + item
            + String(decoding: bytes[range.upperBound...], as: UTF8.self)
    }

    /// With the head known to be denied nothing, the base's denials come from the objects that differ and their
    /// namespaces: the same verdicts as evaluating the whole base.
    @Test func aCleanHeadEvaluatesOnlyWhatDiffers() throws {
        let path = "policy/input/lab.json"
        let head = try Self.shop()
        let known = FleetPlan.KnownPolicyInput(document: head.document, denials: [])
        let none: [Guardrails.Denial] = []
        // The base's api pods carried another name: its Service (the same bytes as the head's) selected none.
        let base = try Self.editing(
            head.text, itemWith: "\"app\": \"api\"", "\"app.kubernetes.io/name\": \"api\"",
            "\"app.kubernetes.io/name\": \"api-old\"")
        #expect(base != head.text)
        let reading = PolicyInputReader.read(base, known: (head.text, head.document))
        #expect(reading.sameRest && reading.changed.count == 1 && reading.knownOnly.count == 1)
        #expect(
            PolicyInputReader.denials(reading, knownDenials: none) == [
                "[service-selects] Service shop/api selects no pod"
            ])
        let fast = try #require(FleetPlan.verdictChanges(base, head.text, file: path, origin: nil, known: known))
        let slow = try #require(FleetPlan.verdictChanges(base, head.text, file: path, origin: nil))
        #expect(fast == slow)
        #expect(
            fast.map { "\($0.action.rawValue) \($0.name)" } == [
                "delete lab: [service-selects] Service shop/api selects no pod"
            ])
        // A change in another namespace leaves shop's Service unjudged, and there is nothing to deny.
        let elsewhere = try Self.editing(
            head.text, itemWith: "\"name\": \"worker\"", "busybox:1.36.1", "busybox:1.35.0")
        let other = PolicyInputReader.read(elsewhere, known: (head.text, head.document))
        #expect(other.changed.count == 1)
        #expect(PolicyInputReader.denials(other, knownDenials: none) == [])
        let unpinned = try Self.editing(head.text, itemWith: "\"name\": \"worker\"", "busybox:1.36.1", "busybox")
        #expect(
            PolicyInputReader.denials(
                PolicyInputReader.read(unpinned, known: (head.text, head.document)), knownDenials: none)
                == ["[image-pinned] Deployment jobs/worker container worker uses the unpinned image busybox"])
        // A NetworkPolicy among the objects that differ, or another rest of the document: evaluated whole.
        let policy = try Self.editing(head.text, itemWith: "\"kind\": \"Service\"", "\"Service\"", "\"NetworkPolicy\"")
        #expect(
            PolicyInputReader.denials(
                PolicyInputReader.read(policy, known: (head.text, head.document)), knownDenials: none)
                == nil)
        let renamed = head.text.replacingOccurrences(
            of: "\"nodes\": [\n    \"lab-1\"", with: "\"nodes\": [\n    \"lab-2\"")
        #expect(renamed != head.text)
        let rest = PolicyInputReader.read(renamed, known: (head.text, head.document))
        #expect(!rest.sameRest && PolicyInputReader.denials(rest, knownDenials: none) == nil)
        // A head denied in another namespace: that denial stands for the base without evaluating its objects.
        let deniedHead = try #require(PolicyInputReader.parseWhole(unpinned))
        let headDenials = Guardrails.evaluate(deniedHead)
        #expect(headDenials.map(\.key) == ["jobs/worker"])
        let both = try Self.editing(
            unpinned, itemWith: "\"app\": \"api\"", "\"app.kubernetes.io/name\": \"api\"",
            "\"app.kubernetes.io/name\": \"api-old\"")
        let bothReading = PolicyInputReader.read(both, known: (unpinned, deniedHead))
        let expected = Set(Guardrails.evaluate(try #require(PolicyInputReader.parseWhole(both))).map(\.message))
        #expect(expected.count == 2)
        #expect(PolicyInputReader.denials(bothReading, knownDenials: headDenials) == expected)
        let deniedKnown = FleetPlan.KnownPolicyInput(document: deniedHead, denials: headDenials)
        #expect(
            FleetPlan.verdictChanges(both, unpinned, file: path, origin: nil, known: deniedKnown)
                == FleetPlan.verdictChanges(both, unpinned, file: path, origin: nil))
        for text in [elsewhere, unpinned, policy, renamed] {
            #expect(
                FleetPlan.verdictChanges(text, head.text, file: path, origin: nil, known: known)
                    == FleetPlan.verdictChanges(text, head.text, file: path, origin: nil))
        }
    }

    typealias Layout = PolicyInputReader.Layout

    /// `tree` with every mapping's keys sorted, as `JSONRenderer` writes them.
    static func sorted(_ tree: Tree) -> Tree {
        switch tree {
        case .map(let entries): .map(entries.sorted { $0.key < $1.key }.map { Tree.Entry($0.key, sorted($0.value)) })
        case .list(let items): .list(items.map(sorted))
        default: tree
        }
    }
}
