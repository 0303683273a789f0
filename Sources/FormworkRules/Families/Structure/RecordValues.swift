import FormworkRuleKit
import FormworkTemplate

/// ST-25: Route 53 records whose values fit their type.
struct RecordValues: Rule {
    static let description = RuleDescription(
        id: "ST-25", name: "record-values", family: .structure, severity: .error,
        rationale: "Route 53 refuses a record whose values do not fit its type, after the stack has started: A takes IPv4 addresses, AAAA IPv6 addresses, CNAME one host name, MX `priority host` (priority 0-65535), TXT and SPF one or more quoted strings of at most 255 characters each, CAA `flags tag \"value\"` (flags 0, or 128 for critical). Formwork parses the addresses and values (cfn-lint's MX pattern has a `{1-3}` where `{1,3}` was meant, so Formwork does not use it). Every branch of an Fn::If is judged.",
        acrossResources: true,
        cfnLint: ["E3023"],
        triggering: [
            "Resources:\n  Web:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: www.example.com\n      Type: AAAA\n      TTL: '300'\n      ResourceRecords: [↓'127.0.0.1', '2001:db8::1', ↓'1111::3333::8888']\n  Mail:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: example.com\n      Type: MX\n      TTL: '300'\n      ResourceRecords: ['10 mx1.example.com', ↓'70000 mx2.example.com']\n  Alias:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: db.example.com\n      Type: CNAME\n      TTL: '60'\n      ResourceRecords: ↓[a.example.com, b.example.com]\n",
        ],
        nonTriggering: [
            "Resources:\n  Records:\n    Type: AWS::Route53::RecordSetGroup\n    Properties:\n      HostedZoneId: Z1\n      RecordSets:\n        - {Name: www.example.com, Type: A, TTL: '300', ResourceRecords: [192.0.2.1, !GetAtt Server.PublicIp]}\n        - {Name: www.example.com, Type: AAAA, TTL: '300', ResourceRecords: ['2001:db8::1', '::ffff:192.0.2.1']}\n        - {Name: example.com, Type: TXT, TTL: '300', ResourceRecords: ['\"v=spf1 -all\"', '\"part one\" \"part two\"']}\n        - {Name: example.com, Type: CAA, TTL: '300', ResourceRecords: ['0 issue \"amazon.com\"']}\n        - {Name: example.com, Type: MX, TTL: '300', ResourceRecords: ['10 mx1.example.com.']}\n  Server:\n    Type: AWS::EC2::Instance\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for record in FailoverPairs.records(template) {
            guard let type = record.body["Type"]?.stringValue, let list = record.body["ResourceRecords"] else { continue }
            let path = record.path + [.key("ResourceRecords")]
            for (items, branchPath) in Branches.lists(list, path) {
                if type == "CNAME", items.count > 1 {
                    context.report("\(record.resource.logicalID)'s CNAME record has \(items.count) values; a CNAME has one", at: list.location, path: path)
                }
                for (index, item) in items.enumerated() {
                    guard let value = item.stringValue, let problem = Self.problem(type: type, value) else { continue }
                    context.report("\(record.resource.logicalID)'s \(type) value '\(value)' \(problem)", at: item.location, path: branchPath + [.index(index)])
                }
            }
        }
    }

    static func problem(type: String, _ value: String) -> String? {
        switch type {
        case "A": return isIPv4(value) ? nil : "is not an IPv4 address"
        case "AAAA": return isIPv6(value) ? nil : "is not an IPv6 address"
        case "MX":
            let parts = value.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let priority = Int(parts[0]), (0...65535).contains(priority), isHostName(String(parts[1])) else {
                return "is not `priority host` (priority 0 to 65535)"
            }
            return nil
        case "TXT", "SPF": return isQuotedStrings(value) ? nil : "is not one or more quoted strings of at most 255 characters"
        case "CAA":
            let parts = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let flags = Int(parts[0]), flags == 0 || flags == 128, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isLetter || $0.isNumber }),
                  parts[2].count >= 2, parts[2].first == "\"", parts[2].last == "\"" else {
                return "is not `flags tag \"value\"` (flags 0 or 128)"
            }
            return nil
        case "CNAME", "NS", "PTR": return isHostName(value) ? nil : "is not a host name"
        default: return nil
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(" ") else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var limit = 8
        // A trailing IPv4 address stands for two groups.
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            groups.append("0")
            limit = 7
        }
        let doubles = text.occurrences(of: "::")
        guard doubles <= 1 else { return false }
        if doubles == 1 {
            // `::` may stand at either end: drop the empty pieces it makes there.
            while groups.first == "", groups.count > 1, groups[1] == "" { groups.removeFirst() }
            while groups.last == "", groups.count > 1, groups[groups.count - 2] == "" { groups.removeLast() }
            let empties = groups.filter(\.isEmpty).count
            guard empties == 1 else { return false }
            return groups.count - 1 <= limit - 1 && groups.allSatisfy { $0.isEmpty || isHexGroup($0) }
        }
        return groups.count == limit && groups.allSatisfy(isHexGroup)
    }

    static func isHexGroup(_ group: String) -> Bool {
        !group.isEmpty && group.count <= 4 && group.allSatisfy(\.isHexDigit)
    }

    static func isHostName(_ text: String) -> Bool {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "*" }
        }
    }

    /// `"text" "more text"`: each string quoted, at most 255 characters, no bare quote inside.
    static func isQuotedStrings(_ text: String) -> Bool {
        var rest = Substring(text)
        var count = 0
        while !rest.isEmpty {
            guard rest.first == "\"" else { return false }
            rest = rest.dropFirst()
            var length = 0
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\\", let escaped = rest.first { rest = rest.dropFirst(); length += escaped == "\"" ? 1 : 2; continue }
                if character == "\"" { closed = true; break }
                length += 1
            }
            guard closed, length <= 255 else { return false }
            count += 1
            while rest.first == " " { rest = rest.dropFirst() }
        }
        return count > 0
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    func occurrences(of needle: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let first = rest.firstIndex(of: needle.first!) {
            rest = rest[first...]
            if rest.hasPrefix(needle) { count += 1; rest = rest.dropFirst(needle.count) } else { rest = rest.dropFirst() }
        }
        return count
    }
}
