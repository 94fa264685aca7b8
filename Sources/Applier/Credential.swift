import Foundation

/// Environment variables that a provider needs together, and what to say when one is unset.
public struct Credential: Sendable, Equatable {
    /// The variables (`CLOUDFLARE_API_TOKEN`; or `CF_ACCESS_CLIENT_ID`, `CF_ACCESS_CLIENT_SECRET`).
    public var variables: [String]
    /// The sentence shown when one of them is unset or empty: it names every variable and
    /// where the value is kept.
    public var whenMissing: String

    /// Variables with the sentence shown when one is missing.
    public init(variables: [String], whenMissing: String) {
        self.variables = variables
        self.whenMissing = whenMissing
    }

    /// One variable whose value ESC keeps under `escKey`.
    public static func variable(_ name: String, escKey: String) -> Credential {
        Credential(variables: [name], whenMissing: "\(name) is not set (the ESC key \(escKey))")
    }

    /// The variables of this credential that are unset or empty.
    public func missing(in environment: [String: String]) -> [String] {
        variables.filter { (environment[$0] ?? "").isEmpty }
    }

    /// Why a set variable of this credential cannot be sent, one sentence each, naming the
    /// variable, never the value: a control character or space (a line break pasted with it)
    /// would forge a header; a very short value is a truncated paste, and scrubbing it from
    /// messages would shred them.
    public func malformed(in environment: [String: String]) -> [String] {
        variables.compactMap { name in
            guard let value = environment[name], !value.isEmpty else { return nil }
            if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
                return "\(name) holds a space, line break or control character (copied with the value?)"
            }
            if value.count < Self.shortest {
                return "\(name) is \(value.count) character\(value.count == 1 ? "" : "s") long, "
                    + "too short for a credential (truncated?)"
            }
            return nil
        }
    }

    /// The fewest characters a credential may have.
    static let shortest = 8
}
