import DSL
import Emitters
import OceanidGenKit
import Testing

/// The renderer's quoting is proven by parsing its output back with libyaml (Yams).
@Suite struct YAMLRendererTests {
    static let tricky: [String] = [
        "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~", "", " ", " lead", "trail ",
        "0755", "0x1F", "0o17", "1e3", "1E3", "1.5", ".5", "-1", "+1", ".inf", "-.inf", ".nan", "1_000", "12:30:00",
        "2024-01-01", "a: b", "a #b", "#comment", "- item", "-", "?", ":", "key:", "@at", "`tick", "!tag", "&anchor",
        "*alias", "|", ">", "%percent", "{a}", "[a]", "'single'", "\"double\"", "back\\slash", "tab\there",
        "line\nbreak", "line\n", "two\n\n", "\nleading", "  indented\nblock", "trailing space \nx", "café ünïcode",
        "bell\u{07}", "del\u{7F}", "500m", "256Mi", "1.5Gi", "5e", "0", "10.42.0.0/16", "https://10.0.0.10:6443",
        "TCP-LISTEN:5432,fork,reuseaddr", "app.kubernetes.io/name", "ghcr.io/x/y@sha256:abc", "a  b", "=", "<<",
    ]

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
        #expect(YAMLRenderer.render(tree) == """
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

    @Test func numbersBoolsAndNull() throws {
        let tree: Tree = ["i": 3, "b": true, "n": nil, "d": 1.5, "s": "3"]
        let text = YAMLRenderer.render(tree)
        #expect(text == "i: 3\nb: true\n\"n\": null\nd: 1.5\ns: \"3\"\n")
        #expect(try YAMLReader.documents(text) == [tree])
    }
}
