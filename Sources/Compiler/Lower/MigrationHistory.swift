import DSL

/// The committed migrations of a database: `sql/<db>/migrations/V<NNNN>__<slug>.sql`, read
/// through the compile's input tree (the index, HEAD or the working tree), in version order.
public enum MigrationHistory {
    /// Every file under `sql/` that is not a well-formed migration of a declared database:
    /// a file name outside `V<NNNN>__<slug>.sql`, a version given twice, a folder of a
    /// database the fleet does not declare. Reported at the file itself.
    public static func problems(databases: [String], inputs: InputTree) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let declared = Set(databases)
        var versions: [String: [Int: String]] = [:]
        for path in inputs.files(under: [OutputLayout.Root.sql.rawValue]) where inputs.read(path) != nil {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count >= 2 else { continue }
            let database = parts[1]
            guard declared.contains(database) else {
                out.append(
                    .invalidMigration(
                        path, problem: "belongs to database '\(database)', which the fleet does not declare"))
                continue
            }
            guard parts.count == 4, parts[2] == "migrations" else { continue }  // other files of the database folder
            let name = parts[3]
            guard let version = version(ofMigrationNamed: name) else {
                out.append(.invalidMigration(path, problem: "is not named V<NNNN>__<slug>.sql"))
                continue
            }
            if let first = versions[database]?[version] {
                // Two branches that each added the next version, merged: the one no database has
                // applied moves after the other (`build --renumber`, DraftMigrations in Workspace).
                out.append(
                    .invalidMigration(
                        path,
                        problem: "repeats version \(version) of '\(first)'; if two branches each added it, "
                            + "keep the one a database may have applied and run "
                            + "`oceanid-gen build --renumber <the other>`, which writes its change again as the next version"
                    ))
            } else {
                versions[database, default: [:]][version] = path
            }
        }
        return out
    }

    /// A database's committed migrations in version order; files `problems` reports are left out.
    public static func read(database: String, from inputs: InputTree) -> [MigrationIR] {
        let folder = OutputLayout.sql(database) + "/migrations"
        return inputs.files(under: [folder]).compactMap { path -> MigrationIR? in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard let version = version(ofMigrationNamed: name), let text = inputs.read(path) else { return nil }
            return MigrationIR(path: path, version: version, text: text)
        }.sorted { $0.version < $1.version }
    }

    /// The version a migration file name `V<NNNN>__<slug>.sql` carries (Flyway's versioned
    /// migration naming, with a four-digit version and a lower-case slug); nil for any other name.
    static func version(ofMigrationNamed name: String) -> Int? {
        name.wholeMatch(of: migrationName).flatMap { Int($0.1) }
    }

    nonisolated(unsafe) private static let migrationName = #/V([0-9]{4})__([a-z0-9][a-z0-9_]*)\.sql/#
}
