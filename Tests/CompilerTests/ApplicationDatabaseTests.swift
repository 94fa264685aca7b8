import Compiler
import DSL
import TestSupport
import Testing

/// A database an application owns (Label Studio's `labelfish`): the fleet declares its
/// user and database grants and creates nothing inside it; a schema or a schema-level grant
/// is an error at its declaration with a note at the database.
@Suite struct ApplicationDatabaseTests {
    func check(_ database: Database) -> [Diagnostic] { FleetCheck.run(Fleet("t") { database }) }

    @Test func aUserAndDatabaseGrantsPass() {
        let db = Database("labels", ownedBy: "Label Studio") {
            DatabaseRole("labels_owner", login: true)
            Grant([.connect, .create, .temporary], on: .database, to: "labels_owner")
        }
        #expect(check(db) == [])
    }

    @Test func aSchemaInsideIsAnError() throws {
        let databaseLine = #line + 1
        let db = Database("labels", ownedBy: "Label Studio") {
            DatabaseRole("labels_owner", login: true)
            Schema("control") {}
        }
        let d = try #require(check(db).first)
        #expect(check(db).map(\.code) == [.declaredInApplicationDatabase])
        #expect(d.location.line == databaseLine + 2)
        #expect(
            d.message
                == "schema 'control' is declared inside database 'labels', which Label Studio owns: Label Studio "
                + "creates and migrates everything in it, so the fleet declares only the database's roles and "
                + "database grants (CONNECT, CREATE, TEMPORARY); remove it")
        #expect(d.notes.map(\.location?.line) == [databaseLine])
    }

    /// A new application's database: a grant on a schema is as much "inside" as the schema.
    @Test func aSchemaGrantInsideIsAnError() throws {
        let line = #line + 5
        let db = Database("wiki", ownedBy: "Wiki.js") {
            DatabaseRole("wiki", login: true)
            Schema("public_api") {}
            Grant([.connect], on: .database, to: "wiki")
            Grant([.usage], on: .schema("public_api"), to: "wiki")
        }
        let found = check(db).filter { $0.code == .declaredInApplicationDatabase }
        #expect(found.count == 2)
        let grant = try #require(found.first { $0.location.line == line })
        #expect(grant.message.hasPrefix("a grant to 'wiki' on schema 'public_api' is declared inside database 'wiki'"))
    }

    /// Without an owner, the fleet's own database declares schemas as before.
    @Test func aFleetDatabaseDeclaresSchemas() {
        #expect(check(Database("shop") { Schema("orders") {} }) == [])
    }
}
