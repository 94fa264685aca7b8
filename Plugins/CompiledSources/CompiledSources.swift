import Foundation
import PackagePlugin

/// Compiles the content digest of the program's sources into the target it is applied to
/// (`Fleet`): `oceanid-digest` writes `CompiledSources.swift` (see that tool). Its inputs are
/// every file under `definitions/` and `Sources/` plus the manifest, more than the digest
/// reads, so the command runs whenever the digest could change; when it did not, the tool
/// leaves its output untouched and nothing recompiles.
@main struct CompiledSourcesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("CompiledSources.swift")
        var inputs: [URL] = []
        for folder in ["definitions", "Sources"] {
            let walker = FileManager.default.enumerator(at: root.appendingPathComponent(folder),
                                                        includingPropertiesForKeys: [.isRegularFileKey])
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { inputs.append(url) }
            }
        }
        for file in ["Package.swift", "Package.resolved"]
        where FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path) {
            inputs.append(root.appendingPathComponent(file))
        }
        return [.buildCommand(displayName: "Digesting the sources compiled into \(target.name)",
                              executable: try context.tool(named: "oceanid-digest").url,
                              arguments: [root.path, output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
