// oceanid-bench: how long each stage takes on synthetic fleets of 10 to 10,000 apps, each
// app a Deployment + Service + ConfigMap (3 objects), and the peak memory of each run.
// A benchmark, not a test: `make bench` builds it in release mode and prints the table.
//
// Each size runs in its own child process so peak memory (ru_maxrss) is per size.
import Compiler
import DSL
import Emitters
import Fleet
import Foundation
import OceanidGenKit
import Workspace

func syntheticFleet(apps: Int) -> Fleet {
    let perNamespace = 100
    let namespaces = (apps + perNamespace - 1) / perNamespace
    return Fleet("bench") {
        Cluster("bench") {
            Node("node-1", role: .server)
            for n in 0..<namespaces {
                Namespace("team-\(n)") {
                    for a in (n * perNamespace)..<min(apps, (n + 1) * perNamespace) {
                        Component("app-\(a)") {
                            let config = ConfigMap("app-\(a)-config", data: ["MODE": "production", "INDEX": "\(a)"])
                            let app = Deployment("app-\(a)") {
                                Container("app", image: Image("registry.example/app:1.\(a % 10).0")) {
                                    Port("http", 8080)
                                    Env("MODE", configMap: config, key: "MODE")
                                }
                                .resources(requests: .init(cpu: "50m", memory: "64Mi"), limits: .init(cpu: "500m", memory: "256Mi"))
                                .readiness(.http("/healthz", port: "http"))
                            }
                            .replicas(2)
                            .pinned(to: "node-1")
                            config
                            app
                            Service(selecting: app) { ServicePort("http", 80, target: "http") }
                        }
                    }
                }
            }
        }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func measure(apps: Int) throws -> String {
    var fleet: Fleet!
    let declare = seconds { fleet = syntheticFleet(apps: apps) }
    var result: (diagnostics: [Diagnostic], checked: CheckedFleet?)!
    let check = seconds { result = FleetCheck.check(fleet) }
    precondition(result.diagnostics.isEmpty, "synthetic fleet has problems: \(result.diagnostics.prefix(3))")
    var ir: FleetIR!
    let lower = seconds { ir = Lowering.lower(result.checked!) }
    var files: [GeneratedFile] = []
    let emit = seconds { files = OutputEmitters.emit(ir) }
    // Under .build/: on these machines /tmp creates files 10x slower than the work disk.
    let folder = FileManager.default.currentDirectoryPath + "/.build/oceanid-bench-\(apps)-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let workspace = Workspace(root: folder)
    let write = try seconds { try workspace.apply(try workspace.plan(files)) }
    var noop: OutputPlan!
    let rebuild = try seconds { noop = try workspace.plan(files) }
    precondition(noop.isEmpty, "a second plan must be empty")
    let objects = ir.clusters.flatMap(\.components).reduce(0) { $0 + $1.objects.count }
    func ms(_ s: Double) -> String { String(format: "%9.1f", s * 1000) }
    return "\(String(format: "%7d", apps)) \(String(format: "%8d", objects)) \(String(format: "%7d", files.count))"
        + " \(ms(declare)) \(ms(check)) \(ms(lower)) \(ms(emit)) \(ms(check + lower + emit)) \(ms(write)) \(ms(rebuild))"
        + " \(String(format: "%8.1f", peakMegabytes()))"
}

let arguments = CommandLine.arguments
if let flag = arguments.firstIndex(of: "--apps"), flag + 1 < arguments.count, let apps = Int(arguments[flag + 1]) {
    print(try measure(apps: apps))
    exit(0)
}

/// `oceanid-gen check` on the real fleet against the working tree, in process: settings,
/// checks, lowering, native guardrails, emitters, secret scan and plan. Median of 21 runs.
func realFleetCheck() throws -> String {
    let root = FileManager.default.currentDirectoryPath
    guard FileManager.default.fileExists(atPath: root + "/definitions") else { return "real fleet: run from the repository root" }
    let pipeline = BuildPipeline(definition: Oceanid.definition, root: root)
    var times: [Double] = []
    var clean = false
    for _ in 0..<21 {
        var planned: BuildPipeline.Planned!
        times.append(try seconds { planned = try pipeline.plan(against: WorktreeSource(root: root)) })
        clean = planned.plan?.isClean ?? false
    }
    let median = times.sorted()[times.count / 2]
    return String(format: "real fleet: check against the working tree %.1f ms (median of 21), tree %@", median * 1000, clean ? "clean" : "NOT clean")
}

let sizes = arguments.count > 1 ? arguments.dropFirst().compactMap { Int($0) } : [10, 100, 1_000, 10_000]
/// Unbuffered, so the header precedes the children's rows.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
say("oceanid-bench: synthetic fleets, each app = Deployment + Service + ConfigMap (times in ms, memory in MB)")
say("   apps  objects   files   declare     check     lower      emit  compile+emit  write  rebuild-noop  peak-MB")
for apps in sizes {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--apps", String(apps)]
    try child.run()
    child.waitUntilExit()
    if child.terminationStatus != 0 { print("size \(apps) failed with status \(child.terminationStatus)") }
}
say(try realFleetCheck())
