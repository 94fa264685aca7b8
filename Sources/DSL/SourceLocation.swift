/// Where a declaration was written, captured with `#filePath` and `#line` default arguments.
///
/// Locations travel from the DSL through the IR so that every diagnostic (and `explain`)
/// points back at the fleet. They never appear in generated files: absolute paths would
/// make output depend on the machine.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// A location for values that were not written in Swift (generated or synthetic).
    public static let unknown = SourceLocation(file: "<unknown>", line: 0)

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line) < (b.file, b.line)
    }

    public var description: String { "\(file):\(line)" }

    /// The path relative to `root` when it lies below it (as compilers print paths).
    public func relative(to root: String) -> SourceLocation {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard file.hasPrefix(prefix) else { return self }
        return SourceLocation(file: String(file.dropFirst(prefix.count)), line: line)
    }
}
