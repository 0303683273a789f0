import FormworkTemplate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files `formwork lint` reads: files given by name are linted whatever they hold;
/// folders are searched for `.yaml`, `.yml`, `.json` and `.template` files whose root mapping
/// has `Resources` or `AWSTemplateFormatVersion`; other files are skipped and counted; build
/// and hidden folders are not entered. Globs (`*`, `?`, `[...]`) are expanded. Symbolic links
/// are followed (a link back into a folder already being searched is a loop: skipped and
/// counted); a folder that cannot be read, a broken link and a candidate that is not a regular
/// file (a FIFO named `x.yaml`) are reported, never silently left out. Names that are not
/// UTF-8 are found and read by their bytes, and shown with `\xNN` escapes.
public enum TemplateFinder {
    public struct Found: Sendable {
        public var files: [String]
        /// Candidate files in folders that turned out not to be templates.
        public var skipped: [String]
        public var missing: [String]
    }

    static let extensions = [".yaml", ".yml", ".json", ".template"]
    static let ignoredFolders: Set<String> = [".build", "node_modules", ".git", "build", "cdk.out", ".aws-sam"]
    /// The ignored folders that hold build output, templates included (a SAM build's, a CDK
    /// synth's, a template someone keeps under build/): their candidate files are counted as
    /// skipped, with the folder, so that a summary never says "0 skipped" of a template it did
    /// not read. Dependencies and version control (node_modules, .git, .build) are not counted.
    static let buildOutputFolders: Set<String> = ["build", "cdk.out", ".aws-sam"]
    /// How many entries of a build folder are looked at, at most, to count its candidates.
    static let countingBudget = 10_000

    /// The files to consider: those named, and the candidates under the named folders,
    /// not yet read (whoever reads them decides with `isTemplate`).
    public struct Candidates: Sendable {
        public var named: [String]
        public var inFolders: [String]
        public var missing: [String]
        /// Entries that could not be searched or are not regular files, with why (PS-00).
        public var unreadable: [(path: String, reason: String)] = []
        /// Links that lead back into a folder being searched (loops): skipped, counted.
        public var loops: [String] = []
        /// Build folders not entered, each with how many candidate files it holds.
        public var notEntered: [(folder: String, files: Int)] = []

        public init(named: [String] = [], inFolders: [String] = [], missing: [String] = []) {
            self.named = named
            self.inFolders = inFolders
            self.missing = missing
        }
    }

    /// Whether a file name has a template's extension (`.yaml`, `.yml`, `.json`, `.template`).
    public static func hasTemplateExtension(_ path: String) -> Bool {
        let name = path.lowercased()
        return extensions.contains { name.hasSuffix($0) }
    }

    /// Whether a relative path passes through a hidden or build folder lint does not enter.
    public static func isInIgnoredFolder(_ relativePath: String) -> Bool {
        relativePath.split(separator: "/").dropLast().contains { $0.hasPrefix(".") || ignoredFolders.contains(String($0)) || $0.hasPrefix(".build") }
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

    /// The arguments that are globs matching no file: `formwork lint` makes each a usage
    /// error naming it, since a mistyped CI glob must not pass as one missing file.
    public static func unmatchedGlobs(_ arguments: [String]) -> [String] {
        arguments.filter { $0 != "-" && $0.contains(where: { "*?[".contains($0) }) && glob($0).isEmpty }
    }

    public static func candidates(_ arguments: [String]) -> Candidates {
        var found = Candidates(named: [], inFolders: [], missing: [])
        for argument in arguments {
            var paths = [argument]
            if argument != "-", argument.contains(where: { "*?[".contains($0) }) {
                paths = glob(argument)
                if paths.isEmpty {
                    found.missing.append(argument)
                    continue
                }
            }
            for path in paths {
                if path == "-" {
                    found.named.append(path)
                    continue
                }
                guard let info = FileIO.status(path) else {
                    if FileIO.status(path, followingLinks: false) != nil {
                        found.unreadable.append((path, "a broken symbolic link (its target does not exist)"))
                    } else {
                        found.missing.append(path)
                    }
                    continue
                }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    var visiting = Set<FileIdentity>()
                    walk(path, info, &visiting, &found)
                } else {
                    found.named.append(path)
                }
            }
        }
        found.named = Array(Set(found.named)).sorted()
        found.inFolders = Array(Set(found.inFolders).subtracting(found.named)).sorted()
        found.unreadable.sort { $0.path < $1.path }
        return found
    }

