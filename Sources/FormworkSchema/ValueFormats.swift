import FormworkTemplate

/// The value forms the registry schemas (with cfn-lint's patches) name through the `format`
/// keyword beyond the EC2 ids (`IdentifierFormat`): ARNs, KMS key ids and aliases, names, and
/// networks. The patterns are cfn-lint 1.51.0's (its `rules/formats`), kept as data; each
/// is evaluated by `SimpleRegex`, bounded, and a pattern it cannot evaluate judges nothing.
public struct ValueFormat: Sendable {
    /// What the value must be, for the message.
    public var summary: String
    /// cfn-lint's rule for the same format.
    public var cfnLint: String
    private var pattern: String?
    private var check: (@Sendable (String) -> Bool)?

    init(_ summary: String, _ cfnLint: String, pattern: String) {
        self.summary = summary
        self.cfnLint = cfnLint
        self.pattern = pattern
    }

    init(_ summary: String, _ cfnLint: String, check: @escaping @Sendable (String) -> Bool) {
        self.summary = summary
        self.cfnLint = cfnLint
        self.check = check
    }

    /// Whether a literal has the form; a dynamic reference is resolved at deployment, and a
    /// pattern that cannot be evaluated accepts.
    public func accepts(_ text: String) -> Bool {
        if text.hasPrefix("{{resolve:") { return true }
        if let check { return check(text) }
        guard let pattern else { return true }
        return PatternCache.matches(pattern, text) ?? true
    }

    static let arnPrefix = "^arn:aws[a-zA-Z-]*:"

