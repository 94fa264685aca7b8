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
    /// Stage 5: `LoweredFleet` → `FleetIR`; the fleet's guardrail policy, if any, runs the guardrails.
    public var checkOutput: Stage<LoweredFleet, FleetIR>
    /// Whether problems fed by settings.yaml are moved to its lines.
    public var blame: Bool
    /// Whether a clean fleet's IR carries its settings' traces (`FleetIR.traces`), which the
    /// settings table and `explain` read provenance from.
    public var trace: Bool

    /// The standard stages.
    ///
    /// - Parameter guardrails: `false` runs no guardrails; nil or `true`: as the definition says
    ///   (`FleetDefinition.guardrails`: its policy, or none when it declares none).
    public init(guardrails: Bool? = nil, blame: Bool = true, trace: Bool = true) {
        checkOutput = Stage("check output") { lowered in
            let policy = lowered.checked.resolved.defined.source.definition.guardrails
            return OutputChecks.check(lowered, guardrails: guardrails == false ? nil : policy)
        }
        self.blame = blame
        self.trace = trace
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
        let (found, lowered, defined) = stages(source)
        guard let defined else { return Result(diagnostics: found.sorted(), ir: nil, fleet: nil) }
        let diagnostics =
            !blame
            ? found
            : SettingsBlame.relocate(found, defined: defined) { values in
                stages(defined.source, values: values).0
            }
        guard var ir = lowered, !diagnostics.hasErrors else {
            return Result(diagnostics: diagnostics.sorted(), ir: nil, fleet: defined.fleet)
        }
        // A fleet that reads no setting has nothing to trace: no second lowering (`traces` is nil).
        if trace { ir.traces = traces(of: defined, like: ir) }
        return Result(diagnostics: diagnostics.sorted(), ir: ir, fleet: defined.fleet)
    }

    /// The IRs provenance is read from (`SettingTracer`): the same definitions built with
    /// other values and lowered without checks (this pipeline's resolve and lower stages),
    /// only to be compared with the real IR.
    func traces(of defined: DefinedFleet, like real: FleetIR) -> SettingTraces? {
        let tracer = SettingTracer(defined)
        guard !defined.uses.isEmpty, !tracer.tagged.isEmpty || !tracer.variants.isEmpty else { return nil }
        let resolve = self.resolve
        let lower = self.lower
        let lowered: @Sendable (SettingValues) -> FleetIR = { values in
            let rebuilt = defined.rebuilt(with: values)
            let empty = FleetIR(name: rebuilt.fleet.name, clusters: [])
            guard let resolved = resolve.run(rebuilt).output else { return empty }
            var ir = lower.run(CheckedFleet(resolved: resolved, diagnostics: [], plans: [])).output?.ir ?? empty
            ir.databases = real.databases  // planned once, from the committed history
            ir.guardrails = real.guardrails
            return ir
        }
        let settings = defined.source.definition.settings
        return SettingTraces(
            tracer: tracer, traced: lowered(tracer.values),
            variants: tracer.variants.map { ($0.key, lowered($0.values)) }, read: Set(defined.uses.map(\.key)),
            lower: { key in
                guard let setting = settings.first(where: { $0.key == key }), !setting.isSecret,
                    let value = defined.values.overrides[key] ?? setting.defaultValue,
                    let other = SettingTracer.variantValue(value)
                else { return nil }
                return lowered(defined.values.overriding(key, with: other))
            })
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
            defined = DefinedFleet.built(source, with: values)
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
    public static func compile(
        _ definition: FleetDefinition, overrides: [SettingOverride] = [],
        inputs: InputTree = EmptyInputTree()
    ) -> Result {
        CompilerPipeline().run(FleetSource(definition, overrides: overrides, inputs: inputs))
    }
}
