import Compiler
import DSL
import Emitters
import Testing

/// The byte search behind the settings table and `explain`.
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

    @Test func aSettingFedAFileWhenItsValueIsThereAndTellsSomething() {
        let file = GeneratedFile(path: "x.yaml", contents: "image: ghcr.io/example/api:main\nbranch: main\n")
        func row(_ value: Tree, secret: Bool = false, readIn: String = "/elsewhere.swift") -> SettingRowIR {
            SettingRowIR(key: "k", typeName: "string", summary: "", isSecret: secret, defaultValue: value, value: value,
                         source: .defaultValue, declaredAt: SourceLocation(file: "/s.swift", line: 1),
                         usedAt: [SourceLocation(file: readIn, line: 2)])
        }
        #expect(SettingTrace.fed(file, by: row("ghcr.io/example/api:main")), "distinctive")
        #expect(!SettingTrace.fed(file, by: row("main")), "short and read elsewhere")
        let declared = GeneratedFile(path: "y.yaml", contents: file.contents, origin: SourceLocation(file: "/flux.swift", line: 3))
        #expect(SettingTrace.fed(declared, by: row("main", readIn: "/flux.swift")), "short, but read where the file is declared")
        #expect(!SettingTrace.fed(file, by: row(.bool(true))))
        #expect(!SettingTrace.fed(file, by: row(["requests": ["memory": "64Mi"]])), "no leaf there")
    }
}
