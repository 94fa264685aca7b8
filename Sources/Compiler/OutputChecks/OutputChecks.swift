import DSL

/// The output checks: what the declarations lower to, checked as it will be emitted. On the
/// IR: every label and annotation that reaches the output (whoever wrote it), output paths,
/// URLs to hostnames nothing serves, then, on a fleet without errors, the Flux graph and the
/// fleet's guardrails. On the files: the secret scan, the last net.
public enum OutputChecks {
    /// The output checks of the IR. The IR goes on only when neither the declarations nor
    /// these found an error.
    ///
    /// - Parameter guardrails: the policy the fleet holds itself to (`FleetDefinition.guardrails`),
    ///   which the IR then carries into the policy input; nil runs no guardrails.
    public static func check(_ lowered: LoweredFleet, guardrails: GuardrailPolicy?) -> Staged<FleetIR> {
        let checked = lowered.checked
        var ir = lowered.ir
        ir.guardrails = guardrails
        var diagnostics =
            MetadataChecks.run(ir, reported: checked.diagnostics)
            + OutputPathChecks.run(ir)
            + ImmutableFields.run(ir)
            + UnroutedHostnames.check(checked.edge, lowered: ir)
        // Only on a fleet without errors, so a broken one does not cascade.
        if !(checked.diagnostics + diagnostics).hasErrors {
            diagnostics += FluxGraphCheck.run(ir) + FluxHealth.run(ir) + LayerHealthCheck.run(ir)
        }
        if guardrails != nil, !(checked.diagnostics + diagnostics).hasErrors {
            let found = Guardrails.check(ir)
            diagnostics += found.diagnostics
            ir.policyInputs = found.evaluations
        }
        let clean = !(checked.diagnostics + diagnostics).hasErrors
        return Staged(clean ? ir : nil, diagnostics: diagnostics)
    }

    /// The output checks of the emitted files: no secret value in any of them.
    public static func check(_ files: [GeneratedFile]) -> Staged<[GeneratedFile]> {
        let diagnostics = SecretScan.run(files)
        return Staged(diagnostics.hasErrors ? nil : files, diagnostics: diagnostics)
    }
}
