import CloudState
import Foundation

/// A tunnel route as Cloudflare lists it (`GET /accounts/{account_id}/teamnet/routes`).
struct LiveRoute: Codable, Hashable, Sendable {
    var id: String
    var network: String
    var tunnel_id: String?
    var comment: String?
    var deleted_at: String?
}

/// Cloudflare API v4 Zero Trust tunnel routes of one account
/// (https://developers.cloudflare.com/api/resources/zero_trust/subresources/networks/subresources/routes/):
/// list (`page`/`per_page`, read until `result_info.total_pages`, deleted routes left out with
/// `is_deleted=false`), create (`POST` with `network`, `tunnel_id`, `comment`), update (`PATCH
/// .../routes/{route_id}`), delete. The applier owns the routes whose `comment` is
/// `DNSRecord.ownershipComment`.
struct CloudflareRoutes {
    var accountId: String
    let api: CloudflareAPI

    init(baseURL: String, accountId: String, token: String, client: HTTPClient, retry: RetryPolicy) {
        self.api = CloudflareAPI(baseURL: baseURL, token: token, client: client, retry: retry)
        self.accountId = accountId
    }

    var routesURL: String { "\(api.baseURL)/accounts/\(accountId)/teamnet/routes" }

    /// Every route of the account that is not deleted.
    func list() throws -> [LiveRoute] {
        try api.pages(routesURL, query: ["is_deleted=false"], as: LiveRoute.self, doing: "the tunnel route list")
            .filter { $0.deleted_at == nil }
    }

    func body(_ route: PrivateRoute) -> Data {
        CloudflareAPI.json([
            "network": route.network, "tunnel_id": route.tunnelId, "comment": DNSRecord.ownershipComment,
        ])
    }

    /// Creates a route; when an attempt gets no answer, the route is looked up before trying
    /// again, so a lost response never makes a second one.
    func create(_ route: PrivateRoute) throws {
        let landed: () throws -> HTTPResponse? = {
            guard let found = try list().first(where: { Self.owned($0) && Self.same($0.network, route.network) })
            else { return nil }
            return try HTTPResponse.cloudflareResult(found)
        }
        _ = try api.call(
            "POST", routesURL, body: body(route), as: LiveRoute.self, doing: "creating the route of \(route.network)",
            landed: landed)
    }

    func update(_ id: String, to route: PrivateRoute) throws {
        _ = try api.call(
            "PATCH", "\(routesURL)/\(id)", body: body(route), as: LiveRoute.self,
            doing: "updating the route of \(route.network)")
    }

    func delete(_ live: LiveRoute) throws {
        try api.delete("\(routesURL)/\(live.id)", doing: "deleting the route of \(live.network)")
    }

    /// Ours: the ownership marker as the route's comment.
    static func owned(_ route: LiveRoute) -> Bool { route.comment == DNSRecord.ownershipComment }

    /// The same network: compared lower-case (IPv6) without spaces.
    static func same(_ a: String, _ b: String) -> Bool {
        a.lowercased().filter { !$0.isWhitespace } == b.lowercased().filter { !$0.isWhitespace }
    }
}
