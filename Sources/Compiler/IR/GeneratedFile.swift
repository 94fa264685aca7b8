import DSL
import Rendering

/// How the writer treats a generated file once it exists.
public enum WritePolicy: String, Hashable, Sendable {
    /// Rewritten whenever the definitions change it, pruned when no longer generated.
    case regenerate
    /// Written once and never again (a migration): never rewritten, never pruned; `check`
    /// reports an edited, changed or deleted one as an error naming it.
    case appendOnly = "append-only"
}

/// A file an emitter produced: a path relative to the repository root, its bytes, its
/// syntax (which decided its header) and its write policy. Emitters return these; only the
/// Workspace writes them. Ownership is the manifest's, whatever the syntax: a JSON file,
/// which has no header, is owned like the others.
public struct GeneratedFile: Hashable, Comparable, Sendable {
    /// Relative to the repository root, `/`-separated (`clusters/home/apps/web/deployment-web.yaml`).
    public var path: String
    /// The exact text written, header included.
    public var contents: String
    /// The file's syntax: its header and how its comments are written.
    public var syntax: FileSyntax
    /// Whether the writer may rewrite or prune the file.
    public var policy: WritePolicy
    /// The declaration that produced the file, when one did (an object's): diagnostics about
    /// the file name it too.
    public var origin: SourceLocation?
    /// Folders (`sql/labelfish/migrations/`, ending in `/`) whose append-only files this file
    /// supersedes: the Workspace prunes them like any file no longer generated instead of
    /// refusing their deletion. Empty for almost every file.
    public var retires: [String] = []

    /// A file with its text as given; `syntax` defaults to the one `path`'s extension names.
    public init(
        path: String, contents: String, syntax: FileSyntax? = nil, policy: WritePolicy = .regenerate,
        origin: SourceLocation? = nil
    ) {
        self.path = path
        self.contents = contents
        self.syntax = syntax ?? FileSyntax(path: path)
        self.policy = policy
        self.origin = origin
    }

    /// A file whose text is `body` under the header of its syntax (after the shebang, for a
    /// script whose body starts with one).
    public init(
        path: String, syntax: FileSyntax, body: String, policy: WritePolicy = .regenerate,
        origin: SourceLocation? = nil
    ) {
        let header = syntax.header ?? ""
        var contents = header + body
        if body.hasPrefix("#!"), let newline = body.firstIndex(of: "\n") {
            contents = String(body[...newline]) + header + body[body.index(after: newline)...]
        }
        self.init(path: path, contents: contents, syntax: syntax, policy: policy, origin: origin)
    }

    /// By path: the order files are written and listed in.
    public static func < (a: GeneratedFile, b: GeneratedFile) -> Bool { a.path < b.path }
}
