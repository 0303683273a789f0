import FormworkRuleKit
import FormworkTemplate

/// ST-55: a dynamic reference (`{{resolve:...}}`) has the shape of its service, and a secret
/// is resolved only where CloudFormation resolves one.
struct DynamicReferences: Rule {
    static let description = RuleDescription(
        id: "ST-55", name: "dynamic-references", family: .structure, severity: .error,
        rationale: "CloudFormation resolves `{{resolve:ssm:NAME[:VERSION]}}`, `{{resolve:ssm-secure:NAME[:VERSION]}}` and `{{resolve:secretsmanager:SECRET-ID[:SecretString[:JSON-KEY[:VERSION-STAGE[:VERSION-ID]]]]}}` (SECRET-ID a name or a full ARN); another service, a missing part or extra parts fail the deployment. A Secrets Manager reference is resolved only in resource properties (and a parameter's Default): in Outputs or Metadata it fails. An SSM parameter may also be named by its ARN (shared parameters), which cfn-lint 1.51.0 does not yet accept. `${}` in an Fn::Sub counts as one part.",
        acrossResources: true,
        cfnLint: ["E1050", "E1051"],
        triggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t3.micro\n      Engine: postgres\n      MasterUsername: ↓'{{resolve:secretmanager:orders:SecretString:username}}'\n      MasterUserPassword: ↓'{{resolve:secretsmanager:orders:SecretStrings:password}}'\n      AllocatedStorage: ↓'{{resolve:ssm:/orders/storage:1:2}}'\nOutputs:\n  Password:\n    Value: ↓'{{resolve:secretsmanager:orders:SecretString:password}}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Secret:\n    Type: AWS::SecretsManager::Secret\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: '{{resolve:ssm:/orders/class}}'\n      Engine: postgres\n      MasterUsername: !Sub '{{resolve:secretsmanager:${Secret}:SecretString:username}}'\n      MasterUserPassword: '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-AbCdEf:SecretString:password::}}'\n      AllocatedStorage: !Sub '{{resolve:ssm:arn:aws:ssm:${AWS::Region}:123456789012:parameter/orders/storage:2}}'\nOutputs:\n  Class:\n    Value: '{{resolve:ssm:/orders/class:3}}'\n  Storage:\n    Value: !Sub '{{resolve:ssm:/orders/${AWS::Region}/storage:${Version}}}'\nParameters:\n  Version:\n    Type: Number\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let literals = context.stringLiterals
        for literal in literals.literals {
            let text = literal.text, location = literal.location
            guard text.has("{{resolve") else { continue }
            let path = literals.path(of: literal)
            let inSub = path.contains(.key("Fn::Sub"))
            let inProperties = path.count >= 3 && path[0] == .key("Resources") && path[2] == .key("Properties")
            for reference in Self.references(in: inSub ? Self.withoutSubstitutions(text) : text) {
                let parts = reference.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                let shown = "{{\(reference.replacing(String(Self.substitution), with: "${…}"))}}"
                if let problem = Self.problem(parts) {
                    context.report("\(shown) is not a dynamic reference CloudFormation resolves: \(problem)", at: location, path: path)
                } else if parts[1] == "secretsmanager", !inProperties {
                    context.report("\(shown) reads Secrets Manager outside resource properties, where CloudFormation does not resolve it",
                                   at: location, path: path, hint: "pass the secret's ARN and let the consumer read it, or move the reference into a resource property")
                }
            }
        }
    }

    /// The text between `{{` and `}}` of each `{{resolve...}}` in a string.
    static func references(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        let opening = Array("{{resolve".utf8)
        var found: [String] = []
        var index = 0
        while index + opening.count <= bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index..<(index + opening.count)].elementsEqual(opening) else { index += 1; continue }
            var end = index + opening.count
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
            guard end + 1 < bytes.count else { break }
            found.append(String(decoding: bytes[(index + 2)..<end], as: UTF8.self))
            index = end + 2
        }
        return found
    }

    /// What stands for a `${...}`: one part, whose value is not known here.
    static let substitution: Character = "\u{1A}"

    /// `${...}` replaced by one placeholder: a substitution is one part, whatever its value holds.
    static func withoutSubstitutions(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "$", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "{",
               let close = text[index...].firstIndex(of: "}") {
                result.append(Self.substitution)
                index = text.index(after: close)
            } else {
                result.append(text[index])
                index = text.index(after: index)
            }
        }
        return result
    }

    /// What is wrong with a reference's parts, or nil.
    static func problem(_ parts: [String]) -> String? {
        guard parts.first == "resolve" else { return "it starts with '\(parts.first ?? "")', not 'resolve'" }
        guard parts.count >= 3 else { return "it needs a service and what to read (resolve:SERVICE:NAME)" }
        let service = parts[1]
        switch service {
        case "ssm", "ssm-secure":
            if parts[2] == "arn" {
                guard (8...9).contains(parts.count), parts[4] == "ssm", parts[7].hasPrefix("parameter/") else {
                    return "an SSM parameter's ARN is arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME, optionally followed by :VERSION"
                }
                if parts.count == 9, !Self.isVersion(parts[8]) { return "the version '\(parts[8])' is not a number" }
                return nil
            }
            guard parts.count <= 4 else { return "\(service) takes a parameter name and an optional version (\(parts.count - 2) parts given)" }
            if parts[2].isEmpty { return "the parameter name is empty" }
            if parts.count == 4, !Self.isVersion(parts[3]) { return "the version '\(parts[3])' is not a number" }
            return nil
        case "secretsmanager":
            let stringIndex: Int
            if parts[2] == "arn" {
                guard (9...13).contains(parts.count), parts[7] == "secret" else {
                    return "a secret's ARN is arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME"
                }
                stringIndex = 9
            } else {
                guard parts.count <= 7 else { return "secretsmanager takes SECRET-ID:SecretString:JSON-KEY:VERSION-STAGE:VERSION-ID at most (\(parts.count - 2) parts given)" }
                if parts[2].isEmpty { return "the secret id is empty" }
                stringIndex = 3
            }
            if parts.count > stringIndex, !["SecretString", ""].contains(parts[stringIndex]), !parts[stringIndex].contains(Self.substitution) {
                return "the part after the secret id is 'SecretString' (or empty), not '\(parts[stringIndex])'"
            }
            return nil
        case _ where service.contains(Self.substitution):
            return nil
        default:
            return "'\(service)' is not a service CloudFormation resolves (ssm, ssm-secure, secretsmanager)"
        }
    }

    static func isVersion(_ text: String) -> Bool {
        text.contains(substitution) || (!text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber })
    }
}