    public static let known: [String: ValueFormat] = [
        "AWS::KMS::Key.Arn": ValueFormat("a KMS key or alias ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", "E1157", pattern: arnPrefix + #"kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$"#),
        "AWS::KMS::Key.Id": ValueFormat("a KMS key id (a UUID, mrk-..., or alias/NAME)", "E1162",
                                        pattern: #"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$"#),
        "AWS::KMS::Alias.AliasName": ValueFormat("a KMS alias name (alias/NAME)", "E1164", pattern: #"^alias/[a-zA-Z0-9:/_-]+$"#),
        "AWS::IAM::Role.Arn": ValueFormat("an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", "E1156", pattern: arnPrefix + #"iam::\d{12}:role/.+$"#),
        "AWS::ACM::Certificate.Arn": ValueFormat("an ACM certificate ARN", "E1159", pattern: arnPrefix + #"acm:[a-z0-9-]+:\d{12}:certificate/.+$"#),
        "AWS::Lambda::Function.Arn": ValueFormat("a Lambda function ARN", "E1160", pattern: arnPrefix + #"lambda:[a-z0-9-]+:\d{12}:function:.+(:.+)?$"#),
        "AWS::Lambda::Function.Name": ValueFormat("a Lambda function name (letters, digits, - and _, at most 140)", "E1163", pattern: #"^[a-zA-Z0-9_-]{1,140}$"#),
        "AWS::SNS::Topic.Arn": ValueFormat("an SNS topic ARN", "E1158", pattern: arnPrefix + #"sns:[a-z0-9-]+:\d{12}:.+$"#),
        "AWS::Logs::LogGroup.Name": ValueFormat("a log group name (letters, digits and . - _ / #, at most 512)", "E1155", pattern: #"^[\.\-_\/#A-Za-z0-9]{1,512}\Z"#),
        "AWS::S3::Bucket.Name": ValueFormat("a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)", "E1161",
                                            pattern: #"^(?![.\-])(?!.*\.\.)(?!.*\-\.)(?!.*\.\-)[a-z0-9.\-]{3,63}(?<![.\-])$"#),
        "AWS::EC2::SecurityGroup.Name": ValueFormat("a security group name", "E1153", pattern: #"^[a-zA-Z0-9 \._\-:\/()#\,@\[\]+=&;\{\}!\$\*]+$"#),
        "ipv4-network": ValueFormat("an IPv4 network (an address whose bits beyond the prefix are zero, /0 to /32)", "E3002", check: { Network.isIPv4Network($0) }),
        "ipv6-network": ValueFormat("an IPv6 network (an address whose bits beyond the prefix are zero, /0 to /128)", "E3002", check: { Network.isIPv6Network($0) }),
    ]
}

/// CIDR blocks as Python's `ipaddress.IPv4Network` / `IPv6Network` read them (strict): the
/// address's bits beyond the prefix length must be zero, so `192.168.1.0/0` is no network.
package enum Network {
    package static func isIPv4Network(_ text: String) -> Bool {
        let (address, prefix) = split(text, maximum: 32)
        guard let prefix, let value = ipv4(address) else { return false }
        let host: UInt64 = prefix == 32 ? 0 : (UInt64(1) << UInt64(32 - prefix)) - 1
        return UInt64(value) & host == 0
    }

    static func isIPv6Network(_ text: String) -> Bool {
        let (address, prefix) = split(text, maximum: 128)
        guard let prefix, let groups = ipv6(address) else { return false }
        // Every bit at position >= prefix must be zero.
        for (index, group) in groups.enumerated() {
            let first = index * 16
            if first + 16 <= prefix { continue }
            let kept = max(0, prefix - first)
            let mask: UInt16 = kept == 0 ? 0xFFFF : UInt16((UInt32(1) << UInt32(16 - kept)) - 1)
            if group & mask != 0 { return false }
        }
        return true
    }

    /// The address and prefix length (the whole width without one); nil prefix when it is
    /// not a number within 0...maximum.
    private static func split(_ text: String, maximum: Int) -> (Substring, Int?) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return (parts[0], maximum) }
        guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(isDigit), let prefix = Int(parts[1]), prefix <= maximum else { return (parts[0], nil) }
        return (parts[0], prefix)
    }

    static func isDigit(_ character: Character) -> Bool { ("0"..."9").contains(character) }

    static func ipv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            // Python refuses leading zeros (ambiguous octal) and more than three digits.
            guard (1...3).contains(octet.count), octet.allSatisfy(isDigit), octet.count == 1 || octet.first != "0",
                  let number = UInt32(octet), number <= 255 else { return nil }
            value = value << 8 | number
        }
        return value
    }

    static func ipv6(_ text: Substring) -> [UInt16]? {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        // At most one "::", which stands for the zero groups left out.
        let characters = Array(text)
        var halves: [String] = []
        var start = 0, index = 0
        while index < characters.count {
            if characters[index] == ":", index + 1 < characters.count, characters[index + 1] == ":" {
                halves.append(String(characters[start..<index]))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        halves.append(String(characters[start...]))
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = ipv4(piece) {
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}

/// What a `Ref` to each of a template's resources gives, as the `format` its schema names
/// (cfn-lint's view, E1041): the format of the type's one primary identifier, none for a
/// composite identifier; a security group gives its id when it has a VpcId and its name
/// without one. Parameters, pseudo parameters and custom resources are not known here.
public struct ReferenceFormats: Sendable {
    private let formats: [String: [String]]

    /// Nothing known: no Ref is judged.
    public static let none = ReferenceFormats(formats: [:])

    private init(formats: [String: [String]]) { self.formats = formats }

    public init(template: Template, registry: SchemaRegistry) {
        var found: [String: [String]] = [:]
        for resource in template.resources {
            guard let type = resource.type, !StructureFacts.isExempt(type, serverless: true), let schema = registry.schema(for: type) else { continue }
            if type == "AWS::EC2::SecurityGroup" {
                found[resource.logicalID] = [resource.properties?["VpcId"] != nil ? "AWS::EC2::SecurityGroup.Id" : "AWS::EC2::SecurityGroup.Name"]
                continue
            }
            guard schema.primaryIdentifier.count == 1, let name = Self.lastComponent(schema.primaryIdentifier[0]),
                  let raw = schema.root.property(name) else { found[resource.logicalID] = []; continue }
            let shape = schema.resolve(raw)
            found[resource.logicalID] = ([shape.format] + shape.anyOf.map(\.format)).compactMap { $0.map(Self.current) }
        }
        formats = found
    }

    /// The last non-empty component of a JSON pointer (`/properties/Arn`: `Arn`), by bytes:
    /// `split(separator:)` walked the path Character by Character, for every resource of every lint.
    static func lastComponent(_ pointer: String) -> String? {
        let bytes = pointer.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return nil }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "/") { start = bytes.index(before: start) }
        return String(pointer[start..<end])
    }

    /// The formats a Ref to this resource gives (empty: a value without a format); nil when
    /// the name is no resource of the template.
    public func formats(of logicalID: String) -> [String]? { formats[logicalID] }

    /// cfn-lint's older name of the security group id format.
    static func current(_ format: String) -> String { format == "AWS::EC2::SecurityGroup.GroupId" ? "AWS::EC2::SecurityGroup.Id" : format }
}
