import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// NM-01: every name carries the environment suffix.
struct SuffixInNames: Rule {
    static let description = RuleDescription(
        id: "NM-01", name: "suffix-in-names", family: .naming, severity: .error,
        rationale: "Names are global per account and region: two environments of one stack collide unless every name carries the environment suffix. Name-bearing properties come from the registry schema (the writable primary identifier, or a create-only Name), not from a hand list.",
        acrossResources: true,
        triggering: [
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: ↓backups\n",
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ↓!Sub 'alerts-${AWS::Region}'\n",
        ],
        nonTriggering: [
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'backups-${EnvironmentSuffix}'\n",
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Join ['-', [export, !Ref EnvironmentSuffix]]\n      AssumeRolePolicyDocument: {}\n",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let suffix = context.configuration.naming.suffixParameter
        for resource in template.resources {
            guard let type = resource.type, let summary = context.registry.summary(for: type), let properties = resource.properties else { continue }
            for name in summary.nameProperties {
                guard let value = properties[name], !Self.isReference(value, template) else { continue }
                let path = Places.resourcePath(resource, .key("Properties"), .key(name))
                for (branch, problem) in Self.problems(value, suffix: suffix) {
                    context.report("\(resource.logicalID).\(name) \(problem)", at: branch.location.isKnown ? branch.location : value.location, path: path,
                                   hint: "write it as !Sub '<type>-<purpose>-${\(suffix)}'")
                }
            }
        }
    }

    /// A Ref or GetAtt to another resource names that resource (a policy's Bucket, an
    /// attachment's VpcId): its own name is checked where it is declared.
    static func isReference(_ value: Node, _ template: Template) -> Bool {
        guard let function = value.intrinsicValue else { return false }
        if function.name == .getAtt { return true }
        if function.name == .ref, let name = function.argument.stringValue { return template.resource(name) != nil }
        return false
    }

    /// The branches of a name that do not carry `${suffix}`, with why.
    static func problems(_ value: Node, suffix: String) -> [(Node, String)] {
        switch value.kind {
        case .string(let text): return [(value, "is the fixed name '\(text)', without ${\(suffix)}")]
        case .intrinsic(let function):
            switch function.name {
            case .sub:
                let template = function.subText ?? ""
                return template.containsText("${\(suffix)}") ? [] : [(value, "does not contain ${\(suffix)}")]
            case .join:
                return contains(function.argument, suffix: suffix) ? [] : [(value, "joins no Ref to \(suffix)")]
            case .ref:
                return function.argument.stringValue == suffix ? [] : [(value, "is a Ref to \(function.argument.stringValue ?? "?"), not built from \(suffix)")]
            case .if:
                guard let branches = function.argument.arrayValue, branches.count == 3 else { return [(value, "is a malformed Fn::If")] }
                return branches[1...2].flatMap { branch -> [(Node, String)] in
                    if case .intrinsic(let inner) = branch.kind, inner.name == .ref, inner.argument.stringValue == "AWS::NoValue" { return [] }
                    return problems(branch, suffix: suffix)
                }
            default:
                return [(value, "cannot be resolved (\(function.name)), so its suffix cannot be checked")]
            }
        default:
            return [(value, "is not a string")]
        }
    }

    static func contains(_ value: Node, suffix: String) -> Bool {
        switch value.kind {
        case .intrinsic(let function):
            if function.name == .ref, function.argument.stringValue == suffix { return true }
            if function.name == .sub {
                let template = function.subText ?? ""
                return template.containsText("${\(suffix)}")
            }
            return contains(function.argument, suffix: suffix)
        case .array(let items): return items.contains { contains($0, suffix: suffix) }
        case .object(let map): return map.entries.contains { contains($0.value, suffix: suffix) }
        default: return false
        }
    }
}

/// NM-04: the suffix parameter exists and is constrained.
struct SuffixParameter: Rule {
    static let description = RuleDescription(
        id: "NM-04", name: "suffix-parameter", family: .naming, severity: .error,
        rationale: "Every name is built from the suffix parameter, so it must exist, be a String with an AllowedPattern and a MaxLength (names have length limits), and have no Default that names an environment (a forgotten parameter would deploy 'prod').",
        acrossResources: true,
        triggering: [
            "Parameters:\n  ↓EnvironmentSuffix:\n    Type: String\n    Default: ↓prod\nResources: {}\n",
            "↓Resources: {}\n",
        ],
        nonTriggering: [
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\n    AllowedPattern: '^[a-z0-9-]+$'\n    MaxLength: 20\nResources: {}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let name = context.configuration.naming.suffixParameter
        guard let entry = template.parameters?.entry(name), let parameter = entry.value.objectValue else {
            let place = template.root.entry("Parameters")?.keyLocation ?? template.root.entries.first?.keyLocation ?? Location(line: 1, column: 1)
            context.report("the template has no \(name) parameter; every name must carry it", at: place, path: [.key("Parameters"), .key(name)])
            return
        }
        let path: [PathComponent] = [.key("Parameters"), .key(name)]
        var missing: [String] = []
        if parameter["Type"]?.stringValue != "String" { missing.append("Type: String") }
        if parameter["AllowedPattern"] == nil { missing.append("an AllowedPattern such as '^[a-z0-9-]+$'") }
        if parameter["MaxLength"] == nil { missing.append("a MaxLength") }
        if !missing.isEmpty {
            context.report("\(name) needs " + missing.joined(separator: ", "), at: entry.keyLocation, path: path)
        }
        if let defaultValue = parameter["Default"], let text = defaultValue.stringValue,
           Strings.words(text).contains(where: context.configuration.hardcoding.environmentWords.contains) {
            context.report("\(name) defaults to '\(text)', an environment name", at: defaultValue.location, path: path + [.key("Default")], hint: "remove the Default so that every deployment names its environment")
        }
    }
}

/// NM-02: the suffix ends the name.
struct SuffixLast: Rule {
    static let description = RuleDescription(
        id: "NM-02", name: "suffix-last", family: .naming, severity: .warning,
        rationale: "Every seed names things `<type>[-<purpose>]-${EnvironmentSuffix}`: with the suffix last, names sort by what they are and one environment's resources are found with one suffix match. In a name whose shape a service fixes (a log group `/aws/rds/instance/<id>/postgresql`, a DNS name `<label>.<zone>`) the suffix ends its own path segment or label.",
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: ↓!Sub '${EnvironmentSuffix}-backups'\n",
            "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: ↓!Sub '/aws/rds/instance/${EnvironmentSuffix}-db/postgresql'\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'backups-${EnvironmentSuffix}'\n",
            "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '/aws/rds/instance/db-${EnvironmentSuffix}/postgresql'\n",
            "Resources:\n  Record:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneName: example.internal.\n      Type: CNAME\n      TTL: '60'\n      ResourceRecords: [db.example.com]\n      Name: !Sub 'db-${EnvironmentSuffix}.example.internal'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let suffix = "${" + context.configuration.naming.suffixParameter + "}"
        for resource in template.resources {
            guard let type = resource.type, let summary = context.registry.summary(for: type), let properties = resource.properties else { continue }
            for name in summary.nameProperties {
                guard let value = properties[name], let function = value.intrinsicValue, function.name == .sub,
                      let text = function.subText,
                      text.containsText(suffix), !Self.endsASegment(text, suffix) else { continue }
                context.report("\(resource.logicalID).\(name) '\(text)' does not end with \(suffix)", at: value.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key(name)))
            }
        }
    }
}

extension SuffixLast {
    /// The suffix ends the name, or the path segment or DNS label it is in (the rest of
    /// such a name is the service's fixed shape).
    static func endsASegment(_ text: String, _ suffix: String) -> Bool {
        if text.hasSuffix(suffix) { return true }
        var rest = Substring(text)
        while let range = rest.firstRange(of: suffix) {
            let next = rest[range.upperBound...].first
            if next == "/" || next == "." { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}

/// NM-03: names stay within their limits once the suffix is filled in.
struct NameLimits: Rule {
    /// Worst-case lengths of the pseudo parameters a name may hold.
    static let pseudoLengths = ["AWS::Region": 14, "AWS::AccountId": 12, "AWS::StackName": 128, "AWS::Partition": 10, "AWS::URLSuffix": 20]

    static let description = RuleDescription(
        id: "NM-03", name: "name-limits", family: .naming, severity: .error,
        rationale: "A name that fits with a short suffix can break with the longest one the suffix parameter allows (its MaxLength), or with a character it allows: DB identifiers are 63 characters of letters, digits and single hyphens starting with a letter; bucket names 3 to 63 lowercase characters; every name its registry maxLength. cfn-lint checks literals only.",
        cfnLint: ["E3031", "E3033"],
        triggering: [
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\n    AllowedPattern: '^[a-zA-Z0-9-]+$'\n    MaxLength: 40\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: ↓!Sub 'orders-primary-database-instance-${EnvironmentSuffix}'\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: ↓!Sub 'backups-${EnvironmentSuffix}'\n",
        ],
        nonTriggering: [
            "Parameters:\n  EnvironmentSuffix:\n    Type: String\n    AllowedPattern: '^[a-z0-9-]+$'\n    MaxLength: 20\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: !Sub 'orders-db-${EnvironmentSuffix}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let suffixName = context.configuration.naming.suffixParameter
        guard let suffix = template.parameters?[suffixName]?.objectValue,
              let maxLength = suffix["MaxLength"]?.intValue else { return }
        let pattern = suffix["AllowedPattern"]?.stringValue ?? ""
        let allowsUppercase = pattern.isEmpty || pattern.containsText("A-Z") || pattern.containsText("\\w") || pattern.containsText(".")
        for resource in template.resources {
            guard let type = resource.type, let summary = context.registry.summary(for: type), let properties = resource.properties else { continue }
            for name in summary.nameProperties {
                guard let value = properties[name], let function = value.intrinsicValue, function.name == .sub,
                      let text = function.argument.stringValue, text.containsText("${\(suffixName)}") else { continue }
                let (length, unknown) = Self.worstLength(text, suffix: suffixName, suffixLength: maxLength, template: template)
                if unknown { continue }
                let path = Places.resourcePath(resource, .key("Properties"), .key(name))
                var limit = summary.maxLength(of: name)
                var lowercase = false
                switch (type, name) {
                case ("AWS::RDS::DBInstance", "DBInstanceIdentifier"), ("AWS::RDS::DBCluster", "DBClusterIdentifier"): limit = 63
                case ("AWS::S3::Bucket", "BucketName"): limit = 63; lowercase = true
                default: break
                }
                if let limit, length > limit {
                    context.report("\(resource.logicalID).\(name) can be \(length) characters with a \(maxLength)-character \(suffixName); the limit is \(limit)", at: value.location, path: path)
                } else if lowercase, allowsUppercase {
                    context.report("\(resource.logicalID).\(name) must be lowercase, but \(suffixName) allows capitals (\(pattern.isEmpty ? "no AllowedPattern" : pattern))", at: value.location, path: path)
                }
            }
        }
    }

    /// The longest the Sub can expand to; `unknown` when a variable has no known bound.
    static func worstLength(_ text: String, suffix: String, suffixLength: Int, template: Template) -> (Int, Bool) {
        var length = 0
        var unknown = false
        for part in SubTemplate.parts(text) {
            switch part {
            case .text(let literal): length += literal.count
            case .escaped(let literal): length += literal.count + 3
            case .variable(let name):
                if name == suffix { length += suffixLength }
                else if let bound = pseudoLengths[name] { length += bound }
                else if let maximum = template.parameters?[name]?["MaxLength"]?.intValue { length += min(max(maximum, 0), 1 << 20) }
                else { unknown = true }
            }
        }
        return (length, unknown)
    }
}
