import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkTemplate

/// `formwork lsp`: the session over a transport (standard input and output by default).
/// Changes are debounced: diagnostics are published once no other message arrives within
/// `debounceMilliseconds`, so that a burst of keystrokes is linted once, and at the latest
/// `maximumWaitMilliseconds` after the first unpublished change, so that a user typing
/// without pause still sees them. A large document is linted incrementally, and while keys
/// keep coming quickly (the rules that read across resources keep their last findings until
/// the text has been still for `settleMilliseconds`).
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

    /// Serves until `exit` or the end of the input; returns the exit code.
    public func run() -> Int32 {
        while true {
            if !session.pending.isEmpty {
                let waited = session.pendingSince.map { ContinuousClock.now - $0 } ?? .zero
                if waited >= .milliseconds(maximumWaitMilliseconds) || !transport.hasInput(within: debounceMilliseconds) {
                    for message in session.publishQuickly() { transport.send(message) }
                    continue
                }
            } else if !session.unsettled.isEmpty, !transport.hasInput(within: settleMilliseconds) {
                for message in session.publishSettled() { transport.send(message) }
                continue
            }
            switch transport.receive() {
            case .end:
                return session.exitCode ?? 1
            case .malformed(let code, let message):
                transport.send(session.error(Node(.null), code: code, message))
            case .message(let message):
                for reply in session.receive(message) { transport.send(reply) }
                if let code = session.exitCode { return code }
            }
        }
    }
}
