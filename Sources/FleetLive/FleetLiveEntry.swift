// The entry points of the live fleet library (`live/libFleetLive.so` beside the debug
// oceanid-gen), which scripts/build-tool compiles from definitions/ and this file with one
// incremental `swiftc` (module FleetLive), never SwiftPM: no target declares this folder.
// Beside them in that compile: `Compiled-definitions.swift` (`CompiledSources`, written by
// oceanid-digest, as for the Fleet target) and `LiveHost.swift` (`LiveHost.identity`, the
// identity of the executable the library is built for). LiveFleet (OceanidGenKit) loads it.
import DSL

/// Writes the executable identity the library was built for (a `String`) to `host` and the
/// SHA-256 of each definitions file compiled in (a `[String: String]` by path) to `digests`;
/// both point to uninitialized memory of those types, which the caller owns.
@_cdecl("oceanid_live_fleet_sources")
public func oceanidLiveFleetSources(_ host: UnsafeMutableRawPointer, _ digests: UnsafeMutableRawPointer) {
    host.assumingMemoryBound(to: String.self).initialize(to: LiveHost.identity)
    digests.assumingMemoryBound(to: [String: String].self).initialize(to: CompiledSources.definitions)
}

/// Writes the fleet's `FleetDefinition` to `definition`, uninitialized memory the caller owns.
@_cdecl("oceanid_live_fleet_definition")
public func oceanidLiveFleetDefinition(_ definition: UnsafeMutableRawPointer) {
    definition.assumingMemoryBound(to: FleetDefinition.self).initialize(to: Oceanid.definition)
}
