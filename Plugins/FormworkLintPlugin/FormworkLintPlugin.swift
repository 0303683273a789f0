import Foundation
import PackagePlugin

/// Lints the CloudFormation templates under a target's folder on every `swift build` that
/// changes one of them (or a `.formwork.yml` above them): `formwork lint --only-templates`,
/// whose findings are compiler-style lines (`/path/stack.yaml:12:5: error: ... [LC-01]`) that
/// Xcode and editors place at their lines, and whose failure (errors or warnings, lint's
/// default `--fail-on`) fails the build. Templates are `.yaml`, `.yml`, `.json` and
/// `.template` files whose root has `Resources` or `AWSTemplateFormatVersion`, found by
/// walking the folder (so a target may `exclude:` them from its sources); hidden and build
/// folders are not entered.
///
/// The command's output is an empty Swift file, written only when lint passes: SwiftPM runs a
/// build command when its outputs are needed, and a source file of the target always is.
@main
struct FormworkLintPlugin: BuildToolPlugin {
    static let extensions: Set<String> = ["yaml", "yml", "json", "template"]
    static let skippedFolders: Set<String> = ["build", "node_modules", "cdk.out"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let folder = module.directoryURL
        let templates = Self.candidates(under: folder)
        guard !templates.isEmpty else { return [] }
        let tool = try context.tool(named: "formwork").url
        let stamp = context.pluginWorkDirectoryURL.appending(path: "FormworkLint\(target.name).swift")
        let configurations = Self.configurations(above: folder, upTo: context.package.directoryURL)
        let script = "\"$0\" lint --only-templates --quiet \"$@\" && printf '// formwork lint: the templates of this target are clean\\n' > \"$FORMWORK_LINT_STAMP\""
        return [.buildCommand(
            displayName: "formwork lint: \(templates.count) file\(templates.count == 1 ? "" : "s") of \(target.name)",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", script, tool.path] + templates.map(\.path),
            environment: ["FORMWORK_LINT_STAMP": stamp.path],
            inputFiles: [tool] + templates + configurations,
            outputFiles: [stamp]
        )]
    }

    /// Candidate files below a folder, sorted (lint decides which are templates).
    static func candidates(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey, .isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
            if values?.isDirectory == true {
                if skippedFolders.contains(url.lastPathComponent) { walker.skipDescendants() }
            } else if values?.isRegularFile == true, extensions.contains(url.pathExtension.lowercased()) {
                found.append(url)
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The `.formwork.yml` files lint may read for these templates: from the target's folder up
    /// to the package's.
    static func configurations(above folder: URL, upTo root: URL) -> [URL] {
        var found: [URL] = []
        var current = folder.standardizedFileURL
        let top = root.standardizedFileURL.path
        while true {
            let file = current.appending(path: ".formwork.yml")
            if FileManager.default.fileExists(atPath: file.path) { found.append(file) }
            if current.path == top || current.path == "/" || !current.path.hasPrefix(top) { break }
            current = current.deletingLastPathComponent()
        }
        return found
    }
}
