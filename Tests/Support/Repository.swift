import Foundation

/// What the test targets share: the repository's root, and running a command.
public enum Repository {
    /// The repository root (this file is Tests/Support/Repository.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Runs a command found on PATH, standard output and error together; nil when it cannot
    /// be started.
    public static func run(_ arguments: [String], in folder: String? = nil) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    public static func hasCommand(_ name: String) -> Bool {
        run(["sh", "-c", "command -v \(name)"])?.status == 0
    }
}
