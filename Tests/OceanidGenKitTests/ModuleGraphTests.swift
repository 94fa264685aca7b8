import Foundation
import TestSupport
import Testing

/// The module graph stays one way: DSL ← Rendering ← Compiler ← Emitters ← OceanidGenKit,
/// Workspace beside the emitters, CloudState (the applier's wire types) depending on nothing,
/// and the fleet (definitions/) on the DSL alone. Read from Package.swift's target list
/// (`swift package dump-package` would wait on the build lock `swift test` holds).
@Suite struct ModuleGraphTests {
    static func graph() throws -> [String: Set<String>] {
        let manifest = try String(contentsOfFile: Paths.repository + "/Package.swift", encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        for match in manifest.matches(
            of: #/\.(?:target|executableTarget|testTarget)\(name: "([A-Za-z-]+)"(?:, dependencies: \[([^\]]*)\])?/#)
        {
            let dependencies = (match.2.map(String.init) ?? "").matches(of: #/"([A-Za-z-]+)"/#).map { String($0.1) }
            graph[String(match.1)] = Set(dependencies)
        }
        return graph
    }

    @Test func dependenciesPointOneWay() throws {
        let graph = try Self.graph()
        #expect(graph.count >= 12, "\(graph.keys.sorted())")
        #expect(graph["DSL"] == [])
        #expect(graph["CloudState"] == [], "the applier links CloudState without the compile path")
        #expect(graph["Rendering"] == ["DSL"])
        #expect(graph["Fleet"] == ["DSL"], "a one-line edit of definitions/ recompiles only the fleet")
        #expect(
            graph["Compiler"]?.isSubset(of: ["DSL", "Rendering", "CloudState", "SchemaModel", "Crypto", "swift-crypto"])
                == true)
        #expect(graph["SchemaModel"] == [], "the applier links the schema model without the compile path")
        #expect(graph["Emitters"]?.isSubset(of: ["Compiler", "Rendering", "CloudState", "DSL"]) == true)
        #expect(graph["Workspace"].map { !$0.contains("Emitters") && !$0.contains("OceanidGenKit") } == true)
        #expect(graph["OceanidGenKit"].map { !$0.contains("Fleet") } == true, "the commands take any fleet")
        #expect(
            graph["Applier"] == [
                "CloudState", "SchemaModel", "CCurl", "CPQ", "Crypto", "swift-crypto", "ArgumentParser",
                "swift-argument-parser",
            ],
            "the applier never links the compile path")
        #expect(graph["oceanid-apply"] == ["Applier"])
        #expect(
            graph.filter { $0.value.contains("Applier") }.keys.sorted() == ["ApplierTests", "oceanid-apply"],
            "nothing else links the applier")
        #expect(graph.filter { $0.value.contains("CCurl") }.keys.sorted() == ["Applier"], "libcurl only in the applier")
        #expect(graph.filter { $0.value.contains("CPQ") }.keys.sorted() == ["Applier"], "libpq only in the applier")
    }
}
