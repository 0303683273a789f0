#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// File access without Foundation (it costs milliseconds at start-up): bounded reads of
/// regular files only, atomic replacement, and paths that are bytes where they are not UTF-8.
package enum FileIO {
    package struct Failure: Error, Sendable {
        package var message: String
        package var tooLarge = false
    }

    // MARK: paths as bytes

    /// File names are bytes; a name that is not valid UTF-8 cannot be a Swift `String`
    /// without losing them. Such a path is shown with `\xNN` escapes, and the shown form is
    /// remembered with its bytes, so that every call here that takes the shown form opens the
    /// real file.
    private struct RawPaths: @unchecked Sendable { var bytes: [String: [UInt8]] = [:] }
    private static let rawPaths = Mutex(RawPaths())

    /// The path to show and to pass around for these bytes (the bytes themselves when they
    /// are UTF-8).
    package static func displayPath(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var shown = ""
        var index = 0
        while index < bytes.count {
            // The longest valid UTF-8 run from here, else one escaped byte.
            var end = min(bytes.count, index + 4)
            var decoded: String?
            while end > index {
                if let text = String(validating: bytes[index..<end], as: UTF8.self) { decoded = text; break }
                end -= 1
            }
            if let decoded {
                shown += decoded
                index = end
            } else {
                let hex = Array("0123456789ABCDEF")
                shown += "\\x" + String(hex[Int(bytes[index] >> 4)]) + String(hex[Int(bytes[index] & 0xF)])
                index += 1
            }
        }
        rawPaths.withLock { $0.bytes[shown] = bytes }
        return shown
    }

    /// The bytes the system gets for a path this module handed out (NUL-terminated).
    package static func systemPath(_ path: String) -> [CChar] {
        var bytes = rawPaths.withLock { $0.bytes[path] } ?? Array(path.utf8)
        bytes.append(0)
        return bytes.map { CChar(bitPattern: $0) }
    }

    // MARK: reading

    /// Reads a whole regular file, refusing one larger than `maxBytes` before reading it, and
    /// anything that is not a regular file (a FIFO, a socket, a device, a folder) without
    /// blocking on it. `-` reads standard input, whatever it is.
    package static func read(_ path: String, maxBytes: Int = .max) -> Result<[UInt8], Failure> {
        let isStandardInput = path == "-"
        // O_NONBLOCK: opening a FIFO for reading would wait for a writer forever.
        let fd = isStandardInput ? 0 : systemPath(path).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard fd >= 0 else { return .failure(Failure(message: "cannot open '\(path)': \(errorText())")) }
        defer { if !isStandardInput { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Failure(message: "cannot read '\(path)': \(errorText())")) }
        if !isStandardInput {
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFREG else {
                return .failure(Failure(message: "'\(path)' is \(describe(kind)), not a regular file"))
            }
            let flags = fcntl(fd, F_GETFL)
            if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
            if Int(info.st_size) > maxBytes {
                return .failure(Failure(message: "the file is \(info.st_size) bytes, more than the limit of \(maxBytes)", tooLarge: true))
            }
        }
        var bytes: [UInt8] = []
        if !isStandardInput {
            // A regular file is read straight into an array of its size and one more byte
            // (to see its end): a 64 KiB chunk zeroed and copied from cost more than
            // reading seed 004's 33 KB.
            let expected = min(max(Int(info.st_size), 0), maxBytes) + 1
            var failure: String?
            bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
                var filled = 0
                while filled < buffer.count {
                    let count = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failure = errorText()
                        break
                    }
                    if count == 0 { break }
                    filled += count
                }
                initialized = filled
            }
            if let failure { return .failure(Failure(message: "cannot read '\(path)': \(failure)")) }
            if bytes.count > maxBytes {
                return .failure(Failure(message: "the input is more than the limit of \(maxBytes) bytes", tooLarge: true))
            }
            // Short of the buffer: the end was reached. Full: the file grew since `fstat`,
            // and the rest is read as standard input is.
            if bytes.count < expected { return .success(bytes) }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(message: "cannot read '\(path)': \(errorText())"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes {
                return .failure(Failure(message: "the input is more than the limit of \(maxBytes) bytes", tooLarge: true))
            }
        }
        return .success(bytes)
    }

    /// What a file type is, for diagnostics (`a FIFO`, `a directory`).
    package static func describe(_ kind: mode_t) -> String {
        switch kind & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    // MARK: writing

    /// Temporary files that a signal handler removes if the process is stopped mid-write.
    private static let pending = PendingFiles()

    /// Replaces `path` atomically: the bytes go to a temporary file in the same folder as
    /// the file (the target of a symbolic link, so that the link stays a link), which is
    /// flushed and then renamed over it. Readers see the old file or the new one, never a
    /// part. The file's mode, and its owner and group where the process may set them, are
    /// kept. The temporary name is short (`.fw-XXXXXX` in the same folder), so that a name
    /// near the system's limit still works, and it is removed on any failure and on
    /// SIGINT, SIGTERM, SIGHUP and SIGPIPE.
    ///
    /// Only a regular file is replaced: a path that is (or whose links end at) a directory,
    /// a FIFO, a socket or a device, or a chain of links that never ends, is refused before
    /// anything is written (a rename would put a regular file in the device's place: as root,
    /// `/dev/null` itself). A link to a regular file is written through: its target is
    /// replaced and the link stays; a link to nothing creates its target.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) -> Result<Void, Failure> {
        let target = resolvedTarget(path)
        if case .failure(let refusal) = replaceable(target, path: path) { return .failure(refusal) }
        let folder = target.lastIndex(of: "/").map { String(target[...$0]) } ?? ""
        var existing = stat()
        let exists = systemPath(target).withUnsafeBufferPointer { stat($0.baseAddress!, &existing) } == 0
        let mode: mode_t = exists ? existing.st_mode & 0o7777 : 0o644
        PendingFiles.installHandlers()

        // Linux: an unnamed file (O_TMPFILE) gets a name only for the instant between
        // linkat and rename, so that even SIGKILL almost never leaves one behind.
        #if os(Linux)
        let unnamed = systemPath(folder.isEmpty ? "." : folder).withUnsafeBufferPointer { open($0.baseAddress!, 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC, mode) }
        if unnamed >= 0 {
            return finish(unnamed, bytes: bytes, path: path, mode: mode, existing: exists ? existing : nil) { () -> Result<Void, Failure> in
                for attempt in 0..<16 {
                    let name = systemPath(folder + ".fw-\(getpid())-\(attempt)-\(UInt32.random(in: 0...UInt32.max))")
                    let linked = Array("/proc/self/fd/\(unnamed)".utf8CString).withUnsafeBufferPointer { from in
                        name.withUnsafeBufferPointer { linkat(AT_FDCWD, from.baseAddress!, AT_FDCWD, $0.baseAddress!, AT_SYMLINK_FOLLOW) }
                    }
                    if linked != 0 {
                        if errno == EEXIST { continue }
                        return .failure(Failure(message: "cannot name the new '\(path)': \(errorText())"))
                    }
                    pending.add(name)
                    defer { pending.remove(name) }
                    return rename(name, to: target, path: path)
                }
                return .failure(Failure(message: "cannot name the new '\(path)': no free temporary name"))
            }
        }
        #endif

        var template = systemPath(folder + ".fw-XXXXXX")
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return .failure(Failure(message: "cannot create a temporary file beside '\(path)': \(errorText())")) }
        let temporary = template
        pending.add(temporary)
        defer { pending.remove(temporary) }
        return finish(fd, bytes: bytes, path: path, mode: mode, existing: exists ? existing : nil) { rename(temporary, to: target, path: path) }
    }

    /// Writes, keeps mode and owner, flushes and closes `fd`, then `publish` puts it in
    /// place; on any failure the temporary name (if any) is removed by `publish`'s caller.
    private static func finish(_ fd: Int32, bytes: [UInt8], path: String, mode: mode_t, existing: stat?,
                               publish: () -> Result<Void, Failure>) -> Result<Void, Failure> {
        var closed = false
        defer { if !closed { close(fd) } }
        fchmod(fd, mode)
        if let existing, existing.st_uid != getuid() || existing.st_gid != getgid() {
            // Root (or a member of the group) can keep the owner; anyone else keeps what it can.
            _ = fchown(fd, existing.st_uid, existing.st_gid)
            fchmod(fd, mode)
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(message: "cannot write beside '\(path)': \(errorText())"))
            }
            written += count
        }
        guard fsync(fd) == 0 else { return .failure(Failure(message: "cannot flush the new '\(path)': \(errorText())")) }
        let result = publish()
        closed = true
        guard close(fd) == 0 else { return .failure(Failure(message: "cannot close the new '\(path)': \(errorText())")) }
        return result
    }

    /// Whether `writeAtomically` may replace `path` (a regular file, a link to one, or
    /// nothing yet), so that a set of files is judged before any of them is written.
    public static func replaceable(_ path: String) -> Result<Void, Failure> {
        replaceable(resolvedTarget(path), path: path)
    }

    /// Success when `target` (a path after its links) is a regular file or does not exist;
    /// else why it may not be replaced.
    static func replaceable(_ target: String, path: String) -> Result<Void, Failure> {
        var info = stat()
        guard systemPath(target).withUnsafeBufferPointer({ lstat($0.baseAddress!, &info) }) == 0 else {
            if errno == ENOENT { return .success(()) }
            return .failure(Failure(message: "cannot write '\(path)': \(errorText()); nothing was written"))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG { return .success(()) }
        if kind == S_IFLNK {
            return .failure(Failure(message: "cannot write '\(path)': its symbolic links do not end (a loop, or more than 40); nothing was written"))
        }
        let through = target == path ? "" : " (through its symbolic link, '\(target)')"
        return .failure(Failure(message: "'\(path)'\(through) is \(describe(kind)), not a regular file: only a regular file is replaced; nothing was written"))
    }

    /// Renames the temporary file over the target; removes it when that fails. The target is
    /// judged again just before (it may have changed since the write began).
    private static func rename(_ temporary: [CChar], to target: String, path: String) -> Result<Void, Failure> {
        if case .failure(let refusal) = replaceable(target, path: path) {
            temporary.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            return .failure(refusal)
        }
        let renamed = temporary.withUnsafeBufferPointer { from in systemPath(target).withUnsafeBufferPointer { to in Glibc.rename(from.baseAddress!, to.baseAddress!) } }
        guard renamed == 0 else {
            let reason = errorText()
            temporary.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            return .failure(Failure(message: "cannot replace '\(path)': \(reason)"))
        }
        return .success(())
    }

    /// The file a path names after following symbolic links (up to 40, as the kernel does);
    /// the path itself when it is not a link or does not exist.
    static func resolvedTarget(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: 4097)
            let count = systemPath(current).withUnsafeBufferPointer { readlink($0.baseAddress!, &buffer, 4096) }
            guard count > 0 else { return current }
            let link = displayPath(buffer[0..<count].map { UInt8(bitPattern: $0) })
            if link.hasPrefix("/") {
                current = link
            } else {
                let folder = current.lastIndex(of: "/").map { String(current[...$0]) } ?? ""
                current = folder + link
            }
        }
        return current
    }

    /// Creates a folder and its parents (like `mkdir -p`).
    package static func makeDirectories(_ path: String) -> Result<Void, Failure> {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if systemPath(prefix).withUnsafeBufferPointer({ mkdir($0.baseAddress!, 0o755) }) != 0 && errno != EEXIST {
                return .failure(Failure(message: "cannot create '\(prefix)': \(errorText())"))
            }
            prefix += "/"
        }
        return .success(())
    }

    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return systemPath(path).withUnsafeBufferPointer { stat($0.baseAddress!, &info) } == 0
    }

    /// `stat` (following links) or `lstat`, for the shown form of a path.
    package static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var info = stat()
        let result = systemPath(path).withUnsafeBufferPointer { followingLinks ? stat($0.baseAddress!, &info) : lstat($0.baseAddress!, &info) }
        return result == 0 ? info : nil
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The temporary files being written, for the signal handler: a fixed table of C strings,
/// since a handler may not allocate or take locks.
private final class PendingFiles: @unchecked Sendable {
    static let slots = 64
    nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slots)
        table.initialize(repeating: nil, count: slots)
        return table
    }()
    private let lock = Mutex(())

    func add(_ path: [CChar]) {
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: path.count)
        copy.initialize(from: path, count: path.count)
        lock.withLock { _ in
            for slot in 0..<Self.slots where Self.table[slot] == nil {
                Self.table[slot] = copy
                return
            }
        }
    }

    func remove(_ path: [CChar]) {
        lock.withLock { _ in
            for slot in 0..<Self.slots {
                guard let entry = Self.table[slot], strcmp(entry, path) == 0 else { continue }
                Self.table[slot] = nil
                entry.deallocate()
                return
            }
        }
    }

    /// Installs the handlers once per process (a static's initializer runs once).
    static func installHandlers() { _ = handlersInstalled }

    private static let handlersInstalled: Void = {
        _ = table  // allocated here, never inside a handler
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                for slot in 0..<PendingFiles.slots {
                    if let entry = PendingFiles.table[slot] { unlink(entry) }
                }
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }()
}

extension FileIO {
    /// Writes all of `bytes` to a descriptor, through short writes and EINTR; false when the
    /// descriptor refuses them (a closed pipe).
    @discardableResult
    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
    }
}

extension FileIO {
    /// A path made absolute against the working folder (by name: `.` and `..` stay), its
    /// bytes kept when the folder's name is not UTF-8.
    package static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = currentDirectory() else { return path }
        return cwd + "/" + path
    }

    /// The working folder (`getcwd`), its bytes kept when its name is not UTF-8.
    package static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return buffer.withUnsafeBufferPointer { displayPath(Array(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: strlen($0.baseAddress!)))) }
    }

    /// A path as a URI path (RFC 3986): unreserved characters and `/` as they are, every other
    /// byte as `%XX` (the bytes of a name that is not UTF-8 as they are on disk).
    package static func percentEncodedPath(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for signed in systemPath(path).dropLast() {
            let byte = UInt8(bitPattern: signed)
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
