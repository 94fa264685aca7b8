/// The exit codes of `oceanid-gen`, documented in the README and `--help`.
public enum ExitStatus: Int32, Sendable {
    /// Success: built, or up to date.
    case ok = 0
    /// `check`: generated output differs from the tree (stale, missing, hand-edited or extra
    /// files); `explain`: a query matched nothing generated.
    case stale = 1
    /// The fleet has errors; nothing was written.
    case fleetErrors = 2
    /// The output tree could not be read or written (I/O, a hand-written file in the way,
    /// a corrupt manifest); nothing further was written. Also: the SHA-256 digests of the
    /// root's `definitions/` files differ from the ones compiled into the binary
    /// (`CompiledSources.definitions`), so nothing is compiled or written until `make build`.
    /// Only content is compared, never file times.
    case workspaceError = 3
    /// The command line was wrong.
    case usage = 64
}
