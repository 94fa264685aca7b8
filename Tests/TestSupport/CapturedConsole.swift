import DSL
import Foundation
import OceanidGenKit

/// Runs the CLI in-process against a fleet and captures what it prints.
public final class CapturedRun: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""
    public private(set) var status: Int32 = -1

    public var out: String { lock.withLock { outText } }
    public var err: String { lock.withLock { errText } }

    @discardableResult
    /// - Parameter compiledDefinitions: stands for the digests of the definitions compiled into
    ///   the program (`ProgramFingerprint.definitions(at:)` of a folder); nil: none compared.
    /// - Parameter programID: stands for the source digest of a program with `definition`
    ///   compiled in (the no-op shortcut is keyed on it); nil turns the shortcut off.
    /// - Parameter terminal: stderr behaves as a terminal (caret diagnostics, a count).
    /// - Parameter cwd: where the command runs (default: the root).
    public init(
        _ definition: FleetDefinition, _ arguments: [String], root: String,
        compiledDefinitions: [String: String]? = nil, programID: String? = nil,
        terminal: Bool = false, cwd: String? = nil
    ) {
        status = CLI.run(
            definition: definition, arguments: arguments + ["--root", root, "--color", "never"],
            currentDirectory: cwd ?? root, compiledDefinitions: compiledDefinitions,
            programID: programID
        ) { _ in
            Console(
                out: { [self] text in self.lock.withLock { self.outText += text } },
                err: { [self] text in self.lock.withLock { self.errText += text } }, terminalErr: terminal)
        }
    }
}
