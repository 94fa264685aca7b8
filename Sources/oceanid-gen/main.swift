import Fleet
import Foundation
import OceanidGenKit

exit(CLI.run(definition: Oceanid.definition, arguments: Array(CommandLine.arguments.dropFirst())))
