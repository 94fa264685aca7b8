import Compiler
import DSL

/// IR → `sql/<database>/`: every committed migration of a declared database, exactly as it
/// was written and under the append-only policy, so the tool owns the history it will add
/// to: an edited, changed or deleted migration is an error naming it (`check`), and none is
/// ever rewritten or pruned. (New migrations from the declared schema join this list.)
public enum SQLEmitter {
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.databases.flatMap { database in
            database.history.map { migration in
                GeneratedFile(path: migration.path, contents: migration.text, syntax: .sql, policy: .appendOnly)
            }
        }
    }
}
