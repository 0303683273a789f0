extension ModelWriter {
    /// Package.swift with its `services` list set to `services` (between the BEGIN and END
    /// services lines): the manifest names the modules, as SwiftPM caches a manifest by its text.
    public static func manifest(_ current: String, services: [String]) throws -> String {
        let lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("// BEGIN services") }),
              let end = lines.firstIndex(where: { $0.hasPrefix("// END services") }), begin < end else {
            throw RegistrySource.Failure(description: "Package.swift lacks the // BEGIN services and // END services lines")
        }
        var list: [String] = []
        var line = "   "
        for service in services {
            let item = " \"\(service)\","
            if line.utf8.count + item.utf8.count > 118 { list.append(line); line = "   " }
            line += item
        }
        list.append(line)
        let block = [lines[begin], "let services = ["] + list + ["]"]
        return (lines[..<begin] + block + lines[end...]).joined(separator: "\n")
    }
}
