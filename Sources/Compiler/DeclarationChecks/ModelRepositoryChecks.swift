import DSL

/// A workload that publishes models (`.publishesModels(to:)`) can write into the folder the
/// model server reads. Triton loads a model from its repository's files
/// (https://github.com/triton-inference-server/server/blob/main/docs/user_guide/model_repository.md:
/// `<repository>/<model>/<version>/model.onnx`), and a load or reload through the model-control
/// API (`POST /v2/repository/models/<name>/load`) reads them again from there: a training run
/// whose new files land anywhere else reloads the old model. So the repository must say where
/// its files are (`ModelRepository(url:models:on:path:)`), and the publisher must be pinned to
/// that node and mount a `hostPath` at or above the folder, writable, in one of its containers.
/// Each failure is an error at the `.publishesModels(to:)` declaration, noting the repository.
enum ModelRepositoryChecks {
    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard let workload = object.workload, let publication = workload.pod.publishesModels else { continue }
            let repository = publication.repository
            let name = "\(object.id.kind) '\(workload.name)'"
            func report(_ problem: String, _ fix: String) {
                out.append(
                    .unreachableModelRepository(
                        workload: name, url: repository.url, problem: problem, fix: fix,
                        repositoryAt: repository.location, at: publication.location))
            }
            guard let node = repository.node, let path = repository.path else {
                report(
                    "the repository does not say where its files are",
                    "declare ModelRepository(url:models:on:path:) with the node and folder the server reads")
                continue
            }
            guard case .node(node) = workload.pod.placement?.rule else {
                report("its pods may run on any node, and the folder is on '\(node)'", "add .pinned(to: \(node))")
                continue
            }
            let folders = workload.pod.volumes.compactMap { volume -> (String, String)? in
                guard case .hostPath(let host, _) = volume.source else { return nil }
                let dir = host.hasSuffix("/") ? host : host + "/"
                return path == host || path.hasPrefix(dir) ? (volume.name, host) : nil
            }
            let writable = workload.pod.allContainers.contains { container in
                container.mounts.contains { mount in
                    !mount.readOnly && folders.contains { $0.0 == mount.volume }
                }
            }
            if folders.isEmpty {
                report(
                    "no volume holds \(path) of '\(node)'",
                    "add Volume.hostPath(\"models\", path: \"\(path)\", type: \"Directory\") and mount it writable")
            } else if !writable {
                report(
                    "no container mounts \(path) writable",
                    "mount volume '\(folders[0].0)' in the publishing container without readOnly")
            }
        }
        return out
    }
}
