import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// HC-01: no literal environment words.
struct NoEnvironmentWords: Rule {
    static let description = RuleDescription(
        id: "HC-01", name: "no-environment-words", family: .hardcoding, severity: .error,
        rationale: "A template serves every environment; a literal 'prod' or 'dev' in a name, a Sub string or a tag value pins it to one. Names are errors, tag values warnings.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: ↓!Sub 'prod-backups-${EnvironmentSuffix}'\n      Tags:\n        - Key: Stage\n          Value: ↓staging\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'product-backups-${EnvironmentSuffix}'\n      Tags:\n        - Key: Environment\n          Value: !Ref EnvironmentSuffix\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let words = Strings.WordSet(context.configuration.hardcoding.environmentWords)
        let literals = context.stringLiterals
        for resource in template.resources {
            guard let properties = resource.properties else { continue }
            let names = resource.type.flatMap { context.registry.summary(for: $0) }?.nameProperties ?? []
            for entry in properties.entries {
                let isName = names.contains(entry.key)
                let isTags = entry.key == "Tags"
                guard isName || isTags || entry.value.intrinsicValue?.name == .sub else { continue }
                // The literals `Strings.walk` would visit below the property, walked once for the hardcoding rules.
                for literal in literals.below(resource: resource.logicalID, property: entry.key) {
                    if isTags, literals.lastComponent(of: literal) == .key("Key") { continue }
                    guard let word = Strings.firstWord(literal.text, among: words) else { continue }
                    let place = literal.location.isKnown ? literal.location : entry.value.location
                    context.report("'\(literal.text)' hardcodes the environment '\(word)'", at: place, path: literals.path(of: literal),
                                   severity: isTags ? .warning : .error, hint: "use ${\(context.configuration.naming.suffixParameter)}")
                }
            }
        }
        for entry in template.parameters?.entries ?? [] where entry.key != context.configuration.naming.suffixParameter {
            if let value = entry.value["Default"], let text = value.stringValue, let word = Strings.firstWord(text, among: words) {
                context.report("the default of \(entry.key) hardcodes the environment '\(word)'", at: value.location, path: [.key("Parameters"), .key(entry.key), .key("Default")])
            }
        }
    }
}

/// HC-02: no literal account ids.
struct NoAccountIDs: Rule {
    static let description = RuleDescription(
        id: "HC-02", name: "no-account-ids", family: .hardcoding, severity: .error,
        rationale: "A literal 12-digit account id ties the template to one account; ${AWS::AccountId} works in all of them.",
        acrossResources: true,
        cfnLint: ["I3042"],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [↓'arn:aws:iam::123456789012:policy/x']\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/x']\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let literals = context.stringLiterals
        for literal in literals.literals {
            guard let account = Self.accountID(in: literal.text) else { continue }
            context.report("'\(account)' is a literal account id", at: literal.location, path: literals.path(of: literal), hint: "use ${AWS::AccountId}")
        }
    }

    static func accountID(in text: String) -> String? {
        // On the string's own bytes: most strings are not copied or scanned twice.
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.count >= 12 else { return nil }
            var start = 0
            while start < bytes.count {
                guard bytes[start] >= 48, bytes[start] <= 57 else { start += 1; continue }
                var end = start
                while end < bytes.count, bytes[end] >= 48, bytes[end] <= 57 { end += 1 }
                if end - start == 12 { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
                start = end
            }
            return nil
        }
    }
}

