import Foundation

/// A local fake of a provider's API (a script under Tests/fakes/), started on loopback for
/// one test: it prints its port, serves until the value goes away, and exits when its
/// standard input closes, so it never outlives the test (even if the test process dies).
public final class FakeServer: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    public let port: Int
    public var base: String { "http://127.0.0.1:\(port)" }

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `Tests/fakes/<script>` with these arguments.
    public init(script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.repository + "/Tests/fakes/" + script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = stdin
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw StartFailure(description: "\(script) did not start")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
    }
}
