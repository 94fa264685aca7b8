import DSL

/// A resolved fleet whose declarations were checked, with the verdict and the databases'
/// migration plans: the only input the lowering takes, so nothing reaches the IR without
/// having been checked. It carries no IR.
public struct CheckedFleet: Sendable {
    /// The fleet as resolved.
    public let resolved: ResolvedFleet
    /// Every problem of the declarations (and the committed migration history), sorted.
    public let diagnostics: [Diagnostic]
    /// The databases' next migrations, planned only when the declarations have no errors.
    public let plans: [DatabasePlan]

    init(resolved: ResolvedFleet, diagnostics: [Diagnostic], plans: [DatabasePlan]) {
        self.resolved = resolved
        self.diagnostics = diagnostics
        self.plans = plans
    }

    /// The fleet itself.
    public var fleet: Fleet { resolved.fleet }
    /// Whether any declaration problem is an error.
    public var hasErrors: Bool { diagnostics.hasErrors }
    /// Tunnels, routes and host services as the checks resolved them.
    var edge: EdgeIndex { resolved.edge }
}

/// A checked fleet and the IR it lowers to: what the output checks read (the objects as
/// emitted, and the declarations for the notes).
public struct LoweredFleet: Sendable {
    /// The fleet as checked.
    public let checked: CheckedFleet
    /// Its IR.
    public let ir: FleetIR

    /// A checked fleet with its IR (what a replaced lower stage returns).
    public init(checked: CheckedFleet, ir: FleetIR) {
        self.checked = checked
        self.ir = ir
    }
}
