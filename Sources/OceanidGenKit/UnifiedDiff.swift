/// A unified diff of two texts (Myers' algorithm on lines), as `diff -u` prints it.
public enum UnifiedDiff {
    /// The `diff -u` text turning `old` into `new`, headed `--- oldName` / `+++ newName`, with
    /// `context` unchanged lines around each hunk; "" when the texts have the same lines. Lines
    /// are split on `\n`; a missing final newline is not reported.
    public static func make(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let ops = script(a, b)
        guard ops.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        // Group edits into hunks with `context` unchanged lines around them.
        var i = 0
        while i < ops.count {
            guard let start = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = start
            var cursor = start
            while cursor < ops.count {
                if ops[cursor].kind != .same {
                    end = cursor
                    cursor += 1
                    continue
                }
                let nextEdit = ops[cursor...].firstIndex { $0.kind != .same }
                if let nextEdit, nextEdit - end <= context * 2 { cursor = nextEdit } else { break }
            }
            let lo = max(start - context, i)
            let hi = min(end + context, ops.count - 1)
            let slice = ops[lo...hi]
            let oldStart = slice.first!.oldLine
            let newStart = slice.first!.newLine
            let oldCount = slice.filter { $0.kind != .insert }.count
            let newCount = slice.filter { $0.kind != .delete }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for op in slice {
                switch op.kind {
                case .same: out += " " + op.text + "\n"
                case .delete: out += "-" + op.text + "\n"
                case .insert: out += "+" + op.text + "\n"
                }
            }
            i = hi + 1
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start + 1)" : "\(count == 0 ? start : start + 1),\(count)"
    }

    private static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: String
        /// 0-based positions in the old and new texts where this op stands.
        var oldLine: Int
        var newLine: Int
    }

    /// The shortest edit script (Myers 1986), as a list of same/delete/insert lines.
    static func script(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count
        let m = b.count
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? v[k + 1 + max] : v[k - 1 + max] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[k + max] = x
                if x >= n && y >= m { break outer }
            }
        }
        // Walk back through the trace to recover the path.
        var ops: [Op] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? k + 1 : k - 1
            let prevX = d == 0 ? 0 : v[prevK + max]
            let prevY = prevX - prevK
            while x > prevX && y > prevY {
                x -= 1
                y -= 1
                ops.append(Op(kind: .same, text: a[x], oldLine: x, newLine: y))
            }
            if d > 0 {
                if x == prevX {
                    y -= 1
                    ops.append(Op(kind: .insert, text: b[y], oldLine: x, newLine: y))
                } else {
                    x -= 1
                    ops.append(Op(kind: .delete, text: a[x], oldLine: x, newLine: y))
                }
            }
        }
        return ops.reversed()
    }
}
