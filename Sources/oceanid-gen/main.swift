import Fleet
import Foundation
import OceanidGenKit

// The definitions are compiled in, and so is the content digest of what this program was
// compiled from (the CompiledSources plugin): oceanid-gen compares the root's definitions/
// with it, and keys its no-op shortcut on the whole program's digest. When the definitions
// differ, the live fleet library `scripts/build-tool` compiled from them for this very
// executable runs instead, if there is one (LiveFleet; docs/reference/development.md).
// The process exits right after the command: its memory is left to the exit (RunContext.keep).
exit(
    CLI.run(
        definition: Oceanid.definition, arguments: Array(CommandLine.arguments.dropFirst()),
        compiledDefinitions: CompiledSources.definitions, programID: CompiledSources.program,
        loadsLiveFleet: true, freesMemory: false))
