/// The working tree read through its stat cache: a decorator with the work tree's own
/// interface, in the manner of Tuist's `CachedManifestLoader`. A file whose metadata is what
/// the cache recorded is answered by its blob id without reading; everything else goes to
/// the work tree, and every doubt (a damaged cache, a racy entry, no git repository) is a
/// miss that reads the file. The cache learns only through `Freshness.remember`, from what a
/// run established: the plan describes, it does not feed the cache.
public struct CachedTreeSource: TreeSource {
    /// The tree behind the cache.
    public let worktree: WorktreeSource
    let cache: StatCache

    /// The work tree at `root` with the stat cache of the git work tree holding it (without
    /// one the cache is empty and saves nothing: every file is read).
    public init(root: String) {
        worktree = WorktreeSource(root: root)
        cache = StatCache(root: root)
    }

    /// The work tree's name, `"working tree"`: the cache changes the cost, not the answers.
    public var name: String { worktree.name }

    /// The file's text from the work tree; the cache notes its metadata first, so an edit made
    /// during the read is seen next time.
    public func read(_ path: String) -> String? {
        cache.willRead(path)  // metadata first: an edit after this shows next time
        return worktree.read(path)
    }

    /// The file's exact bytes from the work tree, metadata noted first as for `read(_:)`.
    public func readBytes(_ path: String) -> [UInt8]? {
        cache.willRead(path)
        return worktree.readBytes(path)
    }

    /// Known without reading when the file's metadata is what the cache recorded.
    public func blobID(_ path: String) -> String? { cache.blobID(path) }

    /// Asks the work tree (never cached).
    public func isFolder(_ path: String) -> Bool { worktree.isFolder(path) }

    /// Lists the work tree (never cached): sorted, relative to the root.
    public func files(under folders: [String]) -> [String] { worktree.files(under: folders) }
}
