import FormworkRuleKit
import FormworkTemplate

/// LC-06: log groups that services create are declared, so that the stack deletes them.
struct ServiceLogGroups: Rule {
    static let description = RuleDescription(
        id: "LC-06", name: "service-log-groups", family: .lifecycle, severity: .warning,
        rationale: "RDS creates /aws/rds/instance/<id>/<log> for each exported log and Lambda creates /aws/lambda/<name>; created by the service, they outlive the stack. Declare them in the template (with RetentionInDays) and make the producer depend on them, so that deleting the stack deletes them.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: !Sub 'db-${EnvironmentSuffix}'\n      EnableCloudwatchLogsExports: ↓[postgresql]\n",
        ],
        nonTriggering: [
            "Resources:\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: !Sub 'worker-${EnvironmentSuffix}'\n      LoggingConfig:\n        LogGroup: !Ref WorkerLogs\n  WorkerLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '/aws/lambda/worker-${EnvironmentSuffix}'\n      RetentionInDays: 7\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DependsOn: PostgresLogs\n    Properties:\n      DBInstanceIdentifier: !Sub 'db-${EnvironmentSuffix}'\n      EnableCloudwatchLogsExports: [postgresql]\n  PostgresLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '/aws/rds/instance/db-${EnvironmentSuffix}/postgresql'\n      RetentionInDays: 7\n",
        ])

    /// The text of a name written as a literal or a Sub string.
    static func text(_ value: Node?) -> String? {
        guard let value else { return nil }
        if let text = value.stringValue { return text }
        if let function = value.intrinsicValue, function.name == .sub { return function.argument.stringValue }
        return nil
    }

    func check(_ template: Template, _ context: RuleContext) {
        var declared: [String: Resource] = [:]
        for group in template.resources where group.type == "AWS::Logs::LogGroup" {
            if let name = Self.text(group.properties?["LogGroupName"]) { declared[name] = group }
        }
        for resource in template.resources {
            var expected: [(String, Location, [PathComponent])] = []
            if resource.type == "AWS::RDS::DBInstance", let exports = resource.properties?["EnableCloudwatchLogsExports"] {
                let path = Places.resourcePath(resource, .key("Properties"), .key("EnableCloudwatchLogsExports"))
                guard let id = Self.text(resource.properties?["DBInstanceIdentifier"]) else {
                    context.report("\(resource.logicalID) exports logs but has a generated identifier, so their log groups cannot be declared", at: exports.location, path: path,
                                   hint: "name the instance (DBInstanceIdentifier) and declare /aws/rds/instance/<id>/<log>")
                    continue
                }
                for log in exports.arrayValue?.compactMap(\.stringValue) ?? [] {
                    expected.append(("/aws/rds/instance/\(id)/\(log)", exports.location, path))
                }
            }
            if resource.type == "AWS::Lambda::Function", let name = Self.text(resource.properties?["FunctionName"]) {
                expected.append(("/aws/lambda/\(name)", resource.keyLocation, Places.resourcePath(resource)))
            }
            for (name, location, path) in expected {
                guard let group = declared[name] else {
                    context.report("\(resource.logicalID) writes to \(name), which the template does not declare: the log group outlives the stack", at: location, path: path)
                    continue
                }
                // A reference already orders them (a function's LoggingConfig): a DependsOn
                // as well would be TP-04's obsolete one.
                if !resource.dependsOn.contains(group.logicalID), !ResourceReferences.names(.object(resource.body), group.logicalID) {
                    context.report("\(resource.logicalID) does not depend on \(group.logicalID): the service can create \(name) first", at: location, path: path, hint: "DependsOn: \(group.logicalID)")
                }
                if group.properties?["RetentionInDays"] == nil {
                    context.report("\(group.logicalID) keeps logs forever", at: group.keyLocation, path: Places.resourcePath(group, .key("Properties"), .key("RetentionInDays")), hint: "RetentionInDays: 7")
                }
            }
        }
    }
}

/// DA-01: dashboards whose body is JSON and whose widgets watch this stack.
struct DashboardBody: Rule {
    static let description = RuleDescription(
        id: "DA-01", name: "dashboard-body", family: .alarms, severity: .warning,
        rationale: "A DashboardBody must be JSON once its Sub variables are filled in; a literal region in it shows another region's metrics (use ${AWS::Region}). The dashboard's name carries the suffix like every name (NM-01).",
        triggering: [
            "Resources:\n  Board:\n    Type: AWS::CloudWatch::Dashboard\n    Properties:\n      DashboardBody: ↓!Sub '{\"widgets\": [{\"properties\": {\"region\": \"us-east-1\"}}]}'\n",
            "Resources:\n  Board:\n    Type: AWS::CloudWatch::Dashboard\n    Properties:\n      DashboardBody: ↓'{\"widgets\": [}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Board:\n    Type: AWS::CloudWatch::Dashboard\n    Properties:\n      DashboardBody: !Sub '{\"widgets\": [{\"properties\": {\"region\": \"${AWS::Region}\", \"metrics\": [[\"AWS/RDS\", \"CPUUtilization\", \"DBInstanceIdentifier\", \"${Primary}\"]]}}]}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::CloudWatch::Dashboard" {
            guard let body = resource.properties?["DashboardBody"], let text = ServiceLogGroups.text(body) else { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("DashboardBody"))
            // Variables are filled with a placeholder string: the JSON must hold with any value.
            let filled = Self.fill(text)
            guard let json = TemplateReader.readData(Array(filled.utf8), file: "dashboard.json") else {
                context.report("\(resource.logicalID)'s DashboardBody is not JSON", at: body.location, path: path)
                continue
            }
            var regions: [String] = []
            Strings.walk(json, path: []) { value, _, inner in
                if inner.last == .key("region"), !value.hasPrefix("x") { regions.append(value) }
            }
            if let region = regions.first {
                context.report("\(resource.logicalID)'s widgets show the fixed region \(region)", at: body.location, path: path, hint: "\"region\": \"${AWS::Region}\"")
            }
        }
    }

    /// `${...}` replaced by `x`, `${!Literal}` by `${Literal}`.
    static func fill(_ text: String) -> String {
        SubTemplate.substitute(text) { _ in "x" } ?? text
    }
}