    /// A folder's identity: a link back to it is a loop.
    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private static func walk(_ folder: String, _ info: stat, _ visiting: inout Set<FileIdentity>, _ found: inout Candidates) {
        let identity = FileIdentity(info)
        guard visiting.insert(identity).inserted else {
            found.loops.append(folder)
            return
        }
        defer { visiting.remove(identity) }
        guard let names = entries(folder) else {
            found.unreadable.append((folder, "the folder cannot be read: \(String(cString: strerror(errno)))"))
            return
        }
        for path in names.sorted() {
            let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
            let isCandidateName = extensions.contains(where: { name.lowercased().hasSuffix($0) })
            guard let info = FileIO.status(path) else {
                let reason = String(cString: strerror(errno))
                let isLink = FileIO.status(path, followingLinks: false).map { ($0.st_mode & S_IFMT) == S_IFLNK } ?? false
                if isLink {
                    found.unreadable.append((path, "a broken symbolic link (its target does not exist)"))
                } else if isCandidateName {
                    found.unreadable.append((path, "cannot be read: \(reason)"))
                }
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if name.hasPrefix(".") || ignoredFolders.contains(name) || name.hasPrefix(".build") {
                    if buildOutputFolders.contains(name) {
                        var budget = countingBudget
                        let count = candidateCount(path, &budget)
                        if count > 0 { found.notEntered.append((path, count)) }
                    }
                    continue
                }
                walk(path, info, &visiting, &found)
            case S_IFREG:
                if isCandidateName { found.inFolders.append(path) }
            default:
                if isCandidateName { found.unreadable.append((path, "\(FileIO.describe(info.st_mode)), not a regular file")) }
            }
        }
    }

    /// The files with a template's extension below `folder`, counted without reading them and
    /// without following links, within `budget` entries.
    static func candidateCount(_ folder: String, _ budget: inout Int) -> Int {
        guard budget > 0, let names = entries(folder) else { return 0 }
        var count = 0
        for path in names {
            budget -= 1
            guard budget > 0 else { break }
            guard let info = FileIO.status(path, followingLinks: false) else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: count += candidateCount(path, &budget)
            case S_IFREG: if hasTemplateExtension(path) { count += 1 }
            default: break
            }
        }
        return count
    }

    /// True when a read file's root mapping has Resources or AWSTemplateFormatVersion (files
    /// that do not read at all count, so that their errors are seen).
    public static func isTemplate(_ read: ReadResult) -> Bool {
        guard let root = read.root else { return true }
        guard let map = root.objectValue else { return false }
        return map["Resources"] != nil || map["AWSTemplateFormatVersion"] != nil
    }

    /// A folder's entries as full paths (shown form), or nil when it cannot be read. The
    /// folder's own bytes are taken once: each entry keeps a name that is not UTF-8.
    public static func entries(_ folder: String) -> [String]? {
        guard let directory = FileIO.systemPath(folder.isEmpty ? "." : folder).withUnsafeBufferPointer({ opendir($0.baseAddress!) }) else { return nil }
        defer { closedir(directory) }
        let prefix = folder.isEmpty ? [] : FileIO.systemPath(folder.hasSuffix("/") ? folder : folder + "/").dropLast().map { UInt8(bitPattern: $0) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { start in
                    Array(UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))))
                }
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            names.append(FileIO.displayPath(prefix + bytes))
        }
        return names.sorted()
    }

    /// Shell globs with `**` (any number of folders, as in cfn-lint's and Python's recursive
    /// glob): `*`, `?` and `[...]` match within one name, never a `/`; names starting with
    /// `.` only match a pattern that starts with `.`; `**` does not enter hidden or build
    /// folders, nor follow a link back into a folder it is in.
    static func glob(_ pattern: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var results = Set<String>()
        var visiting = Set<FileIdentity>()
        expand(absolute ? "/" : "", segments[...], &results, &visiting)
        return results.sorted()
    }

    private static func expand(_ base: String, _ rest: ArraySlice<String>, _ results: inout Set<String>, _ visiting: inout Set<FileIdentity>) {
        func join(_ name: String) -> String { base.isEmpty ? name : (base.hasSuffix("/") ? base + name : base + "/" + name) }
        guard let segment = rest.first else {
            if !base.isEmpty, FileIO.status(base) != nil || FileIO.status(base, followingLinks: false) != nil { results.insert(base) }
            return
        }
        let remaining = rest.dropFirst()
        if segment == "**" {
            // Zero folders, then each folder below (not hidden, not a build folder, no loops).
            expand(base, remaining, &results, &visiting)
            guard let info = FileIO.status(base.isEmpty ? "." : base), (info.st_mode & S_IFMT) == S_IFDIR else { return }
            let identity = FileIdentity(info)
            guard visiting.insert(identity).inserted else { return }
            defer { visiting.remove(identity) }
            for path in entries(base) ?? [] {
                let name = String(path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
                guard !name.hasPrefix("."), let child = FileIO.status(path) else { continue }
                guard (child.st_mode & S_IFMT) == S_IFDIR else {
                    if remaining.isEmpty { results.insert(path) }
                    continue
                }
                if ignoredFolders.contains(name) { continue }
                expand(path, rest, &results, &visiting)
            }
            return
        }
        guard segment.contains(where: { "*?[".contains($0) }) else {
            let path = join(segment)
            if remaining.isEmpty || FileIO.status(path).map({ ($0.st_mode & S_IFMT) == S_IFDIR }) == true { expand(path, remaining, &results, &visiting) }
            return
        }
        for path in entries(base) ?? [] {
            let name = String(path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
            if name.hasPrefix(".") && !segment.hasPrefix(".") { continue }
            guard fnmatch(segment, name, 0) == 0 else { continue }
            if remaining.isEmpty {
                results.insert(path)
            } else if FileIO.status(path).map({ ($0.st_mode & S_IFMT) == S_IFDIR }) == true {
                expand(path, remaining, &results, &visiting)
            }
        }
    }
}
