import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real fleet's egress gateway config, run by Debian's squid the way the container runs it:
/// the `ubuntu/squid` entrypoint starts `squid -Nz` then `squid -NYC -f /etc/squid/squid.conf`
/// as root with stdout and stderr pipes, and squid drops to its `proxy` user before opening its
/// logs. The test proxies a request to a local HTTP server and checks the config's ACLs.
/// `scripts/deps.sh` (`make deps`, run by `make test` and CI) installs the `squid` package.
/// Run as another user than root, squid keeps that user (`cache_effective_user` applies only to
/// root), so the drop is not exercised there; the request and ACL checks still run, and the
/// reproduction of the stdout FATAL is skipped.
@Suite(.serialized) struct SquidConsumerTests {
    static let squid = ["/usr/sbin/squid", "/usr/bin/squid"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let skip = "Debian's squid is not installed; `make deps` (scripts/deps.sh) installs the squid package"

    /// The generated squid.conf, as the real fleet's build writes it into the ConfigMap.
    static func generatedConfig() throws -> String {
        let dir = try TemporaryFolder("squid-fleet")
        defer { dir.remove() }
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let yaml = try #require(dir.read("clusters/tethys/networking/egress-system/configmap-squid-config.yaml"))
        let map = try #require(try YAMLReader.documents(yaml).first)
        return try #require(map["data"]?["squid.conf"]?.stringValue)
    }

    /// A free TCP port on 127.0.0.1 (bound once, then released for the server to take).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections at `host:port`.
    static func listening(_ host: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// A started process whose stdout and stderr are pipes (as the container runtime gives them),
    /// read as it writes: squid's helpers inherit the pipe, so nothing waits for its end.
    final class Started: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let lock = NSLock()
        var written = Data()
        init(_ executable: String, _ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = output
            process.standardError = output
            output.fileHandleForReading.readabilityHandler = { [self] handle in
                let chunk = handle.availableData
                lock.lock()
                written.append(chunk)
                lock.unlock()
            }
            try process.run()
        }
        /// Everything the process wrote so far.
        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: written, as: UTF8.self)
        }
        /// Kills the process (its own id only: squid's shutdown would wait `shutdown_lifetime`,
        /// 30 s) and returns everything it wrote; its helpers exit when their pipes close.
        func stop() -> String {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            Thread.sleep(forTimeInterval: 0.2)
            output.fileHandleForReading.readabilityHandler = nil
            return text
        }
        /// Waits until `ready()` or the process ends or `seconds` pass; true when ready.
        func wait(seconds: Double, until ready: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if ready() { return true }
                if !process.isRunning { return false }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return ready()
        }
    }

    /// A request through the proxy at `127.0.0.1:proxy`, sent from the local address `source`
    /// (Python's socket, so the client's source address is chosen): the status line and body.
    static func request(_ line: String, host: String, proxy: Int, from source: String) throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", \(proxy)), timeout=20, source_address=("\(source)", 0))
            s.sendall(b"\(line) HTTP/1.1\\r\\nHost: \(host)\\r\\nConnection: close\\r\\n\\r\\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\\r\\n\\r\\n")
            sys.stdout.write(head.split(b"\\r\\n")[0].decode() + "\\n" + body.decode(errors="replace"))
            """
        return try runProcess("python3", ["-c", script]).output
    }

    /// Writes `config` into `folder` and starts squid as the container does: `-Nz`, then `-NYC`.
    static func startSquid(_ squid: String, config: String, in folder: TemporaryFolder) throws -> Started {
        try folder.write("squid.conf", config)
        let conf = folder.path + "/squid.conf"
        _ = try runProcess(squid, ["-N", "-z", "-f", conf], cwd: folder.path)
        return try Started(squid, ["-N", "-Y", "-C", "-f", conf])
    }

    @Test(.enabled(if: squid != nil, Comment(rawValue: skip)))
    func squidServesWithTheGeneratedConfig() throws {
        let squid = try #require(Self.squid)
        let generated = try Self.generatedConfig()
        let folder = try TemporaryFolder("squid")
        defer { folder.remove() }
        // Stands in for the `logs` emptyDir at /var/log/squid: kubelet creates an emptyDir with
        // mode 0777 (kubernetes pkg/volume/emptydir/empty_dir.go), so squid's `proxy` user may
        // create its log files there exactly as in the pod.
        let logs = folder.path + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: logs)

        // The origin: Python's http.server on a loopback address of its own. As root it listens
        // on port 80, one of the config's Safe_ports, so the port ACLs stay as generated.
        let root = geteuid() == 0
        let origin = "127.0.0.77"
        let originPort = root ? 80 : Self.freePort()
        try folder.write("site/marker.txt", "served through squid\n")
        let server = try Started(
            "/usr/bin/env", ["python3", "-m", "http.server", String(originPort), "--bind", origin,
                             "--directory", folder.path + "/site"])
        defer { _ = server.stop() }
        #expect(server.wait(seconds: 20) { Self.listening(origin, originPort) }, "http.server did not listen")

        // The adaptations, each only what a test machine needs:
        // - the listening port: 3128 may be taken here; squid listens on loopback, a free port;
        // - the logs: the pod's /var/log/squid is the emptyDir above; same directives, same modules;
        // - the `cluster` ACL gains 127.0.0.2/32 as the stand-in for a pod address (the test's
        //   client cannot have a 10.42/16 address); 127.0.0.3 stays outside and must be denied;
        // - without root the origin cannot take port 80, so its port joins Safe_ports.
        let port = Self.freePort()
        var lines: [String] = []
        for line in generated.split(separator: "\n").map(String.init) {
            if line.hasPrefix("http_port ") {
                lines.append("http_port 127.0.0.1:\(port)")
            } else if line.hasPrefix("acl cluster src ") {
                lines.append(line + " 127.0.0.2/32")
            } else if line.hasPrefix("acl Safe_ports port "), !root {
                lines.append(line + " \(originPort)")
            } else {
                lines.append(line.replacingOccurrences(of: "/var/log/squid/", with: logs + "/"))
            }
        }
        #expect(lines.count == generated.split(separator: "\n").count)
        let started = try Self.startSquid(squid, config: lines.joined(separator: "\n") + "\n", in: folder)
        let listening = started.wait(seconds: 30) { Self.listening("127.0.0.1", port) }
        guard listening else {
            Issue.record("squid did not listen on \(port):\n\(started.stop())\n\(folder.read("logs/cache.log") ?? "")")
            return
        }
        defer { _ = started.stop() }

        let url = "http://\(origin):\(originPort)/marker.txt"
        let served = try Self.request("GET \(url)", host: "\(origin):\(originPort)", proxy: port, from: "127.0.0.2")
        #expect(served.hasPrefix("HTTP/1.1 200"), "\(served)")
        #expect(served.hasSuffix("served through squid\n"), "\(served)")
        // `http_access allow cluster` then `deny all`: a source outside the cluster is refused.
        let outsider = try Self.request("GET \(url)", host: "\(origin):\(originPort)", proxy: port, from: "127.0.0.3")
        #expect(outsider.hasPrefix("HTTP/1.1 403"), "\(outsider)")
        // `deny !Safe_ports`: a port other than 80 and 443, even from the cluster.
        let unsafe = try Self.request("GET http://\(origin):25/", host: "\(origin):25", proxy: port, from: "127.0.0.2")
        #expect(unsafe.hasPrefix("HTTP/1.1 403"), "\(unsafe)")
        // `deny CONNECT !SSL_ports`: HTTPS tunnels only to 443.
        let tunnel = try Self.request("CONNECT \(origin):80", host: "\(origin):80", proxy: port, from: "127.0.0.2")
        #expect(tunnel.hasPrefix("HTTP/1.1 403"), "\(tunnel)")
        // The access log is written by the unprivileged user into the emptyDir stand-in.
        let logged = started.wait(seconds: 10) { (folder.read("logs/access.log") ?? "").contains("/marker.txt") }
        #expect(logged, "access.log: \(folder.read("logs/access.log") ?? "missing")")
        // The entrypoint's `tail -F` runs as root without capabilities (the container drops ALL
        // and adds only SETUID, SETGID and CHOWN): read the logs the same way, without
        // CAP_DAC_OVERRIDE, so only their mode decides (setpriv from util-linux).
        if root, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            for log in ["access.log", "cache.log"] {
                let read = try runProcess(
                    "/usr/bin/setpriv", ["--inh-caps=-all", "--bounding-set=-all", "cat", logs + "/" + log])
                #expect(read.status == 0, "\(log): \(read.output)")
            }
        }
    }

    /// The defect this guards against, reproduced: logging to the container's stdout makes squid
    /// stop at start once it drops root (only root drops, so only a root run shows it).
    @Test(.enabled(if: squid != nil && geteuid() == 0, Comment(rawValue: skip + ", or the test does not run as root")))
    func stdoutLogStopsSquidAfterItDropsRoot() throws {
        let squid = try #require(Self.squid)
        let folder = try TemporaryFolder("squid-stdout")
        defer { folder.remove() }
        let port = Self.freePort()
        // cache_log on stderr (opened as root, before the drop) carries the FATAL to the pipe.
        let config = [
            "http_port 127.0.0.1:\(port)", "http_access deny all", "access_log stdio:/dev/stdout",
            "cache_log /dev/stderr", "pid_filename none",
        ].joined(separator: "\n") + "\n"
        let started = try Self.startSquid(squid, config: config, in: folder)
        let ended = started.wait(seconds: 30) { !started.process.isRunning }
        let output = started.stop()
        #expect(ended && started.process.terminationStatus != 0, "\(output)")
        #expect(output.contains("FATAL: Cannot open '/dev/stdout' for writing"), "\(output)")
    }
}
