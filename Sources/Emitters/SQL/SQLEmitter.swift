import Compiler
import DSL
import Rendering

/// IR → `sql/<database>/`: every committed migration exactly as it was written and the one
/// this build adds, under the append-only policy (never rewritten, never pruned: an edited,
/// changed or deleted one is an error naming it), and `schema.lock.json` (the schema they
/// produce and each file's SHA-256), regenerated. A database an application owns gets
/// `sql/<database>/provision.sql` instead (`ProvisionSQL`), regenerated, and no history.
public enum SQLEmitter {
    /// For each entry of `FleetIR.databases`: `sql/<database>/migrations/V<NNNN>__<slug>.sql` for every
    /// migration (`history`, then `next` when the build adds one), append-only with the committed
    /// text byte for byte, then `sql/<database>/schema.lock.json` from `lock`.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.databases.flatMap { database -> [GeneratedFile] in
            // A database an application owns: its idempotent provisioning, no history.
            if let provision = database.provision {
                // It supersedes any history oceanid-gen once wrote there (labelfish's V0001).
                var file = GeneratedFile(
                    path: ProvisionSQL.path(database.name), contents: provision, syntax: .sql,
                    origin: database.location)
                file.retires = [OutputLayout.sql(database.name) + "/migrations/"]
                return [file]
            }
            // A history regenerated from a new baseline (`Baseline`) replaces the committed one once:
            // written over, and the files it no longer has pruned.
            let migrations = (database.history + database.next).map { migration in
                GeneratedFile(
                    path: migration.path, contents: migration.text, syntax: .sql,
                    policy: database.regenerated ? .regenerate : .appendOnly, origin: database.location)
            }
            var lock = GeneratedFile(
                path: SchemaLock.path(database.name), syntax: .json, body: JSONRenderer.render(database.lock),
                origin: database.location)
            if database.regenerated { lock.retires = [OutputLayout.sql(database.name) + "/migrations/"] }
            // The baseline is the operator's (`db inspect`): written back as read, so the build keeps it.
            let adopt = database.adopt.map {
                [
                    GeneratedFile(
                        path: Baseline.adoptPath(database.name), contents: $0, syntax: .sql, origin: database.location)
                ]
            }
            return migrations + [lock] + (adopt ?? [])
        }
    }
}
