import FormworkTemplate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files `formwork lint` reads: files given by name are linted whatever they hold;
/// folders are searched for `.yaml`, `.yml`, `.json` and `.template` files whose root mapping
/// has `Resources` or `AWSTemplateFormatVersion`; other files are skipped and counted; build
/// and hidden folders are not entered. Globs (`*`, `?`, `[...]`) are expanded.
public enum TemplateFinder {
    public struct Found: Sendable {
        public var files: [String]
        /// Candidate files in folders that turned out not to be templates.
        public var skipped: [String]
        public var missing: [String]
    }

    static let extensions = [".yaml", ".yml", ".json", ".template"]
    static let ignoredFolders: Set<String> = [".build", "node_modules", ".git", "build", "cdk.out", ".aws-sam"]

    /// The files to consider: those named, and the candidates under the named folders,
    /// not yet read (whoever reads them decides with `isTemplate`).
    public struct Candidates: Sendable {
        public var named: [String]
        public var inFolders: [String]
        public var missing: [String]
    }

    public static func find(_ arguments: [String]) -> Found {
        let candidates = self.candidates(arguments)
        var found = Found(files: candidates.named, skipped: [], missing: candidates.missing)
        for path in candidates.inFolders {
            if isTemplate(TemplateReader.read(path: path, requireMapping: false)) { found.files.append(path) } else { found.skipped.append(path) }
        }
        found.files = Array(Set(found.files)).sorted()
        return found
    }

    public static func candidates(_ arguments: [String]) -> Candidates {
        var found = Candidates(named: [], inFolders: [], missing: [])
        for argument in arguments {
            var paths = [argument]
            if argument.contains(where: { "*?[".contains($0) }) {
                paths = glob(argument)
                if paths.isEmpty {
                    found.missing.append(argument)
                    continue
                }
            }
            for path in paths {
                var info = stat()
                guard stat(path, &info) == 0 else {
                    found.missing.append(path)
                    continue
                }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    walk(path, &found)
                } else {
                    found.named.append(path)
                }
            }
        }
        found.named = Array(Set(found.named)).sorted()
        found.inFolders = Array(Set(found.inFolders).subtracting(found.named)).sorted()
        return found
    }

    private static func walk(_ folder: String, _ found: inout Candidates) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                if name.hasPrefix(".") || ignoredFolders.contains(name) || name.hasPrefix(".build") { continue }
                walk(path, &found)
            } else if (info.st_mode & S_IFMT) == S_IFREG, extensions.contains(where: { name.lowercased().hasSuffix($0) }) {
                found.inFolders.append(path)
            }
        }
    }

    /// True when a read file's root mapping has Resources or AWSTemplateFormatVersion (files
    /// that do not read at all count, so that their errors are seen).
    public static func isTemplate(_ read: ReadResult) -> Bool {
        guard let root = read.root else { return true }
        guard let map = root.objectValue else { return false }
        return map["Resources"] != nil || map["AWSTemplateFormatVersion"] != nil
    }

    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in result.gl_pathv[index].map { String(cString: $0) } }
    }
}
