#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File access without Foundation (it costs milliseconds at start-up): bounded reads and
/// atomic replacement.
public enum FileIO {
    public struct Failure: Error, Sendable {
        public var message: String
        public var tooLarge = false
    }

    /// Reads a whole file, refusing one larger than `maxBytes` before reading it.
    /// `-` reads standard input.
    public static func read(_ path: String, maxBytes: Int = .max) -> Result<[UInt8], Failure> {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Failure(message: "cannot open '\(path)': \(errorText())")) }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                return .failure(Failure(message: "'\(path)' is a directory"))
            }
            if Int(info.st_size) > maxBytes {
                return .failure(Failure(message: "the file is \(info.st_size) bytes, more than the limit of \(maxBytes)", tooLarge: true))
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Int(info.st_size), 0) + 1)
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

    /// Replaces `path` atomically: the bytes go to a temporary file in the same folder,
    /// which is flushed and then renamed over the target. Readers see the old file or the
    /// new one, never a part. The target's permissions are kept.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) -> Result<Void, Failure> {
        var template = Array((path + ".formwork-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return .failure(Failure(message: "cannot create a temporary file beside '\(path)': \(errorText())")) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var existing = stat()
        let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
        fchmod(fd, mode)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                close(fd)
                return .failure(Failure(message: "cannot write '\(temporary)': \(errorText())"))
            }
            written += count
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            return .failure(Failure(message: "cannot flush '\(temporary)': \(errorText())"))
        }
        guard rename(temporary, path) == 0 else {
            return .failure(Failure(message: "cannot replace '\(path)': \(errorText())"))
        }
        ok = true
        return .success(())
    }

    /// Creates a folder and its parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) -> Result<Void, Failure> {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                return .failure(Failure(message: "cannot create '\(prefix)': \(errorText())"))
            }
            prefix += "/"
        }
        return .success(())
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