/// HC-03: no literal regions or availability zones.
struct NoRegionNames: Rule {
    static let description = RuleDescription(
        id: "HC-03", name: "no-region-names", family: .hardcoding, severity: .error,
        rationale: "A literal region in a name or an ARN pins the template to one region (the multi-region systems deploy the same template twice); use ${AWS::Region}. A literal availability zone is a warning: use !GetAZs. Values that name a region by nature are not judged: the Regions a Route 53 health check probes from, the Region of a latency record (each record of a latency set names its own region), a region given whole to a property that asks for one (Region, Regions, SourceRegions: a cross-region pipeline's artifact store, a data sync's sources), the address of an artifact that lives in one region (a nested stack's TemplateURL, a Serverless Application Repository ApplicationId, a container image's registry), from which the template deploys anywhere, Lambda@Edge's log groups (/aws/lambda/us-east-1.NAME in every region), and descriptions, which are prose.",
        acrossResources: true,
        cfnLint: ["W3010"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ↓alerts-us-east-1\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: ↓us-east-1a\n",
        ],
        nonTriggering: [
            "Resources:\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs '']\n",
            "Resources:\n  Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: www.example.com, Regions: [us-east-1, eu-west-1, ap-southeast-2]}\n  East:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: api.example.com\n      Type: CNAME\n      TTL: '60'\n      SetIdentifier: east\n      Region: us-east-1\n      ResourceRecords: [east.example.com]\n  Latency:\n    Type: AWS::Route53::RecordSetGroup\n    Properties:\n      HostedZoneId: Z1\n      RecordSets:\n        - {Name: www.example.com, Type: CNAME, TTL: '60', SetIdentifier: west, Region: eu-west-1, ResourceRecords: [west.example.com]}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let literals = context.stringLiterals
        for literal in literals.literals {
            let text = literal.text, location = literal.location
            // Lambda@Edge replicas log to /aws/lambda/us-east-1.NAME in every region: the
            // function's home region is part of the name, by nature.
            guard let word = Self.regionLikeTokens(text).first else { continue }
            let path = literals.path(of: literal)
            guard !Self.namesRegionByNature(path, template), !text.has("/aws/lambda/\(word)."),
                  !(word == text && Self.asksForARegion(path)), !Self.addressesAnArtifact(path) else { continue }
            let isZone = word.last.map { $0.isLetter } ?? false
            context.report(isZone ? "'\(word)' is a literal availability zone" : "'\(word)' is a literal region", at: location, path: path,
                           severity: isZone ? .warning : .error, hint: isZone ? "use !Select [N, !GetAZs '']" : "use ${AWS::Region}")
        }
    }

    /// Whether the value at `path` is a region by its meaning, not by a choice the template
    /// could leave to ${AWS::Region}: a health check's probing regions, a latency record's region.
    static func namesRegionByNature(_ path: [PathComponent], _ template: Template) -> Bool {
        guard path.count >= 4, path[0] == .key("Resources"), case .key(let id) = path[1], path[2] == .key("Properties") else { return false }
        switch template.resource(id)?.type {
        case "AWS::Route53::HealthCheck": return path.count >= 5 && path[3] == .key("HealthCheckConfig") && path[4] == .key("Regions")
        case "AWS::Route53::RecordSet": return path[3] == .key("Region")
        case "AWS::Route53::RecordSetGroup": return path.count >= 6 && path[3] == .key("RecordSets") && path[5] == .key("Region")
        default: return false
        }
    }

    /// Properties whose value is a region by definition (a cross-region pipeline's artifact
    /// store, the regions a data sync reads): a region written there is a choice of region, not
    /// a name or an ARN pinned to the deployment's.
    static let regionKeys: Set<String> = ["Region", "Regions", "SourceRegions"]

    static func asksForARegion(_ path: [PathComponent]) -> Bool {
        guard path.count >= 3, path[0] == .key("Resources") else { return false }
        for component in path.reversed() {
            guard case .key(let key) = component else { continue }
            if key == "Fn::If" { continue }
            return regionKeys.contains(key)
        }
        return false
    }

    /// Whether the value addresses an artifact that lives in one region whatever the stack's
    /// (a nested template's URL, a Serverless Application Repository application): its region
    /// says where the artifact is, and the template deploys anywhere.
    static func addressesAnArtifact(_ path: [PathComponent]) -> Bool {
        // A Description is prose: a region named there pins nothing.
        if path.last == .key("Description") { return true }
        guard path.count >= 4, path[0] == .key("Resources"), path[2] == .key("Properties") else { return false }
        return path[3] == .key("TemplateURL") || (path[3] == .key("Location") && path.contains(.key("ApplicationId")))
            || (path[3] == .key("ContainerDefinitions") && path.last == .key("Image"))
    }

    /// The words every region name holds one of after a `-` (made once, not per string).
    private static let directionWords = ["east", "west", "north", "south", "central"].map { Array($0.utf8) }

    /// Whether a `-` is followed by a direction word somewhere in the text, which every
    /// region name holds: one pass over the bytes, in place.
    static func hasDirectionAfterDash(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                defer { index += 1 }
                guard bytes[index] == UInt8(ascii: "-") else { continue }
                let rest = UnsafeBufferPointer(rebasing: bytes[(index + 1)...])
                if directionWords.contains(where: { rest.starts(with: $0) }) { return true }
            }
            return false
        }
    }

    /// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, and zones such as `us-east-1a`.
    static func regionLikeTokens(_ text: String) -> [String] {
        // Most strings hold no direction word after a dash: skip them before splitting.
        guard hasDirectionAfterDash(text) else { return [] }
        let prefixes = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"]
        let directions = ["east", "west", "north", "south", "central", "northeast", "southeast", "northwest", "southwest"]
        var found: [String] = []
        let tokens = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
        for token in tokens {
            let parts = token.split(separator: "-").map(String.init)
            guard parts.count >= 3 else { continue }
            for start in 0..<(parts.count - 2) where prefixes.contains(parts[start]) {
                var index = start + 1
                if parts[index] == "gov" || parts[index] == "iso" || parts[index] == "isob" { index += 1 }
                guard index + 1 < parts.count, directions.contains(parts[index]) else { continue }
                let tail = parts[index + 1]
                guard let first = tail.first, first.isNumber, tail.count <= 2, tail.dropFirst().allSatisfy({ $0.isLetter && $0.isLowercase }) else { continue }
                found.append(parts[start...(index + 1)].joined(separator: "-"))
            }
        }
        return found
    }
}

/// HC-04: ARNs use the partition pseudo parameter.
struct PartitionInARNs: Rule {
    static let description = RuleDescription(
        id: "HC-04", name: "partition-in-arns", family: .hardcoding, severity: .info,
        rationale: "'arn:aws:' fails in the China and GovCloud partitions; arn:${AWS::Partition}: works everywhere.",
        acrossResources: true,
        cfnLint: ["I3042"],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [↓'arn:aws:iam::aws:policy/ReadOnlyAccess']\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess']\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let literals = context.stringLiterals
        for literal in literals.literals where literal.text.utf8.containsBytes(of: "arn:aws:") {
            context.report("an ARN with a literal partition", at: literal.location, path: literals.path(of: literal), hint: "write arn:${AWS::Partition}:")
        }
    }
}

