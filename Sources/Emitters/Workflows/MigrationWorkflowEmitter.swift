import Compiler
import DSL
import Rendering

/// `.github/workflows/database-migrations.yml`: the seeds' `workflow_dispatch` migration workflow,
/// now running `oceanid-apply db migrate <database>` (`--dry-run` when the `dry_run` input is true,
/// the default). It runs on a self-hosted runner because CrunchyBridge's firewall admits only the
/// fleet's egress address (the seeds' FAQ: GitHub-hosted runners come from large, changing
/// ranges that are not allowlisted), so the runner must sit behind that address and have Swift and
/// libpq (`make deps`). Each database reads its URL from the repository secret
/// `<DATABASE>_DATABASE_URL`; inputs reach the shell through `env`, never interpolated into it
/// (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections).
/// The writer owns this one file; the folder's other workflows are hand-written and left alone
/// (`OutputLayout.ownedFiles`).
public enum MigrationWorkflowEmitter {
    /// The workflow, or nothing when the fleet declares no database.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        let names = ir.databases.map(\.name).sorted()
        guard let first = names.first, let origin = ir.databases.first(where: { $0.name == first })?.location else {
            return []
        }
        var text = """
            # Applies a database's committed migrations (or, for one an application owns, its
            # provision.sql) from the self-hosted runner: CrunchyBridge's firewall admits only the
            # fleet's egress address, so GitHub-hosted runners cannot reach the database. The runner
            # needs Swift and libpq (make deps). Secrets: <DATABASE>_DATABASE_URL per database
            # (from the Pulumi ESC environment default/oceanid-cluster), as a role that may migrate.
            name: database-migrations
            on:
              workflow_dispatch:
                inputs:
                  database:
                    description: The database (its folder sql/<database>/)
                    type: choice
                    required: true
                    default: \(first)
                    options:

            """
        for name in names { text += "          - \(name)\n" }
        text += """
                  dry_run:
                    description: Print what would run; run nothing
                    type: boolean
                    default: true
            concurrency:
              group: database-migrations
              cancel-in-progress: false
            jobs:
              migrate:
                runs-on: [self-hosted]
                steps:
                  - uses: actions/checkout@v4
                  - name: Build oceanid-apply
                    run: swift build --product oceanid-apply

            """
        for name in names {
            text += """
                      - name: Migrate \(name)
                        if: inputs.database == '\(name)'
                        env:
                          DATABASE_URL: ${{ secrets.\(name.uppercased())_DATABASE_URL }}
                          DRY_RUN: ${{ inputs.dry_run }}
                        run: |
                          if [ "$DRY_RUN" = true ]; then set -- --dry-run; fi
                          .build/debug/oceanid-apply db migrate "$@" \(name)
                          .build/debug/oceanid-apply db status \(name) || [ "$DRY_RUN" = true ]

                """
        }
        return [GeneratedFile(path: OutputLayout.migrationWorkflow, syntax: .yaml, body: text, origin: origin)]
    }
}
