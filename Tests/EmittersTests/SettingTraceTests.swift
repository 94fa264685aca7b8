import Compiler
import DSL
import Emitters
import Testing

/// The byte search behind the settings table and `explain`, and which settings it says fed
/// a file.
@Suite struct SettingTraceTests {
    @Test func findsNeedlesAnywhereAndWordsOnlyAtBoundaries() {
        #expect(SettingTrace.contains("metrics: 127.0.0.1:2200\n", "2200", word: true))
        #expect(!SettingTrace.contains("port: 22001", "2200", word: true), "inside a longer number")
        #expect(SettingTrace.contains("port: 22001 and 2200", "2200", word: true), "a later match counts")
        #expect(SettingTrace.contains("2200", "2200", word: true), "the whole text")
        #expect(SettingTrace.contains("aab", "ab", word: false), "a false start on the same first byte")
        #expect(!SettingTrace.contains("ab", "abc", word: false), "longer than the text")
        #expect(!SettingTrace.contains("xcleandataDbUrl", "cleandataDbUrl", word: true))
        #expect(SettingTrace.contains("key: \"oceanid-cluster:cleandataDbUrl\"", "cleandataDbUrl", word: true))
        #expect(!SettingTrace.contains("éclair", "clair", word: true), "a non-ASCII letter is part of the word")
        #expect(SettingTrace.contains("ünïcode → boathou.se", "boathou.se", word: false))
        #expect(!SettingTrace.contains("", "x", word: false))
    }

    static let settings = DSL.SourceLocation(file: "/d/Settings.swift", line: 1)

    static func row(_ key: String, _ value: Tree, secret: Bool = false, readAt: [DSL.SourceLocation] = []) -> SettingRowIR {
        SettingRowIR(key: key, typeName: "string", summary: "", isSecret: secret, defaultValue: value, value: secret ? nil : value,
                     source: secret ? .escKey : .defaultValue, declaredAt: settings, usedAt: readAt)
    }

    @Test func aValueCountsWhereItIsAValueAndTellsSomething() {
        let apps = "/d/Apps.swift"
        let deployment = GeneratedFile(path: "clusters/c/a/deployment-api.yaml", contents: """
            metadata:
              annotations:
                rollout: "1"
              name: annotations-sink
            spec:
              replicas: 1
              image: ghcr.io/example/api:main
              prefix: raw-uploads
            """, origin: DSL.SourceLocation(file: apps, line: 10))
        let service = GeneratedFile(path: "clusters/c/a/service-api.yaml", contents: "replicas: 1\nbranch: main\n",
                                    origin: DSL.SourceLocation(file: apps, line: 30))
        let rows = [
            Self.row("image", "ghcr.io/example/api:main"),
            Self.row("exportPrefix", "annotations"),
            Self.row("importPrefix", "raw-uploads", readAt: [DSL.SourceLocation(file: apps, line: 12)]),
            Self.row("rolloutToken", "1", readAt: [DSL.SourceLocation(file: apps, line: 11)]),
            Self.row("branch", "main", readAt: [DSL.SourceLocation(file: "/d/Flux.swift", line: 3)]),
            Self.row("enabled", .bool(true)),
            Self.row("resources", ["requests": ["memory": "64Mi"]]),
            Self.row("apiSecret", "", secret: true),
        ]
        let trace = SettingTrace(rows: rows, files: [deployment, service])
        #expect(trace.settings(feeding: deployment).map(\.key) == ["image", "importPrefix", "rolloutToken"],
                "a key or part of a name is not the value; short values count inside the declaration that reads them")
        #expect(trace.settings(feeding: service).map(\.key).isEmpty, "'1' and 'main' read elsewhere say nothing")
        let secret = GeneratedFile(path: "x.yaml", contents: "key: oceanid-cluster:apiSecret\n")
        #expect(trace.settings(feeding: secret).map(\.key) == ["apiSecret"])
        let docs = GeneratedFile(path: "docs/settings.md", contents: deployment.contents)
        #expect(trace.settings(feeding: docs).isEmpty, "docs restate every value")
    }

    @Test func settingsWithTheSameValueGoToTheNearestRead() {
        let edge = "/d/Edge.swift"
        let zero = "00000000-0000-0000-0000-000000000000"
        let rows = [Self.row("clusterTunnelId", .string(zero), readAt: [DSL.SourceLocation(file: edge, line: 49)]),
                    Self.row("nodeTunnelId", .string(zero), readAt: [DSL.SourceLocation(file: edge, line: 59)])]
        let config = GeneratedFile(path: "hosts/n/etc/cloudflared/config.yaml", contents: "tunnel: \(zero)\n",
                                   origin: DSL.SourceLocation(file: edge, line: 59))
        let trace = SettingTrace(rows: rows, files: [config])
        #expect(trace.settings(feeding: config).map(\.key) == ["nodeTunnelId"])
        let elsewhere = GeneratedFile(path: "x.json", contents: "\"id\": \"\(zero)\"\n", origin: DSL.SourceLocation(file: "/d/Other.swift", line: 1))
        #expect(SettingTrace(rows: rows, files: [elsewhere]).settings(feeding: elsewhere).count == 2, "cannot be told apart: both")
    }
}
