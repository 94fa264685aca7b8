import Compiler
import DSL
import Foundation
import TestSupport
import Testing
import Workspace

@testable import OceanidGenKit

/// `oceanid-gen plan` over a fixture history with one commit per risk class: each step is planned
/// against the commit before it (`--base HEAD`), then committed. The fleet is the demo edge
/// (`EdgeFixtures`) plus a namespace and a database that are not the fleet's.
@Suite struct PlanHistoryTests {
    /// What one step of the history declares; every field defaults to the base commit.
    struct Step {
        var image = "busybox:1.36.1"
        var secret = "shop-db"
        var worker = true
        var publicRoute = false
        var protectedRoute = false
        var dropNote = false
        var wideTotal = false
        var reversed = false
    }

    /// The declaration lines each step changes, set by the test that builds the step.
    struct Lines {
        var api = #line
        var route = #line
        var drop = #line
        var total = #line
        var component = #line
    }

    static func fleet(_ step: Step, _ lines: Lines = Lines()) -> FleetDefinition {
        let first = SecretDeclaration("shop-db", keys: ["token": "shopToken"])
        let secret = SecretDeclaration(step.secret, keys: ["token": "shopToken"])
        let api = Deployment("api", line: lines.api) {
            Container("api", image: Image(step.image)) {
                Port("http", 8080)
                Env("SHOP_TOKEN", secret: secret, key: "token")
            }
            .args(["sh", "-c", "sleep infinity"])
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
            .securityContext(.restricted)
        }
        let worker = Deployment("worker") {
            Container("worker", image: "busybox:1.36.1")
                .args(["sh", "-c", "sleep infinity"])
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
                .securityContext(.restricted)
        }
        let shop = Namespace("shop") {
            first
            if step.secret != first.name { secret }
            Component("api", line: lines.component) {
                if step.reversed {
                    if step.worker { worker }
                    api
                } else {
                    api
                    if step.worker { worker }
                }
            }
        }
        var rules = EdgeFixtures.clusterRules()
        let web = IngressService.service("web", namespace: "web", port: "http")
        if step.publicRoute {
            rules.insert(
                TunnelIngressRule("shop.example.com", to: web, line: lines.route).publicOnPurpose("the storefront"),
                at: 1)
        }
        if step.protectedRoute {
            rules.insert(TunnelIngressRule("admin.example.com", to: web, line: lines.route), at: 1)
        }
        var policies = [AccessPolicy("model.example.com", serviceTokens: [EdgeFixtures.pipeline])]
        if step.protectedRoute { policies.append(AccessPolicy("admin.example.com", emails: ["ops@example.com"])) }
        var fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(clusterRules: rules, policies: policies))
        fleet.clusters[0].items.append(.namespace(shop))
        let orders = Table("orders") {
            Column("order_id", .bigint)
            Column("total", step.wideTotal ? .bigint : .integer, line: lines.total)
            if !step.dropNote { Column("note", .text, nullable: true) }
            if step.dropNote { Drop("note", because: "nobody reads it", line: lines.drop) }
            PrimaryKey("order_id")
        }
        let customers = Table("customers") {
            Column("customer_id", .bigint)
            PrimaryKey("customer_id")
        }
        fleet.databases.append(
            Database("shop") {
                Schema("shop", comment: "Orders.") {
                    if step.reversed {
                        customers
                        orders.allowingLock(because: "a few hundred rows")
                    } else {
                        orders.allowingLock(because: "a few hundred rows")
                        customers
                    }
                }
            })
        return FleetDefinition(fleet)
    }

    /// Plans `fleet` against HEAD as JSON, expects `status`, commits the step, and returns its changes
    /// as `action kind name [risks] origin-suffix`.
    func step(
        _ git: GitFixture, _ fleet: FleetDefinition, status: Int32,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [[String: Any]] {
        let run = CapturedRun(fleet, ["plan", "--base", "HEAD", "--format", "json"], root: git.path)
        #expect(run.status == status, "\(run.out)\(run.err)", sourceLocation: sourceLocation)
        let document = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        let built = CapturedRun(fleet, ["build", "--commit"], root: git.path)
        #expect(built.status == 0, "\(built.out)\(built.err)", sourceLocation: sourceLocation)
        return document?["changes"] as? [[String: Any]] ?? []
    }

    static func summary(_ change: [String: Any]) -> String {
        let risks = (change["risks"] as? [String] ?? []).joined(separator: ",")
        let origin = (change["origin"] as? String).map { " " + ($0.split(separator: "/").last.map(String.init) ?? $0) }
        return "\(change["action"] ?? "") \(change["kind"] ?? "") \(change["name"] ?? "") [\(risks)]\(origin ?? "")"
    }

    static let me = "PlanHistoryTests.swift"

    /// A change of the desired cloud state (docs/ restate the routes too).
    static func isCloud(_ change: [String: Any]) -> Bool {
        (change["kind"] as? String)?.hasPrefix("cloudflare.") == true
    }

    @Test func oneCommitPerRiskClass() throws {
        let git = try GitFixture(fleet: Self.fleet(Step()))
        defer { git.remove() }
        var step = Step()

        // restarts: a new image in the pod template.
        var lines = Lines()
        lines.api = #line
        step.image = "busybox:1.37.0"
        let restarts = try self.step(git, Self.fleet(step, lines), status: 1)
        #expect(restarts.map(Self.summary) == ["change Deployment shop/api [restarts] \(Self.me):\(lines.api)"])

        // credentials: the secret the pods read.
        lines.api = #line
        step.secret = "shop-db-v2"
        let credentials = try self.step(git, Self.fleet(step, lines), status: 1)
        #expect(
            credentials.map(Self.summary).filter { $0.hasPrefix("change Deployment") }
                == ["change Deployment shop/api [restarts,credentials] \(Self.me):\(lines.api)"],
            "\(credentials.map(Self.summary))")
        #expect(credentials.contains { $0["kind"] as? String == "ExternalSecret" && $0["action"] as? String == "add" })

        // deletes: the worker goes; the component that no longer declares it is the declaration.
        lines.component = #line
        step.worker = false
        let deletes = try self.step(git, Self.fleet(step, lines), status: 3)
        #expect(
            deletes.map(Self.summary).contains("delete Deployment shop/worker [deletes] \(Self.me):\(lines.component)"),
            "\(deletes.map(Self.summary))")

        // exposes: a public route, no Access application.
        lines.route = #line
        step.publicRoute = true
        let exposes = try self.step(git, Self.fleet(step, lines), status: 3).filter(Self.isCloud)
        #expect(
            exposes.map(Self.summary) == [
                "add cloudflare.dnsRecords shop.example.com [cloud] \(Self.me):\(lines.route)",
                "add cloudflare.dnsTargetSettings shop.example.com [] \(Self.me):\(lines.route)",
                "change cloudflare.tunnels edge [exposes,cloud] \(Self.me):\(lines.route)",
            ], "\(exposes.map(Self.summary))")
        // Keyed by hostname: the inserted rule is the only rule that changed.
        let tunnel: [[String: Any]] = exposes.last?["fields"] as? [[String: Any]] ?? []
        let paths: [String] = tunnel.compactMap { $0["path"] as? String }
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { $0.hasPrefix("ingress[hostname=shop.example.com].") }, "\(paths)")

        // cloud: a route behind Access needs only the applier.
        lines.route = #line
        step.protectedRoute = true
        let cloud = try self.step(git, Self.fleet(step, lines), status: 1).filter(Self.isCloud)
        #expect(
            cloud.map(Self.summary) == [
                "add cloudflare.accessApplications admin.example.com [cloud] \(Self.me):\(lines.route)",
                "add cloudflare.dnsRecords admin.example.com [cloud] \(Self.me):\(lines.route)",
                "add cloudflare.dnsTargetSettings admin.example.com [] \(Self.me):\(lines.route)",
                "change cloudflare.tunnels edge [cloud] \(Self.me):\(lines.route)",
            ], "\(cloud.map(Self.summary))")

        // lock-heavy: integer to bigint rewrites the existing table under ACCESS EXCLUSIVE.
        lines.total = #line
        step.wideTotal = true
        let locks = try self.step(git, Self.fleet(step, lines), status: 1)
        let migration = try #require(locks.first { $0["kind"] as? String == "migration" }, "\(locks)")
        #expect(
            Self.summary(migration).hasSuffix(" [lock-heavy] \(Self.me):\(lines.total)"), "\(Self.summary(migration))")
        let fields = (migration["fields"] as? [[String: Any]] ?? []).map { "\($0["path"] ?? ""): \($0["new"] ?? "")" }
        #expect(fields.first == "lock: ACCESS EXCLUSIVE", "\(fields)")
        #expect(
            fields.contains { $0.hasSuffix("alter column type on shop.orders: ACCESS EXCLUSIVE, rewrite") }, "\(fields)"
        )

        // destructive-sql: a column dropped on purpose.
        lines.drop = #line
        step.dropNote = true
        let drops = try self.step(git, Self.fleet(step, lines), status: 3)
        let dropped = try #require(drops.first { $0["kind"] as? String == "migration" }, "\(drops)")
        #expect(
            Self.summary(dropped).hasSuffix(" [destructive-sql,lock-heavy] \(Self.me):\(lines.drop)"),
            "\(Self.summary(dropped))")

        // A reordering of declarations plans nothing.
        step.reversed = true
        let run = CapturedRun(Self.fleet(step, lines), ["plan", "--base", "HEAD", "--format", "text"], root: git.path)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.hasPrefix("No changes against HEAD."), "\(run.out)")
    }

    /// A committed migration's header keeps the line its declaration had when it was written; the plan
    /// names where the declaration is now (the head's IR), so an edit above it does not leave the plan
    /// pointing at another line.
    @Test func aMigrationNamesItsDeclarationAsTheHeadDeclaresIt() throws {
        let git = try GitFixture(fleet: Self.fleet(Step()))
        defer { git.remove() }
        var step = Step()
        var lines = Lines()
        lines.total = #line
        step.wideTotal = true
        _ = try self.step(git, Self.fleet(step, lines), status: 1)
        let written = lines.total
        let folder = git.path + "/sql/shop/migrations"
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted().last { $0.hasPrefix("V0002__") })
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        #expect(
            text.contains("shop.orders.total from integer to bigint (") && text.contains("/\(Self.me):\(written))\n"))

        // Lines are added above the declaration after the migration was written (and committed).
        lines.total = #line
        let run = CapturedRun(Self.fleet(step, lines), ["plan", "--base", "main", "--format", "json"], root: git.path)
        #expect(run.status == 1, "\(run.out)\(run.err)")
        let document = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        let changes = document?["changes"] as? [[String: Any]] ?? []
        let migration = try #require(changes.first { $0["kind"] as? String == "migration" }, "\(run.out)")
        #expect(
            Self.summary(migration)
                == "add migration sql/shop/migrations/\(name) [lock-heavy] \(Self.me):\(lines.total)")

        // Without the head's declarations (a plan of files alone), the header's line is the fallback.
        let files = FleetPlan.make(base: [:], head: ["sql/shop/migrations/\(name)": text])
        #expect(files.changes.first?.origin?.hasSuffix("/\(Self.me):\(written)") == true, "\(files.changes)")
    }

    /// Every header line the compiler writes names its declaration by a key the head's IR knows
    /// (`SchemaChange.declarationKey`), at the line the header says when nothing moved.
    @Test func everyHeaderLineMapsToItsDeclaration() throws {
        let git = try GitFixture(fleet: Self.fleet(Step()))
        defer { git.remove() }
        var step = Step()
        step.wideTotal = true
        _ = try self.step(git, Self.fleet(step), status: 1)
        step.dropNote = true
        _ = try self.step(git, Self.fleet(step), status: 3)
        let generated = BuildPipeline(definition: Self.fleet(step), root: git.path).generate(
            inputs: WorktreeSource(root: git.path))
        let database = try #require(generated.ir?.databases.first { $0.name == "shop" })
        #expect(database.history.count == 3)
        let headers = (database.history + database.next).flatMap { FleetPlan.headerLocations($0.text) }
        #expect(!headers.isEmpty)
        for header in headers {
            let key = SchemaChange.declarationKey(summary: header.summary)
            let location = key.flatMap { database.declarations[$0] }
            #expect(
                location.map { "\($0.file.split(separator: "/").last ?? ""):\($0.line)" }
                    == header.location.split(separator: "/").last.map(String.init), "\(header) → \(key ?? "nil")")
        }
        // The other forms the differ writes.
        let keys = [
            "create role bi_readonly (NOLOGIN)": "role:bi_readonly",
            "role app LOGIN": "role:app",
            "comment on role app": "role:app",
            "grant INSERT, SELECT, UPDATE on tables:stage to csv_ingestion_worker":
                "grant:csv_ingestion_worker tables:stage",
            "grant CONNECT on database to postgraphile": "grant:postgraphile database",
            "create schema curated": "schema:curated",
            "add value 'closed' to enum shop.status": "enum:shop.status",
            "comment on type shop.status": "enum:shop.status",
            "rename table shop.order to orders": "table:shop.orders",
            "rename column shop.orders.sum to total": "column:shop.orders.total",
            "create index orders_total_idx on shop.orders": "index:shop.orders.orders_total_idx",
            "validate constraint orders_fk on shop.orders": "constraint:shop.orders.orders_fk",
            "set not null on shop.orders.total: backfilled": "column:shop.orders.total",
            "drop table shop.old: merged into orders": "drop-table:shop.old",
            "drop column shop.orders.note: nobody reads it": "drop-column:shop.orders.note",
        ]
        for (summary, key) in keys { #expect(SchemaChange.declarationKey(summary: summary) == key, "\(summary)") }
        #expect(SchemaChange.declarationKey(summary: "drop index orders_total_idx") == nil)
        #expect(SchemaChange.declarationKey(summary: "comment on database") == nil)
    }

    /// The settings behind a change are those marked in its changed values, not every setting of its
    /// file; a setting that cannot be marked (a boolean) is named by the file it feeds.
    @Test func eachChangeNamesTheSettingsInItsChangedValues() throws {
        let definition = ProvenanceFixtures.definition
        let git = try GitFixture(fleet: definition, branch: nil)
        defer { git.remove() }
        try git.folder.write("settings.yaml", "imageA: nginx:1.28\nmode: b\nwithWorker: true\n")
        let run = CapturedRun(definition, ["plan", "--base", "HEAD", "--format", "json"], root: git.path)
        #expect(run.status == 1, "\(run.out)\(run.err)")
        let document = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        let changes = document?["changes"] as? [[String: Any]] ?? []
        func settings(_ kind: String, _ name: String) -> [String]? {
            changes.first { $0["kind"] as? String == kind && $0["name"] as? String == name }?["settings"] as? [String]
        }
        // alpha's file is also fed by domain and replicas, whose values did not change.
        #expect(settings("Deployment", "apps/alpha") == ["imageA", "mode"], "\(run.out)")
        #expect(settings("Deployment", "apps/beta") == nil, "beta reads imageB and zone, unchanged")
        #expect(settings("Deployment", "apps/worker") == ["withWorker"], "\(run.out)")
    }
}
