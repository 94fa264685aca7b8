import DSL

/// What a Triton server that a model repository routes to loads when it starts, read from
/// the host service's command line (Triton server docs, "Model Management",
/// https://github.com/triton-inference-server/server/blob/main/docs/user_guide/model_management.md):
///
/// - In `--model-control-mode=explicit`, Triton loads at start only the models named by
///   `--load-model` (`*` for all): a declared model not named is never served until someone
///   loads it by hand (the seed's PDF model, copied into the repository, stayed unloaded).
/// - With `--exit-on-error` left at its default `true`, a model that fails to load at start
///   (missing files on a first boot) stops the server ("failed to load all models"), and a
///   unit with `Restart=always` restarts it in a loop: every other model is down too.
/// - With the server kept up, `--strict-readiness` (default `true`) keeps `/v2/health/ready`
///   false while any model is unavailable, and `oceanid-apply`'s Triton step, which waits for a
///   ready server before loading, can never load the missing model.
enum TritonStartup {
    /// The startup problems of the Triton host service `repository`'s URL is routed to; none
    /// when it is not routed to a host service running `tritonserver`.
    static func problems(_ repository: ModelRepository, index: EdgeIndex) -> [Diagnostic] {
        guard let host = EdgeIndex.ServiceURL(repository.url)?.host,
            let route = index.routes.first(where: { Hostnames.normalized($0.hostname) == host }),
            case .host(let service, _, _) = route.rule.service,
            let start = service.exec.firstIndex(of: "tritonserver")
        else { return [] }
        let arguments = Array(service.exec[(start + 1)...])
        var out: [Diagnostic] = []
        if value(of: "--model-control-mode", in: arguments) == "explicit" {
            let loaded = values(of: "--load-model", in: arguments)
            for model in repository.models where !loaded.contains(model) && !loaded.contains("*") {
                out.append(
                    .modelNotLoadedAtStart(
                        model, server: service.name, at: repository.location, serverAt: service.location))
            }
        }
        if value(of: "--exit-on-error", in: arguments) != "false" {
            out.append(.modelServerExitsOnLoadError(server: service.name, at: service.location))
        } else if value(of: "--strict-readiness", in: arguments) != "false" {
            out.append(.modelServerNotReadyWhileOneFails(server: service.name, at: service.location))
        }
        return out
    }

    /// The last value of a `--flag=value` or `--flag value` argument.
    static func value(of flag: String, in arguments: [String]) -> String? { values(of: flag, in: arguments).last }

    /// Every value of a `--flag=value` or `--flag value` argument, in order.
    static func values(of flag: String, in arguments: [String]) -> [String] {
        var out: [String] = []
        for (i, argument) in arguments.enumerated() {
            if argument.hasPrefix(flag + "=") {
                out.append(String(argument.dropFirst(flag.count + 1)))
            } else if argument == flag, i + 1 < arguments.count {
                out.append(arguments[i + 1])
            }
        }
        return out
    }
}
