#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkTemplate
import Synchronization

/// `formwork lsp`: the session over a transport (standard input and output by default).
/// Changes are debounced: diagnostics are published once no other message arrives within
/// `debounceMilliseconds`, so that a burst of keystrokes is linted once, and at the latest
/// `maximumWaitMilliseconds` after the first unpublished change, so that a user typing
/// without pause still sees them. A large document is linted incrementally, and while keys
/// keep coming quickly (the rules that read across resources keep their last findings until
/// the text has been still for `settleMilliseconds`); its exact lints run on another thread,
/// so that they never hold back a quick publication.
public struct LanguageServer {
    public var session: LanguageServerSession
    public var debounceMilliseconds: Int32 = 15
    public var maximumWaitMilliseconds = 300
    /// How long the text of a document published quickly must stay still before its exact
    /// lint runs (longer than the time between two keys of a typist).
    public var settleMilliseconds: Int32 = 150
    let transport: Transport

    public init(profiles: ProfileCatalogue, registry: SchemaRegistry, input: Int32 = 0, output: Int32 = 1) {
        session = LanguageServerSession(profiles: profiles, registry: registry)
        transport = Transport(input: input, output: output)
    }

    /// Serves until `exit` or the end of the input; returns the exit code. The exact lints of
    /// large documents run on other threads, so that quick publications (and answers) do not
    /// wait behind them.
    public func run() -> Int32 {
        let lints = BackgroundLints()
        while true {
            for (job, outcome) in lints.takeFinished() {
                for message in session.finished(job, outcome) { transport.send(message) }
            }
            if !session.pending.isEmpty {
                let waited = session.pendingSince.map { ContinuousClock.now - $0 } ?? .zero
                let wake: Transport.Wake = waited >= .milliseconds(maximumWaitMilliseconds) ? .timeout : transport.wait(debounceMilliseconds, or: lints.finishing)
                if wake == .timeout {
                    let (messages, exact) = session.publishQuickly(deferring: true)
                    for message in messages { transport.send(message) }
                    exact.forEach(lints.start)
                }
                if wake != .input { continue }
            } else if session.settling {
                let wake = transport.wait(settleMilliseconds, or: lints.finishing)
                if wake == .timeout {
                    let (messages, exact) = session.publishSettled(deferring: true)
                    for message in messages { transport.send(message) }
                    exact.forEach(lints.start)
                }
                if wake != .input { continue }
            } else if transport.wait(-1, or: lints.finishing) == .other {
                continue
            }
            switch transport.receive() {
            case .end:
                transport.flush()
                return session.exitCode ?? 1
            case .malformed(let code, let message):
                transport.send(session.error(Node(.null), code: code, message))
            case .message(let message):
                for reply in session.receive(message) { transport.send(reply) }
                if let code = session.exitCode {
                    transport.flush()
                    return code
                }
            }
        }
    }
}

/// Exact lints running on other threads; each one that ends writes a byte to a pipe, so that
/// the server's wait for input wakes for it too.
final class BackgroundLints: Sendable {
    private let done = Mutex<[(ExactLint, ExactLint.Outcome)]>([])
    /// Readable once a lint has ended.
    let finishing: Int32
    private let signal: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        }
        (finishing, signal) = (ends[0], ends[1])
    }

    deinit {
        if finishing >= 0 { close(finishing); close(signal) }
    }

    func start(_ job: ExactLint) {
        guard signal >= 0 else {
            // No pipe: the lint runs here.
            done.withLock { $0.append((job, job.run())) }
            return
        }
        DispatchQueue.global().async { [self] in
            let outcome = job.run()
            done.withLock { $0.append((job, outcome)) }
            var byte: UInt8 = 1
            _ = write(signal, &byte, 1)
        }
    }

    /// The lints that ended since the last call, in the order they ended.
    func takeFinished() -> [(ExactLint, ExactLint.Outcome)] {
        if finishing >= 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(finishing, &bytes, bytes.count) > 0 {}
        }
        return done.withLock { finished in
            defer { finished.removeAll() }
            return finished
        }
    }
}

