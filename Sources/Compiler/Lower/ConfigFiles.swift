import DSL
import Rendering

/// Typed config files rendered by the renderer of their syntax (never assembled by hand).
enum ConfigFiles {
    static func render(_ file: ConfigFile) -> String {
        switch file {
        case .yaml(let tree): YAMLRenderer.render(tree)
        case .directives(let directives): DirectiveRenderer.render(directives.map { ($0.name, $0.arguments) })
        }
    }
}
