import ArgumentParser
import Foundation

/// The options of `oceanid-apply db <command> <database>`. The connection URI is never an
/// argument (argv is readable by every user of the machine: `ps`, /proc); it is read from the
/// environment variable `--url-env` names.
public struct DatabaseOptions: ParsableArguments {
    /// The database (its migrations are `sql/<database>/migrations/`).
    @Argument(help: ArgumentHelp("The database, as declared (its folder sql/<database>/).", valueName: "database"))
    public var database: String

    @Option(
        name: .customLong("url-env"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "The environment variable holding the connection URI (default DATABASE_URL); never printed.",
            valueName: "name"))
    var urlEnvValues: [String] = []

    @Option(
        name: .customLong("root"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("The repository holding sql/ (default: the current directory).", valueName: "path"))
    var rootValues: [String] = []

    /// An empty set of options (ArgumentParser fills it).
    public init() {}

    /// The variable holding the URI.
    public var urlVariable: String { urlEnvValues.first ?? "DATABASE_URL" }
    /// The repository root.
    public var root: String { rootValues.first ?? "." }

    /// Refuses an option given twice, a value that is an option, and a database name that is
    /// not a PostgreSQL identifier oceanid-gen would declare (`[a-z_][a-z0-9_]*`).
    public func validate() throws {
        for (name, values) in [("--url-env", urlEnvValues), ("--root", rootValues)] {
            if values.count > 1 { throw ValidationError("\(name) is given twice") }
            if values.contains(where: { $0.hasPrefix("-") || $0.isEmpty }) {
                throw ValidationError("\(name) needs a value")
            }
        }
        guard database.wholeMatch(of: #/[a-z_][a-z0-9_]*/#) != nil else {
            throw ValidationError("'\(database)' is not a database name (lower-case letters, digits and _)")
        }
    }

    /// The request these options make for `command`.
    func request(_ command: String) -> DatabaseCommand.Request {
        var request = DatabaseCommand.Request(command: command, database: database)
        request.urlVariable = urlVariable
        request.root = root
        return request
    }
}
