import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

/// The CloudFormation registry schemas of one region, with cfn-lint's stateful types and Lambda
/// runtime lifecycle: as vendored in `codegen/inputs/cfn-lint/registry.json` (what the
/// generator reads), or as the cfn-lint package ships them (what `make codegen-inputs` reads):
/// `data/schemas/providers/<region>.py` maps each type to a content hash, and
/// `data/schemas/resources/<hash>.json` holds the schema (cfn-lint's own fixes applied).
public struct RegistrySource {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let version: String
    public let region: String
    /// Type name -> schema JSON, sorted by type name.
    public let schemas: [(typeName: String, json: Node)]
    public let statefulTypes: Set<String>
    /// cfn-lint's LmbdRuntimeLifecycle.json.
    let lambdaRuntimes: ObjectMap
    /// The Lambda runtimes as `NAME DEPRECATED CREATE UPDATE SUCCESSOR` lines.
    public let lambdaRuntimeLines: [String]

    /// The vendored registry under `repositoryRoot`.
    public init(repositoryRoot: String) throws {
        let root = try CodegenInputs.read(CodegenInputs.registry, repositoryRoot: repositoryRoot)
        guard let version = root["cfnLint"]?.stringValue, let region = root["region"]?.stringValue,
              let stateful = root["statefulResources"]?.arrayValue, let runtimes = root["lambdaRuntimes"]?.objectValue,
              let schemas = root["schemas"]?.objectValue, !schemas.isEmpty else {
            throw Failure(description: "\(CodegenInputs.registry) lacks cfnLint, region, statefulResources, lambdaRuntimes or schemas")
        }
        try self.init(version: version, region: region, schemas: schemas.entries.map { ($0.key, $0.value) },
                      statefulTypes: stateful.compactMap(\.stringValue), lambdaRuntimes: runtimes)
    }

    /// `root` is the cfn-lint package folder (the one holding `data/` and `version.py`).
    public init(cfnLintRoot root: String, region: String = "us_east_1") throws {
        let providers = try Self.text(root + "/data/schemas/providers/\(region).py")
        var hashes: [(String, String)] = []
        for line in providers.split(separator: "\n") {
            // `    "AWS::ACMPCA::Certificate": "8095f49d3b9d3b1a",`
            let parts = line.split(separator: "\"")
            guard parts.count >= 4, parts[1].contains("::"), parts[2].trimmingSpaces == ":" else { continue }
            hashes.append((String(parts[1]), String(parts[3])))
        }
        guard !hashes.isEmpty else { throw Failure(description: "no resource types in \(root)/data/schemas/providers/\(region).py") }
        var schemas: [(String, Node)] = []
        for (typeName, hash) in hashes {
            let path = root + "/data/schemas/resources/\(hash).json"
            guard let json = TemplateReader.readData(try Self.bytes(path), file: path) else {
                throw Failure(description: "cannot read the schema of \(typeName) at \(path)")
            }
            // What the generator never reads stays out of the vendored copy.
            schemas.append((typeName, RegistryDataWriter.prune(json, isNameMap: false, keeping: RegistryDataWriter.keptInInputs)))
        }
        let stateful = TemplateReader.readData(try Self.bytes(root + "/data/AdditionalSpecs/StatefulResources.json"))
        let runtimes = TemplateReader.readData(try Self.bytes(root + "/data/AdditionalSpecs/LmbdRuntimeLifecycle.json"))
        try self.init(version: try Self.readVersion(root), region: region, schemas: schemas,
                      statefulTypes: stateful?["ResourceTypes"]?.objectValue?.keys ?? [], lambdaRuntimes: runtimes?.objectValue ?? ObjectMap())
    }

    private init(version: String, region: String, schemas: [(String, Node)], statefulTypes: [String], lambdaRuntimes: ObjectMap) throws {
        self.version = version
        self.region = region
        self.schemas = schemas.sorted { $0.0 < $1.0 }
        self.statefulTypes = Set(statefulTypes)
        self.lambdaRuntimes = lambdaRuntimes
        var lines: [String] = []
        for entry in lambdaRuntimes.entries.sorted(by: { $0.key < $1.key }) {
            let fields = ["deprecated", "create-block", "update-block"].map { entry.value[$0]?.stringValue ?? "" }
            guard fields.allSatisfy({ $0.utf8.count == 10 }), !entry.key.contains(" ") else {
                throw Failure(description: "LmbdRuntimeLifecycle.json: \(entry.key) lacks a date")
            }
            lines.append(([entry.key] + fields + [entry.value["successor"]?.stringValue ?? "-"]).joined(separator: " "))
        }
        lambdaRuntimeLines = lines
    }

    /// The registry as `codegen/inputs/cfn-lint/registry.json` holds it.
    var vendored: Node {
        .object(ObjectMap([
            "cfnLint": .string(version),
            "region": .string(region),
            "statefulResources": .array(statefulTypes.sorted().map { .string($0) }),
            "lambdaRuntimes": .object(lambdaRuntimes),
            "schemas": .object(ObjectMap(schemas.map { ObjectMap.Entry(key: $0.typeName, value: $0.json) })),
        ]))
    }

    static func readVersion(_ root: String) throws -> String {
        let text = try Self.text(root + "/version.py")
        for line in text.split(separator: "\n") where line.hasPrefix("__version__") {
            let parts = line.split(separator: "\"")
            if parts.count >= 2 { return String(parts[1]) }
        }
        throw Failure(description: "no __version__ in \(root)/version.py")
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        switch FileIO.read(path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw Failure(description: error.message)
        }
    }

    /// The Fn::GetAtt names cfn-lint accepts per type (codegen/getatt_names.py, vendored):
    /// documented return values that are not read-only properties included (SQS `QueueName`,
    /// VPC `CidrBlock`, ...).
    public static func getAttNames(repositoryRoot: String) throws -> [String: [String]] {
        guard let root = try CodegenInputs.read(CodegenInputs.getAttNames, repositoryRoot: repositoryRoot).objectValue else {
            throw Failure(description: "\(CodegenInputs.getAttNames) is not a JSON object")
        }
        var names: [String: [String]] = [:]
        for entry in root.entries { names[entry.key] = entry.value.arrayValue?.compactMap(\.stringValue) ?? [] }
        return names
    }

    /// What a codegen helper script prints (JSON), or nil when it fails.
    static func pythonOutput(_ script: String, _ arguments: [String]) throws -> Node? {
        let command = "python3 '\(script)' \(arguments.joined(separator: " ")) 2>/dev/null"
        guard let pipe = popen(command, "r") else { throw Failure(description: "cannot run \(command)") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, pipe)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard pclose(pipe) == 0 else { return nil }
        return TemplateReader.readData(bytes, file: script + " output")
    }

    /// Finds the installed cfn-lint package through python3, or nil.
    public static func locateCfnLint() -> String? {
        guard let pipe = popen("python3 -c 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))' 2>/dev/null", "r") else { return nil }
        defer { pclose(pipe) }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard fgets(&buffer, Int32(buffer.count), pipe) != nil else { return nil }
        let path = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.trimmingSpaces
        return path.isEmpty ? nil : path
    }
}

