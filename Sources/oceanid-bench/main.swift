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

/// `changed`: app 0's config differs (the "one app changed" rebuild); `touched`: every app's
/// image differs (a change `plan` must read on both sides for every Deployment and policy-input object).
func syntheticFleet(apps: Int, changed: Bool = false, touched: Bool = false) -> Fleet {
    let perNamespace = 100
    let namespaces = (apps + perNamespace - 1) / perNamespace
    return Fleet("bench") {
        Cluster("bench") {
            Node("node-1", role: .server)
            for n in 0..<namespaces {
                Namespace("team-\(n)") {
                    for a in (n * perNamespace)..<min(apps, (n + 1) * perNamespace) {
                        Component("app-\(a)") {
                            let config = ConfigMap(
                                "app-\(a)-config",
                                data: ["MODE": "production", "INDEX": changed && a == 0 ? "changed" : "\(a)"])
                            let app = Deployment("app-\(a)") {
                                Container("app", image: Image("registry.example/app:\(touched ? 2 : 1).\(a % 10).0")) {
                                    Port("http", 8080)
                                    Env("MODE", configMap: config, key: "MODE")
                                }
                                .resources(
                                    requests: .init(cpu: "50m", memory: "64Mi"),
                                    limits: .init(cpu: "500m", memory: "256Mi")
                                )
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

func peakMegabytes(_ who: Int32 = RUSAGE_SELF.rawValue) -> Double {
    var usage = rusage()
    getrusage(who, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func ms(_ s: Double) -> String { String(format: "%9.1f", s * 1000) }

/// Output folders live under .build/ (on these machines /tmp creates files 10x slower than
/// the work disk) and are deleted only at the end of the run: creating files right after a
/// mass delete is several times slower for minutes on this disk.
func folder(_ label: String, _ apps: Int) -> String {
    FileManager.default.currentDirectoryPath + "/.build/oceanid-bench/\(label)-\(apps)"
}

/// `git init` of a bench folder (creating it).
func gitInit(_ folder: String) throws { try git(nil, ["init", "-q", folder]) }

func git(_ folder: String?, _ arguments: [String]) throws {
    let git = Process()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    git.arguments = ["git"] + (folder.map { ["-C", $0] } ?? []) + arguments
    try git.run()
    git.waitUntilExit()
    precondition(git.terminationStatus == 0, "git \(arguments) in \(folder ?? "the current folder") failed")
}

/// Every stage in memory, in the order the pipeline runs them, then writing and a no-op plan.
/// Prints one row: times in ms, peak memory in MB.
func measure(apps: Int) throws -> String {
    var fleet: Fleet!
    let declare = seconds { fleet = syntheticFleet(apps: apps) }
    // The compiler's own stages: "check" is define + resolve + the declaration checks,
    // "lower" the lowering + the output checks of the IR.
    let stages = CompilerPipeline(guardrails: false, blame: false)
    var checked: CheckedFleet!
    let check = seconds {
        let defined = stages.define.run(FleetSource(FleetDefinition(fleet))).output!
        checked = stages.checkDeclarations.run(stages.resolve.run(defined).output!).output!
    }
    precondition(checked.diagnostics.isEmpty, "synthetic fleet has problems: \(checked.diagnostics.prefix(3))")
    var ir: FleetIR!
    let lower = seconds {
        let output = stages.checkOutput.run(stages.lower.run(checked).output!)
        precondition(output.diagnostics.isEmpty, "synthetic fleet has output problems: \(output.diagnostics.prefix(3))")
        ir = output.output!
    }
    var files: [GeneratedFile] = []
    let emit = seconds { files = OutputEmitters.emit(ir) }
    var found: [Diagnostic] = []
    let scan = seconds { found = SecretScan.run(files) }
    precondition(found.isEmpty, "the synthetic fleet holds no secret")
    let root = folder("stages", apps)
    try? FileManager.default.removeItem(atPath: root)
    try gitInit(root)  // the stat cache lives in the git dir
    let workspace = Workspace(root: root)
    var plan: OutputPlan!
    let source = CachedTreeSource(root: root)
    let planCold = try seconds { plan = try workspace.plan(files, against: source) }
    let write = try seconds {
        let report = try workspace.apply(plan)
        Freshness.remember(plan, in: source, written: report.written, record: nil)
    }
    // The disk's own pace for the same files: mkdir per folder, then open, write, close and
    // rename each (no plan, no manifest, no sync), into a fresh folder beside the first.
    let bare = folder("bare", apps)
    try? FileManager.default.removeItem(atPath: bare)
    let bareWrite = seconds {
        var made: Set<String> = []
        for file in files {
            let target = bare + "/" + file.path
            let parent = (target as NSString).deletingLastPathComponent
            if made.insert(parent).inserted {
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            let temp = parent + "/.tmp"
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            precondition(fd >= 0, "bare write of \(temp) failed")
            _ = file.contents.utf8.withContiguousStorageIfAvailable { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            rename(temp, target)
        }
    }
    Thread.sleep(forTimeInterval: 0.01)  // past the racy window of what was just written
    var noop: OutputPlan!
    let planNoop = try seconds { noop = try workspace.plan(files, against: CachedTreeSource(root: root)) }
    precondition(noop.isEmpty, "a second plan must be empty")
    let objects = ir.clusters.flatMap(\.components).reduce(0) { $0 + $1.objects.count }
    return "\(String(format: "%7d", apps)) \(String(format: "%8d", objects)) \(String(format: "%7d", files.count))"
        + " \(ms(declare)) \(ms(check)) \(ms(lower)) \(ms(emit)) \(ms(scan)) \(ms(check + lower + emit + scan)) \(ms(planCold)) \(ms(write))"
        + " \(ms(bareWrite)) \(ms(planNoop))"
        + " \(String(format: "%8.1f", peakMegabytes()))"
}

let arguments = CommandLine.arguments
if let flag = arguments.firstIndex(of: "--apps"), flag + 1 < arguments.count, let apps = Int(arguments[flag + 1]) {
    print(try measure(apps: apps))
    exit(0)
}
// `--cli <apps> [--changed] -- <oceanid-gen arguments>`: this program as oceanid-gen with the
// synthetic fleet compiled in, so the end-to-end rows time the real command, process start,
// settings, compile, emit, scan, plan and write included.
if let flag = arguments.firstIndex(of: "--cli"), flag + 1 < arguments.count, let apps = Int(arguments[flag + 1]),
    let separator = arguments.firstIndex(of: "--")
{
    let changed = arguments.contains("--changed")
    let touched = arguments.contains("--touched")
    // Declared only when compiled, as the definitions compiled into oceanid-gen are.
    let definition = FleetDefinition { _ in syntheticFleet(apps: apps, changed: changed, touched: touched) }
    final class Messages: @unchecked Sendable { var text = "" }
    let messages = Messages()
    // This one program holds every synthetic fleet: its source digest names one only with the
    // size and variant (`--compile` turns the no-op shortcut off, to time the whole pipeline).
    let variant = "\(CompiledSources.program)-\(apps)\(changed ? "-changed" : "")\(touched ? "-touched" : "")"
    let programID = arguments.contains("--compile") ? nil : variant
    let status = CLI.run(
        definition: definition, arguments: Array(arguments[(separator + 1)...]), programID: programID,
        freesMemory: false
    ) { _ in
        Console(out: { _ in }, err: { messages.text += $0 })
    }
    if status != 0 { FileHandle.standardError.write(Data(messages.text.utf8)) }
    // The parent reads this process's own peak memory from its standard output.
    print(String(format: "%.1f", peakMegabytes()))
    exit(status)
}

/// Runs this program as oceanid-gen; returns wall seconds and the child's peak memory (and
/// fails loudly on a bad exit).
func cli(
    _ apps: Int, changed: Bool = false, touched: Bool = false, compile: Bool = false, _ command: [String],
    root: String, expect: Int32 = 0
) throws -> (seconds: Double, peak: Double) {
    let child = Process()
    let pipe = Pipe()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments =
        ["--cli", String(apps)] + (changed ? ["--changed"] : []) + (touched ? ["--touched"] : [])
        + (compile ? ["--compile"] : []) + ["--"] + command + ["--root", root]
    child.standardOutput = pipe
    var output = Data()
    let time = try seconds {
        try child.run()
        output = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
    }
    precondition(child.terminationStatus == expect, "\(command) at \(apps) apps exited \(child.terminationStatus)")
    return (time, Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
}

/// The binary end to end, as users wait for it: a cold build into an empty git work tree, a
/// build with nothing changed (the shortcut: nothing compiled), the same compiling everything
/// (what a no-op costs when the program changed), a build with one app changed, and
/// `check --against worktree` then `check --against index` after staging.
func endToEnd(apps: Int) throws -> (row: String, times: [Double]) {
    let root = folder("cli", apps)
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: root + "/definitions", withIntermediateDirectories: true)
    try gitInit(root)
    var runs = [
        try cli(apps, ["build"], root: root), try cli(apps, ["build"], root: root),
        try cli(apps, compile: true, ["build"], root: root),
        try cli(apps, changed: true, ["build"], root: root),
        try cli(apps, changed: true, ["check", "--against", "worktree"], root: root),
    ]
    try git(root, ["add", "-A"])
    runs.append(try cli(apps, changed: true, ["check", "--against", "index"], root: root))
    let times = runs.map(\.seconds)
    return (
        String(format: "%7d", apps) + times.map { " " + ms($0) }.joined()
            + String(format: " %8.1f", runs.map(\.peak).max() ?? 0), times
    )
}

/// `oceanid-gen plan --base HEAD` end to end (process start included; Markdown, the format the
/// pull-request workflow posts) against a committed cold build: nothing changed, one app's
/// ConfigMap changed, and every app's image changed (every Deployment differs on both sides).
func planEndToEnd(apps: Int) throws -> (row: String, times: [Double]) {
    let root = folder("plan", apps)
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: root + "/definitions", withIntermediateDirectories: true)
    try gitInit(root)
    _ = try cli(apps, ["build"], root: root)
    try git(root, ["add", "-A"])
    try git(root, ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "base"])
    let plan = ["plan", "--base", "HEAD", "--format", "markdown"]
    let runs = [
        try cli(apps, plan, root: root), try cli(apps, changed: true, plan, root: root, expect: 1),
        try cli(apps, touched: true, plan, root: root, expect: 1),
    ]
    let times = runs.map(\.seconds)
    return (
        String(format: "%7d", apps) + times.map { " " + ms($0) }.joined()
            + String(format: " %8.1f", runs.map(\.peak).max() ?? 0), times
    )
}

/// `oceanid-gen plan --base HEAD` on the real fleet, in process (median of 11): the working
/// tree's definitions against the committed tree of HEAD, Markdown rendered and discarded.
func realFleetPlan() -> String {
    let root = FileManager.default.currentDirectoryPath
    guard FileManager.default.fileExists(atPath: root + "/definitions") else {
        return "real fleet: run from the repository root"
    }
    var times: [Double] = []
    var status: Int32 = 0
    for _ in 0..<11 {
        times.append(
            seconds {
                status = CLI.run(
                    definition: Oceanid.definition, arguments: ["plan", "--base", "HEAD", "--format", "markdown"],
                    currentDirectory: root
                ) { _ in Console(out: { _ in }, err: { _ in }) }
            })
    }
    return String(
        format: "real fleet: plan --base HEAD %.1f ms in process (median of 11), exit %d",
        times.sorted()[times.count / 2] * 1000, status)
}

/// `oceanid-gen check` on the real fleet against the working tree, in process: settings,
/// checks, lowering, native guardrails, emitters, secret scan and plan (median of 21 runs);
/// then the same with the no-op shortcut (the clean record written once, as `check` does).
func realFleetCheck() throws -> String {
    let root = FileManager.default.currentDirectoryPath
    guard FileManager.default.fileExists(atPath: root + "/definitions") else {
        return "real fleet: run from the repository root"
    }
    func median(_ pipeline: BuildPipeline) throws -> (seconds: Double, clean: Bool, shortcut: Bool) {
        var times: [Double] = []
        var planned: BuildPipeline.Planned!
        for _ in 0..<21 {
            times.append(try seconds { planned = try pipeline.plan(against: CachedTreeSource(root: root)) })
        }
        return (times.sorted()[times.count / 2], planned.plan?.isClean ?? false, planned.shortcut)
    }
    let compiled = try median(BuildPipeline(definition: Oceanid.definition, root: root))
    let pipeline = BuildPipeline(
        definition: Oceanid.definition, root: root,
        programID: CompiledSources.program + "-bench")
    let source = CachedTreeSource(root: root)
    let first = try pipeline.plan(against: source)
    if let plan = first.plan {  // what `check` does: records the tree when it is clean
        Freshness.remember(plan, in: source, written: nil, record: first.cleanRecord)
    }
    Thread.sleep(forTimeInterval: 0.05)  // past the racy window of what that check confirmed
    let shortcut = try median(pipeline)
    return String(
        format: "real fleet: check against the working tree %.1f ms compiled, %.1f ms %@ (medians of 21), tree %@",
        compiled.seconds * 1000, shortcut.seconds * 1000,
        shortcut.shortcut ? "with the no-op shortcut" : "(NO shortcut taken)",
        compiled.clean && shortcut.clean ? "clean" : "NOT clean")
}

/// The sizes named on the command line (`--plan` alone, or no argument: every size).
let namedSizes = arguments.dropFirst().compactMap { Int($0) }
let sizes = namedSizes.isEmpty ? [10, 100, 1_000, 10_000] : namedSizes
/// Unbuffered, so the header precedes the children's rows.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
defer {
    try? FileManager.default.removeItem(atPath: FileManager.default.currentDirectoryPath + "/.build/oceanid-bench")
}
// `--plan [sizes]`: only the plan rows and the real fleet's plan.
if arguments.contains("--plan") {
    say("plan --base HEAD end to end (Markdown; against a committed cold build; ms, MB):")
    say("   apps   nothing  one-app  every-app  peak-MB")
    for apps in sizes { say(try planEndToEnd(apps: apps).row) }
    say(realFleetPlan())
    exit(0)
}
say("oceanid-bench: synthetic fleets, each app = Deployment + Service + ConfigMap (times in ms, memory in MB)")
say("In memory, one process per size:")
say(
    "   apps  objects   files   declare  check+lower  sections   emit      scan  compile+emit+scan  plan-cold  write  bare-write  plan-noop  peak-MB"
)
var rows: [Int: [Double]] = [:]
for apps in sizes {
    let child = Process()
    let pipe = Pipe()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--apps", String(apps)]
    child.standardOutput = pipe
    try child.run()
    let row = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    if child.terminationStatus != 0 {
        say("size \(apps) failed with status \(child.terminationStatus)")
        continue
    }
    say(row.trimmingCharacters(in: .newlines))
    rows[apps] = row.split(separator: " ").dropFirst(3).compactMap { Double($0) }
}
say("")
say("The binary end to end (process start included; a git work tree, so the stat cache applies):")
say("   apps  cold-build  noop-build  noop-compiled  one-app-build  check-worktree  check-index  peak-MB")
var cliRows: [Int: [Double]] = [:]
for apps in sizes {
    let (row, times) = try endToEnd(apps: apps)
    say(row)
    cliRows[apps] = times
}
say("")
say("plan --base HEAD end to end (Markdown; against a committed cold build; ms, MB):")
say("   apps   nothing  one-app  every-app  peak-MB")
for apps in sizes {
    let (row, _) = try planEndToEnd(apps: apps)
    say(row)
}
// Growth between the two largest sizes (10x apart by default): linear work grows ~10x.
if sizes.count >= 2, let small = sizes.dropLast().last, let large = sizes.last, let a = rows[small], let b = rows[large]
{
    let names = [
        "declare", "check+lower", "sections", "emit", "scan", "compile+emit+scan", "plan-cold", "write", "bare-write",
        "plan-noop", "peak-MB",
    ]
    say("")
    say("Growth from \(small) to \(large) apps (\(large / max(small, 1))x the apps):")
    say(
        zip(names, zip(a, b)).map { name, pair in String(format: "%@ %.1fx", name, pair.0 > 0 ? pair.1 / pair.0 : 0) }
            .joined(separator: ", "))
    if let c = cliRows[small], let d = cliRows[large] {
        say(
            zip(
                ["cold-build", "noop-build", "noop-compiled", "one-app-build", "check-worktree", "check-index"],
                zip(c, d)
            )
            .map { name, pair in String(format: "%@ %.1fx", name, pair.1 / pair.0) }.joined(separator: ", "))
    }
}
say("")
say(try realFleetCheck())
say(realFleetPlan())
