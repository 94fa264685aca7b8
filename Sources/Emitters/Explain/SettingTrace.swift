import Compiler
import DSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which settings fed a generated file, as far as its text shows: what `explain` and the
/// settings table report. The IR does not carry a setting's path through the definitions
/// (they are Swift code), so this reads the result instead.
public enum SettingTrace {
    /// A secret's ESC key appears in the file as a word; or the value does (every string
    /// and number in it) and is either distinctive (8 characters or more, a number of 1000
    /// or more) or read in the definitions file that declares the file. Short values (under
    /// four characters), booleans and numbers under 100 say nothing and never match: `main`
    /// appears in many image tags, so a branch setting counts only where it is read.
    public static func fed(_ file: GeneratedFile, by row: SettingRowIR) -> Bool {
        if row.isSecret { return contains(file.contents, row.key, word: true) }
        guard let value = row.value else { return false }
        let needles = leaves(value)
        guard !needles.isEmpty, needles.allSatisfy({ contains(file.contents, $0.text, word: $0.number) }) else { return false }
        let distinctive = needles.contains { $0.number ? Int($0.text).map { $0 >= 1000 } ?? false : $0.text.count >= 8 }
        return distinctive || row.usedAt.contains { $0.file == file.origin?.file }
    }

    /// The strings and numbers of a value worth looking for.
    static func leaves(_ tree: Tree) -> [(text: String, number: Bool)] {
        switch tree {
        case .string(let s): s.count >= 4 ? [(s, false)] : []
        case .int(let i): i >= 100 ? [(String(i), true)] : []
        case .double, .bool, .null: []
        case .list(let items): items.flatMap(leaves)
        case .map(let entries): entries.flatMap { leaves($0.value) }
        }
    }

    /// `needle` in `text`; with `word`, not inside a longer run of letters and digits (any
    /// non-ASCII byte counts as a letter). Searched on the UTF-8 bytes (memchr(3) for the first
    /// byte, memcmp(3) for the rest): the
    /// settings table asks this for every setting in every file, and `String.contains`
    /// compares Characters (it made a real-fleet build 8x slower).
    public static func contains(_ text: String, _ needle: String, word: Bool) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty, let base = haystack.baseAddress, let wanted = pattern.baseAddress else { return pattern.isEmpty }
                var offset = 0
                while offset + pattern.count <= haystack.count {
                    let span = haystack.count - offset - pattern.count + 1
                    guard let first = memchr(base + offset, Int32(pattern[0]), span) else { return false }
                    let at = base.distance(to: first.assumingMemoryBound(to: UInt8.self))
                    guard memcmp(base + at, wanted, pattern.count) == 0 else {
                        offset = at + 1
                        continue
                    }
                    guard word else { return true }
                    let before = at > 0 ? haystack[at - 1] : nil
                    let after = at + pattern.count < haystack.count ? haystack[at + pattern.count] : nil
                    if !isWordByte(before) && !isWordByte(after) { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    static func isWordByte(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= 0x80 || (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// A value on one line: strings bare, structures as compact JSON.
    public static func oneLine(_ tree: Tree) -> String {
        switch tree {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .null: "null"
        case .list(let items): "[" + items.map(json).joined(separator: ", ") + "]"
        case .map(let entries): "{" + entries.map { "\(json(.string($0.key))): \(json($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func json(_ tree: Tree) -> String {
        if case .string(let s) = tree {
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return oneLine(tree)
    }
}
