import ArgumentParser
import Compiler
import DSL
import Foundation
import Workspace

/// `oceanid-gen`: parse, call the pipeline, print. Commands live here so tests can run
/// them in-process against fixture fleets; the executable is a few lines.
public enum CLI {
    /// Runs one command line and returns its exit status.
    public static func run(definition: FleetDefinition, arguments: [String],
                           currentDirectory: String = FileManager.default.currentDirectoryPath,
                           console makeConsole: (Console.ColorChoice) -> Console = { Console.standard(color: $0) }) -> Int32 {
        /// Help, version and parse errors: printed the way ArgumentParser renders them.
        func report(_ error: Error) -> Int32 {
            let console = makeConsole(.auto)
            let message = OceanidGen.fullMessage(for: error)
            if OceanidGen.exitCode(for: error) == .success {
                console.out(message + "\n")
                return ExitStatus.ok.rawValue
            }
            console.err(message + "\n")
            return ExitStatus.usage.rawValue
        }
        var command: ParsableCommand
        do {
            command = try OceanidGen.parseAsRoot(GlobalOptions.movedAfterSubcommand(arguments))
        } catch {
            return report(error)
        }
        guard let runnable = command as? FleetCommand else {
            // `help <subcommand>` and a bare `oceanid-gen`: the parser's own commands answer.
            do {
                try command.run()
                makeConsole(.auto).out(OceanidGen.helpMessage() + "\n")
                return ExitStatus.ok.rawValue
            } catch {
                return report(error)
            }
        }
        let console = makeConsole(runnable.global.color)
        guard let root = runnable.global.resolveRoot(from: currentDirectory) else {
            console.err("error: no definitions/ folder in \(currentDirectory) or above it; pass --root <repository>\n")
            return ExitStatus.usage.rawValue
        }
        let context = RunContext(definition: definition, root: root, console: console, json: runnable.global.json)
        return runnable.execute(context).rawValue
    }
}

struct RunContext {
    var definition: FleetDefinition
    var root: String
    var console: Console
    var json: Bool

    var pipeline: BuildPipeline { BuildPipeline(definition: definition, root: root) }
    var workspace: Workspace { Workspace(root: root) }

    /// Prints diagnostics (text mode) and the JSON report (json mode), returns the status.
    func finish(_ command: String, _ status: ExitStatus, diagnostics: [Diagnostic],
                files: [JSONReport.FileEntry] = []) -> ExitStatus {
        if json {
            console.out(JSONReport(command: command, status: status, diagnostics: diagnostics, files: files, root: root).encoded())
        } else {
            console.print(diagnostics, root: root)
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
    @Option(help: ArgumentHelp("The repository root.",
                               discussion: "Default: the nearest folder, from the current one upwards, that has a definitions/ folder.",
                               valueName: "path"))
    var root: String?

    @Flag(help: "Print one JSON report on stdout (diagnostics with file and line, files and their status).")
    var json = false

    @Option(help: "Color the output: auto (when a terminal and NO_COLOR is unset), always or never.")
    var color: Console.ColorChoice = .auto

    /// The options every command takes, by spelling, and whether each takes a value.
    static let spellings: [String: Bool] = ["--root": true, "--json": false, "--color": true]

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

    func resolveRoot(from cwd: String) -> String? {
        if let root {
            let url = URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true))
            return url.standardizedFileURL.path
        }
        var folder = URL(fileURLWithPath: cwd, isDirectory: true).standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("definitions").path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return folder.path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}

struct OceanidGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oceanid-gen",
        abstract: "Compile the Oceanid fleet (definitions/) into the committed GitOps tree.",
        discussion: """
            Exit codes:
              0   success (built, or already up to date)
              1   check: the committed output differs from what the definitions generate
              2   the fleet has errors (printed as file:line: error: message); nothing was written
              3   the output tree could not be read or written; nothing further was written
              64  usage error
            """,
        subcommands: [Build.self, Check.self])
}
