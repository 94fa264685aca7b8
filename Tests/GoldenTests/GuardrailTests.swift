import Compiler
import DSL
import Fleet
import Foundation
import Rendering
import Testing
import TestSupport

/// policy/guardrails.rego run by a real Rego engine (regorus), and the same rules natively:
/// each rule has a fixture that fires it and one that does not, the real fleet's input gives
/// no denial, and both engines give identical verdicts on every fixture.
@Suite(.serialized) struct GuardrailTests {
    static let folder = Paths.repository + "/policy/tests"

    static func fixtures() throws -> [(name: String, expect: [String], input: Tree)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
        return try names.sorted().map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            let tree = JSONRenderer.tree(try JSONSerialization.jsonObject(with: data))
            let expect = (tree["expect"]?.items ?? []).compactMap(\.stringValue)
            return (name, expect, tree["input"] ?? .null)
        }
    }

    @Test func regorusPassesEveryFixtureAndTheRealFleet() throws {
        let result = try runProcess(Paths.python, [Paths.repository + "/scripts/policy-test.py"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(" 0 failures"), "\(result.output)")
    }

    /// policy/*_test.rego in OPA's convention (`opa test policy/`): regorus runs every `test_`
    /// rule, and each is true.
    @Test func regorusRunsTheRegoTests() throws {
        let result = try runProcess(Paths.python, [Paths.repository + "/scripts/policy-test.py", "--tests"])
        #expect(result.status == 0, "\(result.output)")
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        let source = try String(
            contentsOfFile: Paths.repository + "/policy/guardrails_test.rego", encoding: .utf8)
        let declared = source.split(separator: "\n").filter { $0.hasPrefix("test_") }.map {
            "oceanid.guardrails_test." + String($0.prefix { $0 != " " })
        }
        #expect(declared.count >= 8)
        #expect(results.keys.sorted() == declared.sorted())
        for name in declared { #expect(results[name] as? Bool == true, "\(name): \(results[name] ?? "missing")") }
    }

    @Test func nativeRulesGiveEachFixturesExpectedDenials() throws {
        let fixtures = try Self.fixtures()
        #expect(fixtures.count >= 41)
        let rules = fixtures.map {
            $0.name.replacingOccurrences(of: "-deny.json", with: "").replacingOccurrences(of: "-allow.json", with: "")
        }
        #expect(Set(rules).count >= 11)
        for fixture in fixtures {
            #expect(Guardrails.evaluate(fixture.input).map(\.message) == fixture.expect.sorted(), "\(fixture.name)")
        }
    }

    /// Parity: regorus's verdicts and the native ones, fixture by fixture.
    @Test func bothEnginesAgree() throws {
        let result = try runProcess(Paths.python, [Paths.repository + "/scripts/policy-test.py", "--verdicts"])
        #expect(result.status == 0, "\(result.output)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        let verdicts = try #require(parsed as? [String: [String]])
        let fixtures = try Self.fixtures()
        #expect(verdicts.count == fixtures.count)
        for fixture in fixtures {
            #expect(Guardrails.evaluate(fixture.input).map(\.message) == verdicts[fixture.name], "\(fixture.name)")
        }
    }

    /// A policy that holds the workloads of `apps` to the gateway in `egress-system` and allows nothing else.
    static let appsBehindAGateway = GuardrailPolicy(egress: .init(namespace: "apps", gatewayNamespace: "egress-system"))

    /// Oceanid's policy (definitions/OceanidGuardrails.swift) is the allowlists the rules used to
    /// hard-code, and the real fleet's policy input carries it as the Rego and the native rules read it.
    @Test func oceanidDeclaresTheAllowlistsTheRulesRead() throws {
        let expected: Tree = [
            "hostNetwork": ["node-tunnels/cloudflared-node"],
            "capabilities": [
                "egress-system/egress-gateway": ["CHOWN", "SETGID", "SETUID"],
                "tailscale/tailscale-router": ["NET_ADMIN", "NET_RAW"],
            ],
            "egressGateway": [
                "namespace": "apps", "gatewayNamespace": "egress-system", "exempt": ["apps/egress-db-proxy"],
            ],
        ]
        #expect(JSONRenderer.render(PolicyInput.policy(Oceanid.guardrails)) == JSONRenderer.render(expected))
        let data = try Data(contentsOf: URL(fileURLWithPath: Paths.repository + "/policy/input/tethys.json"))
        let input = JSONRenderer.tree(try JSONSerialization.jsonObject(with: data))
        #expect(input["policy"].map(JSONRenderer.render) == JSONRenderer.render(expected))
        #expect(Guardrails.evaluate(input).isEmpty, "the real fleet passes under its own policy")
        var withoutPolicy = MapBuilder()
        for entry in input.entries ?? [] where entry.key != "policy" { withoutPolicy.set(entry.key, entry.value) }
        #expect(Guardrails.evaluate(withoutPolicy.tree).map(\.message).allSatisfy {
            $0.hasPrefix("[host-network]") || $0.hasPrefix("[capabilities]")
        }, "without its policy the real fleet is denied exactly its allowlisted privileges")
    }

    /// A fleet without a policy runs no guardrails and its policy input has no `policy` section;
    /// one with a policy carries it into the IR and the input.
    @Test func aFleetWithoutAPolicyRunsNoGuardrails() throws {
        let fleet = Fleet("t") { Cluster("c") { Namespace("apps") {
            Deployment("worker") { Container("worker", image: "x/worker:1.0") }
        } } }
        let unchecked = try #require(CompilerPipeline.compile(FleetDefinition(fleet)).ir)
        #expect(unchecked.guardrails == nil)
        #expect(unchecked.clusters.allSatisfy { PolicyInput.document($0, unchecked)["policy"] == nil })
        let policy = GuardrailPolicy(hostNetwork: [.init("apps", "worker")])
        let held = CompilerPipeline.compile(FleetDefinition(fleet, guardrails: policy))
        #expect(held.ir == nil)
        let denials = held.diagnostics.filter { $0.code == .guardrail }.map(\.message)
        #expect(denials.allSatisfy { !$0.hasPrefix("[egress-gateway]") })
        let source = FleetSource(FleetDefinition(fleet, guardrails: policy))
        let skipped = try #require(CompilerPipeline(guardrails: false).run(source).ir)
        #expect(skipped.guardrails == nil)
    }

    /// The native rules run in the pipeline: a denial stops the build at the declaration.
    @Test func aDenialStopsTheBuildAtTheDeclaration() throws {
        let line = #line + 2
        let fleet = Fleet("t") { Cluster("c") { Namespace("apps") {
            Deployment("worker") {
                Container("worker", image: "x/worker:1.0")
                    .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
            }
        } } }
        #expect(CompilerPipeline.compile(FleetDefinition(fleet)).ir != nil, "fleets opt in to the guardrails")
        let result = CompilerPipeline.compile(FleetDefinition(fleet, guardrails: Self.appsBehindAGateway))
        #expect(result.ir == nil)
        let denials = result.diagnostics.filter { $0.code == .guardrail }
        #expect(denials.map(\.message) == [
            "[egress-gateway] Deployment apps/worker container worker does not set HTTPS_PROXY",
            "[egress-gateway] Deployment apps/worker container worker does not set HTTP_PROXY",
            "[egress-gateway] Deployment apps/worker container worker does not set NO_PROXY",
            "[egress-gateway] Deployment apps/worker: no NetworkPolicy in apps allows egress to egress-system",
        ])
        #expect(denials.allSatisfy { $0.location.line == line })
    }
}
