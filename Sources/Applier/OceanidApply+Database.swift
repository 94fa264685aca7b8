import ArgumentParser
import Foundation

extension OceanidApply {
    /// `oceanid-apply db`: the committed migrations of one database against the live one.
    public struct Db: ParsableCommand {
        /// Its help.
        public static let configuration = CommandConfiguration(
            commandName: "db",
            abstract: "Compare a live PostgreSQL with sql/<database>/ and apply its pending migrations.",
            discussion: """
                The connection URI is read from DATABASE_URL (or the variable --url-env names), never from \
                the command line, and never printed.

                EXIT CODES:
                  status   0 in sync, 2 migrations pending or drift (the live
                           schema differs from schema.lock.json), 1 an error or a
                           conflicting history (a checksum mismatch, a version no
                           committed file has, a committed file edited)
                  migrate  0 done (or nothing to do), 1 an error
                  adopt    0 adopted (or already), 1 the live schema is not
                           baseline.json (each difference named) or an error
                  both     64 usage
                """,
            subcommands: [Status.self, Migrate.self, Inspect.self, Adopt.self])

        /// The group (it only dispatches).
        public init() {}

        /// `oceanid-apply db status <database>`.
        public struct Status: ParsableCommand {
            /// Its help.
            public static let configuration = CommandConfiguration(
                abstract: "List applied, pending and unknown versions and checksum mismatches.",
                discussion: "Exit 0: in sync; 2: migrations pending; 1: an error or a conflicting history; 64: usage.")

            /// The database and the connection's variable.
            @OptionGroup public var options: DatabaseOptions

            /// An empty command (ArgumentParser fills it).
            public init() {}

            /// Runs in this process's environment.
            public func run() throws {
                let code = DatabaseCommand.run(options.request("status"), in: .process)
                if code != 0 { throw ExitCode(code) }
            }
        }

        /// `oceanid-apply db inspect <database>`.
        public struct Inspect: ParsableCommand {
            /// Its help.
            public static let configuration = CommandConfiguration(
                abstract: "Print the live schema as the planner's model (JSON): schemas, enums, tables, columns, "
                    + "constraints, indexes, comments, roles and grants.",
                discussion: "Reads only; needs no sql/<database>/. Exit 0: printed; 1: an error; 64: usage.")

            /// The database and the connection's variable.
            @OptionGroup public var options: DatabaseOptions

            /// An empty command (ArgumentParser fills it).
            public init() {}

            /// Runs in this process's environment.
            public func run() throws {
                let code = DatabaseCommand.run(options.request("inspect"), in: .process)
                if code != 0 { throw ExitCode(code) }
            }
        }

        /// `oceanid-apply db adopt <database>`.
        public struct Adopt: ParsableCommand {
            /// Its help.
            public static let configuration = CommandConfiguration(
                abstract: "Make a live database built by another tool the start of its history (Flyway's baseline).",
                discussion: """
                    Checks that the live schema is sql/<database>/baseline.json (else names every difference and \
                    changes nothing), then runs sql/<database>/adopt.sql in one transaction under the advisory lock: \
                    upgrades control.schema_versions in place (adds checksum, keeps its rows) and records V0001 as \
                    applied without running it. Then run db migrate. Exit 0: adopted (or already); 1: refused or an \
                    error; 64: usage.
                    """)

            /// The database and the connection's variable.
            @OptionGroup public var options: DatabaseOptions

            /// An empty command (ArgumentParser fills it).
            public init() {}

            /// Runs in this process's environment.
            public func run() throws {
                let code = DatabaseCommand.run(options.request("adopt"), in: .process)
                if code != 0 { throw ExitCode(code) }
            }
        }

        /// `oceanid-apply db migrate <database>`.
        public struct Migrate: ParsableCommand {
            /// Its help.
            public static let configuration = CommandConfiguration(
                abstract: "Apply the pending migrations in order, each in its own transaction.",
                discussion: """
                    Takes the advisory lock every migration takes, refuses a conflicting history, and stops at the \
                    first failing file with the statement and PostgreSQL's message; that version stays unrecorded, \
                    so a run after the fix continues from it. Exit 0: done (or nothing to do); 1: an error; 64: usage.
                    """)

            /// The database and the connection's variable.
            @OptionGroup public var options: DatabaseOptions

            /// `--dry-run`: print the pending files' statements, run nothing.
            @Flag(name: .customLong("dry-run"), help: "Print what would run; run nothing.")
            public var dryRun = false

            /// `--to <version>`: the last version to apply.
            @Option(
                name: .customLong("to"), parsing: .unconditionalSingleValue,
                help: ArgumentHelp("Apply up to this version (3 or V0003) and stop.", valueName: "version"))
            var toValues: [String] = []

            /// An empty command (ArgumentParser fills it).
            public init() {}

            /// The version `--to` names, if any.
            public var target: Int? {
                toValues.first.flatMap { Int($0.hasPrefix("V") ? String($0.dropFirst()) : $0) }
            }

            /// Refuses `--to` twice or not a version.
            public func validate() throws {
                if toValues.count > 1 { throw ValidationError("--to is given twice") }
                if let text = toValues.first, target.map({ $0 < 1 }) ?? true {
                    throw ValidationError("--to needs a version (3 or V0003), not '\(text)'")
                }
            }

            /// The request this command line makes.
            var request: DatabaseCommand.Request {
                var request = options.request("migrate")
                request.dryRun = dryRun
                request.target = target
                return request
            }

            /// Runs in this process's environment.
            public func run() throws {
                let code = DatabaseCommand.run(request, in: .process)
                if code != 0 { throw ExitCode(code) }
            }
        }
    }
}
