import Foundation
import TestSupport
import Testing

/// The hand-written pages (the README, docs/guide.md, docs/reference/*.md): every relative link
/// resolves to a file of the repository, and the README links the guide first and each reference
/// page, so moving a section cannot leave a dangling link behind.
@Suite struct HandWrittenDocsTests {
    static let root = Paths.repository

    /// Paths of the hand-written pages, relative to the repository.
    static func pages() throws -> [String] {
        let reference = try FileManager.default.contentsOfDirectory(atPath: root + "/docs/reference")
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/reference/" + $0 }
        return ["README.md", "docs/guide.md"] + reference
    }

    /// The relative link targets of a Markdown text, without their `#anchor`.
    static func links(_ text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "](") {
            guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
            let target = String(rest[open.upperBound..<close])
            rest = rest[close...]
            guard !target.contains("://"), !target.hasPrefix("#"), !target.hasPrefix("mailto:") else { continue }
            out.append(String(target.split(separator: "#", maxSplits: 1)[0]))
        }
        return out
    }

    @Test func everyRelativeLinkResolves() throws {
        let pages = try Self.pages()
        #expect(pages.count > 3, "\(pages)")
        for page in pages {
            let text = try String(contentsOfFile: Self.root + "/" + page, encoding: .utf8)
            let folder = (page as NSString).deletingLastPathComponent
            for target in Self.links(text) {
                let resolved = ((Self.root + "/" + folder) as NSString).appendingPathComponent(target)
                #expect(
                    FileManager.default.fileExists(atPath: (resolved as NSString).standardizingPath),
                    "\(page) links \(target), which does not exist")
            }
        }
    }

    @Test func theReadmeLinksTheGuideFirstAndEveryReferencePage() throws {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let links = Self.links(readme)
        #expect(links.first == "docs/guide.md", "\(links.prefix(3))")
        for page in try Self.pages() where page.hasPrefix("docs/reference/") {
            #expect(links.contains(page), "the README does not link \(page)")
        }
    }

    @Test func linksAreFoundAndAnchorsDropped() {
        #expect(Self.links("[a](docs/x.md#y) [b](https://e.com) [c](#local) [d](../z.md)") == ["docs/x.md", "../z.md"])
    }
}
