import Compiler

/// What a command prints of its diagnostics, in order of importance: every error first (in
/// location order), then the warnings and notes. Warnings of one code that occur more than
/// once fold into their first, with a count, unless `--verbose`; with `--errors-only` (the
/// pre-commit hook) only the errors are shown and the rest is one summary line. `--json`
/// always reports every diagnostic.
struct DiagnosticPresentation: Equatable {
    /// How much of the non-errors a command shows (`--verbose`, default, `--errors-only`).
    enum Detail: Equatable, Sendable {
        /// Every diagnostic on its own.
        case verbose
        /// Repeated warnings of one code fold into one line with a count.
        case folded
        /// Errors only; the warnings and notes are counted in the summary line.
        case errorsOnly
    }

    /// One line of the presentation: a diagnostic as the compiler made it, or the first of
    /// `count` warnings of its code standing for all of them.
    struct Item: Equatable {
        var diagnostic: Diagnostic
        /// How many diagnostics this line stands for (1 unless folded).
        var count: Int = 1
    }

    /// The lines to print, errors first.
    var items: [Item]
    /// Warnings and notes not shown (`--errors-only`).
    var hidden: Int
    /// Counts over every diagnostic, shown or not.
    var errors: Int
    /// Counts over every warning, shown or not.
    var warnings: Int

    /// Arranges `diagnostics` (in the compiler's location order) for `detail`.
    init(_ diagnostics: [Diagnostic], detail: Detail) {
        errors = diagnostics.filter { $0.severity == .error }.count
        warnings = diagnostics.filter { $0.severity == .warning }.count
        let first = diagnostics.filter { $0.severity == .error }.map { Item(diagnostic: $0) }
        let rest = diagnostics.filter { $0.severity != .error }
        switch detail {
        case .verbose:
            items = first + rest.map { Item(diagnostic: $0) }
            hidden = 0
        case .errorsOnly:
            items = first
            hidden = rest.count
        case .folded:
            var counts: [DiagnosticCode: Int] = [:]
            for d in rest where d.severity == .warning { counts[d.code, default: 0] += 1 }
            var seen: Set<DiagnosticCode> = []
            var folded: [Item] = []
            for d in rest {
                guard d.severity == .warning, let count = counts[d.code], count > 1 else {
                    folded.append(Item(diagnostic: d))
                    continue
                }
                if seen.insert(d.code).inserted { folded.append(Item(diagnostic: d, count: count)) }
            }
            items = first + folded
            hidden = 0
        }
    }

    /// The line a folded item adds after its first diagnostic:
    /// `    note: and 3 more [placeholder-setting] warnings like it (--verbose shows each)`.
    static func foldNote(_ item: Item) -> String? {
        guard item.count > 1 else { return nil }
        let more = item.count - 1
        return "and \(more) more [\(item.diagnostic.code.rawValue)] warning\(more == 1 ? "" : "s") like it "
            + "(--verbose shows each)"
    }

    /// The summary line: `2 errors, 5 warnings`, with `(5 not shown; --verbose shows them)` when
    /// `--errors-only` hid some.
    var summary: String {
        var line = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        if hidden > 0 { line += " (\(hidden) not shown; --verbose shows them)" }
        return line
    }
}
