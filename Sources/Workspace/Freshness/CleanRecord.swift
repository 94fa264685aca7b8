import Compiler

/// A run with these inputs generated `files` files, found the tree exactly so, and reported
/// `diagnostics` (warnings), which a run that skips compiling reports again. Kept in the stat
/// cache; `Freshness.shortcut` hands it back while the tree is still what that run saw.
public struct CleanRecord: Equatable, Sendable {
    /// The inputs' fingerprint (`Freshness.fingerprint`): hex digits only.
    public var fingerprint: String
    /// How many files the inputs generate.
    public var files: Int
    /// The warnings that run reported (a clean run has no errors).
    public var diagnostics: [Diagnostic]

    /// A record of a clean run.
    public init(fingerprint: String, files: Int, diagnostics: [Diagnostic]) {
        self.fingerprint = fingerprint
        self.files = files
        self.diagnostics = diagnostics
    }
}
