/// One step of the build as a value: a name and the transition from one boundary type to the
/// next, so a test can replace any step and run the rest (openapi-generator's
/// `GeneratorPipelineStage` is the model). A transition returns what it found and its output;
/// a nil output stops the chain, the diagnostics found so far stand.
///
/// ```swift
/// var pipeline = CompilerPipeline()
/// pipeline.lower = Stage("lower") { checked in Staged(FleetIR(name: "stub", clusters: [])) }
/// ```
public struct Stage<Input, Output>: Sendable {
    /// The stage's name, as `CompilerPipeline`'s list gives it.
    public let name: String
    let transition: @Sendable (Input) -> Staged<Output>

    /// A stage running `transition`.
    ///
    /// ```swift
    /// Stage<ResolvedFleet, CheckedFleet>("check declarations", DeclarationChecks.check)
    /// ```
    public init(_ name: String, _ transition: @escaping @Sendable (Input) -> Staged<Output>) {
        self.name = name
        self.transition = transition
    }

    /// The stage's output for `input`, with the diagnostics it found.
    public func run(_ input: Input) -> Staged<Output> { transition(input) }
}

/// What a stage returns: its output (nil: stop here) and the diagnostics it found.
public struct Staged<Output> {
    /// The next stage's input; nil when the chain stops (the fleet has errors).
    public var output: Output?
    /// Problems this stage found, in any order (the pipeline sorts once).
    public var diagnostics: [Diagnostic]

    /// A stage result.
    ///
    /// ```swift
    /// Staged(checked, diagnostics: problems)
    /// ```
    public init(_ output: Output?, diagnostics: [Diagnostic] = []) {
        self.output = output
        self.diagnostics = diagnostics
    }
}
