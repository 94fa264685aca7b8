/// The exit codes of `oceanid-gen`, one meaning each across every command, documented in the
/// README, `--help` and docs/reference/commands.md.
public enum ExitStatus: Int32, Sendable {
    /// Success: built, or up to date; `plan`: nothing changes.
    case ok = 0
    /// `check`: generated output differs from the tree (stale, missing, hand-edited or extra
    /// files); `explain`: a query matched nothing generated; `plan`: the fleet changes, and no
    /// change is of a class that needs approval.
    case stale = 1
    /// The fleet has errors; nothing was written.
    case fleetErrors = 2
    /// `plan`: a change is of a class that needs a second person's approval (by default
    /// `deletes`, `exposes`, `destructive-sql`; `planApprovalRisks` in settings.yaml chooses).
    case needsApproval = 3
    /// The output tree or the repository could not be read or written (I/O, a hand-written file
    /// in the way, a corrupt manifest, not a git repository, a base revision git does not know);
    /// nothing further was written. Also: the SHA-256 digests of the root's `definitions/` files
    /// differ from the ones compiled into the binary (`CompiledSources.definitions`), so nothing
    /// is compiled or written until `make build`. Only content is compared, never file times.
    case workspaceError = 4
    /// The command line was wrong.
    case usage = 64
}
