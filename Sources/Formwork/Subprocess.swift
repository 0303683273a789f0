#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkTemplate

/// Runs another program (git, a team's app) without a shell unless asked, in a folder,
/// bounded in time: past the limit its process group is killed and the run counts as failed.
enum Subprocess {
    struct Outcome {
        /// The exit status; nil when it could not start, was killed or timed out.
        var status: Int32?
        var output: [UInt8]
        var problem: String?
    }

    /// `arguments[0]` is looked up on PATH. With `capture`, standard output is collected
    /// (at most `maximumOutput` bytes); otherwise it goes to ours. Standard error is ours
    /// unless `silenceErrors`.
    static func run(_ arguments: [String], in folder: String, capture: Bool, timeoutSeconds: Int, maximumOutput: Int = 64 << 20, silenceErrors: Bool = false) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if capture {
            guard pipe(&pipeEnds) == 0 else { return Outcome(status: nil, output: [], problem: "cannot make a pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        }
        let devNull = open("/dev/null", O_RDONLY)
        if devNull >= 0 { posix_spawn_file_actions_adddup2(&actions, devNull, 0) }
        let devNullOut = silenceErrors ? open("/dev/null", O_WRONLY) : -1
        if devNullOut >= 0 { posix_spawn_file_actions_adddup2(&actions, devNullOut, 2) }
        defer { if devNullOut >= 0 { close(devNullOut) } }
        defer { if devNull >= 0 { close(devNull) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own, so that a timeout kills what it started too (swift run's build).
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The folder through a shell's `cd` (glibc's addchdir is not visible to Swift), then exec.
        let command = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", folder] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        if capture { close(pipeEnds[1]) }
        guard started == 0 else {
            if capture { close(pipeEnds[0]) }
            return Outcome(status: nil, output: [], problem: "cannot run \(arguments[0]): \(String(cString: strerror(started)))")
        }
        var output: [UInt8] = []
        let deadline = time(nil) + time_t(timeoutSeconds)
        var timedOut = false
        if capture {
            _ = fcntl(pipeEnds[0], F_SETFL, fcntl(pipeEnds[0], F_GETFL) | O_NONBLOCK)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var descriptor = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            while true {
                if time(nil) > deadline { timedOut = true; break }
                let ready = poll(&descriptor, 1, 200)
                if ready < 0 && errno != EINTR { break }
                if ready <= 0 { continue }
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count > 0 {
                    if output.count < maximumOutput { output += buffer[0..<min(count, maximumOutput - output.count)] }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    break
                }
            }
            close(pipeEnds[0])
        }
        var status: Int32 = 0
        while !timedOut {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { return Outcome(status: nil, output: output, problem: "lost the process: \(String(cString: strerror(errno)))") }
            if time(nil) > deadline { timedOut = true; break }
            usleep(20_000)
        }
        if timedOut {
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            return Outcome(status: nil, output: output, problem: "\(arguments.joined(separator: " ")) did not finish within \(timeoutSeconds) s")
        }
        // WIFEXITED / WEXITSTATUS, spelled out (they are macros).
        if status & 0x7F == 0 { return Outcome(status: (status >> 8) & 0xFF, output: output, problem: nil) }
        return Outcome(status: nil, output: output, problem: "\(arguments[0]) was ended by signal \(status & 0x7F)")
    }
}

/// A repository's Formwork app run as a program: `formwork synth` hands it its verb.
package enum AppProcess {
    /// Runs `command` (a shell command line such as `swift run --quiet Infra`) with the verb
    /// and its arguments, each quoted for the shell, in `folder`; its output is ours. Returns
    /// its exit status, or 2 when it could not run or was killed.
    package static func run(_ command: String, _ arguments: [String], in folder: String, timeoutSeconds: Int = 1_800) -> Int32 {
        let line = ([command] + arguments.map(quoted)).joined(separator: " ")
        let outcome = Subprocess.run(["/bin/sh", "-c", line], in: folder, capture: false, timeoutSeconds: timeoutSeconds)
        if let status = outcome.status { return status }
        Output.error("error: `\(line)` did not finish: \(outcome.problem ?? "killed") [CK-03]")
        return 2
    }

    /// A shell word that stands for exactly `text`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
