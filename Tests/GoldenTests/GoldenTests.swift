import Compiler
import DSL
import Emitters
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// File-tree goldens: each fixture's output compared byte for byte with Tests/golden/<fixture>/.
/// `make golden` (OCEANID_RECORD_GOLDENS=1) rewrites them and still fails, so a recording is
/// never mistaken for a pass; read the diff before committing it.
@Suite struct GoldenTests {
    static let fixtures: [(String, Fleet)] = [
        ("demo", Fixtures.demo()), ("flux-pair", FluxFixtures.twoClusters()), ("history", HistoryFixtures.fleet()),
        ("edge", EdgeFixtures.fleet()),
    ]
    /// Committed files a fixture's compile reads (its migration history).
    static let inputs: [String: [String: String]] = ["history": HistoryFixtures.inputs]

    @Test(arguments: fixtures.map(\.0))
    func matchesGolden(_ name: String) throws {
        let fleet = try #require(Self.fixtures.first { $0.0 == name }?.1)
        // The same pipeline as `build` (settings, check, lowering, emitters, secret scan).
        let generated = BuildPipeline(definition: FleetDefinition(fleet), root: "/nonexistent")
            .generate(inputs: DictionaryInputTree(Self.inputs[name] ?? [:]))
        #expect(generated.diagnostics == [])
        let files = try #require(generated.files)
        let folder = Paths.goldens + "/" + name
        if ProcessInfo.processInfo.environment["OCEANID_RECORD_GOLDENS"] == "1" {
            try? FileManager.default.removeItem(atPath: folder)
            for file in files {
                let url = URL(fileURLWithPath: folder + "/" + file.path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record(
                "recorded goldens for \(name); review `git diff Tests/golden` and rerun without OCEANID_RECORD_GOLDENS")
            return
        }
        var expected: [String: String] = [:]
        if let walker = FileManager.default.enumerator(atPath: folder) {
            for case let relative as String in walker where !relative.hasSuffix("/") {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory),
                    !isDirectory.boolValue
                {
                    expected[relative] = try String(contentsOfFile: folder + "/" + relative, encoding: .utf8)
                }
            }
        }
        #expect(!expected.isEmpty, "no goldens in \(folder): run `make golden`")
        let actual = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) })
        // Every generated file reads back in its syntax: YAML through libyaml, JSON through Foundation.
        for file in files {
            switch file.syntax {
            case .yaml: #expect(throws: Never.self, "\(file.path)") { _ = try YAMLReader.documents(file.contents) }
            case .json:
                #expect(throws: Never.self, "\(file.path)") {
                    _ = try JSONSerialization.jsonObject(with: Data(file.contents.utf8))
                }
            default: break
            }
        }
        // Append-only files are the committed history, byte for byte, plus at most the one
        // migration this build adds.
        let appended = files.filter { $0.policy == .appendOnly && Self.inputs[name]?[$0.path] == nil }
        #expect(appended.count <= 1, "\(appended.map(\.path))")
        for file in files where file.policy == .appendOnly {
            if let committed = Self.inputs[name]?[file.path] { #expect(file.contents == committed, "\(file.path)") }
        }
        let missing = Set(actual.keys).subtracting(expected.keys).sorted()
        let extra = Set(expected.keys).subtracting(actual.keys).sorted()
        #expect(
            missing.isEmpty && extra.isEmpty,
            "generated but not in goldens: \(missing); in goldens but not generated: \(extra)")
        for (path, contents) in actual.sorted(by: { $0.key < $1.key }) {
            guard let golden = expected[path], golden != contents else { continue }
            let diff = UnifiedDiff.make(
                old: golden, new: contents, oldName: "golden/\(path)", newName: "generated/\(path)")
            Issue.record("\(name): \(path) differs from its golden:\n\(diff)")
        }
    }
}

/// The real consumers run over the goldens and the committed tree: `kubectl kustomize`
/// builds every folder, kubernetes-validate (1.31, strict) and the CRD schemas accept every object.
@Suite(.serialized) struct ConsumerTests {
    func validate(_ roots: [String]) throws -> (status: Int32, output: String) {
        try runProcess(
            Paths.python, [Paths.repository + "/scripts/validate-output.py", "--schemas", Paths.schemas] + roots)
    }

    @Test func goldensAndCommittedTreeBuildAndValidate() throws {
        let result = try validate([Paths.goldens, Paths.repository + "/clusters"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(" 0 failures"))
    }

    /// shellcheck over every generated script: the goldens' and the committed bootstrap/.
    @Test func everyGeneratedScriptPassesShellcheck() throws {
        var scripts: [String] = []
        for root in [Paths.goldens, Paths.repository + "/bootstrap"] {
            let walker = FileManager.default.enumerator(atPath: root)
            while let relative = walker?.nextObject() as? String {
                if relative.hasSuffix(".sh") { scripts.append(root + "/" + relative) }
            }
        }
        #expect(scripts.count >= 3, "\(scripts)")
        let result = try runProcess("shellcheck", ["--severity=style"] + scripts.sorted())
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func validatorRejectsBrokenOutput() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("c/kustomization.yaml", "resources:\n- bad.yaml\n- unknown.yaml\n- equals.yaml\n")
        // kubectl writes this value back as a plain `=`, which PyYAML's default loader cannot read.
        try dir.write(
            "c/equals.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: eq\n  namespace: default\ndata:\n  a: \"=\"\n")
        try dir.write(
            "c/bad.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n"
        )
        try dir.write("c/unknown.yaml", "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: y\n")
        let result = try validate([dir.path])
        #expect(result.status == 1)
        #expect(result.output.contains("replicas"))
        #expect(result.output.contains("unknown kind example.com/v1 Gizmo"))
        #expect(!result.output.contains("Traceback"), "\(result.output)")
        #expect(result.output.contains("2 failures"), "\(result.output)")
    }
}
