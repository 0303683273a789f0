import FormworkModels
import FormworkRules
import FormworkTemplate

/// Compiles built-in systems into the files of templates/<name>/: each template through
/// the validation pass under the system's profile (an error stops everything, and nothing
/// is written), rendered canonically, so that two runs give the same bytes.
public enum Synthesizer {
    public enum Format: String, Sendable, CaseIterable {
        case yaml, json, both
    }

    /// A file synth writes, relative to the output folder.
    public struct OutputFile: Sendable {
        public let path: String
        public let bytes: [UInt8]
    }

    /// What compiling a system found: the files, or the errors that stopped it.
    public struct Result: Sendable {
        public let system: String
        public var files: [OutputFile] = []
        public var errors: [Diagnostic] = []
        public var warnings: [Diagnostic] = []
    }

    public static func compile(_ system: ReferenceSystem, format: Format = .both) -> Result {
        var result = Result(system: system.name)
        for regional in system.build() {
            let stem = regional.region.map { "TapStack.\($0)" } ?? "TapStack"
            let file = "\(system.name)/\(stem)"
            do {
                let (template, findings) = try regional.stack.compile(profile: system.profile)
                result.warnings += findings.filter { $0.severity != .error }.map { located($0, "\(file).yml") }
                if format != .json { result.files.append(OutputFile(path: "\(file).yml", bytes: try Formatter.canonical(template.value, as: .yaml))) }
                if format != .yaml { result.files.append(OutputFile(path: "\(file).json", bytes: try Formatter.canonical(template.value, as: .json))) }
            } catch let error as StackErrors {
                result.errors += error.diagnostics.map { located($0, "\(file).yml") }
            } catch {
                result.errors.append(Diagnostic(ruleID: "CP-00", message: "\(file): \(error)"))
            }
        }
        if let deployment = system.deployment {
            result.files.append(OutputFile(path: "\(system.name)/manifest.json", bytes: Manifest.render(system, deployment, format: format)))
        }
        if !result.errors.isEmpty { result.files = [] }
        return result
    }

    /// The compiled template has no source lines: name the file it would be written to and
    /// the path inside it.
    private static func located(_ diagnostic: Diagnostic, _ file: String) -> Diagnostic {
        var copy = diagnostic
        if copy.file == nil { copy.file = file }
        copy.location = .none
        if !copy.path.isEmpty { copy.message += " (at " + copy.path.map(\.description).joined(separator: "/") + ")" }
        return copy
    }

    /// The files that differ from what synth would write under `folder` (missing, changed),
    /// and the stale ones synth would not write at all.
    public static func differences(_ results: [Result], in folder: String) -> [(path: String, problem: String)] {
        var found: [(String, String)] = []
        for result in results {
            for file in result.files {
                let path = "\(folder)/\(file.path)"
                switch FileIO.read(path) {
                case .failure: found.append((path, "missing"))
                case .success(let bytes) where bytes != file.bytes: found.append((path, "differs from what synth writes"))
                case .success: break
                }
            }
        }
        return found
    }
}

/// manifest.json: stacks, regions, deployment order, and which outputs feed which
/// parameters.
enum Manifest {
    static func render(_ system: ReferenceSystem, _ deployment: Deployment, format: Synthesizer.Format) -> [UInt8] {
        let stacks: [Node] = deployment.stacks.map { entry in
            var map = ObjectMap(["role": .string(entry.role), "region": .string(entry.region), "stackName": .string(entry.stackName)])
            if format != .json { map.set("template", .string("TapStack.\(entry.region).yml")) }
            if format != .yaml { map.set("templateJson", .string("TapStack.\(entry.region).json")) }
            return .object(map)
        }
        let steps: [Node] = deployment.steps.enumerated().map { index, step in
            let inputs: [Node] = step.inputs.map { input in
                var map = ObjectMap(["parameter": .string(input.parameter), "fromStack": .string(input.fromRole)])
                if let output = input.output { map.set("output", .string(output)) } else { map.set("value", .string("region")) }
                return .object(map)
            }
            return .object(ObjectMap(["step": .number(String(index + 1)), "stack": .string(step.role), "parameters": .array(inputs), "why": .string(step.why)]))
        }
        let root: Node = .object(ObjectMap([
            "system": .string(system.name),
            "profile": .string(system.profile),
            "seed": .string(system.seed),
            "stacks": .array(stacks),
            "deployOrder": .array(steps),
            "notes": .array(deployment.notes.map { .string($0) }),
        ]))
        return JSONWriter.write(root)
    }
}
