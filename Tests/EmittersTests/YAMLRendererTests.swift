import DSL
import Emitters
import Foundation
import OceanidGenKit
import Rendering
import TestSupport
import Testing

/// The renderer's quoting is proven by parsing its output back with libyaml (Yams).
@Suite struct YAMLRendererTests {
    /// Strings YAML readers misread unless quoted (`TrickyScalars`).
    static let tricky = TrickyScalars.strings

    @Test(arguments: tricky)
    func scalarRoundTrips(_ value: String) throws {
        let tree: Tree = ["key": .string(value), "list": [.string(value)], .init(stringLiteral: value): "as-key"]
        let text = YAMLRenderer.render(tree)
        let parsed = try YAMLReader.documents(text)
        #expect(parsed == [tree], "rendered:\n\(text)")
    }

    @Test func rendersKubectlStyleBlocks() {
        let tree: Tree = [
            "apiVersion": "v1",
            "spec": ["containers": [["name": "a", "ports": [["containerPort": 80]]]], "empty": [:], "none": []],
            "script": "echo hi\necho there\n",
            "nested": [["x", "y"], []],
        ]
        #expect(
            YAMLRenderer.render(tree) == """
                apiVersion: v1
                spec:
                  containers:
                  - name: a
                    ports:
                    - containerPort: 80
                  empty: {}
                  none: []
                script: |
                  echo hi
                  echo there
                nested:
                - - x
                  - "y"
                - []

                """)
    }

    /// Every class of Unicode scalar a DSL string can hold: C0 and C1 controls, DEL, the
    /// byte-order mark, noncharacters, line and paragraph separators, astral characters, lone CR.
    static let unicodeClasses: [(String, String)] = {
        var classes: [(String, String)] = [
            ("bom", "\u{FEFF}"), ("bom-lead", "\u{FEFF}x"), ("bom-inner", "a\u{FEFF}b"),
            ("bom-block", "a\u{FEFF}\nb\n"),
            ("nonchar-fffe", "x\u{FFFE}"), ("nonchar-ffff", "\u{FFFF}y"), ("nonchar-block", "a\n\u{FFFF}\n"),
            ("ls", "a\u{2028}b"), ("ps", "a\u{2029}b"), ("ls-block", "a\nb\u{2028}c\n"), ("nel", "a\u{85}b"),
            ("astral", "fish \u{1F41F} \u{1D11E}"), ("astral-block", "\u{1F41F}\nline\n"),
            ("lone-cr", "a\rb"), ("crlf", "a\r\nb"), ("cr-end", "a\r"), ("cr-block", "a\nb\rc\n"),
            ("del", "\u{7F}"), ("nbsp", "a\u{A0}b"), ("private-use", "\u{E000}\u{F8FF}"), ("fffd", "\u{FFFD}"),
        ]
        for value in UInt32(0)...0x1F { classes.append(("c0-\(value)", "c0\(Unicode.Scalar(value)!)x")) }
        for value in UInt32(0x80)...0x9F { classes.append(("c1-\(value)", "c1\(Unicode.Scalar(value)!)x")) }
        return classes
    }()

    /// What `kubectl kustomize` cannot write back (its Go YAML emitter refuses DEL, the C1
    /// controls and U+FFFE/U+FFFF, and turns NEL into a space): the compiler rejects these in
    /// any output string ([unrepresentable-character]), so only the renderer meets them.
    static func kustomizeCarries(_ value: String) -> Bool {
        !value.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0.value == 0xFFFE || $0.value == 0xFFFF }
    }

    /// Through Yams (libyaml underneath). Yams turns libyaml's bytes into a String with
    /// Foundation, which drops a leading U+FEFF; the PyYAML test below reads those two with
    /// libyaml directly (CSafeLoader).
    @Test(arguments: unicodeClasses.map(\.0).filter { $0 != "bom" && $0 != "bom-lead" })
    func everyScalarClassRoundTripsThroughLibyaml(_ name: String) throws {
        let value = try #require(Self.unicodeClasses.first { $0.0 == name }?.1)
        let tree: Tree = ["key": .string(value), "list": [.string(value)], .init(stringLiteral: value): "as-key"]
        let text = YAMLRenderer.render(tree)
        #expect(try YAMLReader.documents(text) == [tree], "rendered:\n\(text)")
    }

    /// The same strings in a ConfigMap, read back by PyYAML (a YAML 1.1 reader, pure Python),
    /// by libyaml (PyYAML's CSafeLoader) and, for what it can carry, by `kubectl kustomize`
    /// (Go's yaml), compared as JSON code points with what was written.
    @Test func everyScalarClassRoundTripsThroughPyYAMLAndKustomize() throws {
        let values = Self.unicodeClasses.map(\.1) + Self.tricky
        var data: [Tree.Entry] = []
        for (i, value) in values.enumerated() { data.append(.init("k\(i)", .string(value))) }
        let configMap: Tree = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "strings"], "data": .map(data),
        ]
        let dir = try TemporaryFolder("yaml-readers")
        defer { dir.remove() }
        try dir.write("c/configmap.yaml", YAMLRenderer.render(configMap))
        let carried = data.filter { Self.kustomizeCarries($0.value.stringValue ?? "") }
        #expect(carried.count > values.count / 2)
        let carriedMap: Tree = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "strings"], "data": .map(carried),
        ]
        try dir.write("k/configmap.yaml", YAMLRenderer.render(carriedMap))
        try dir.write("k/kustomization.yaml", YAMLRenderer.render(["resources": ["configmap.yaml"]]))
        let expected = try String(decoding: JSONSerialization.data(withJSONObject: values, options: []), as: UTF8.self)
        try dir.write("expected.json", expected)
        try dir.write(
            "carried.json",
            String(decoding: try JSONSerialization.data(withJSONObject: carried.map(\.key)), as: UTF8.self))
        let script = """
            import json, subprocess, sys, yaml
            folder, expected = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
            def values(doc, names): return {k: doc["data"][k] for k in names}
            text = open(folder + "/c/configmap.yaml", encoding="utf-8").read()
            names = ["k%d" % i for i in range(len(expected))]
            want = dict(zip(names, expected))
            bad = []
            for loader in (yaml.SafeLoader, yaml.CSafeLoader):
                got = values(yaml.load(text, Loader=loader), names)
                bad += [(loader.__name__, k, repr(want[k]), repr(got[k])) for k in names if got[k] != want[k]]
            built = subprocess.run(["kubectl", "kustomize", folder + "/k"], capture_output=True, check=True).stdout.decode("utf-8")
            carried = json.load(open(sys.argv[3], encoding="utf-8"))
            got = yaml.load(built, Loader=yaml.CBaseLoader)["data"]  # kubectl writes `=` plain, a YAML 1.1 value tag; every value is a string
            bad += [("kustomize", k, repr(want[k]), repr(got.get(k))) for k in carried if got.get(k) != want[k]]
            print("mismatches:", bad)
            sys.exit(1 if bad else 0)
            """
        try dir.write("check.py", script)
        let result = try runProcess(
            Paths.python, [dir.path + "/check.py", dir.path, dir.path + "/expected.json", dir.path + "/carried.json"])
        #expect(result.status == 0, "\(result.output)\nrendered:\n\(dir.read("c/configmap.yaml") ?? "")")
    }

    @Test(arguments: [1e-07, 1e16, 2.5e-10, 1.5, 3.0, -0.25, 123456789.125])
    func floatsReadBackAsNumbersInYAML11(_ value: Double) throws {
        let text = YAMLRenderer.render(["f": .double(value)])
        #expect(try YAMLReader.documents(text) == [["f": .double(value)]], "\(text)")
        let dir = try TemporaryFolder("yaml-floats")
        defer { dir.remove() }
        try dir.write("f.yaml", text)
        let result = try runProcess(
            Paths.python,
            [
                "-c",
                "import yaml,sys; v=yaml.safe_load(open(sys.argv[1]))['f']; print(type(v).__name__, repr(v)); sys.exit(0 if isinstance(v, float) and v == \(value) else 1)",
                dir.path + "/f.yaml",
            ])
        #expect(result.status == 0, "PyYAML read \(text): \(result.output)")
    }

    @Test func floatSpelling() {
        #expect(
            YAMLRenderer.render(["a": 1e-07, "b": 1e16, "c": 1.5, "d": 3.0])
                == "a: 1.0e-07\nb: 1.0e+16\nc: 1.5\nd: 3.0\n")
    }

    @Test func numbersBoolsAndNull() throws {
        let tree: Tree = ["i": 3, "b": true, "n": nil, "d": 1.5, "s": "3"]
        let text = YAMLRenderer.render(tree)
        #expect(text == "i: 3\nb: true\n\"n\": null\nd: 1.5\ns: \"3\"\n")
        #expect(try YAMLReader.documents(text) == [tree])
    }
}
