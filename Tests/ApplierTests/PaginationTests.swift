import Testing

@testable import Applier

/// `Pagination`'s two shapes on their own, with the edges the fakes reach only by fault: the
/// pages asked for, the stop on the last or an empty page, and an error (not a hang) for a list
/// that never ends.
@Suite struct PaginationTests {
    @Test func numberedReadsFromPageOneUntilTheLastPage() throws {
        var asked: [Int] = []
        let items = try Pagination.numbered("the list") { page in
            asked.append(page)
            return ([page * 10, page * 10 + 1], page < 3)
        }
        #expect(asked == [1, 2, 3])
        #expect(items == [10, 11, 20, 21, 30, 31])
    }

    @Test func numberedStopsAtAnEmptyPageEvenWhenMoreIsClaimed() throws {
        var asked: [Int] = []
        let items: [Int] = try Pagination.numbered("the list") { page in
            asked.append(page)
            return (page == 1 ? [1] : [], true)
        }
        #expect(asked == [1, 2])
        #expect(items == [1])
    }

    @Test func numberedFailsPastTheLimit() {
        var calls = 0
        let error = #expect(throws: ProviderError.self) {
            try Pagination.numbered("the record list") { _ in
                calls += 1
                return ([calls], true)
            }
        }
        #expect(
            error?.description == "the record list did not end after 10000 pages (or repeated a page cursor); stopped")
        #expect(calls == Pagination.maxPages)
    }

    @Test func cursoredFollowsEachCursorUntilNone() throws {
        var asked: [String?] = []
        let items = try Pagination.cursored("the rule list") { cursor in
            asked.append(cursor)
            switch cursor {
            case nil: return (["a"], "c1")
            case "c1": return (["b", "c"], "c2")
            default: return (["d"], nil)
            }
        }
        #expect(asked == [nil, "c1", "c2"])
        #expect(items == ["a", "b", "c", "d"])
    }

    @Test func cursoredFailsOnARepeatedCursorAndPastTheLimit() {
        var calls = 0
        let error = #expect(throws: ProviderError.self) {
            try Pagination.cursored("the rule list") { _ in
                calls += 1
                return ([calls], "same")
            }
        }
        #expect(error?.description.hasPrefix("the rule list did not end") == true)
        #expect(calls == 2)
        calls = 0
        #expect(throws: ProviderError.self) {
            try Pagination.cursored("the rule list") { _ in
                calls += 1
                return ([calls], "c\(calls)")
            }
        }
        #expect(calls == Pagination.maxPages + 1)
    }
}
