import Foundation
import PackagePlugin

/// `swift package formwork lint|check|synth [ARGUMENTS]`: the `formwork` command on the
/// package, built from the Formwork dependency (nothing to install).
///
/// - `lint [PATH...]` lints the paths (default: the package's folder, or the folders of the
///   targets named with `--target`), with any option of `formwork lint`.
/// - `check` is `formwork check` on the package; its Formwork app, when it has one, is built
///   here first and given to check (a nested `swift run` would wait on this build's lock).
/// - `synth` builds the app and runs its `synth` (writes `templates/`; on macOS that needs
///   `--allow-writing-to-package-directory` or `--disable-sandbox`).
///
/// The app is the executable target that depends on the `Formwork` product (`--target` names
/// one when there are several).
@main
struct FormworkCommandPlugin: CommandPlugin {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let named = extractor.extractOption(named: "target")
        var rest = extractor.remainingArguments
        let verb = rest.isEmpty ? "lint" : rest.removeFirst()
        let tool = try context.tool(named: "formwork").url
        let root = context.package.directoryURL
        switch verb {
        case "lint":
            if !rest.contains(where: { !$0.hasPrefix("-") }) {
                let targets = try context.package.targets(named: named)
                rest += named.isEmpty ? ["."] : targets.map { relative($0.directoryURL, to: root) }
            }
            try run(tool, ["lint"] + rest, in: root)
        case "check", "synth":
            var options = rest
            if let app = try buildApp(context: context, named: named) {
                options = ["--app", shellQuoted(app.path)] + options
            } else if verb == "synth" {
                throw Failure(description: "synth: no executable target of this package depends on the Formwork product (name the app with --target)")
            }
            try run(tool, [verb] + options, in: root)
        default:
            throw Failure(description: "unknown verb '\(verb)': swift package formwork lint|check|synth [ARGUMENTS]; `formwork help` lists the commands and their options")
        }
    }

    /// Builds the package's Formwork app, if it has one, and returns the executable.
    func buildApp(context: PluginContext, named: [String]) throws -> URL? {
        let candidates = context.package.targets.compactMap { $0 as? SwiftSourceModuleTarget }.filter { target in
            target.kind == .executable && (named.isEmpty ? target.dependencies.contains { dependency in
                if case .product(let product) = dependency { return product.name == "Formwork" }
                return false
            } : named.contains(target.name))
        }
        guard let app = candidates.first else { return nil }
        if candidates.count > 1 {
            Diagnostics.remark("several apps (\(candidates.map(\.name).joined(separator: ", "))); using \(app.name) (--target names another)")
        }
        let result = try packageManager.build(.product(app.name), parameters: .init(configuration: .debug, logging: .concise))
        guard result.succeeded, let executable = result.builtArtifacts.first(where: { $0.kind == .executable }) else {
            throw Failure(description: "the app \(app.name) did not build:\n\(result.logText)")
        }
        return executable.url
    }

    /// Runs a tool with the terminal's standard output and error; its failure is this
    /// command's (the exit code named).
    func run(_ tool: URL, _ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw Failure(description: "formwork \(arguments.first ?? "") exited with \(process.terminationStatus)")
        }
    }

    func relative(_ url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.path, base = root.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    /// A path as one word of the `/bin/sh -c` command that `formwork` runs the app with.
    func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
