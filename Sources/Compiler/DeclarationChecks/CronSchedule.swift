import Foundation

/// The cron grammar the Kubernetes API server accepts for `CronJob.spec.schedule`
/// (robfig/cron v3 `ParseStandard`, as `pkg/apis/batch/validation` calls it): five fields or
/// a descriptor, and since Kubernetes 1.29 no `TZ=`/`CRON_TZ=` prefix (use `spec.timeZone`).
public enum CronSchedule {
    /// One field: its name, range and the names it accepts in place of numbers.
    struct Field {
        var name: String
        var range: ClosedRange<Int>
        var names: [String: Int] = [:]
    }

    static let fields: [Field] = [
        Field(name: "minute", range: 0...59),
        Field(name: "hour", range: 0...23),
        Field(name: "day of month", range: 1...31),
        Field(
            name: "month", range: 1...12,
            names: [
                "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
            ]),
        Field(
            name: "day of week", range: 0...6,
            names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    static let descriptors: Set<String> = [
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    ]

    /// Why the API server would refuse a schedule.
    public enum Problem: Equatable, Sendable {
        /// A `TZ=` or `CRON_TZ=` prefix, refused since Kubernetes 1.29: set `spec.timeZone`.
        case timeZonePrefix
        /// Any other problem, as a phrase (`expected exactly 5 fields, found 6`).
        case invalid(String)
    }

    /// What is wrong with `schedule`, or nil when the API server accepts it. `.timeZonePrefix`
    /// marks the problem of a `TZ=` prefix, which has its own advice.
    public static func problem(_ schedule: String) -> Problem? {
        let text = schedule.trimmingCharacters(in: .whitespaces)
        if text.contains("TZ") { return .timeZonePrefix }
        if text.isEmpty { return .invalid("it is empty") }
        if text.hasPrefix("@") {
            if descriptors.contains(text) { return nil }
            if text.hasPrefix("@every ") { return everyProblem(String(text.dropFirst(7))).map(Problem.invalid) }
            return .invalid("unknown descriptor '\(text)'")
        }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 else { return .invalid("expected exactly 5 fields, found \(parts.count)") }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                if let problem = itemProblem(String(item), field) { return .invalid("\(field.name) field: \(problem)") }
            }
        }
        return nil
    }

    /// `*`, `?`, `a`, `a-b`, each optionally followed by `/step`.
    private static func itemProblem(_ item: String, _ field: Field) -> String? {
        let slash = item.split(separator: "/", omittingEmptySubsequences: false)
        guard slash.count <= 2 else { return "too many '/' in '\(item)'" }
        let rangePart = String(slash[0])
        if slash.count == 2 {
            guard let step = Int(slash[1]), slash[1].allSatisfy(\.isNumber) else {
                return "step '\(slash[1])' is not a number"
            }
            guard step > 0 else { return "step of '\(item)' must be a positive number" }
        }
        if rangePart == "*" || rangePart == "?" { return nil }
        let bounds = rangePart.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { return "too many '-' in '\(item)'" }
        var values: [Int] = []
        for bound in bounds {
            guard let value = number(String(bound), field) else {
                return bound.isEmpty ? "'\(item)' is missing a number" : "'\(bound)' is not a number or name"
            }
            guard field.range.contains(value) else {
                return "\(value) is outside \(field.range.lowerBound)-\(field.range.upperBound)"
            }
            values.append(value)
        }
        if values.count == 2, values[0] > values[1] { return "'\(item)' starts after it ends" }
        return nil
    }

    private static func number(_ text: String, _ field: Field) -> Int? {
        if let named = field.names[text.lowercased()] { return named }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// `@every <Go duration>`: a positive sequence of number+unit pairs (`1h30m`).
    private static func everyProblem(_ duration: String) -> String? {
        let pattern = #/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/#
        return duration.wholeMatch(of: pattern) == nil ? "'@every \(duration)' is not a duration like 1h30m" : nil
    }

    /// Why `zone` is not an IANA time zone name Kubernetes accepts (`spec.timeZone`), or nil.
    public static func timeZoneProblem(_ zone: String) -> String? {
        if zone.isEmpty { return "it is empty" }
        if zone == "Local" { return "'Local' is the controller's own zone and is rejected" }
        for part in zone.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "." || part == ".." || part.hasPrefix("-") || part.isEmpty || part.count > 14
                || !part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) })
            {
                return "'\(part)' is not a part of an IANA name"
            }
        }
        // Foundation also makes zones from offsets ("GMT+5", "UTC-03:00") that Go's tzdata
        // (time.LoadLocation, which the API server uses) does not have ("Etc/GMT+5" it has).
        if zone.wholeMatch(of: #/(GMT|UTC)[+-].*/#) != nil {
            return "an offset is not a zone name (use Etc/GMT+5 style names)"
        }
        return TimeZone(identifier: zone) == nil ? "no such zone in the IANA time zone database" : nil
    }
}
