import Compiler
import DSL
import TestSupport
import Testing

/// The typed forms of the DSL (issue 30, item 7): Access hangs off the route it protects, routes
/// take the Service value, grants and URLs the role value, Kubernetes enumerations are enums. Each
/// makes what the string form made, and the checks that caught string mistakes still point at the
/// declaration that is wrong.
@Suite struct TypedFormTests {
    func check(_ fleet: Fleet) -> [Diagnostic] { FleetCheck.run(fleet) }

    /// The node tunnel's rules with `model.example.com` protected by `tokens` on its own line.
    func protectedNode(_ tokens: [AccessServiceToken], line: inout Int) -> Cloudflare {
        line = #line + 1
        let rule = TunnelIngressRule("model.example.com", to: .host(EdgeFixtures.model, port: "http")).protected(
            by: tokens)
        return EdgeFixtures.cloudflare(nodeRules: [rule, .catchAll(.httpStatus(404))], policies: [])
    }

    @Test func aProtectedRouteIsItsOwnAccessPolicy() throws {
        var line = 0
        let zone = protectedNode([EdgeFixtures.pipeline], line: &line)
        let policy = try #require(zone.accessPolicies.first)
        #expect(zone.accessPolicies.count == 1)
        #expect(policy.hostname == "model.example.com")
        #expect(policy.serviceTokens == [EdgeFixtures.pipeline])
        #expect(policy.location.line == line)
        // The same fleet as the hostname-repeating form: clean, and the same Access applications.
        #expect(check(EdgeFixtures.fleet(zone)) == [])
        let old = EdgeFixtures.cloudflare()
        #expect(old.accessPolicies.map(\.hostname) == zone.accessPolicies.map(\.hostname))
    }

