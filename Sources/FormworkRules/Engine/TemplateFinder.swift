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
        guard let directory = FileIO.systemPath(folder).withUnsafeBufferPointer({ opendir($0.baseAddress!) }) else {
            found.unreadable.append((folder, "the folder cannot be read: \(String(cString: strerror(errno)))"))
            return
        }
        defer { closedir(directory) }
        // The folder's own bytes, once: each entry's full path keeps a name that is not UTF-8.
        let prefix = FileIO.systemPath(folder.hasSuffix("/") ? folder : folder + "/").dropLast().map { UInt8(bitPattern: $0) }
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
                if name.hasPrefix(".") || ignoredFolders.contains(name) || name.hasPrefix(".build") { continue }
                walk(path, info, &visiting, &found)
            case S_IFREG:
                if isCandidateName { found.inFolders.append(path) }
            default:
                if isCandidateName { found.unreadable.append((path, "\(FileIO.describe(info.st_mode)), not a regular file")) }
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
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { FileIO.displayPath(Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0)))) }
        }
    }
}
