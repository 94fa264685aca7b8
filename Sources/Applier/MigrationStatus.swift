import Foundation

/// Where a database stands against its committed migrations: which recorded versions match a
/// committed file, which files are pending, which recorded versions have no file (another
/// branch or a hand-made row), and which recorded a checksum other than the committed file's
/// (Flyway's `validate`: https://documentation.red-gate.com/fd/validate-184127464.html).
public struct MigrationStatus: Equatable {
    /// One row of `control.schema_versions` for the database's domain.
    public struct Recorded: Equatable {
        /// The version as stored (`0003`).
        public var version: String
        /// `sha256:...`, nil in a history table without the column (before oceanid-gen).
        public var checksum: String?
    }
    /// A recorded version whose checksum is not the committed file's.
    public struct Mismatch: Equatable {
        /// The committed file.
        public var file: String
        /// What the database recorded (nil: no checksum).
        public var recorded: String?
        /// What the committed file records.
        public var committed: String?
    }

    /// Committed files the database recorded with the same checksum, in order.
    public var applied: [MigrationFiles.File] = []
    /// Committed files the database has not recorded, in order.
    public var pending: [MigrationFiles.File] = []
    /// Recorded versions without a committed file.
    public var unknown: [Recorded] = []
    /// Recorded versions whose checksum differs from the committed file's.
    public var mismatches: [Mismatch] = []
    /// Whether `control.schema_versions` exists at all.
    public var historyExists = false
    /// Whether it predates oceanid-gen: the seeds' `control.schema_versions(domain, version,
    /// activated_at)`, without the `checksum` column every generated migration writes.
    public var legacyHistory = false

    /// Compares the committed files with the recorded rows.
    public init(files: MigrationFiles, recorded: [Recorded], historyExists: Bool) {
        self.historyExists = historyExists
        let byLabel = Dictionary(recorded.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        for file in files.files {
            guard let row = byLabel[file.label] else {
                pending.append(file)
                continue
            }
            if row.checksum == file.checksum {
                applied.append(file)
            } else {
                mismatches.append(Mismatch(file: file.name, recorded: row.checksum, committed: file.checksum))
            }
        }
        let labels = Set(files.files.map(\.label))
        unknown = recorded.filter { !labels.contains($0.version) }.sorted { $0.version < $1.version }
    }

    /// A pending file older than an applied one (the history was rewritten under the database).
    public var gaps: [MigrationFiles.File] {
        guard
            let newest = (applied.map(\.version) + mismatches.compactMap { MigrationFiles.version(of: $0.file) }).max()
        else { return [] }
        return pending.filter { $0.version < newest }
    }

    /// Reads the database's rows of `control.schema_versions` (none when the table is missing;
    /// a nil checksum when the table predates oceanid-gen and has no such column, `legacy`).
    public static func recorded(_ connection: PostgresConnection, database: String) throws -> (
        rows: [Recorded], exists: Bool, legacy: Bool
    ) {
        let exists = try connection.query("SELECT to_regclass('control.schema_versions') IS NOT NULL")
        guard exists.first?.first == "t" else { return ([], false, false) }
        let hasChecksum = try connection.query(
            """
            SELECT count(*) FROM pg_catalog.pg_attribute
            WHERE attrelid = 'control.schema_versions'::regclass AND attname = 'checksum' AND NOT attisdropped
            """)
        let checksum = hasChecksum.first?.first == "1" ? "checksum" : "NULL::text"
        // Rows without a checksum in an adopted table were recorded before oceanid-gen: not its history.
        let rows = try connection.query(
            "SELECT version::text, \(checksum) FROM control.schema_versions WHERE domain = $1"
                + (checksum == "checksum" ? " AND checksum IS NOT NULL" : "") + " ORDER BY version",
            [database])
        return (rows.map { Recorded(version: $0[0] ?? "", checksum: $0[1]) }, true, checksum != "checksum")
    }
}
