import ArgumentParser
import Compiler
import DSL
import Emitters
import Foundation
import Workspace

/// `oceanid-gen`: parse, call the pipeline, print. Commands live here so tests can run
/// them in-process against fixture fleets; the executable is a few lines.
public enum CLI {
    /// Runs one command line and returns its exit status.
    /// - Parameter compiledDefinitions: the SHA-256 of each `definitions/` file compiled into
    ///   the running program (`CompiledSources.definitions`, which the plugin of that name
    ///   compiles in), compared with the root's `definitions/`: other bytes are refused
    ///   instead of compiling the fleet as it was. nil when the definition is not compiled in
    ///   (tests): nothing is compared.
    /// - Parameter programID: the digest of all the program's sources
    ///   (`CompiledSources.program`), the no-op shortcut's key (see `Freshness`); nil: never
    ///   skip compiling.
    /// - Parameter loadsLiveFleet: when the root's definitions differ from `compiledDefinitions`,
    ///   look for the running executable's live fleet library compiled from exactly them
    ///   (`LiveFleet.forRunningExecutable`, the fast edit loop); one found runs instead of the
    ///   compiled-in fleet, with its digests and `programID`'s compiler part. false (tests), or no
    ///   such library: other definitions are refused.
    public static func run(
        definition: FleetDefinition, arguments: [String],
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        compiledDefinitions: [String: String]? = nil, programID: String? = nil,
        loadsLiveFleet: Bool = false, freesMemory: Bool = true,
        console makeConsole: (Console.ColorChoice) -> Console = { Console.standard(color: $0) }
    ) -> Int32 {
        // One JSON report on stdout: `--json` or `--format json`; an explicit other --format wins over --json
        // (`plan --format sarif --json` prints SARIF, never a JSON report).
        let formats =
            zip(arguments, arguments.dropFirst()).filter { $0.0 == "--format" }.map(\.1)
            + arguments.filter { $0.hasPrefix("--format=") }.map { String($0.dropFirst("--format=".count)) }
        let wantsJSON = formats.last.map { $0 == "json" } ?? arguments.contains("--json")
        /// A usage error: the parser's text on stderr, and with --json one report on stdout.
        func usage(_ message: String, command: String) -> Int32 {
            let console = makeConsole(.auto)
            console.err(message + "\n")
            if wantsJSON {
                console.out(
                    JSONReport(
                        command: command, status: .usage, diagnostics: [], files: [], root: currentDirectory,
                        error: message
                    ).encoded())
            }
            return ExitStatus.usage.rawValue
        }
        /// Help, version and parse errors: printed the way ArgumentParser renders them.
        func report(_ error: Error, command: String) -> Int32 {
            let message = OceanidGen.fullMessage(for: error)
            if OceanidGen.exitCode(for: error) == .success {
                makeConsole(.auto).out(message + "\n")
                return ExitStatus.ok.rawValue
            }
            return usage(message, command: command)
        }
        var program = ProgramFingerprint(definitions: compiledDefinitions, program: programID)
        var definition = definition
        if arguments == ["--version"] {
            makeConsole(.auto).out(program.versionLine + "\n")
            return ExitStatus.ok.rawValue
        }
        let commandName = arguments.first { OceanidGen.subcommandNames.contains($0) } ?? ""
        if let unknown = GlobalOptions.unknownCommand(in: arguments) {
            return usage(
                "error: unknown command '\(unknown)'; the commands are \(OceanidGen.subcommandNames.sorted().joined(separator: ", ")) (see oceanid-gen --help)",
                command: unknown)
        }
        var command: ParsableCommand
        do {
            command = try OceanidGen.parseAsRoot(GlobalOptions.movedAfterSubcommand(arguments))
        } catch {
            return report(error, command: commandName)
        }
        guard let runnable = command as? FleetCommand else {
            // `help <subcommand>` and a bare `oceanid-gen`: the parser's own commands answer.
            do {
                try command.run()
                makeConsole(.auto).out(OceanidGen.helpMessage() + "\n")
                return ExitStatus.ok.rawValue
            } catch {
                return report(error, command: commandName)
            }
        }
        guard let root = runnable.global.resolveRoot(from: currentDirectory) else {
            let message =
                runnable.global.root.map { given in
                    let path = URL(
                        fileURLWithPath: given, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)
                    ).standardizedFileURL.path
                    return FileManager.default.fileExists(atPath: path)
                        ? "error: --root \(given) has no definitions/ folder; it must name the fleet repository's root"
                        : "error: --root \(given) does not exist"
                }
                ?? "error: no definitions/ folder in \(currentDirectory) or above it; pass --root <repository>"
            return usage(message, command: commandName)
        }
        let console = makeConsole(runnable.global.color)
        // Hashed once: the comparison with the compiled-in definitions and the live library's check.
        let tree = program.definitions == nil ? [:] : ProgramFingerprint.definitions(at: root)
        var changes = program.definitionChanges(tree: tree)
        if !changes.isEmpty, loadsLiveFleet, let live = LiveFleet.forRunningExecutable(tree: tree) {
            // The live library was compiled from exactly these definitions for this executable.
            definition = live.definition
            program = program.live(definitions: live.definitions)
            changes = []
        }
        if !changes.isEmpty {
            // The fleet is compiled into this program: running it now would write what the
            // compiled-in definitions say, silently undoing the edit.
            var named = changes.prefix(3).map { "\($0.path) \($0.kind.rawValue)" }
            if changes.count > 3 { named.append("\(changes.count - 3) more") }
            let message =
                "error: the definitions differ from the ones compiled into this oceanid-gen ("
                + named.joined(separator: ", ") + "); run `make build` first"
            console.err(message + "\n")
            if wantsJSON {
                console.out(
                    JSONReport(
                        command: commandName, status: .workspaceError, diagnostics: [], files: [], root: root,
                        error: message
                    ).encoded())
            }
            return ExitStatus.workspaceError.rawValue
        }
        var context = RunContext(
            definition: definition, root: root, console: console, json: runnable.global.json,
            programID: program.program)
        context.detail = runnable.global.detail
        context.freesMemory = freesMemory
        context.currentDirectory = URL(fileURLWithPath: currentDirectory).standardizedFileURL.path
        return runnable.execute(context).rawValue
    }
}

