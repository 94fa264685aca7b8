import Foundation

/// Where a declaration was written, captured with `#filePath` and `#line` default arguments.
/// Helpers that build declarations for their callers take `file:`/`line:` and pass them on.
///
/// Locations travel from the DSL through the IR so that every diagnostic (and `explain`)
/// points back at the fleet. They never appear in generated files: absolute paths would
/// make output depend on the machine.
///
/// ```swift
/// func goService(_ name: String, file: String = #filePath, line: Int = #line) -> Deployment {
///     Deployment(name, file: file, line: line) { ... }   // diagnostics point at the caller
/// }
/// ```
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The file's path as `#filePath` gives it (absolute until made `relative(to:)`).
    public let file: String
    /// The 1-based line.
    public let line: Int

    /// A location, typically from a declaration's `file:`/`line:` default arguments.
    ///
    /// ```swift
    /// SourceLocation(file: file, line: line)
    /// ```
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// A location for values that were not written in Swift (generated or synthetic).
    public static let unknown = SourceLocation(file: "<unknown>", line: 0)

    /// Orders by file, then line: the order diagnostics are printed in.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line) < (b.file, b.line)
    }

    /// `file:line`, as compilers print locations.
    public var description: String { "\(file):\(line)" }

    /// The path relative to `root` when it lies below it (as compilers print paths). A
    /// definitions file compiled in from another checkout (`/build/definitions/Apps.swift`,
    /// when oceanid-gen runs on a fresh clone) is shown at its place in this one when it is there,
    /// `definitions/Apps.swift`: oceanid-gen runs only when the root's definitions are the
    /// ones compiled in, byte for byte.
    ///
    /// ```swift
    /// location.relative(to: "/home/me/oceanid")   // definitions/Apps.swift:42
    /// ```
    public func relative(to root: String) -> SourceLocation {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if file.hasPrefix(prefix) { return SourceLocation(file: String(file.dropFirst(prefix.count)), line: line) }
        guard file.hasPrefix("/"), let folder = file.range(of: "/definitions/", options: .backwards) else {
            return self
        }
        let shown = "definitions/" + file[folder.upperBound...]
        guard FileManager.default.fileExists(atPath: prefix + shown) else { return self }
        return SourceLocation(file: shown, line: line)
    }
}
