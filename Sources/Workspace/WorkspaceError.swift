/// Failures of the output tree itself (not of the fleet): reported with the path involved.
public enum WorkspaceError: Error, Equatable, CustomStringConvertible {
    case corruptManifest(line: Int)
    case unownedFile(path: String)
    case io(path: String, operation: String, errno: Int32)
    case unsafePath(String)
    case appendOnly(path: String, kind: OutputPlan.AppendOnlyViolation.Kind)
    /// `build --renumber` cannot move this migration (`DraftMigrations.find`).
    case renumber(path: String, reason: String)

    /// One line in the compiler's `<path>:[<line>:] error: <message>` shape, ending with what to do.
    public var description: String {
        switch self {
        case .corruptManifest(let line):
            "\(OwnedManifest.path):\(line): error: not a '<blob id> <path>' line; restore the file from git"
        case .unownedFile(let path):
            "\(path): error: a file or folder that oceanid-gen did not write is in the way of a generated file; move it or delete it"
        case .io(let path, let operation, let code):
            "\(path): error: \(operation) failed: \(String(cString: strerror(code)))"
        case .unsafePath(let path):
            "\(path): error: generated path escapes the output root"
        case .appendOnly(let path, .edited):
            "\(path): error: append-only file was edited after it was written; oceanid-gen never rewrites it: restore it (git checkout HEAD -- \(path)) and make the change a new migration"
        case .appendOnly(let path, .wouldChange):
            "\(path): error: the definitions now generate different bytes for this append-only file; it is written once: make the change a new file"
        case .renumber(let path, let reason):
            "\(path): error: cannot renumber: \(reason)"
        case .appendOnly(let path, .deleted):
            "\(path): error: append-only file was deleted and nothing generates it again: restore it (git checkout HEAD -- \(path))"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
