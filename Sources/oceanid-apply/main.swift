import Applier
import Foundation

// oceanid-apply: reconcile the desired cloud state (see `oceanid-apply --help`).
exit(ApplyCLI.run(Array(CommandLine.arguments.dropFirst())))
