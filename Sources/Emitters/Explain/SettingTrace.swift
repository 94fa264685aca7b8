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
public struct SettingTrace: Sendable {
    let rows: [SettingRowIR]
    /// Definitions file → the lines that declare generated files there, sorted.
    let declarations: [String: [Int]]
    /// The most files a distinctive value may appear in (a tenth of them, at least 3): a
    /// value found nearly everywhere (`default`, `false`) says nothing about any one file.
    let rarity: Int
    /// How many files hold each leaf value, for the rarity rule.
    let spread: [String: Int]

    /// A trace over the fleet's settings and every generated file (their declarations say
    /// which declaration a setting's read belongs to).
    public init(rows: [SettingRowIR], files: [GeneratedFile]) {
        self.rows = rows
        var lines: [String: Set<Int>] = [:]
        for file in files { if let origin = file.origin { lines[origin.file, default: []].insert(origin.line) } }
        declarations = lines.mapValues { $0.sorted() }
        // Counted without docs/ (they restate every value), so explain and the docs'
        // table, which see different file sets, agree.
        let counted = files.filter { !$0.path.hasPrefix(OutputLayout.Root.docs.rawValue + "/") }
        rarity = max(3, counted.count / 10)
        var spread: [String: Int] = [:]
        let leaves = Set(rows.compactMap(\.value).flatMap { Self.leaves($0).map(\.text) })
        for leaf in leaves { spread[leaf] = counted.filter { Self.containsValue($0.contents, leaf) }.count }
        self.spread = spread
    }

    /// The settings that fed `file`, in `rows` order, as far as its text shows (the IR does
    /// not carry a value's path through the definitions, which are Swift code):
    ///
    /// - a secret, when its ESC key appears as a word;
    /// - another setting, when every string, number and boolean of its value appears as a
    ///   value (a whole word, `-` and `_` counting as letters, and not a mapping key:
    ///   `annotations` the prefix is neither `annotations:` nor `annotations-sink`), and the
    ///   value is distinctive (a string of 8 characters or more, a number of 1000 or more) or
    ///   the setting is read inside the file's declaration: after its line and before the
    ///   next declaration of a generated file in that definitions file (`1` is everywhere; a
    ///   rollout token counts only in the workload that reads it).
    ///
    /// Settings with the same value (two all-zero placeholder IDs) cannot be told apart by
    /// text: of those, only the ones read nearest the file's declaration count. Pages under
    /// docs/ restate every value and are never attributed.
    public func settings(feeding file: GeneratedFile) -> [SettingRowIR] {
        guard !file.path.hasPrefix(OutputLayout.Root.docs.rawValue + "/") else { return [] }
        let found = rows.filter { fed(file, by: $0) }
        let byValue = Dictionary(grouping: found.filter { !$0.isSecret }, by: { $0.value.map(Self.oneLine) ?? "" })
        var dropped: Set<String> = []
        for (_, same) in byValue where same.count > 1 {
            guard let origin = file.origin else { continue }
            let distance = { (row: SettingRowIR) -> Int in
                row.usedAt.filter { $0.file == origin.file }.map { abs($0.line - origin.line) }.min() ?? .max
            }
            let nearest = same.map(distance).min() ?? .max
            guard nearest != .max else { continue }  // none read there: all stay, it cannot be told
            for row in same where distance(row) != nearest { dropped.insert(row.key) }
        }
        return found.filter { !dropped.contains($0.key) }
    }

    /// Whether the setting's value (a secret's ESC key) appears in the file as described at
    /// `settings(feeding:)`, without comparing it with other settings.
    func fed(_ file: GeneratedFile, by row: SettingRowIR) -> Bool {
        if row.isSecret { return Self.contains(file.contents, row.key, word: true) }
        guard let value = row.value else { return false }
        let needles = Self.leaves(value)
        guard !needles.isEmpty, needles.allSatisfy({ Self.containsValue(file.contents, $0.text) }) else { return false }
        let distinctive = needles.contains { needle in
            let long = needle.number ? Int(needle.text).map { $0 >= 1000 } ?? false : !needle.flag && needle.text.count >= 5
            // A short word (`default`) must also be rare: in at most 3 files.
            let limit = !needle.number && needle.text.count < 8 ? min(3, rarity) : rarity
            return long && (spread[needle.text] ?? 0) <= limit
        }
        guard !distinctive else { return true }
        guard let origin = file.origin, let lines = declarations[origin.file] else { return false }
        return row.usedAt.contains { read in
            read.file == origin.file && read.line >= origin.line && lines.last(where: { $0 <= read.line }) == origin.line
        }
    }

    /// The strings, numbers and booleans of a value (`number` for digits, `flag` for a
    /// boolean, which is never distinctive).
    static func leaves(_ tree: Tree) -> [(text: String, number: Bool, flag: Bool)] {
        switch tree {
        case .string(let s): s.isEmpty ? [] : [(s, false, false)]
        case .int(let i): [(String(i), true, false)]
        case .bool(let b): [(b ? "true" : "false", false, true)]
        case .double, .null: []
        case .list(let items): items.flatMap(leaves)
        case .map(let entries): entries.flatMap { leaves($0.value) }
        }
    }

    /// `needle` as a value in YAML, JSON, INI or shell text: a whole word (for the word
    /// characters at its ends) that is not a mapping key (`needle:` or `"needle":` followed
    /// by a space, a line break or the end).
    static func containsValue(_ text: String, _ needle: String) -> Bool {
        let nameByte = { (b: UInt8) in isWordByte(b) || b == 45 }  // '-' joins names (annotations-sink)
        let first = needle.utf8.first.map(nameByte) ?? false, last = needle.utf8.last.map(nameByte) ?? false
        return occurrences(text, needle) { haystack, at, count in
            if first, at > 0, nameByte(haystack[at - 1]) { return false }
            var next = at + count
            if last, next < haystack.count, nameByte(haystack[next]) { return false }
            if next < haystack.count, haystack[next] == 34 { next += 1 }  // a closing quote
            if next < haystack.count, haystack[next] == 58 {  // ':' then a space, a line break or the end: a key
                let after = next + 1
                if after == haystack.count || haystack[after] == 32 || haystack[after] == 10 { return false }
            }
            return true
        }
    }

    /// `needle` in `text`; with `word`, not inside a longer run of letters, digits and `_` (any
    /// non-ASCII byte counts as a letter). Searched on the UTF-8 bytes (memchr(3) for the first
    /// byte, memcmp(3) for the rest): the
    /// settings table asks this for every setting in every file, and `String.contains`
    /// compares Characters (it made a real-fleet build 8x slower).
    public static func contains(_ text: String, _ needle: String, word: Bool) -> Bool {
        occurrences(text, needle) { haystack, at, count in
            !word || (!(at > 0 && isWordByte(haystack[at - 1])) && !(at + count < haystack.count && isWordByte(haystack[at + count])))
        }
    }

    /// Whether some occurrence of `needle` in `text` satisfies `accept(bytes, offset, length)`.
    static func occurrences(_ text: String, _ needle: String,
                            accept: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty, let base = haystack.baseAddress, let wanted = pattern.baseAddress else { return false }
                var offset = 0
                while offset + pattern.count <= haystack.count {
                    let span = haystack.count - offset - pattern.count + 1
                    guard let first = memchr(base + offset, Int32(pattern[0]), span) else { return false }
                    let at = base.distance(to: first.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, wanted, pattern.count) == 0, accept(haystack, at, pattern.count) { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    static func isWordByte(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte == 95 || byte >= 0x80 || (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
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
