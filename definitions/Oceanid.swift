import DSL

/// The Oceanid fleet: what `oceanid-gen build` compiles into clusters/.
///
/// Settings (the old stack's Pulumi/ESC keys) are declared in Settings.swift; overrides go
/// in settings.yaml at the repository root.
public enum Oceanid {
    /// Held by the guardrails of policy/guardrails.rego (natively in build and check) under
    /// the fleet's own policy, `Oceanid.guardrails` (OceanidGuardrails.swift).
    public static let definition = FleetDefinition(settings: Settings.all, guardrails: guardrails) { values in
        let cluster = tethys(values)
        return Fleet("oceanid") {
            cluster
            cloudflare(values, cluster: cluster)
            if values[Settings.enableCalypsoHostConnector] { Calypso(values).host }
            // The data pipeline's database and Label Studio's (which migrates its own tables).
            cleandata().timeouts(lock: values[Settings.migrationLockTimeout],
                                 statement: values[Settings.migrationStatementTimeout])
            labelfish()
            databaseFirewall(values)
            labelStudioStorages(values)
            if values[Settings.enableCalypsoHostConnector] { Calypso(values).models }
        }
    }
}
