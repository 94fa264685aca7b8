import Foundation

/// The identity of a program file: its GNU build ID, the hash the linker computes over the
/// linked output and stores in an ELF note (`NT_GNU_BUILD_ID`, gABI "Note Section" and
/// binutils' `--build-id`). The fleet's definitions are compiled into oceanid-gen, so two
/// binaries with the same build ID generate the same files from the same inputs, whatever
/// their file times say (`make build` touches the binary).
public enum ProgramIdentity {
    /// The build ID of the running program as lowercase hex, or nil when it has none (not
    /// ELF, linked without `--build-id`, or unreadable): then nothing is keyed on it.
    public static let running: String? = buildID(ofFile: "/proc/self/exe")

    /// The build ID in an ELF64 little-endian file (the only kind Swift targets on Linux),
    /// read from its `PT_NOTE` program headers; nil when there is none.
    public static func buildID(ofFile path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
            guard count > 0, count <= 1 << 20, (try? handle.seek(toOffset: offset)) != nil,
                  let data = try? handle.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        }
        // ELF header: magic, class 2 (64-bit), data 1 (little-endian); e_phoff at 32,
        // e_phentsize at 54, e_phnum at 56.
        guard let header = bytes(at: 0, count: 64), header[0..<4].elementsEqual([0x7f, 0x45, 0x4c, 0x46]),
              header[4] == 2, header[5] == 1 else { return nil }
        let programHeaders = header.integer(at: 32, size: 8), entrySize = Int(header.integer(at: 54, size: 2))
        let count = Int(header.integer(at: 56, size: 2))
        guard entrySize >= 56, count > 0, let table = bytes(at: programHeaders, count: entrySize * count) else { return nil }
        for index in 0..<count {
            let base = index * entrySize
            guard table.integer(at: base, size: 4) == 4 else { continue }  // PT_NOTE
            let offset = table.integer(at: base + 8, size: 8), size = Int(table.integer(at: base + 32, size: 8))
            guard let notes = bytes(at: offset, count: size) else { continue }
            // Notes: namesz, descsz, type (4 bytes each), then name and desc, each padded to 4.
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = Int(notes.integer(at: at, size: 4)), descSize = Int(notes.integer(at: at + 4, size: 4))
                let type = notes.integer(at: at + 8, size: 4)
                let name = at + 12, desc = name + (nameSize + 3) & ~3
                guard desc + descSize <= notes.count else { break }
                if type == 3, nameSize == 4, notes[name..<(name + 4)].elementsEqual(Array("GNU\0".utf8)), descSize > 0 {
                    return notes[desc..<(desc + descSize)].map { String(format: "%02x", $0) }.joined()
                }
                at = desc + (descSize + 3) & ~3
            }
        }
        return nil
    }
}

private extension Array where Element == UInt8 {
    /// The little-endian unsigned integer of `size` bytes at `offset` (0 past the end).
    func integer(at offset: Int, size: Int) -> UInt64 {
        guard offset >= 0, offset + size <= count else { return 0 }
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }
}
