import CloudState
import Compiler
import Emitters
import Foundation
import Testing

/// The desired cloud state is written as its wire types encode it, keys sorted, and read
/// back equal by the consumer's decoder; nothing is written while there is none.
@Suite struct CloudStateEmitterTests {
    @Test func writesTheDesiredStateAndReadsBackEqual() throws {
        #expect(CloudStateEmitter.emit(FleetIR(name: "f", clusters: [])).isEmpty)
        var state = DesiredState()
        state.cloudflare.dnsRecords = [
            DNSRecord(type: "CNAME", name: "gpu.boathou.se", content: "abc.cfargotunnel.com")
        ]
        state.crunchyBridge = CrunchyBridgeState(
            networkId: "ooer7tenangenjelkxbkgz6sdi", apiKey: SecretReference(escKey: "crunchyBridgeApiKey"),
            firewallRules: [FirewallRule(rule: "157.173.210.123/32", description: "srv712429-oceanid egress gateway")])
        let files = CloudStateEmitter.emit(FleetIR(name: "f", clusters: [], cloud: state))
        let file = try #require(files.first)
        #expect(
            files.count == 1 && file.path == "cloud/desired-state.json" && file.syntax == .json
                && file.policy == .regenerate)
        #expect(file.contents.hasPrefix("{\n"), "JSON carries no header")
        #expect(try JSONDecoder().decode(DesiredState.self, from: Data(file.contents.utf8)) == state)
        // Keys are sorted: the same state always gives the same bytes.
        let keys = file.contents.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
            String($0.split(separator: "\"")[1])
        }
        #expect(keys == keys.sorted())
        // The API key is written as a reference to its ESC key (the applier resolves it), never as a value.
        #expect(file.contents.contains(#""apiKey": {\#n      "escKey": "crunchyBridgeApiKey"\#n    }"#))
    }
}
