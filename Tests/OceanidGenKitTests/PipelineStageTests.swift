import Compiler
import DSL
import OceanidGenKit
import TestSupport
import Testing

/// Every stage of the build is a value: a test replaces one and the rest runs as it is.
@Suite struct PipelineStageTests {
    static let fleet = Fixtures.demo()

    @Test func theEmitStageIsReplaceable() {
        var pipeline = BuildPipeline(definition: FleetDefinition(Self.fleet), root: "/nonexistent")
        pipeline.emit = Stage("emit one file") { ir in
            Staged([GeneratedFile(path: "docs/only.md", contents: "# \(ir.name)\n")])
        }
        let generated = pipeline.generate()
        #expect(generated.files?.map(\.path) == ["docs/only.md"])
        #expect(generated.files?.first?.contents == "# demo\n")
    }

    @Test func aStageThatStopsStopsTheRestWithItsDiagnostics() throws {
        var pipeline = BuildPipeline(definition: FleetDefinition(Self.fleet), root: "/nonexistent")
        let real = pipeline.compiler.checkDeclarations
        // The real checks, then a stop: lowering, emitting and planning never run.
        pipeline.compiler.checkDeclarations = Stage("check, then stop") { resolved in
            Staged(nil, diagnostics: real.run(resolved).diagnostics)
        }
        // An emit stage that ran would give a list, empty or not.
        pipeline.emit = Stage("emit") { _ in Staged([]) }
        let generated = pipeline.generate()
        #expect(generated.files == nil && generated.ir == nil)
    }

    @Test func theLowerStageSeesTheCheckedFleetAndItsVerdict() throws {
        var pipeline = CompilerPipeline(guardrails: false, blame: false, trace: false)
        let real = pipeline.lower
        pipeline.lower = Stage("lower, renamed") { checked in
            #expect(!checked.hasErrors)
            return real.run(checked).output.map { lowered in
                var ir = lowered.ir
                ir.name = "renamed"
                return Staged(LoweredFleet(checked: checked, ir: ir))
            } ?? Staged(nil)
        }
        let result = pipeline.run(FleetSource(FleetDefinition(Self.fleet)))
        #expect(result.ir?.name == "renamed", "\(result.diagnostics)")
    }
}
