import CloudState
import Compiler
import Emitters
import Foundation
import Rendering
import TestSupport
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

    /// A Cloudflare section and a Label Studio section as files written before `privateRoutes`,
    /// `dnsTargetSettings` and `bucketCORS` existed (and with them `null`), as JSON text.
    static func sections(extraCloudflare: String = "", extraLabelStudio: String = "") -> Data {
        Data(
            """
            {"cloudflare": {"accountId": "a", "zoneName": "z", "zoneId": "i", "dnsRecords": [], "tunnels": [],
              "accessApplications": []\(extraCloudflare)},
             "labelStudio": {"url": "https://label.example", "storages": []\(extraLabelStudio)}}
            """.utf8)
    }

    /// Just the two sections of a `DesiredState`, for decoding them alone.
    struct Sections: Codable, Equatable {
        var cloudflare: CloudflareState
        var labelStudio: LabelStudioState
    }

    @Test func keysOlderStatesLackDecodeAsEmpty() throws {
        for extra in [("", ""), (#", "privateRoutes": null"#, #", "bucketCORS": null"#)] {
            let decoded = try JSONDecoder().decode(
                Sections.self, from: Self.sections(extraCloudflare: extra.0, extraLabelStudio: extra.1))
            #expect(decoded.cloudflare.privateRoutes == [], "\(extra)")
            #expect(decoded.cloudflare.dnsTargetSettings == nil, "\(extra)")
            #expect(decoded.labelStudio.bucketCORS == [], "\(extra)")
            #expect(decoded.cloudflare == CloudflareState(accountId: "a", zoneName: "z", zoneId: "i"))
            #expect(decoded.labelStudio == LabelStudioState(url: "https://label.example"))
        }
        // Present keys are read; a mistyped one is still an error, not an empty list.
        let route = PrivateRoute(
            network: "10.42.0.0/16", tunnelId: "t", tunnelName: "node-tunnels", description: "pods")
        let present = try JSONDecoder().decode(
            Sections.self,
            from: Self.sections(
                extraCloudflare: #", "privateRoutes": [{"network": "10.42.0.0/16", "tunnelId": "t", "#
                    + #""tunnelName": "node-tunnels", "description": "pods"}]"#))
        #expect(present.cloudflare.privateRoutes == [route])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Sections.self, from: Self.sections(extraCloudflare: #", "privateRoutes": "x""#))
        }
        // A key that was always there is still required.
        let withoutZone = String(decoding: Self.sections(), as: UTF8.self).replacingOccurrences(
            of: #""zoneId": "i", "#, with: "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Sections.self, from: Data(withoutZone.utf8)) }
    }

    @Test func emptyListsAreWrittenAndANilMapIsLeftOut() throws {
        let state = Sections(cloudflare: CloudflareState(accountId: "a"), labelStudio: LabelStudioState(url: "u"))
        let tree = JSONRenderer.tree(of: state)
        #expect(tree["cloudflare"]?["privateRoutes"] == .list([]))
        #expect(tree["cloudflare"]?["dnsTargetSettings"] == nil)
        #expect(tree["labelStudio"]?["bucketCORS"] == .list([]))
        #expect(try JSONDecoder().decode(Sections.self, from: Data(JSONRenderer.render(state).utf8)) == state)
    }

    /// The committed `cloud/desired-state.json` read and written again gives the same bytes.
    @Test func theCommittedStateRoundTripsByteForByte() throws {
        let committed = try String(contentsOfFile: Paths.repository + "/cloud/desired-state.json", encoding: .utf8)
        let state = try JSONDecoder().decode(DesiredState.self, from: Data(committed.utf8))
        #expect(!state.cloudflare.privateRoutes.isEmpty && !state.labelStudio.bucketCORS.isEmpty)
        let file = try #require(CloudStateEmitter.emit(FleetIR(name: "f", clusters: [], cloud: state)).first)
        #expect(file.contents == committed)
    }
}
