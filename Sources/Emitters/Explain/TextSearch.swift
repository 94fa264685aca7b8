import Compiler
import DSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte searches over generated text (the secret keys a file names, the hostnames it
/// mentions) and settings' values as one line, for `explain` and the generated docs.
public enum TextSearch {
    /// `needle` in `text`; with `word`, not inside a longer run of letters, digits and `_` (any
    /// non-ASCII byte counts as a letter). Searched on the UTF-8 bytes (memchr(3) for the first
    /// byte, memcmp(3) for the rest): `String.contains` compares Characters, which made a
    /// real-fleet build 8x slower.
    public static func contains(_ text: String, _ needle: String, word: Bool) -> Bool {
        occurrences(text, needle) { haystack, at, count in
            !word
                || (!(at > 0 && isWordByte(haystack[at - 1]))
                    && !(at + count < haystack.count && isWordByte(haystack[at + count])))
        }
    }

    /// Whether some occurrence of `needle` in `text` satisfies `accept(bytes, offset, length)`.
    static func occurrences(
        _ text: String, _ needle: String,
        accept: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty, let base = haystack.baseAddress, let wanted = pattern.baseAddress else {
                    return false
                }
                var offset = 0
                while offset + pattern.count <= haystack.count {
                    let span = haystack.count - offset - pattern.count + 1
                    guard let first = memchr(base + offset, Int32(pattern[0]), span) else { return false }
                    let at = base.distance(to: first.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, wanted, pattern.count) == 0, accept(haystack, at, pattern.count) {
                        return true
                    }
                    offset = at + 1
                }
                return false
            }
        }
    }

    static func isWordByte(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte == 95 || byte >= 0x80 || (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90)
            || (byte >= 97 && byte <= 122)
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
        case .map(let entries):
            "{" + entries.map { "\(json(.string($0.key))): \(json($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func json(_ tree: Tree) -> String {
        if case .string(let s) = tree {
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return oneLine(tree)
    }
}
