import Fleet
import Foundation
import OceanidGenKit

// The definitions are compiled in: the binary's own mtime says which edits it has seen.
let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
let builtAt = (try? FileManager.default.attributesOfItem(atPath: executable))?[.modificationDate] as? Date
exit(CLI.run(definition: Oceanid.definition, arguments: Array(CommandLine.arguments.dropFirst()), builtAt: builtAt,
             programID: ProgramIdentity.running))
