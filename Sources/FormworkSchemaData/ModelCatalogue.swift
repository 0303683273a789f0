/// The typed models `formwork-codegen` wrote, one per registry type: which module
/// (`Formwork<Service>`) and Swift name model each type. Read from the generated
/// `ModelCatalogue+Data.swift`, so that tools report it without linking 278 modules.
public enum ModelCatalogue {
    public struct Entry: Sendable, Hashable {
        public var typeName: String
        public var module: String
        public var swiftName: String
    }

    public static let entries: [Entry] = {
        text.description.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { return nil }
            return Entry(typeName: String(parts[0]), module: String(parts[1]), swiftName: String(parts[2]))
        }
    }()

    public static var modules: Set<String> { Set(entries.map(\.module)) }
}
