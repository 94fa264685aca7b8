/// "Did you mean" hints: the closest declared name within a small edit distance.
public enum Suggestions {
    /// The candidate nearest `name` (Levenshtein distance at most max(2, a third of its
    /// length); ties to the first in sort order), or nil.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(name, candidate)
            if d <= max(2, name.count / 3), best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    /// The note for a dangling name: a suggestion, or the list of valid names.
    static func note(for name: String, among candidates: [String], kind: String) -> Diagnostic.Note? {
        let sorted = candidates.sorted()
        if let guess = closest(to: name, among: sorted) { return .init("did you mean '\(guess)'?") }
        if sorted.isEmpty { return .init("no \(kind) is declared here") }
        let shown = sorted.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
        return .init("declared \(kind)s: \(shown)\(sorted.count > 8 ? ", ..." : "")")
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