    @Test func aProtectedRouteIsReportedAtItsCall() throws {
        var line = 0
        let zone = protectedNode([EdgeFixtures.pipeline, AccessServiceToken("other")], line: &line)
        let diagnostics = check(EdgeFixtures.fleet(zone))
        #expect(diagnostics.map(\.code) == [.undeclaredServiceToken], "\(diagnostics.map { $0.formatted() })")
        #expect(diagnostics.first?.location.line == line)
        #expect(
            diagnostics.first?.message
                == "Access policy for 'model.example.com' admits service token 'other', which the zone does not declare"
        )
    }

    @Test func publicOnPurposeAndProtectedContradict() throws {
        let line = #line + 2
        let web = TunnelIngressRule("web.example.com", to: .service("web", namespace: "web", port: "http"))
            .publicOnPurpose("the demo site").protected(by: [EdgeFixtures.pipeline])
        let zone = EdgeFixtures.cloudflare(clusterRules: [web, .catchAll(.httpStatus(404))])
        let diagnostics = check(EdgeFixtures.fleet(zone))
        #expect(diagnostics.map(\.code) == [.accessPolicyOnPublicRoute], "\(diagnostics.map { $0.formatted() })")
        #expect(diagnostics.first?.location.line == line)
    }

    /// The demo fleet with `rule` as the cluster tunnel's first route and `namespaces` added to
    /// its cluster.
    func withRoute(_ rule: TunnelIngressRule, namespaces: [Namespace] = []) -> Fleet {
        var fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(clusterRules: [rule, .catchAll(.httpStatus(404))]))
        fleet.clusters[0].items += namespaces.map(ClusterItem.namespace)
        return fleet
    }

    @Test func aRouteTakesTheServiceValueAndItsNamespaceFromTheDeclaration() throws {
        let http = ServicePort("http", 80)
        let web = Service("web", selector: ["app.kubernetes.io/name": "web"]) { http }
        // The value forms name no namespace: the compiler takes the one that declares the Service.
        #expect(IngressService.service(web, port: http) == .service("web", namespace: nil, port: .name("http")))
        let chart = ChartService("web-app", ports: [http])
        #expect(IngressService.service(chart, port: http) == .service("web-app", namespace: nil, port: .name("http")))
        // The same route written both ways (at one location) compiles to the same fleet: the demo
        // declares Service 'web' in namespace 'web' only.
        let typed = TunnelIngressRule("web.example.com", to: .service(web, port: http), line: 7).publicOnPurpose("d")
        let named = TunnelIngressRule("web.example.com", to: .service("web", namespace: "web", port: "http"), line: 7)
            .publicOnPurpose("d")
        let typedResult = CompilerPipeline.compile(FleetDefinition(withRoute(typed)))
        let namedResult = CompilerPipeline.compile(FleetDefinition(withRoute(named)))
        #expect(typedResult.diagnostics.filter { $0.severity == .error } == [])
        let typedIR = try #require(typedResult.ir)
        #expect(typedIR == namedResult.ir)
        #expect(
            typedIR.cloud.cloudflare.tunnels.first { $0.name == "edge" }?.ingress.first?.service
                == "http://web.web.svc.cluster.local:80")
    }

    @Test func aRouteToAServiceNoNamespaceDeclaresIsReportedAtTheRule() throws {
        let wbe = Service("wbe", selector: ["app.kubernetes.io/name": "web"]) { ServicePort("http", 80) }
        let line = #line + 1
        let rule = TunnelIngressRule("web.example.com", to: .service(wbe, port: wbe.ports[0])).publicOnPurpose("d")
        let diagnostics = check(withRoute(rule))
        #expect(diagnostics.map(\.code) == [.unknownRouteTarget], "\(diagnostics.map { $0.formatted() })")
        #expect(diagnostics.first?.location.line == line)
        #expect(
            diagnostics.first?.message
                == "web.example.com of tunnel 'edge': Service 'wbe' is not declared in any namespace of cluster 'lab';"
                + " did you mean 'web' (namespace 'web')?")
    }

    @Test func aServiceDeclaredInTwoNamespacesMustBeNamedAtTheRoute() throws {
        // A new app, not one of the demo's: a second Service called 'web' in namespace 'shop'.
        let http = ServicePort("http", 80)
        let shop = Namespace("shop") {
            Component("storefront") {
                let store = Deployment("web") {
                    Container("web", image: "nginxinc/nginx-unprivileged:1.27.2") { Port("http", 80) }
                }
                store
                Service(selecting: store) { http }
            }
        }
        let web = Service("web", selector: ["app.kubernetes.io/name": "web"]) { http }
        let line = #line + 1
        let rule = TunnelIngressRule("web.example.com", to: .service(web, port: http)).publicOnPurpose("d")
        let ambiguous = check(withRoute(rule, namespaces: [shop])).filter { $0.code == .unknownRouteTarget }
        #expect(ambiguous.count == 1, "\(ambiguous.map { $0.formatted() })")
        #expect(ambiguous.first?.location.line == line)
        #expect(
            ambiguous.first?.message
                == "web.example.com of tunnel 'edge': Service 'web' is declared in namespaces 'shop', 'web' of cluster"
                + " 'lab'; name the one meant: .service(\"web\", namespace: \"shop\", port: ...)")
        // Naming the namespace resolves it.
        let named = TunnelIngressRule("web.example.com", to: .service("web", namespace: "web", port: "http"))
            .publicOnPurpose("d")
        let resolved = check(withRoute(named, namespaces: [shop])).filter { $0.severity == .error }
        #expect(resolved.isEmpty, "\(resolved.map { $0.formatted() })")
    }

    @Test func aRemoteTunnelTakesTheClusterValue() throws {
        let lab = try #require(Fixtures.demo().clusters.first)
        let tunnel = Tunnel.remote("mesh", id: SettingRead(key: "meshTunnelId", value: "x"), cluster: lab) {
            TunnelIngressRule.catchAll(.httpStatus(404))
        }
        #expect(tunnel.management == .remote(cluster: "lab"))
        let route = PrivateNetworkRoute("10.42.0.0/16", via: tunnel, comment: "pods")
        #expect(route.tunnel == "mesh")
        #expect(route == PrivateNetworkRoute("10.42.0.0/16", via: "mesh", comment: "pods", line: route.location.line))
        // A cluster value the fleet does not list is still reported (the name is kept, not the fleet's).
        let stray = Tunnel.remote(
            "t", id: EdgeFixtures.id("1c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11"), cluster: Cluster("elsewhere") {}
        ) {
            TunnelIngressRule.catchAll(.httpStatus(404))
        }
        let zone = EdgeFixtures.cloudflare { stray }
        #expect(check(EdgeFixtures.fleet(zone)).map(\.code) == [.unknownCluster])
    }

    @Test func grantsTakeTheSchemaValue() throws {
        let sales = Schema("sales") {
            Table("orders") {
                Column("order_id", .bigint, identity: true)
                PrimaryKey("order_id")
            }
        }
        #expect(Grant.Target.schema(sales) == .schema("sales"))
        #expect(Grant.Target.allTables(in: sales) == .allTables(inSchema: "sales"))
        let reader = DatabaseRole("reader")
        func shop(_ grants: [Grant]) -> Database {
            Database("shop") {
                sales
                reader
                grants
            }
        }
        let typed = shop([
            Grant([.usage], on: .schema(sales), to: reader), Grant([.select], on: .allTables(in: sales), to: reader),
        ])
        let named = shop([
            Grant([.usage], on: .schema("sales"), to: reader),
            Grant([.select], on: .allTables(inSchema: "sales"), to: reader),
        ])
        #expect(typed.grants.map(\.target) == named.grants.map(\.target))
        #expect(FleetCheck.run(Fleet("t") { typed }).filter { $0.severity == .error } == [])
    }

    @Test func foreignKeysTakeTheEnclosingSchemaOrTheSchemaValue() throws {
        let vessels = Table("vessels") {
            Column("vessel_id", .bigint, identity: true)
            PrimaryKey("vessel_id")
        }
        let curated = Schema("curated") {
            vessels
            Table("events") {
                Column("vessel_id", .bigint)
                ForeignKey(["vessel_id"], references: vessels, onDelete: .cascade)
            }
        }
        let sales = Schema("sales") {
            Table("orders") {
                Column("vessel_id", .bigint)
                ForeignKey(["vessel_id"], references: vessels, in: curated)
            }
        }
        // Written without a schema, the key references the schema its table is placed in.
        let expected: [Constraint.Kind] = [
            .foreignKey(
                ["vessel_id"], schema: "curated", table: "vessels", columns: ["vessel_id"], onDelete: "CASCADE"),
            .foreignKey(["vessel_id"], schema: "curated", table: "vessels", columns: ["vessel_id"], onDelete: nil),
        ]
        #expect((curated.tables[1].constraints + sales.tables[0].constraints).map(\.kind) == expected)
        #expect(
            FleetCheck.run(
                Fleet("t") {
                    Database("shop") {
                        curated
                        sales
                    }
                }
            ).filter { $0.severity == .error } == [])
    }

    @Test func enumColumnsTakeTheEnumTypeValue() {
        let status = EnumType("status", ["open", "closed"])
        let phase = EnumType("phase", ["draft", "live"])
        let ops = Schema("ops") {
            status
            Table("tickets") {
                Column("ticket_id", .bigint, identity: true)
                Column("state", .of(status), default: "'open'")
                PrimaryKey("ticket_id")
            }
        }
        let sales = Schema("sales") {
            phase
            Table("orders") {
                Column("order_id", .bigint, identity: true)
                Column("state", .of(status, in: ops), nullable: true)
                Column("phase", .of(phase), default: "'draft'")
                PrimaryKey("order_id")
            }
        }
        // Written without a schema, the type is the schema's its table is placed in; with one, that
        // schema's: what the name form `.enumType(schema:name:)` stored, so the SQL is the same.
        #expect(ops.tables[0].columns[1].type == .enumType(schema: "ops", name: "status"))
        #expect(sales.tables[0].columns.map(\.type.sql) == ["bigint", "ops.status", "sales.phase"])
        let diagnostics = check(
            Fleet("t") {
                Database("shop") {
                    ops
                    sales
                }
            })
        #expect(diagnostics.filter { $0.severity == .error }.map { $0.formatted() } == [])
    }

    @Test func anEnumTypeItsSchemaDoesNotListIsReportedAtTheColumn() {
        let gradeLine = #line + 1
        let grade = EnumType("grade", ["a", "b"])
        let kind = EnumType("kind", ["bin", "pallet"])  // listed in no schema's body
        let stockLine = #line + 1
        let stock = Schema("stock") { grade }
        let depotLine = #line + 1
        let depot = Schema("depot") {
            Table("bins") {
                Column("bin_id", .bigint, identity: true)
                Column("grade", .of(grade))
                Column("kind", .of(kind))
                Column("stock_grade", .of(grade, in: stock))
                Column("stock_kind", .of(kind, in: stock))
                PrimaryKey("bin_id")
            }
        }
        let errors = check(
            Fleet("t") {
                Database("warehouse") {
                    stock
                    depot
                }
            }
        ).filter { $0.severity == .error }.sorted { $0.location.line < $1.location.line }
        let undeclared = { (column: String, type: String) in
            "column depot.bins.\(column) has type \(type), which the database does not declare"
        }
        // The wrong schema: the note is at the enum type where it is declared.
        #expect(
            errors.map(\.message) == [
                undeclared("grade", "depot.grade"), undeclared("kind", "depot.kind"),
                undeclared("stock_kind", "stock.kind"),
            ])
        #expect(errors.map(\.location.line) == [depotLine + 3, depotLine + 4, depotLine + 6])
        #expect(errors.allSatisfy { $0.code == .invalidSchema && $0.location.file.hasSuffix("TypedFormTests.swift") })
        #expect(
            errors.first?.notes.map(\.message) == [
                "enum type 'grade' is declared in schema 'stock': name that Schema value, `.of(grade, in: stock)`"
            ])
        #expect(errors.first?.notes.map { $0.location?.line } == [gradeLine])
        // Listed in no schema: the note is at the schema the column names.
        #expect(errors.dropFirst().map { $0.notes.first?.location?.line } == [depotLine, stockLine])
        #expect(
            errors.last?.notes.map(\.message) == [
                "schema 'stock' does not list it: put the EnumType value in its body, as its tables are",
                "declared enum types: 'stock.grade'",
            ])
    }

    @Test func grantsAndURLsTakeTheRoleValue() throws {
        let reader = DatabaseRole("reader", login: true)
        let typed = Grant([.select], on: .allTables(inSchema: "sales"), to: reader)
        #expect(typed.role == "reader")
        let line = #line + 1
        let stray = Grant([.usage], on: .schema("sales"), to: DatabaseRole("raeder"))
        let database = Database("shop") {
            Schema("sales") {}
            reader
            Grant([.usage], on: .schema("sales"), to: reader)
            stray
        }
        let diagnostics = FleetCheck.run(Fleet("t") { database }).filter { $0.severity == .error }
        #expect(diagnostics.map(\.message) == ["grant to role 'raeder', which the database does not declare"])
        #expect(diagnostics.first?.location.line == line)
    }

    @Test func foreignKeysTakeTheTableValue() throws {
        let vessels = Table("vessels") {
            Column("vessel_id", .bigint, identity: true)
            PrimaryKey("vessel_id")
        }
        // The referenced columns default to the table's primary key; the action is typed.
        #expect(
            ForeignKey(["vessel_id"], references: vessels, in: "curated", onDelete: .setNull).kind
                == ForeignKey(
                    ["vessel_id"], references: "vessels", in: "curated", columns: ["vessel_id"],
                    onDelete: "SET NULL"
                ).kind)
        #expect(
            Set(ReferentialAction.allCases.map(\.rawValue))
                == ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"])
        // The schema is still a name: one without that table is reported at the foreign key.
        let line = #line + 6
        let database = Database("shop") {
            Schema("curated") { vessels }
            Schema("sales") {
                Table("orders") {
                    Column("vessel_id", .bigint)
                    ForeignKey(["vessel_id"], references: vessels, in: "sales")
                }
            }
        }
        let diagnostics = FleetCheck.run(Fleet("t") { database }).filter { $0.severity == .error }
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        #expect(diagnostics.first?.location.line == line)
        #expect(diagnostics.first?.message.contains("sales.vessels") == true, "\(diagnostics.map(\.message))")
    }

    @Test func kubernetesEnumerationsWriteTheAPIsSpelling() {
        let c = Container("a", image: "x/a:1")
        #expect(
            ImagePullPolicy.allCases.map { c.imagePullPolicy($0).imagePullPolicy } == [
                "Always", "IfNotPresent", "Never",
            ])
        let d = Deployment("d") { c }
        #expect(
            DNSPolicy.allCases.map { d.dnsPolicy($0).pod.dnsPolicy }
                == ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"])
        #expect(
            RestartPolicy.allCases.map { d.restartPolicy($0).pod.restartPolicy } == ["Always", "OnFailure", "Never"])
        #expect(Deployment.Strategy.allCases.map { d.strategy($0).strategy } == ["RollingUpdate", "Recreate"])
        #expect(
            HostPathType.allCases.map(\.rawValue)
                == ["Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket", "CharDevice", "BlockDevice"])
        // The typed form and the string form are the same declaration.
        #expect(d.strategy(.recreate) == d.strategy("Recreate"))
        #expect(Volume.hostPath("tun", path: "/dev/net/tun", type: .charDevice) != Volume.hostPath("tun", path: "/x"))
    }
}
