import Foundation

/// Paths of the repository the tests run in, and scratch folders that clean up after themselves.
public enum Paths {
    /// The repository root (this file is Tests/TestSupport/Paths.swift).
    public static let repository: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static let goldens = repository + "/Tests/golden"

    /// The CRD JSON schemas committed in the repository (schemas/, see schemas/README.md).
    public static let schemas = repository + "/schemas"

    /// The Python that has the test tools (kubernetes-validate, jsonschema, PyYAML, regorus):
    /// the repository's `.venv/` that `scripts/deps.sh` makes (a stock python3 refuses `pip
    /// install`, PEP 668), else `python3` from the PATH.
    public static let python: String = {
        let venv = repository + "/.venv/bin/python3"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }()
}

/// A fresh temporary folder; removed by `remove()`.
public struct TemporaryFolder: Sendable {
    public let path: String

    public init(_ label: String = "oceanid") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
        try FileManager.default.createDirectory(atPath: path + "/definitions", withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    public func read(_ relative: String) -> String? {
        try? String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    /// Every file below the folder (relative path → contents), for byte-identity assertions.
    public func snapshot() -> [String: String] {
        var result: [String: String] = [:]
        let root = URL(fileURLWithPath: path)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [:] }
        for case let url as URL in walker
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            result[relative] = (try? String(contentsOf: url, encoding: .utf8)) ?? "<binary>"
        }
        return result
    }

    /// Modification times of every file, to prove nothing was rewritten.
    public func modificationTimes() -> [String: Date] {
        var result: [String: Date] = [:]
        for relative in snapshot().keys {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + relative)
            result[relative] = attributes?[.modificationDate] as? Date
        }
        return result
    }
}

/// Runs a program and returns its exit status and combined output.
public func runProcess(_ executable: String, _ arguments: [String], cwd: String? = nil) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
