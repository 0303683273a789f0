import FormworkTemplate

/// The error codes the server answers with: JSON-RPC 2.0's own and LSP's.
enum JSONRPCError {
    /// The bytes are not a message: broken framing, or a body that is not JSON.
    static let parseError = -32700
    /// JSON, but not a request: not an object, no `method` or one that is not a string, an
    /// `id` that is not a string, a number or null, `jsonrpc` other than "2.0".
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    /// `params` that is neither an object nor an array.
    static let invalidParams = -32602
    /// LSP: a request before `initialize`.
    static let serverNotInitialized = -32002
    /// LSP: a valid request that the server could not carry out (a refused rename).
    static let requestFailed = -32803
}

/// One message judged by JSON-RPC 2.0's rules on its shape.
enum IncomingMessage {
    /// A request (it has an id) or a notification (it has none).
    case call(method: String, id: Node?, params: Node?)
    /// A response to a request of ours (the server sends none), or a notification that is
    /// not valid: never answered.
    case ignored
    /// Not a valid request: answered with this error, under the request's id when it has a
    /// valid one, else null.
    case invalid(id: Node, code: Int, message: String)

    init(_ message: Node) {
        guard let fields = message.objectValue else {
            let what = message.arrayValue != nil ? "a batch (an array); the Language Server Protocol sends one object per message" : TemplateReader.describe(message)
            self = .invalid(id: Node(.null), code: JSONRPCError.invalidRequest, message: "the message is \(what), not a JSON-RPC request object")
            return
        }
        let id = fields["id"]
        if let id {
            switch id.kind {
            case .string, .number, .null: break
            default:
                self = .invalid(id: Node(.null), code: JSONRPCError.invalidRequest, message: "the id is \(TemplateReader.describe(id)); it must be a string, a number or null")
                return
            }
        }
        let answerID = id ?? Node(.null)
        guard let method = fields["method"] else {
            if id != nil && (fields["result"] != nil || fields["error"] != nil) {
                self = .ignored
            } else {
                self = .invalid(id: answerID, code: JSONRPCError.invalidRequest, message: "the request has no method")
            }
            return
        }
        guard case .string(let name) = method.kind else {
            self = .invalid(id: answerID, code: JSONRPCError.invalidRequest, message: "the method is \(TemplateReader.describe(method)), not a string")
            return
        }
        guard case .string("2.0")? = fields["jsonrpc"]?.kind else {
            self = id == nil ? .ignored : .invalid(id: answerID, code: JSONRPCError.invalidRequest, message: "the member jsonrpc must be \"2.0\"")
            return
        }
        // `params: null` is taken as no params: clients send it for shutdown and exit.
        let params = fields["params"].flatMap { node -> Node? in if case .null = node.kind { return nil } else { return node } }
        if let params, params.objectValue == nil, params.arrayValue == nil {
            self = id == nil ? .ignored : .invalid(id: answerID, code: JSONRPCError.invalidParams, message: "params is \(TemplateReader.describe(params)); it must be an object or an array")
            return
        }
        self = .call(method: name, id: id, params: params)
    }
}
