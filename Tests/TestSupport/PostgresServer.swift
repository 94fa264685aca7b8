import Foundation

/// A throw-away PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temporary folder,
/// listening only on a Unix socket there, trust authentication, no fsync. One per test
/// process (started on first use, stopped at exit); each test makes its own databases.
/// initdb refuses to run as root, so as root the server runs as the `postgres` user that
/// Debian's `postgresql` package creates. Every statement goes through `psql`, exactly as
/// an operator or CI applies a migration.
public final class PostgresServer: @unchecked Sendable {
    public let folder: String
    /// The folder of the server's programs (`/usr/lib/postgresql/<version>/bin`).
    public let bin: String
    let runAs: [String]

    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case failed(String, String)
        public var description: String {
            switch self {
            case .missing(let what):
                "PostgreSQL is not installed (\(what)); `make deps` installs the postgresql package"
            case .failed(let command, let output): "\(command) failed:\n\(output)"
            }
        }
    }

    /// The server of this test process, started on first use.
    public static let shared: Result<PostgresServer, Error> = Result { try PostgresServer() }

    public static func get() throws -> PostgresServer { try shared.get() }

    init() throws {
        let candidates =
            (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" } ?? []
        guard let bin = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            throw Failure.missing("no /usr/lib/postgresql/<version>/bin/initdb")
        }
        self.bin = bin
        Self.removeStaleClusters()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "oceanid-pg-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        if geteuid() == 0 {
            runAs = ["runuser", "-u", "postgres", "--"]
            _ = try PostgresServer.run("chown", ["postgres:postgres", folder])
        } else {
            runAs = []
        }
        try command(
            bin + "/initdb",
            ["-D", folder + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        try command(
            bin + "/pg_ctl",
            [
                "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-o",
                "-k \(folder) -c listen_addresses= -c fsync=off -c full_page_writes=off", "start",
            ])
        // At exit, an immediate shutdown by signal (SIGQUIT to the postmaster): no child
        // process can be waited for while the process exits.
        let pidFile = folder + "/data/postmaster.pid"
        PostgresServer.stopAtExit = {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = text.split(separator: "\n").first.flatMap({ Int32($0) })
            {
                kill(pid, SIGQUIT)
                // Not our child (pg_ctl started it): poll, for at most two seconds.
                for _ in 0..<200 where kill(pid, 0) == 0 { usleep(10_000) }
            }
            // The cluster is tens of megabytes: it goes with the run (the postmaster, told to
            // quit, no longer needs its files).
            try? FileManager.default.removeItem(atPath: folder)
        }
        atexit { PostgresServer.stopAtExit?() }
    }

    nonisolated(unsafe) static var stopAtExit: (() -> Void)?

    /// Clusters earlier runs left (a run that was killed): those whose postmaster is gone.
    static func removeStaleClusters() {
        let temporary = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix("oceanid-pg-") {
            let folder = temporary + "/" + name
            let pid = (try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8))?
                .split(separator: "\n").first.flatMap { Int32($0) }
            if let pid, kill(pid, 0) == 0 { continue }  // another run's server, alive
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    @discardableResult
    func command(_ executable: String, _ arguments: [String]) throws -> String {
        if runAs.isEmpty { return try PostgresServer.run(executable, arguments) }
        return try PostgresServer.run(runAs[0], Array(runAs.dropFirst()) + [executable] + arguments)
    }

    /// Runs a program and returns its combined output, by `posix_spawn` and `waitpid`. The
    /// output goes through a file, not a pipe (the server `pg_ctl` starts would inherit a pipe
    /// and hold it open), and Foundation's `Process` is not used: its wait never returned for
    /// `runuser ... pg_ctl start` inside a test run.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let path = executable.hasPrefix("/") ? executable : "/usr/bin/env"
        let argv = executable.hasPrefix("/") ? [executable] + arguments : ["env", executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "oceanid-pg-out-\(UUID().uuidString)"
        ).path
        let inputPath = outputPath + ".in"
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data((input ?? "").utf8))
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: inputPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw Failure.failed("\(executable) \(arguments.joined(separator: " "))", "posix_spawn: \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with 0 (WIFEXITED and WEXITSTATUS, spelled out: they are C macros).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure.failed("\(executable) \(arguments.joined(separator: " "))", text)
        }
        return text
    }

    /// Runs SQL in `database` with psql (`ON_ERROR_STOP`, no psqlrc); returns its output
    /// (unaligned, tuples only), or throws with psql's message.
    @discardableResult
    public func psql(_ database: String, _ sql: String, role: String? = nil) throws -> String {
        var arguments = [
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder, "-U", role ?? "postgres", "-d", database,
        ]
        arguments += ["-f", "-"]
        return try PostgresServer.run(bin + "/psql", arguments, input: sql)
    }

    /// Applies a file as an operator would: `psql -X -v ON_ERROR_STOP=1 -f <file>`.
    @discardableResult
    public func apply(_ database: String, file text: String) throws -> String {
        try psql(database, text)
    }

    /// A new empty database with a unique name.
    public func createDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try psql("postgres", "CREATE DATABASE \(name);")
        return name
    }

    /// The catalog facts of a database's own schemas, one sorted line each: schemas, tables,
    /// columns (format_type, NOT NULL, identity, default), constraints (pg_get_constraintdef),
    /// indexes (pg_get_indexdef), enum labels in order, comments, and privileges (schema and
    /// relation ACLs, default privileges, the database's ACL). Compare two of them to compare
    /// two schemas through the server's own normalization.
    public func catalog(_ database: String) throws -> [String] {
        let own = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'public')"
        // An ACL's entries in a stable order: PostgreSQL keeps them in the order they were granted,
        // which a migration chain and a from-scratch script need not share.
        func acl(_ column: String) -> String {
            "coalesce((SELECT '{' || string_agg(item::text, ',' ORDER BY item::text) || '}' FROM unnest(\(column)) item), '')"
        }
        let sql = """
            SELECT line FROM (
              SELECT 'schema ' || n.nspname || ' comment=' || coalesce(obj_description(n.oid, 'pg_namespace'), '')
                || ' acl=' || \(acl("n.nspacl")) AS line FROM pg_namespace n WHERE \(own)
              UNION ALL
              SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text
                || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '') || ' acl=' || \(acl("c.relacl"))
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(own) AND c.relkind IN ('r', 'i', 'S', 'v')
              UNION ALL
              SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || ' notnull=' || a.attnotnull::text || ' identity=' || a.attidentity::text
                || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
                || ' comment=' || coalesce(col_description(c.oid, a.attnum), '')
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
                WHERE \(own) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
              UNION ALL
              SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(own)
              UNION ALL
              SELECT 'index ' || i.schemaname || '.' || i.indexname || ' ' || i.indexdef FROM pg_indexes i
                JOIN pg_namespace n ON n.nspname = i.schemaname WHERE \(own)
              UNION ALL
              SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                || ' comment=' || coalesce(obj_description(t.oid, 'pg_type'), '')
                FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE \(own) GROUP BY n.nspname, t.typname, t.oid
              UNION ALL
              SELECT 'default-acl ' || coalesce(n.nspname, '') || ' ' || d.defaclobjtype::text || ' ' || \(acl("d.defaclacl"))
                FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
              UNION ALL
              SELECT 'database-acl ' || \(acl("datacl"))
                FROM pg_database WHERE datname = current_database()
            ) facts ORDER BY line;
            """
        return try psql(database, sql).split(separator: "\n").map(String.init)
    }
}
