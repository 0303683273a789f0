import FormworkRuleKit
import FormworkTemplate

/// R5-01: failover records come in complete pairs.
struct FailoverPairs: Rule {
    static let description = RuleDescription(
        id: "R5-01", name: "failover-pairs", family: .route53, severity: .error,
        rationale: "Route 53 failover answers the SECONDARY record only when the PRIMARY's health check fails: each name and type has exactly one PRIMARY and one SECONDARY with distinct SetIdentifiers (a pair may span two regions' stacks, so a name with only one side here is judged when the other side is a parameter-fed stack), the PRIMARY has a HealthCheckId (or is an alias that evaluates its target's health), and a non-alias record's TTL is at most 60 s, or clients keep the failed answer for longer than the failover takes.",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: db.example.internal\n      Type: CNAME\n      Failover: PRIMARY\n      SetIdentifier: one\n      TTL: ↓'300'\n      ResourceRecords: [primary.example.internal]\n  Secondary:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: db.example.internal\n      Type: CNAME\n      Failover: SECONDARY\n      SetIdentifier: ↓one\n      TTL: '60'\n      ResourceRecords: [standby.example.internal]\n",
        ],
        nonTriggering: [
            "Resources:\n  Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig: {Type: CLOUDWATCH_METRIC, AlarmIdentifier: {Name: primary-down, Region: !Ref 'AWS::Region'}, InsufficientDataHealthStatus: LastKnownStatus}\n  Primary:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: db.example.internal\n      Type: CNAME\n      Failover: PRIMARY\n      SetIdentifier: primary\n      HealthCheckId: !Ref Check\n      TTL: '60'\n      ResourceRecords: [primary.example.internal]\n  Secondary:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: Z1\n      Name: db.example.internal\n      Type: CNAME\n      Failover: SECONDARY\n      SetIdentifier: standby\n      TTL: '60'\n      ResourceRecords: [standby.example.internal]\n",
        ])

    struct Record {
        var resource: Resource
        var body: ObjectMap
        var path: [PathComponent]
        var place: Location
    }

    /// Every record set: AWS::Route53::RecordSet and the entries of RecordSetGroups.
    static func records(_ template: Template) -> [Record] {
        var found: [Record] = []
        for resource in template.resources {
            if resource.type == "AWS::Route53::RecordSet", let properties = resource.properties {
                found.append(Record(resource: resource, body: properties, path: Places.resourcePath(resource, .key("Properties")), place: resource.keyLocation))
            } else if resource.type == "AWS::Route53::RecordSetGroup" {
                for (index, item) in (resource.properties?["RecordSets"]?.arrayValue ?? []).enumerated() {
                    guard let body = item.objectValue else { continue }
                    found.append(Record(resource: resource, body: body, path: Places.resourcePath(resource, .key("Properties"), .key("RecordSets"), .index(index)),
                                        place: body.entries.first?.keyLocation ?? item.location))
                }
            }
        }
        return found
    }

    func check(_ template: Template, _ context: RuleContext) {
        var groups: [String: [(record: Record, role: String)]] = [:]
        var order: [String] = []
        for record in Self.records(template) {
            guard let role = context.literals(record.body["Failover"]).first?.text else { continue }
            let name = PolicyText.expand(record.body["Name"], values: context.values, resources: []).first?.text ?? "?"
            let key = "\(name.lowercased().trimmingSuffixDot) \(record.body["Type"]?.stringValue ?? "?")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((record, role))
            // The record's own shape.
            if role == "PRIMARY", record.body["HealthCheckId"] == nil, !context.always(record.body["AliasTarget"]?["EvaluateTargetHealth"], is: "true") {
                context.report("\(record.resource.logicalID) is a PRIMARY failover record without a HealthCheckId: Route 53 never fails over from it", at: record.place, path: record.path)
            }
            if record.body["AliasTarget"] == nil {
                for (text, node) in context.literals(record.body["TTL"]) where (Double(text) ?? 0) > 60 {
                    context.report("\(record.resource.logicalID)'s TTL is \(text) s: resolvers keep the failed answer longer than a failover takes (at most 60)", at: node.location,
                                   path: record.path + [.key("TTL")])
                }
            }
        }
        for key in order {
            guard let members = groups[key] else { continue }
            let primaries = members.filter { $0.role == "PRIMARY" }, secondaries = members.filter { $0.role == "SECONDARY" }
            // One side alone is a pair split across stacks (the other region's stack holds the other side).
            if primaries.count > 1 || secondaries.count > 1 {
                let extra = (primaries.count > 1 ? primaries : secondaries)[1]
                context.report("\(extra.record.resource.logicalID) is a second \(extra.role) record for \(key)", at: extra.record.place, path: extra.record.path)
            }
            var identifiers: [String: String] = [:]
            for member in members {
                guard let (identifier, node) = context.literals(member.record.body["SetIdentifier"]).first.map({ ($0.text, $0.node) }) else { continue }
                if let first = identifiers[identifier] {
                    context.report("\(member.record.resource.logicalID) has the SetIdentifier \(identifier) of \(first): each record of a failover pair needs its own", at: node.location,
                                   path: member.record.path + [.key("SetIdentifier")])
                } else {
                    identifiers[identifier] = member.record.resource.logicalID
                }
            }
        }
    }
}

