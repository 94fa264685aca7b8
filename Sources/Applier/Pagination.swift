import Foundation

/// Guards against lists that never end (a cursor repeated, a page count that keeps growing):
/// an error after this many pages, never a hang.
enum Pagination {
    static let maxPages = 10_000
    static func endless(_ what: String) -> ProviderError {
        ProviderError("\(what) did not end after \(maxPages) pages (or repeated a page cursor); stopped")
    }
}
