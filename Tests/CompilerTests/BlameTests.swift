import Compiler
import DSL
import TestSupport
import Testing

/// A problem a settings.yaml value fed is reported at that value's line, and only that
/// value's: blame re-checks the fleet with the override changed instead of matching text.
@Suite struct BlameTests {
    static let imageA = Setting("imageA", default: "nginx:1.27", summary: "")
    static let imageB = Setting("imageB", default: "nginx:1.27", summary: "")
    static let port = Setting("metricsPort", default: 9100, summary: "")

    static func override(_ key: String, _ value: Tree, line: Int) -> SettingOverride {
        SettingOverride(key: key, value: value, location: DSL.SourceLocation(file: "/r/settings.yaml", line: line))
    }

    @Test func equalShortValuesAndLiteralsAreEachBlamedOnTheirOwnSource() throws {
        var lines: [String: Int] = [:]
        let definition = FleetDefinition(settings: [Self.imageA.erased, Self.imageB.erased, Self.port.erased]) { s in
            Fleet("t") {
                Cluster("c") {
                    Node("c-1", role: .server)
                    Namespace("apps") {
                        Deployment("alpha") {
                            Container("alpha", image: Image(s[Self.imageA])) { Port("metrics", s[Self.port]) }
                        }
                        Deployment("beta") {
                            Container("beta", image: Image(s[Self.imageB])) { Port("admin", 0) }
                        }
                        Deployment("gamma") { Container("gamma", image: "ab") }
                    }
                }
            }
        }
        // Where each container is declared, read from a build with the defaults.
        let (fleet, uses) = definition.define(SettingValues())
        for use in uses { lines[use.key] = use.location.line }
        #expect(fleet.clusters.count == 1)
        let result = CompilerPipeline.compile(
            definition,
            overrides: [
                Self.override("imageA", "ab", line: 1), Self.override("imageB", "ab", line: 2),
                Self.override("metricsPort", 0, line: 3),
            ])
        let unpinned = result.diagnostics.filter { $0.code == .imageNotPinned }
        let blamedA = unpinned.filter { $0.location.file == "/r/settings.yaml" && $0.location.line == 1 }
        let blamedB = unpinned.filter { $0.location.file == "/r/settings.yaml" && $0.location.line == 2 }
        #expect(
            blamedA.count == 1 && blamedA[0].message.hasPrefix("setting 'imageA': container 'alpha'"), "\(unpinned)")
        #expect(blamedB.count == 1 && blamedB[0].message.hasPrefix("setting 'imageB': container 'beta'"), "\(unpinned)")
        #expect(blamedA.first?.notes.first?.location?.line == lines["imageA"], "the note points at the read")
        let literal = try #require(unpinned.first { $0.message.contains("'gamma'") })
        #expect(
            literal.location.file != "/r/settings.yaml", "the same value written as a literal stays at its declaration")

        let ports = result.diagnostics.filter { $0.code == .invalidPort }
        #expect(ports.count == 2, "\(ports)")
        #expect(
            ports.contains { $0.location.line == 3 && $0.message.hasPrefix("setting 'metricsPort':") },
            "a one-character value is blamed on its line")
        #expect(
            ports.contains { $0.location.file != "/r/settings.yaml" && $0.message.contains("0 is outside") },
            "the literal 0 is not the setting's")
    }

    static let nameA = Setting("nameA", default: "web", summary: "")
    static let nameB = Setting("nameB", default: "api", summary: "")
    static let image = Setting("image", default: "nginx:1.27", summary: "")

    @Test func aProblemTwoValuesFeedIsAtTheFirstWithANoteAtTheOther() throws {
        let definition = FleetDefinition(settings: [Self.nameA.erased, Self.nameB.erased, Self.image.erased]) { s in
            Fleet("t") {
                Cluster("c") {
                    Node("c-1", role: .server)
                    Namespace("apps") {
                        ConfigMap(s[Self.nameA], data: ["k": "v"])
                        ConfigMap(s[Self.nameB], data: ["k": "v"])
                        Deployment("app") { Container("app", image: Image(s[Self.image])) }
                    }
                }
            }
        }
        let result = CompilerPipeline.compile(
            definition,
            overrides: [
                Self.override("nameA", "same", line: 4), Self.override("nameB", "same", line: 5),
                Self.override("image", "a", line: 6),
            ])
        let duplicate = try #require(result.diagnostics.first { $0.code == .duplicateObject }, "\(result.diagnostics)")
        #expect(duplicate.location == DSL.SourceLocation(file: "/r/settings.yaml", line: 4), "\(duplicate)")
        #expect(
            duplicate.notes.contains {
                $0.message == "setting 'nameB' feeds it too" && $0.location?.line == 5
            }, "\(duplicate.notes)")
        let unpinned = try #require(result.diagnostics.first { $0.code == .imageNotPinned })
        #expect(unpinned.location.line == 6 && unpinned.message.hasPrefix("setting 'image':"), "a one-character string")
    }
}
