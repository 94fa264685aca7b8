import Crypto
import Foundation
import SchemaModel

/// A database's committed migrations as oceanid-gen writes them: `sql/<database>/migrations/
/// V<nnnn>__<slug>.sql` and `sql/<database>/schema.lock.json` (the SHA-256 of every file, in
/// order). Read from the repository without the compiler: each file's version comes from its
/// name, its checksum from the `INSERT INTO control.schema_versions` it ends with, and the
/// SHA-256 of the body between `-- oceanid:body begin` and `-- oceanid:body end` must equal
/// that checksum (so an edited body is caught even if the lock were edited too).
public struct MigrationFiles: Equatable {
    /// One committed migration file.
    public struct File: Equatable {
        /// Its version (`V0003__...` is 3).
        public var version: Int
        /// The file name, without its folder.
        public var name: String
        /// The file's text (what `migrate` sends).
        public var text: String
        /// The checksum it records (`sha256:<64 hex>`), nil when it records none.
        public var checksum: String?
        /// Whether the file runs in its own transaction; false when its header carries
        /// `-- oceanid:non-transactional` (`CREATE INDEX CONCURRENTLY` cannot run inside one).
        public var transactional: Bool
        /// The version as the history table stores it (`0003`).
        public var label: String { String(format: "%04d", version) }
    }

    /// The database's name.
    public var database: String
    /// The files in version order.
    public var files: [File]
    /// Problems that make the history untrustworthy (a file edited, missing from the lock,
    /// or listed but missing), one sentence each; `status` reports them and `migrate` refuses.
    public var problems: [String]

    /// The schema the committed migrations produce (the lock's `schema`), nil when the lock
    /// cannot be read.
    public var lockedSchema: SchemaState?

    /// The header line of a migration that runs statement by statement outside a transaction.
    static let nonTransactional = "-- oceanid:non-transactional"

    /// `sql/<database>`, relative to the repository.
    public static func folder(_ database: String) -> String { "sql/\(database)" }

    /// Reads `<root>/sql/<database>/`; throws a sentence when the database has no migrations
    /// (oceanid-gen does not manage its schema, e.g. one an application owns).
    public static func read(database: String, root: String) throws -> MigrationFiles {
        let folder = root + "/" + folder(database) + "/migrations"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw DatabaseCommandError(
                "\(Self.folder(database))/migrations does not exist: oceanid-gen keeps no migration history for "
                    + "'\(database)' (an unknown database, or one an application owns and migrates itself)")
        }
        var files: [File] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let version = version(of: name) else {
                problems.append("\(name) is not named V<number>__<slug>.sql")
                continue
            }
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            let checksum = recordedChecksum(in: text)
            let lines = text.split(separator: "\n")
            if lines.contains(where: { $0.hasPrefix(nonTransactional) }) && lines.contains("BEGIN;") {
                problems.append("\(name) is marked non-transactional but opens a transaction")
            }
            if let checksum, let body = body(of: text), "sha256:" + sha256(body) != checksum {
                problems.append("\(name) was edited: its body no longer hashes to the \(checksum) it records")
            }
            files.append(
                File(
                    version: version, name: name, text: text, checksum: checksum,
                    transactional: !text.split(separator: "\n").contains { $0.hasPrefix(nonTransactional) }))
        }
        files.sort { $0.version < $1.version }
        for (index, file) in files.enumerated() where file.version != index + 1 {
            problems.append("\(file.name) is out of sequence: expected V\(String(format: "%04d", index + 1))")
            break
        }
        problems += lockProblems(files, database: database, root: root)
        struct Lock: Decodable { var schema: SchemaState }
        let lock = FileManager.default.contents(atPath: root + "/" + Self.folder(database) + "/schema.lock.json")
        return MigrationFiles(
            database: database, files: files, problems: problems,
            lockedSchema: lock.flatMap { try? JSONDecoder().decode(Lock.self, from: $0).schema })
    }

    /// The files the lock lists with other bytes, or does not list, or lists but are missing.
    static func lockProblems(_ files: [File], database: String, root: String) -> [String] {
        let path = folder(database) + "/schema.lock.json"
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
            return ["\(path) is missing; restore it from git"]
        }
        struct Lock: Decodable {
            struct Entry: Decodable {
                var file: String
                var sha256: String
            }
            var migrations: [Entry]
        }
        guard let lock = try? JSONDecoder().decode(Lock.self, from: data) else {
            return ["\(path) cannot be read; restore it from git"]
        }
        var problems: [String] = []
        let locked = Dictionary(lock.migrations.map { ($0.file, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        for file in files {
            switch locked[file.name] {
            case nil: problems.append("\(file.name) is not listed in \(path); migrations are generated, never written")
            case let sum? where sum != sha256(file.text):
                problems.append("\(file.name) differs from the bytes \(path) records; restore it from git")
            default: break
            }
        }
        for entry in lock.migrations where !files.contains(where: { $0.name == entry.file }) {
            problems.append("\(entry.file) is listed in \(path) but missing; restore it from git")
        }
        return problems
    }

    /// `V0003__slug.sql` → 3.
    static func version(of name: String) -> Int? {
        guard name.hasPrefix("V"), let end = name.range(of: "__") else { return nil }
        return Int(name[name.index(after: name.startIndex)..<end.lowerBound])
    }

    /// The `'sha256:...'` the file's last `INSERT INTO control.schema_versions` records.
    static func recordedChecksum(in text: String) -> String? {
        guard
            let line = text.split(separator: "\n").last(where: { $0.hasPrefix("INSERT INTO control.schema_versions") }),
            let range = line.range(of: "'sha256:")
        else { return nil }
        return String(line[line.index(after: range.lowerBound)...].prefix(71))
    }

    /// The lines between the body markers, each ending in a newline (what the checksum hashes).
    static func body(of text: String) -> String? {
        guard let begin = text.range(of: "-- oceanid:body begin\n"),
            let end = text.range(of: "-- oceanid:body end", range: begin.upperBound..<text.endIndex)
        else { return nil }
        return String(text[begin.upperBound..<end.lowerBound])
    }

    /// SHA-256 of the text's UTF-8 bytes, lower-case hex.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// A sentence that stops a database command (exit 1).
public struct DatabaseCommandError: Error, CustomStringConvertible, Equatable {
    /// The sentence.
    public var description: String
    /// A sentence.
    public init(_ description: String) { self.description = description }
}