extension String {
    var trimmingSuffixDot: String { hasSuffix(".") ? String(dropLast()) : self }
}

/// R5-02: health checks that can see a private database.
struct HealthChecksReachTheTarget: Rule {
    static let description = RuleDescription(
        id: "R5-02", name: "health-checks-reach-the-target", family: .route53, severity: .warning,
        rationale: "Route 53's checkers run on the internet: an HTTP, HTTPS or TCP check of an RDS endpoint (private by design) always fails, and fails over for ever. Check a CloudWatch alarm (Type CLOUDWATCH_METRIC, with its AlarmIdentifier) or combine checks (CALCULATED); say what insufficient data means (InsufficientDataHealthStatus), since an alarm without data is the common case right after a failure.",
        triggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n  Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig:\n        ↓Type: TCP\n        Port: 5432\n        FullyQualifiedDomainName: !GetAtt Database.Endpoint.Address\n  Alarmed:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig:\n        ↓Type: CLOUDWATCH_METRIC\n        AlarmIdentifier: {Name: primary-down, Region: !Ref 'AWS::Region'}\n",
        ],
        nonTriggering: [
            "Resources:\n  Alarmed:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig:\n        Type: CLOUDWATCH_METRIC\n        AlarmIdentifier: {Name: primary-down, Region: !Ref 'AWS::Region'}\n        InsufficientDataHealthStatus: Unhealthy\n  Site:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig:\n        Type: HTTPS\n        FullyQualifiedDomainName: www.example.com\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for check in template.resources where check.type == "AWS::Route53::HealthCheck" {
            guard let config = check.properties?["HealthCheckConfig"] else { continue }
            let path = Places.resourcePath(check, .key("Properties"), .key("HealthCheckConfig"))
            let place = config.objectValue?.entry("Type")?.keyLocation ?? config.location
            for (type, _) in context.literals(config["Type"]) {
                switch type {
                case "HTTP", "HTTPS", "TCP", "HTTP_STR_MATCH", "HTTPS_STR_MATCH":
                    var endpoints: [String] = []
                    FunctionsInVPC.endpoints(in: config["FullyQualifiedDomainName"], template, into: &endpoints)
                    FunctionsInVPC.endpoints(in: config["IPAddress"], template, into: &endpoints)
                    if !endpoints.isEmpty {
                        context.report("\(check.logicalID) checks \(endpoints.joined(separator: ", ")) over \(type) from the internet, where its private endpoint cannot be reached: check a CloudWatch alarm instead",
                                       at: place, path: path)
                    }
                case "CLOUDWATCH_METRIC":
                    var missing: [String] = []
                    if config["AlarmIdentifier"] == nil { missing.append("AlarmIdentifier") }
                    if config["InsufficientDataHealthStatus"] == nil { missing.append("InsufficientDataHealthStatus") }
                    if !missing.isEmpty {
                        context.report("\(check.logicalID) watches an alarm without \(missing.joined(separator: " or "))", at: place, path: path)
                    }
                default: break
                }
            }
        }
    }
}

/// R5-04: health checks carry the house tags, in their own property.
struct HealthCheckTags: Rule {
    static let description = RuleDescription(
        id: "R5-04", name: "health-check-tags", family: .route53, severity: .warning,
        rationale: "Route 53 health checks are tagged through HealthCheckTags, not Tags, so the tagging rule does not see them: they carry a Name with the environment suffix and the house's required tags (seed 002 wants Owner and DR-Role), or nobody can tell whose check is failing.",
        triggering: [
            "Resources:\n  ↓Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: www.example.com}\n",
        ],
        nonTriggering: [
            "Parameters:\n  EnvironmentSuffix: {Type: String}\nResources:\n  Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig: {Type: HTTPS, FullyQualifiedDomainName: www.example.com}\n      HealthCheckTags:\n        - {Key: Name, Value: !Sub 'site-${EnvironmentSuffix}'}\n        - {Key: Environment, Value: !Ref EnvironmentSuffix}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let suffix = context.configuration.naming.suffixParameter
        for check in template.resources where check.type == "AWS::Route53::HealthCheck" {
            let tags = check.properties?["HealthCheckTags"]?.arrayValue ?? []
            func value(_ key: String) -> Node? { tags.first { $0["Key"]?.stringValue == key }?["Value"] }
            var missing: [String] = []
            if let name = value("Name") {
                if !SuffixInNames.contains(name, suffix: suffix) { missing.append("a Name with ${\(suffix)}") }
            } else {
                missing.append("Name")
            }
            for required in context.configuration.tagging.requiredTags where value(required.key) == nil { missing.append(required.key) }
            guard !missing.isEmpty else { continue }
            context.report("\(check.logicalID)'s HealthCheckTags lack \(missing.joined(separator: ", "))", at: check.keyLocation, path: Places.resourcePath(check))
        }
    }
}
