import FormworkTemplate

/// Every value a property can take, as the house rules must see them: a literal; a Ref to
/// a parameter (its Default and each AllowedValues entry, or its MinValue and MaxValue
/// bounds); both branches of Fn::If; AWS::NoValue as absent. What cannot be resolved is
/// `unresolved`, so that a rule reports it instead of assuming it complies.
public struct PossibleValues: Sendable {
    /// One value a property can take.
    public enum Candidate: Sendable {
        /// A literal the property may hold, with the place that decides it (the literal, or
        /// the parameter's Default / AllowedValues entry).
        case literal(Node, via: Via?)
        /// The property is left out (`AWS::NoValue`).
        case absent
        /// An expression not known before deployment (a Ref to a resource, a GetAtt, a
        /// parameter without Default or AllowedValues, ...).
        case unresolved(Node, reason: String)
    }

    /// Where a parameter's value comes from, as a finding names it (`parameter Env Default`,
    /// `the deployment value of Env in prod.json`); a value of a parameters file also has
    /// its place there, which a finding on it passes to `context.report(_:at:path:via:)`.
    public struct Via: Sendable, CustomStringConvertible {
        public let description: String
        /// The value's place in a deployment's parameters file.
        package let deploymentValue: DeploymentValuePlace?

        init(_ description: String, deploymentValue: DeploymentValuePlace? = nil) {
            self.description = description
            self.deploymentValue = deploymentValue
        }
    }

    let parameters: ObjectMap
    let known: [String: [Node]]
    let knownFiles: [String: String]

    init(template: Template, known: [String: [Node]] = [:], files: [String: String] = [:]) {
        parameters = template.parameters ?? ObjectMap()
        self.known = known
        self.knownFiles = files
    }

    /// A deployment value: from a parameters file, with its place there (the linter moves a
    /// finding on it to that place: `DeploymentValuePlaces`).
    static func deploymentValue(_ name: String, _ value: Node, file: String?) -> Via {
        guard let file, value.location.isKnown else { return Via("the deployment value of \(name)") }
        return Via("the deployment value of \(name) in \(file)", deploymentValue: DeploymentValuePlace(file: file, location: value.location))
    }

    /// Whether the parameter is a list type (`CommaDelimitedList`, `List<...>`): its value is
    /// its comma-separated items.
    public func isList(_ name: String) -> Bool {
        guard let type = parameters[name]?["Type"]?.stringValue else { return false }
        return type == "CommaDelimitedList" || type.hasPrefix("List<")
    }

    /// At most this many candidates are judged for one value: nested `Fn::If`s over long
    /// AllowedValues lists multiply, and a small template must not make a huge report.
    public static let maximumCandidates = 1_000

    /// Every value `value` can take (`.absent` for nil), each once, at most
    /// ``maximumCandidates``: what a rule judges instead of the literal it sees.
    public func candidates(_ value: Node?) -> [Candidate] {
        guard let value else { return [.absent] }
        let all = candidates(value, depth: 0)
        // Most values have one candidate (a literal): nothing to deduplicate on the hot path.
        guard all.count > 1 else { return all }
        // The same value reached through several branches is judged once.
        var seen = Set<String>()
        var unique: [Candidate] = []
        for candidate in all {
            let key: String
            switch candidate {
            case .literal(let node, let via):
                let place = via?.deploymentValue.map { "\($0.location.line):\($0.location.column)" } ?? ""
                key = "l\(ContentDigest.of(node))|\(via?.description ?? "")|\(place)|\(node.location.line):\(node.location.column)"
            case .absent: key = "a"
            case .unresolved(let node, let reason): key = "u\(reason)|\(node.location.line):\(node.location.column)"
            }
            guard seen.insert(key).inserted else { continue }
            if unique.count == Self.maximumCandidates {
                unique.append(.unresolved(value, reason: "more than \(Self.maximumCandidates) possible values; the rest are not judged"))
                break
            }
            unique.append(candidate)
        }
        return unique
    }

    private func candidates(_ value: Node, depth: Int) -> [Candidate] {
        guard depth < 16 else { return [.unresolved(value, reason: "too deeply nested")] }
        switch value.kind {
        case .intrinsic(let function):
            switch function.name {
            case .ref:
                guard let name = function.argument.stringValue else { return [.unresolved(value, reason: "Ref without a name")] }
                if name == "AWS::NoValue" { return [.absent] }
                if let values = known[name], !values.isEmpty {
                    // A finding on a deployment value is built at the Ref that takes it; the
                    // linter moves one from a parameters file to its place there.
                    return values.map { .literal(Node($0.kind, at: value.location), via: Self.deploymentValue(name, $0, file: knownFiles[name])) }
                }
                guard let parameter = parameters[name]?.objectValue else {
                    return [.unresolved(value, reason: name.hasPrefix("AWS::") ? "the pseudo parameter \(name) is known only at deployment" : "Ref to the resource \(name)")]
                }
                var found: [Candidate] = []
                if let allowed = parameter["AllowedValues"]?.arrayValue {
                    found += allowed.map { .literal($0, via: Via("parameter \(name) AllowedValues")) }
                }
                if let defaultValue = parameter["Default"], !found.contains(where: { if case .literal(let v, _) = $0 { return v == defaultValue } else { return false } }) {
                    found.append(.literal(defaultValue, via: Via("parameter \(name) Default")))
                }
                for bound in ["MinValue", "MaxValue"] {
                    if let limit = parameter[bound] { found.append(.literal(limit, via: Via("parameter \(name) \(bound)"))) }
                }
                if found.isEmpty { return [.unresolved(value, reason: "parameter \(name) has no Default or AllowedValues")] }
                // With a Default only, any other value can still be passed.
                if parameter["AllowedValues"] == nil, parameter["MinValue"] == nil, parameter["MaxValue"] == nil {
                    found.append(.unresolved(value, reason: "parameter \(name) accepts values other than its Default"))
                }
                return found
            case .if:
                guard let branches = function.argument.arrayValue, branches.count == 3 else { return [.unresolved(value, reason: "malformed Fn::If")] }
                let then = candidates(branches[1], depth: depth + 1)
                guard then.count <= Self.maximumCandidates * 4 else { return then }
                return then + candidates(branches[2], depth: depth + 1)
            default:
                return [.unresolved(value, reason: "\(function.name) is evaluated at deployment")]
            }
        default:
            return [.literal(value, via: nil)]
        }
    }
}
