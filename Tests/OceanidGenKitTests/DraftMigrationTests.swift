import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// A migration that is not committed yet is the developer's draft: `build` rewrites it while
/// the schema changes, so an uncommitted change stays one migration (`DraftMigrations`). HEAD
/// is read through libgit2, as the workspace does, in a scratch git repository.
@Suite struct DraftMigrationTests {
    /// The shop database with up to two extra columns of orders.
    static func shop(extra: String?, then second: String? = nil) -> FleetDefinition {
        FleetDefinition(
            Fleet("shop") {
                Database("shop") {
                    Schema("shop", comment: "Orders.") {
                        Table("orders") {
                            Column("order_id", .bigint, identity: true)
                            Column("total", .numeric(10, 2), default: "0")
                            if let extra { Column(extra, .text, nullable: true) }
                            if let second { Column(second, .text, nullable: true) }
                            PrimaryKey("order_id")
                        }
                    }
                }
            })
    }

    static let migrations = "sql/shop/migrations"

    func repository() throws -> GitFixture {
        let git = try GitFixture()
        try git.folder.write("definitions/README.md", "the fleet\n")
        return git
    }

    func migrationFiles(_ dir: GitFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + Self.migrations).sorted()
    }

    @Test func twoUncommittedSchemaChangesLeaveOneNewMigration() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(Self.shop(extra: nil), ["build"], root: dir.path).status == 0)
        try dir.commit([:], message: "the shop")
        let committed = try migrationFiles(dir)
        #expect(committed == ["V0001__create_shop.sql"])

        // First try: a note column. A draft V0002 appears.
        #expect(CapturedRun(Self.shop(extra: "note"), ["build"], root: dir.path).status == 0)
        let first = try migrationFiles(dir)
        #expect(first.count == 2 && first[1].hasPrefix("V0002__"), "\(first)")

        // Second thought, still uncommitted: a gift message instead. Still one new migration,
        // V0002, now adding gift_message and not note; build says it rewrote the draft.
        let second = CapturedRun(Self.shop(extra: "gift_message"), ["build"], root: dir.path)
        #expect(second.status == 0, "\(second.err)")
        let files = try migrationFiles(dir)
        #expect(files.count == 2 && files[0] == committed[0] && files[1].hasPrefix("V0002__"), "\(files)")
        let draft = try #require(dir.folder.read(Self.migrations + "/" + files[1]))
        #expect(draft.contains("gift_message") && !draft.contains("\"note\""), "\(draft)")
        #expect(
            second.err.contains("\(Self.migrations)/\(first[1]): note: rewrote this draft migration (not in HEAD)"),
            "\(second.err)")
        #expect(!second.err.contains("removed"), "\(second.err)")
        // The lock names the committed migration and the one draft, in order.
        let lock = try #require(dir.folder.read("sql/shop/schema.lock.json"))
        #expect(lock.contains(committed[0]) && lock.contains(files[1]), "\(lock)")
        #expect(first[1] == files[1] || !lock.contains(first[1]), "\(lock)")
        let check = CapturedRun(Self.shop(extra: "gift_message"), ["check", "--against", "worktree"], root: dir.path)
        #expect(check.status == 0, "\(check.out)")

        // Deleting the draft by hand is no error: the next build writes it again.
        try FileManager.default.removeItem(atPath: dir.path + "/" + Self.migrations + "/" + files[1])
        let rebuilt = CapturedRun(Self.shop(extra: "gift_message"), ["build"], root: dir.path)
        #expect(rebuilt.status == 0, "\(rebuilt.err)")
        #expect(try migrationFiles(dir) == files)

        // Reverting the change removes the draft.
        let reverted = CapturedRun(Self.shop(extra: nil), ["build"], root: dir.path)
        #expect(reverted.status == 0, "\(reverted.err)")
        #expect(try migrationFiles(dir) == committed)
        #expect(reverted.err.contains("removed this draft migration"), "\(reverted.err)")

        // Committed, a migration is history: the next change stacks V0003 on it.
        #expect(CapturedRun(Self.shop(extra: "gift_message"), ["build"], root: dir.path).status == 0)
        try dir.run("add", "-A")
        #expect(CapturedRun(Self.shop(extra: "gift_message"), ["check"], root: dir.path).status == 0)
        try dir.run("commit", "-q", "-m", "gift messages")
        let stacked = CapturedRun(Self.shop(extra: "gift_message", then: "wrapped"), ["build"], root: dir.path)
        #expect(stacked.status == 0, "\(stacked.err)")
        let after = try migrationFiles(dir)
        #expect(after.count == 3 && Array(after.prefix(2)) == files && after[2].hasPrefix("V0003__"), "\(after)")
        #expect(!stacked.err.contains("draft"), "\(stacked.err)")
    }

    /// Two branches each committed V0002, merged: build names the collision and the way out;
    /// `build --renumber` moves the named one after the other (V0003), keeps the other's bytes
    /// (the lock's checksums and order), and the merged tree then checks clean.
    @Test func twoBranchesThatEachAddedV0002AreRenumbered() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(Self.shop(extra: nil), ["build"], root: dir.path).status == 0)
        try dir.commit([:], message: "the shop")
        var added: [String: String] = [:]
        for column in ["alpha", "beta"] {
            try dir.run("checkout", "-q", "-b", column, "main")
            #expect(CapturedRun(Self.shop(extra: column), ["build"], root: dir.path).status == 0)
            added[column] = try migrationFiles(dir).first { $0.hasPrefix("V0002__") }
            try dir.commit([:], message: "add \(column)")
        }
        let alpha = Self.migrations + "/" + (added["alpha"] ?? "")
        let beta = Self.migrations + "/" + (added["beta"] ?? "")
        try #require(alpha != beta, "the two branches' migrations need different names")
        let alphaText = try #require(try dir.run("show", "alpha:" + alpha) as String?)
        try dir.run("checkout", "-q", "alpha")
        _ = try runProcess("git", ["-C", dir.path, "merge", "-q", "--no-edit", "beta"])

        let merged = Self.shop(extra: "alpha", then: "beta")
        let refused = CapturedRun(merged, ["build"], root: dir.path)
        #expect(refused.status == 2)
        #expect(refused.err.contains("repeats version 2"), "\(refused.err)")
        #expect(refused.err.contains("`oceanid-gen build --renumber <the other>`"), "\(refused.err)")

        let renumbered = CapturedRun(merged, ["build", "--renumber", beta], root: dir.path)
        #expect(renumbered.status == 0, "\(renumbered.err)")
        let files = try migrationFiles(dir)
        #expect(files.count == 3 && files[1] == added["alpha"] && files[2].hasPrefix("V0003__"), "\(files)")
        #expect(renumbered.err.contains("\(beta): note: renumbered"), "\(renumbered.err)")
        #expect(dir.folder.read(alpha) == alphaText, "the kept migration keeps its bytes")
        let third = try #require(dir.folder.read(Self.migrations + "/" + files[2]))
        #expect(third.contains("\"beta\"") && !third.contains("\"alpha\""), "\(third)")
        #expect(CapturedRun(merged, ["check", "--against", "worktree"], root: dir.path).status == 0)
        try dir.run("add", "-A")
        #expect(CapturedRun(merged, ["check"], root: dir.path).status == 0)
        try dir.run("commit", "-q", "--no-edit")
        #expect(CapturedRun(merged, ["check", "--against", "head"], root: dir.path).status == 0)

        // Nothing to renumber outside a merge: said, nothing written.
        let nothing = CapturedRun(merged, ["build", "--renumber", alpha], root: dir.path)
        #expect(nothing.status == 4)
        #expect(nothing.err.contains("\(alpha): error: cannot renumber"), "\(nothing.err)")
    }

    /// Outside git nothing says what was committed: every migration is history, as before.
    @Test func outsideGitMigrationsStack() throws {
        let dir = try TemporaryFolder("oceanid-drafts")
        defer { dir.remove() }
        #expect(CapturedRun(Self.shop(extra: nil), ["build"], root: dir.path).status == 0)
        #expect(CapturedRun(Self.shop(extra: "note"), ["build"], root: dir.path).status == 0)
        let stacked = CapturedRun(Self.shop(extra: "gift_message"), ["build"], root: dir.path)
        #expect(stacked.status == 2, "dropping note needs Drop(...): \(stacked.err)")
    }
}
