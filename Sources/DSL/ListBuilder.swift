/// The one result builder of the DSL: collects declarations of one element type.
///
/// Element types that accept several kinds of declaration (a namespace holds workloads,
/// services, config maps, ...) are enums with one `buildExpression` overload per kind.
/// Bodies may hold single declarations, arrays (flattened), `let`, `if`/`else`, `switch`
/// and `for` loops; order is kept as written.
///
/// ```swift
/// Namespace("apps", layer: Layers.apps) {
///     let proxy = Deployment("egress-db-proxy") { ... }
///     proxy                                                // one declaration
///     Service(selecting: proxy) { ServicePort("postgres", 5432) }
///     clusterTunnel(s)                                     // [NamespaceItem], flattened
///     for secret in [AppSecrets.cleandataDb, AppSecrets.huggingFace] { secret }
/// }
/// ```
@resultBuilder
public enum ListBuilder<Element> {
    /// One declaration of the element type.
    public static func buildExpression(_ element: Element) -> [Element] { [element] }
    /// Several declarations at once (`Nodes.all`, a helper returning an array), flattened in order.
    public static func buildExpression(_ elements: [Element]) -> [Element] { elements }
    /// An optional declaration: `nil` contributes nothing.
    public static func buildExpression(_ element: Element?) -> [Element] { element.map { [$0] } ?? [] }
    /// Joins the statements of a body in the order they were written.
    public static func buildBlock(_ parts: [Element]...) -> [Element] { parts.flatMap { $0 } }
    /// `if` without `else`: nothing when the condition is false.
    public static func buildOptional(_ part: [Element]?) -> [Element] { part ?? [] }
    /// The first branch of `if`/`else` or `switch`.
    public static func buildEither(first: [Element]) -> [Element] { first }
    /// The second branch of `if`/`else` or `switch`.
    public static func buildEither(second: [Element]) -> [Element] { second }
    /// A `for ... in` loop: every iteration's declarations, in order.
    public static func buildArray(_ parts: [[Element]]) -> [Element] { parts.flatMap { $0 } }
    /// An `if #available` branch.
    public static func buildLimitedAvailability(_ part: [Element]) -> [Element] { part }
}
