import Compiler
import Foundation

/// Passes the compiler's reads through and notes any outside the output roots, which the
/// clean record does not cover, and what each folder listing answered.
public final class InputRecorder: InputTree, @unchecked Sendable {
    let base: InputTree
    private var outside = false
    private var listed: [([String], [String])] = []
    private let lock = NSLock()

    /// Records the reads of `base`.
    public init(_ base: InputTree) { self.base = base }

    /// Whether the compiler read anything outside the output roots.
    var readOutsideRoots: Bool { lock.withLock { outside } }
    /// What each `files(under:)` call answered.
    var listings: [([String], [String])] { lock.withLock { listed } }

    private func note(_ path: String) {
        let root = path.prefix { $0 != "/" }
        let inside =
            path.contains("/") && OutputLayout.Root(rawValue: String(root)) != nil
            && !path.split(separator: "/").contains("..")
        if !inside { lock.withLock { outside = true } }
    }

    /// Reads through `base`, noting a path outside the output roots (or with `..`).
    public func read(_ path: String) -> String? {
        note(path)
        return base.read(path)
    }

    /// Lists through `base`, noting the folders and recording the answer.
    public func files(under folders: [String]) -> [String] {
        for folder in folders { note(folder + "/") }
        let files = base.files(under: folders)
        lock.withLock { listed.append((folders, files)) }
        return files
    }
}
