import FormworkTemplate

/// The patch layer for registry bugs: `codegen/schema-patches.json` maps a type name to
/// JSON Patch operations (`add`, `replace`, `remove`) with a `why` each. Applied before the
/// schemas are pruned and embedded; a patch that no longer applies is an error, so a fixed
/// registry is noticed.
public struct SchemaPatches {
    public struct Operation {
        public var op: String
        public var path: [String]
        public var value: Node?
        public var why: String
    }

    public var operations: [String: [Operation]] = [:]

    public init() {}

    public init(path: String) throws {
        guard let root = TemplateReader.readData(try RegistrySource.bytes(path), file: path)?.objectValue else {
            throw RegistrySource.Failure(description: "cannot read \(path) as a JSON object")
        }
        for entry in root.entries {
            var list: [Operation] = []
            for item in entry.value.arrayValue ?? [] {
                guard let op = item["op"]?.stringValue, let pointer = item["path"]?.stringValue, let why = item["why"]?.stringValue else {
                    throw RegistrySource.Failure(description: "\(path): every patch of \(entry.key) needs op, path and why")
                }
                list.append(Operation(op: op, path: pointer.split(separator: "/").map(String.init), value: item["value"], why: why))
            }
            operations[entry.key] = list
        }
    }

    public var count: Int { operations.values.reduce(0) { $0 + $1.count } }

    public func apply(to json: Node, typeName: String) throws -> Node {
        var result = json
        for operation in operations[typeName] ?? [] {
            guard let patched = Self.apply(operation, at: operation.path[...], to: result) else {
                throw RegistrySource.Failure(description: "patch \(operation.op) /\(operation.path.joined(separator: "/")) no longer applies to \(typeName)")
            }
            result = patched
        }
        return result
    }

    private static func apply(_ operation: Operation, at path: ArraySlice<String>, to value: Node) -> Node? {
        guard let key = path.first, case .object(var map) = value.kind else { return nil }
        if path.count == 1 {
            switch operation.op {
            case "add":
                guard let new = operation.value, map[key] == nil else { return nil }
                map.set(key, new)
            case "replace":
                guard let new = operation.value, map[key] != nil else { return nil }
                map.set(key, new)
            case "remove":
                guard map[key] != nil else { return nil }
                map.remove(key)
            default:
                return nil
            }
            return Node(.object(map), at: value.location)
        }
        guard let child = map[key], let patched = apply(operation, at: path.dropFirst(), to: child) else { return nil }
        map.set(key, patched)
        return Node(.object(map), at: value.location)
    }
}
