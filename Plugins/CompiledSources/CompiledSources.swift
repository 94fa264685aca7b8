import Foundation
import PackagePlugin

/// Compiles the content digest of the program's sources into the target it is applied to
/// (`Fleet`), with `oceanid-digest` (see that tool): one command for the definitions, one for
/// the compiler's sources, so a definitions edit hashes only the definitions. Each command's
/// inputs are every file of its folders plus, for the compiler, the manifest: more than the
/// digest reads, so a command runs whenever its digest could change; when it did not, the
/// tool leaves its output untouched and nothing recompiles.
@main struct CompiledSourcesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let tool = try context.tool(named: "oceanid-digest").url
        func files(under folder: String) -> [URL] {
            var found: [URL] = []
            let walker = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder),
                includingPropertiesForKeys: [.isRegularFileKey])
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(url) }
            }
            return found
        }
        let manifest = ["Package.swift", "Package.resolved"].map { root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        func command(_ part: String, inputs: [URL]) -> Command {
            let output = context.pluginWorkDirectoryURL.appendingPathComponent("Compiled-\(part).swift")
            return .buildCommand(
                displayName: "Digesting the \(part) compiled into \(target.name)", executable: tool,
                arguments: [part, root.path, output.path], inputFiles: inputs, outputFiles: [output])
        }
        return [
            command("definitions", inputs: files(under: "definitions")),
            command("compiler", inputs: files(under: "Sources") + manifest),
        ]
    }
}