struct RunContext {
    var definition: FleetDefinition
    var root: String
    var console: Console
    var json: Bool
    var programID: String? = nil
    /// Where the command was run (paths given on the command line are relative to it).
    var currentDirectory: String = ""
    /// How much of the warnings the text output shows (`--verbose`, `--errors-only`).
    var detail: DiagnosticPresentation.Detail = .folded
    /// Where `finish` writes a SARIF log (`--format sarif`): the real stdout; nil otherwise.
    var sarifOut: (@Sendable (String) -> Void)? = nil
    /// Whether the command's large values (the fleet's IR, its generated files, a plan) are freed when it
    /// ends; false when the process exits right after (`keep`).
    var freesMemory = true

    /// Keeps `value` allocated until the process exits when the run does not free memory (`freesMemory`):
    /// the executable exits right after the command, and freeing millions of small allocations one by one
    /// took 0.15-0.2 s at 10,000 apps, after the output was printed. Clang does the same
    /// (`-disable-free`: https://clang.llvm.org/docs/ClangCommandLineReference.html, "Disable freeing of
    /// memory on exit"). In-process callers (tests) free as usual.
    func keep(_ value: Any) {
        if !freesMemory { Unfreed.keep(value) }
    }

    var pipeline: BuildPipeline { BuildPipeline(definition: definition, root: root, programID: programID) }
    var workspace: Workspace { Workspace(root: root) }

    /// Prints diagnostics (text mode) and the JSON report (json mode), returns the status.
    /// `error`: what stopped the command outside the fleet (already printed on stderr).
    func finish(
        _ command: String, _ status: ExitStatus, diagnostics: [Diagnostic],
        files: [JSONReport.FileEntry] = [], error: String? = nil, graph: Topology? = nil,
        explanations: [Explanation]? = nil, followUps: [BuildFollowUp]? = nil
    ) -> ExitStatus {
        if json {
            var report = JSONReport(
                command: command, status: status, diagnostics: diagnostics, files: files, root: root, error: error)
            report.graph = graph
            report.explanations = explanations
            report.followUps = followUps
            console.out(report.encoded())
        } else {
            console.print(diagnostics, root: root, detail: detail)
            sarifOut?(sarifLog(diagnostics).encoded())
        }
        return status
    }
}

protocol FleetCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func execute(_ context: RunContext) -> ExitStatus
}

extension Console.ColorChoice: ExpressibleByArgument {}

struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The repository root.",
            discussion: "Default: the nearest folder, from the current one upwards, that has a definitions/ folder.",
            valueName: "path"))
    var root: String?

    @Flag(help: "Print one JSON report on stdout (diagnostics with file and line, files and their status).")
    var json = false

    @Option(help: "Color the output: auto (when a terminal and NO_COLOR is unset), always or never.")
    var color: Console.ColorChoice = .auto

    @Flag(help: "Show every warning on its own (by default repeated warnings of one code fold into one line).")
    var verbose = false

    @Flag(help: "Show only the errors, then one line counting the warnings (what the pre-commit hook prints).")
    var errorsOnly = false

    /// The options every command takes, by spelling, and whether each takes a value.
    static let spellings: [String: Bool] = [
        "--root": true, "--json": false, "--color": true, "--verbose": false, "--errors-only": false,
    ]

    /// What `--verbose` and `--errors-only` ask for (`--verbose` wins when both are given).
    var detail: DiagnosticPresentation.Detail { verbose ? .verbose : errorsOnly ? .errorsOnly : .folded }

    /// `oceanid-gen --root . --json check` means `oceanid-gen check --root . --json`, as the
    /// README documents: global options written before the subcommand move after it. Anything
    /// else before the subcommand (or no subcommand at all) is left for the parser to report.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard let takesValue = spellings[name] else { break }
            leading.append(argument)
            if takesValue && !argument.contains("=") {
                guard i + 1 < arguments.count else { return arguments }
                leading.append(arguments[i + 1])
                i += 1
            }
            i += 1
        }
        guard !leading.isEmpty, i < arguments.count, !arguments[i].hasPrefix("-") else { return arguments }
        return [arguments[i]] + leading + arguments[(i + 1)...]
    }

    /// The first word before any subcommand that is neither a global option (with its
    /// value) nor a flag: a misspelled command (`oceanid-gen --json biuld`).
    static func unknownCommand(in arguments: [String]) -> String? {
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument.hasPrefix("-") {
                let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                i += (spellings[name] == true && !argument.contains("=")) ? 2 : 1
                continue
            }
            return OceanidGen.subcommandNames.contains(argument) ? nil : argument
        }
        return nil
    }

    /// The root given with --root (made absolute), or the nearest folder upwards with a
    /// definitions/ folder. nil when --root names a folder without definitions/ (a typo would
    /// otherwise write a whole tree in the wrong place) or when no folder upwards has one.
    func resolveRoot(from cwd: String) -> String? {
        if let root {
            let url = URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true))
            let path = url.standardizedFileURL.path
            return Self.hasDefinitions(path) ? path : nil
        }
        var folder = URL(fileURLWithPath: cwd, isDirectory: true).standardizedFileURL
        while true {
            if Self.hasDefinitions(folder.path) { return folder.path }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    static func hasDefinitions(_ folder: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/definitions", isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

struct OceanidGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oceanid-gen",
        abstract:
            "Compile the Oceanid fleet (definitions/, settings.yaml) into the committed tree: clusters/, bootstrap/, hosts/, sql/, policy/, cloud/, docs/.",
        usage: "oceanid-gen [--root <path>] [--json] [--color <color>] [--verbose | --errors-only] <subcommand>",
        discussion: """
            The global options may come before the subcommand or after it.

            Exit codes:
              0   success (built, or already up to date)
              1   check: the tree differs from what the definitions generate;
                  explain: a query matched nothing generated; plan: the fleet changes
              2   the fleet has errors (file:line: error: message); nothing written
              3   plan: a change needs a second person's approval (planApprovalRisks)
              4   the output tree or the repository could not be read or written, or the
                  definitions differ from the ones compiled into this binary (run make build)
              64  usage error
            """,
        // `CLI.run` answers a lone --version with the digests compiled in.
        version: "oceanid-gen",
        subcommands: [Build.self, Check.self, Graph.self, Explain.self, Plan.self])

    /// Shown in the root's help; the values are read by each subcommand's copy.
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.map { $0._commandName } + ["help"])
    }
}

/// Values kept allocated until the process exits (`RunContext.keep`).
enum Unfreed {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var values: [Any] = []

    /// Keeps `value` (and everything it references) alive.
    static func keep(_ value: Any) { lock.withLock { values.append(value) } }

    /// How many values are kept.
    static var count: Int { lock.withLock { values.count } }
}
