import DSL

/// The compiler's stages, each a replaceable value; `BuildPipeline` (OceanidGenKit) goes on
/// with the emitters and the writer. The boundary types, in order:
///
///     FleetSource ──define──► DefinedFleet ──resolve──► ResolvedFleet
///       ──check declarations──► CheckedFleet ──lower──► LoweredFleet (FleetIR)
///       ──check output──► FleetIR
///
/// 1. `define` (`DefinedFleet.define`): settings.yaml's overrides checked against the declared
///    settings, then the fleet built from the values; every read comes back as data.
/// 2. `resolve` (`ResolvedFleet.resolve`): each cluster flattened, the edge resolved.
/// 3. `checkDeclarations` (`DeclarationChecks.check`): every declaration check, the committed
///    migration history, and on a fleet without errors the databases' migration plans.
/// 4. `lower` (`Lowering.lower`): the checked fleet to the IR, once. Total, so the output
///    checks see what a fleet with declaration errors would emit too: every problem at once.
/// 5. `checkOutput` (`OutputChecks.check`): labels, annotations, output paths and URLs as
///    emitted; on a fleet without errors the Flux graph and the guardrails.
///
/// Then `SettingsBlame` moves a problem that a settings.yaml override fed to its line there.
/// A `FleetIR` comes out only when no diagnostic is an error.
public struct CompilerPipeline: Sendable {
    /// Stage 1: `FleetSource` → `DefinedFleet`.
    public var define = Stage<FleetSource, DefinedFleet>("define", DefinedFleet.define)
    /// Stage 2: `DefinedFleet` → `ResolvedFleet`.
    public var resolve = Stage<DefinedFleet, ResolvedFleet>("resolve", ResolvedFleet.resolve)
    /// Stage 3: `ResolvedFleet` → `CheckedFleet`.
    public var checkDeclarations = Stage<ResolvedFleet, CheckedFleet>("check declarations", DeclarationChecks.check)
    /// Stage 4: `CheckedFleet` → `LoweredFleet`.
    public var lower = Stage<CheckedFleet, LoweredFleet>("lower", Lowering.lower)
    /// Stage 5: `LoweredFleet` → `FleetIR`; the fleet's `guardrails` choose whether they run.
    public var checkOutput: Stage<LoweredFleet, FleetIR>
    /// Whether problems fed by settings.yaml are moved to its lines.
    public var blame: Bool

    /// The standard stages.
    ///
    /// - Parameter guardrails: nil: as the definition says (`FleetDefinition.guardrails`).
    public init(guardrails: Bool? = nil, blame: Bool = true) {
        checkOutput = Stage("check output") { lowered in
            OutputChecks.check(lowered, guardrails: guardrails ?? lowered.checked.resolved.defined.source.definition.guardrails)
        }
        self.blame = blame
    }

    /// What a compile found: every diagnostic, sorted, and the IR when none is an error.
    public struct Result: Sendable {
        /// Every problem, sorted by location.
        public var diagnostics: [Diagnostic]
        /// nil when any diagnostic is an error.
        public var ir: FleetIR?
        /// The fleet as defined (nil only when a replaced define stage stopped).
        public var fleet: Fleet?
    }

    /// Runs the stages in order; each stage's diagnostics accumulate, a nil output stops.
    public func run(_ source: FleetSource) -> Result {
        let (diagnostics, ir, defined) = stages(source)
        guard blame, let defined else { return Result(diagnostics: diagnostics.sorted(), ir: ir, fleet: defined?.fleet) }
        let blamed = SettingsBlame.relocate(diagnostics, defined: defined) { values in
            stages(FleetSource(defined.source.definition, overrides: [], inputs: defined.source.inputs), values: values).0
        }
        return Result(diagnostics: blamed.sorted(), ir: blamed.hasErrors ? nil : ir, fleet: defined.fleet)
    }

    /// The stages without blame; `values` replaces the define stage's resolution (blame's reruns).
    func stages(_ source: FleetSource, values: SettingValues? = nil)
        -> ([Diagnostic], FleetIR?, DefinedFleet?)
    {
        var diagnostics: [Diagnostic] = []
        func step<I, O>(_ stage: Stage<I, O>, _ input: I?) -> O? {
            guard let input else { return nil }
            let staged = stage.run(input)
            diagnostics += staged.diagnostics
            return staged.output
        }
        let defined: DefinedFleet?
        if let values {
            let (fleet, uses) = source.definition.define(values)
            defined = DefinedFleet(source: source, values: values, fleet: fleet, uses: uses)
        } else {
            defined = step(define, source)
        }
        let ir = step(checkOutput, step(lower, step(checkDeclarations, step(resolve, defined))))
        return (diagnostics, diagnostics.hasErrors ? nil : ir, defined)
    }

    /// Compiles a definition with the standard stages.
    ///
    /// ```swift
    /// let result = CompilerPipeline.compile(Oceanid.definition)
    /// result.ir   // nil when the fleet has errors
    /// ```
    public static func compile(_ definition: FleetDefinition, overrides: [SettingOverride] = [],
                               inputs: InputTree = EmptyInputTree()) -> Result {
        CompilerPipeline().run(FleetSource(definition, overrides: overrides, inputs: inputs))
    }
}
