import DSL

/// The input of the whole compile: the fleet's definition, the overrides read from
/// `settings.yaml`, and the committed files the compiler reads (the migration history),
/// from the same tree `check` compares with.
public struct FleetSource: Sendable {
    /// The settings and how to build the fleet from their values.
    public var definition: FleetDefinition
    /// settings.yaml's overrides, each with its line.
    public var overrides: [SettingOverride]
    /// Committed files under the output roots (the index, HEAD or the working tree).
    public var inputs: InputTree

    /// A source for `compile`.
    ///
    /// ```swift
    /// FleetSource(Oceanid.definition, overrides: [], inputs: EmptyInputTree())
    /// ```
    public init(
        _ definition: FleetDefinition, overrides: [SettingOverride] = [],
        inputs: InputTree = EmptyInputTree()
    ) {
        self.definition = definition
        self.overrides = overrides
        self.inputs = inputs
    }
}
