import Foundation

/// How the applier reads a list that a service answers in pages, and the guard against lists
/// that never end (a cursor repeated, a page count that keeps growing): an error after
/// `maxPages` pages, never a hang.
///
/// Two shapes, as the services document them:
/// - `numbered`: pages `1, 2, ...` until the service says the page was the last (Cloudflare API
///   v4's `page`/`per_page` with `result_info.total_pages`, Label Studio's `page`/`page_size`
///   with `next`);
/// - `cursored`: a cursor each page hands the next (CrunchyBridge's `cursor` with `has_more` and
///   `next_cursor`).
enum Pagination {
    /// The most pages one list may take.
    static let maxPages = 10_000

    /// The error of a list that did not end.
    static func endless(_ what: String) -> ProviderError {
        ProviderError("\(what) did not end after \(maxPages) pages (or repeated a page cursor); stopped")
    }

    /// Every item of a list read by page number: `read(page)` for page 1, 2, ... returns the
    /// page's items and whether another page follows; an empty page always ends the list (so a
    /// service that keeps answering `more` with nothing cannot loop). Throws what `read` throws,
    /// or `endless(what)` past `maxPages`.
    static func numbered<Item>(
        _ what: String, read: (_ page: Int) throws -> (items: [Item], more: Bool)
    ) throws -> [Item] {
        var items: [Item] = []
        for page in 1...maxPages {
            let answer = try read(page)
            items += answer.items
            if !answer.more || answer.items.isEmpty { return items }
        }
        throw endless(what)
    }

    /// Every item of a list read by cursor: `read(nil)` first, then `read(next)` with the cursor
    /// the previous page handed on, until a page hands none. A cursor seen before, or more than
    /// `maxPages` of them, is `endless(what)`.
    static func cursored<Item>(
        _ what: String, read: (_ cursor: String?) throws -> (items: [Item], next: String?)
    ) throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var seen: Set<String> = []
        repeat {
            let answer = try read(cursor)
            items += answer.items
            cursor = answer.next
            if let cursor {
                guard seen.insert(cursor).inserted, seen.count <= maxPages else { throw endless(what) }
            }
        } while cursor != nil
        return items
    }
}
