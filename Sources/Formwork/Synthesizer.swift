import FormworkCore
import FormworkRules
import FormworkTemplate

/// Compiles systems into their files (`<system>/<file>.yml` and `.json`, plus
/// `manifest.json` for a multi-region system): each stack through the validation pass under
/// the system's profile (an error stops everything, and nothing is written), rendered
/// canonically, so that two runs give the same bytes.
package enum Synthesizer {
    package enum Format: String, Sendable, CaseIterable {
        case yaml, json, both
    }

    /// A file synth writes, relative to the output folder.
    package struct OutputFile: Sendable {
        package let path: String
        package let bytes: [UInt8]
    }

    /// What compiling a system found: the files, or the errors that stopped it.
    package struct Result: Sendable {
        package let system: String
        package var files: [OutputFile] = []
        package var errors: [Diagnostic] = []
        package var warnings: [Diagnostic] = []
        /// The compiled templates, by file (without extension), for `diff`.
        package var templates: [(file: String, template: Template)] = []
    }

    package static func compile(_ system: System, format: Format = .both) -> Result {
        var result = Result(system: system.name)
        let stacks = system.stacks()
        var errors: [(AppStack, Diagnostic)] = [], warnings: [(AppStack, Diagnostic)] = []
        for appStack in stacks {
            let file = "\(system.name)/\(appStack.file)"
            do {
                let compiled = try appStack.stack.compile(profile: system.profile)
                warnings += compiled.findings.filter { $0.severity != .error }.map { (appStack, $0) }
                result.templates.append((appStack.file, compiled.template))
                if format != .json { result.files.append(OutputFile(path: "\(file).yml", bytes: try Formatter.canonical(compiled.template.value, as: .yaml))) }
                if format != .yaml { result.files.append(OutputFile(path: "\(file).json", bytes: try Formatter.canonical(compiled.template.value, as: .json))) }
            } catch let error as StackErrors {
                errors += error.diagnostics.map { (appStack, $0) }
            } catch {
                result.errors.append(Diagnostic(ruleID: "CP-00", message: "\(file): \(error)"))
            }
        }
        if let deployment = system.deployment {
            result.files.append(OutputFile(path: "\(system.name)/manifest.json", bytes: Manifest.render(system, deployment, format: format)))
        }
        result.errors = label(errors, system: system.name, several: stacks.count > 1) + result.errors
        result.warnings = label(warnings, system: system.name, several: stacks.count > 1)
        if !result.errors.isEmpty { result.files = [] }
        return result
    }

    /// A system of several stacks (regions, roles) makes the same Swift line's finding once
    /// per stack: each is labelled with the system, its stack and region, and identical ones
    /// are printed once with every stack and region listed. One stack: unchanged.
    static func label(_ found: [(AppStack, Diagnostic)], system: String, several: Bool) -> [Diagnostic] {
        guard several else { return found.map(\.1) }
        var order: [Diagnostic] = []
        var stacks: [Diagnostic: [AppStack]] = [:]
        for (stack, diagnostic) in found {
            if stacks[diagnostic] == nil { order.append(diagnostic) }
            stacks[diagnostic, default: []].append(stack)
        }
        return order.map { diagnostic in
            let owners = stacks[diagnostic]!
            let regions = owners.compactMap(\.region).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            var label = "system \(system), stack\(owners.count > 1 ? "s" : "") \(owners.map(\.file).joined(separator: ", "))"
            if !regions.isEmpty { label += ", region\(regions.count > 1 ? "s" : "") \(regions.joined(separator: ", "))" }
            var copy = diagnostic
            copy.message += " [\(label)]"
            return copy
        }
    }

    /// The files that differ from what synth would write under `folder` (missing, changed).
    package static func differences(_ results: [Result], in folder: String) -> [(path: String, problem: String)] {
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

    /// Writes the files under `folder`, atomically, leaving unchanged files alone. Returns how
    /// many were written, or the first failure.
    package static func write(_ results: [Result], to folder: String) -> Swift.Result<Int, FileIO.Failure> {
        // Every target is judged first: a device or a FIFO among them leaves all unwritten.
        for result in results {
            for file in result.files {
                if case .failure(let error) = FileIO.replaceable("\(folder)/\(file.path)") { return .failure(error) }
            }
        }
        var written = 0
        for result in results {
            for file in result.files {
                let path = "\(folder)/\(file.path)"
                let parent = String(path[..<path.lastIndex(of: "/")!])
                if case .failure(let error) = FileIO.makeDirectories(parent) { return .failure(error) }
                if case .success(let current) = FileIO.read(path), current == file.bytes { continue }
                if case .failure(let error) = FileIO.writeAtomically(file.bytes, to: path) { return .failure(error) }
                written += 1
            }
        }
        return .success(written)
    }
}

/// manifest.json: stacks, regions, deployment order, and which outputs feed which
/// parameters.
enum Manifest {
    static func render(_ system: System, _ deployment: Deployment, format: Synthesizer.Format) -> [UInt8] {
        let stacks: [Node] = deployment.stacks.map { entry in
            var map = ObjectMap(["role": .string(entry.role), "region": .string(entry.region), "stackName": .string(entry.stackName)])
            if format != .json { map.set("template", .string("\(entry.file).yml")) }
            if format != .yaml { map.set("templateJson", .string("\(entry.file).json")) }
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
        var root = ObjectMap(["system": .string(system.name), "profile": .string(system.profile.name)])
        for field in system.manifestInfo { root.set(field.key, .string(field.value)) }
        root.set("stacks", .array(stacks))
        root.set("deployOrder", .array(steps))
        root.set("notes", .array(deployment.notes.map { .string($0) }))
        return JSONWriter.write(.object(root))
    }
}
