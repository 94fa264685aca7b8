import CloudState
import Foundation

/// Triton's models (`TritonModels`): every declared model of every endpoint is loaded and
/// ready, or reloaded with `--reload-models`. Behind Cloudflare Access every request carries
/// the service token, so an endpoint Access guards needs both of its variables. Models are
/// matched by name and carry no ownership marker: a model Pulumi's era loaded under a declared
/// name is already the fleet's (`--adopt` changes nothing here), and an undeclared one is
/// never unloaded.
struct TritonProvider: Provider {
    static let name = "triton"
    let title = "Triton"
    let credentials: [Credential]
    let endpoints: [(endpoint: ModelEndpoint, server: TritonModels)]
    let reload: Bool

    /// One model to load (or reload) on one server.
    struct Load {
        var server: TritonModels
        var model: String
    }

    init?(state: DesiredState, context: ProviderContext) {
        let endpoints = state.modelServing.endpoints.filter { !$0.models.isEmpty }
        guard !endpoints.isEmpty else { return nil }
        let guarded = endpoints.first(where: \.accessProtected)
        credentials =
            guarded.map { endpoint in
                [
                    Credential(
                        variables: ["CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"],
                        whenMissing: "CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set: "
                            + "Cloudflare Access guards \(endpoint.url)")
                ]
            } ?? []
        let access = (id: context["CF_ACCESS_CLIENT_ID"], secret: context["CF_ACCESS_CLIENT_SECRET"])
        self.endpoints = endpoints.map { endpoint in
            (
                endpoint,
                TritonModels(
                    url: context.variables["OCEANID_TRITON_URL"] ?? endpoint.url,
                    access: endpoint.accessProtected ? access : nil, client: context.client,
                    retry: context.retry)
            )
        }
        reload = context.reloadModels
    }

    /// A load for every declared model that is not ready, or a reload of each with `reload`.
    func plan() throws -> [Change<Load>] {
        var changes = ChangeList<Load>(provider: Self.name)
        for (endpoint, server) in endpoints {
            guard try server.serverReady() else {
                throw ProviderError(
                    "Triton at \(server.url) is not ready (GET /v2/health/ready); no model can be loaded until it is")
            }
            for model in endpoint.models {
                let isReady = try server.ready(model)
                guard !isReady || reload else { continue }
                changes.add(
                    .update, "model \(model) at \(server.url)",
                    isReady ? "reload (--reload-models)" : "not ready: load",
                    Load(server: server, model: model))
            }
        }
        return changes.changes
    }

    func apply(_ change: Change<Load>) throws {
        try change.step.server.load(change.step.model)
    }
}
