import Foundation

/// Everything one run of oceanid-apply reads from or writes to outside itself, as one value:
/// the environment variables, whether stdin is a terminal, how a confirmation is read, the
/// two output streams and the retry policy. `process` is the real one; tests replace parts.
public struct ApplyEnvironment {
    /// The environment variables (credentials, base URLs).
    public var variables: [String: String]
    /// Whether stdin is a terminal (apply asks there, and refuses to run unasked elsewhere).
    public var isTerminal: Bool
    /// Reads one line of the confirmation; nil at the end of input.
    public var readLine: () -> String?
    /// Writes to stdout (the plan table, `done:` lines, the JSON report).
    public var out: (String) -> Void
    /// Writes to stderr (errors, warnings, the prompt).
    public var err: (String) -> Void
    /// How requests are retried (tests make it wait for nothing).
    public var retry: RetryPolicy

    /// An environment; by default no variables, no terminal, and output thrown away.
    public init(
        variables: [String: String] = [:], isTerminal: Bool = false, retry: RetryPolicy = RetryPolicy(),
        readLine: @escaping () -> String? = { nil }, out: @escaping (String) -> Void = { _ in },
        err: @escaping (String) -> Void = { _ in }
    ) {
        self.variables = variables
        self.isTerminal = isTerminal
        self.readLine = readLine
        self.out = out
        self.err = err
        self.retry = retry
    }

    /// This process's: its environment, stdin's terminal, stdout and stderr.
    public static var process: ApplyEnvironment {
        ApplyEnvironment(
            variables: ProcessInfo.processInfo.environment, isTerminal: isatty(0) == 1,
            readLine: { Swift.readLine() },
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) })
    }
}
