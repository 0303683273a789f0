import FormworkRuleKit
import FormworkTemplate

/// The memory of the instance classes the seeds use (rule-catalogue.md §5.1), in GiB.
public enum InstanceClassMemory {
    public static let gibibytes: [String: Double] = [
        "db.t3.micro": 1, "db.t3.small": 2, "db.t3.medium": 4, "db.t3.large": 8,
        "db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.t4g.large": 8,
        "db.m5.large": 8, "db.m5.xlarge": 16, "db.m5.2xlarge": 32, "db.m5.4xlarge": 64,
        "db.m6g.large": 8, "db.m6g.xlarge": 16, "db.m6g.2xlarge": 32,
        "db.r5.large": 16, "db.r5.xlarge": 32, "db.r5.2xlarge": 64, "db.r5.4xlarge": 128,
        "db.r6g.large": 16, "db.r6g.xlarge": 32, "db.r6g.2xlarge": 64, "db.r6g.4xlarge": 128,
        "db.r7g.large": 16, "db.r7g.xlarge": 32, "db.r7g.2xlarge": 64,
    ]

    /// RDS PostgreSQL's default max_connections, LEAST({DBInstanceClassMemory/9531392}, 5000),
    /// from the nominal memory (the real value is lower: RDS reserves some memory).
    public static func defaultMaxConnections(_ instanceClass: String) -> Double? {
        gibibytes[instanceClass].map { min(($0 * 1_073_741_824 / 9_531_392).rounded(.down), 5000) }
    }
}

/// AL-04: thresholds that fire in time.
struct AlarmThresholdsRule: Rule {
    static let description = RuleDescription(
        id: "AL-04", name: "alarm-thresholds", family: .alarms, severity: .warning,
        rationale: "The house alarms on CPU above 80 %, latency above 0.2 s, replica lag above 60 s (AuroraReplicaLag, in milliseconds, above 60000) and connections above 80 % of max_connections (taken from the instance's parameter group, or from RDS's formula for its class). A higher threshold fires too late. Profiles and .formwork.yml can change the numbers.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: CPUUtilization\n      Threshold: ↓95\n",
            "Resources:\n  AuroraLag:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: AuroraReplicaLag\n      Threshold: ↓120000\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.r6g.large\n      DBParameterGroupName: !Ref Tuning\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        max_connections: '1000'\n  Connections:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: DatabaseConnections\n      Dimensions: [{Name: DBInstanceIdentifier, Value: !Ref Primary}]\n      Threshold: ↓900\n",
        ],
        nonTriggering: [
            "Resources:\n  Latency:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: ReadLatency\n      Threshold: 0.2\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.r6g.large\n  Connections:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: DatabaseConnections\n      Dimensions: [{Name: DBInstanceIdentifier, Value: !Ref Primary}]\n      Threshold: 1400\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let limits = context.configuration.alarms.thresholds
        for alarm in AlarmView.all(template) where alarm.namespace == "AWS/RDS" {
            guard let metric = alarm.metric else { continue }
            var ceiling: (Double, String)?
            switch metric {
            case "CPUUtilization": ceiling = (limits.cpuPercent, "\(NumberLiteral.text(of: limits.cpuPercent)) %")
            case "ReadLatency", "WriteLatency": ceiling = (limits.latencySeconds, "\(NumberLiteral.text(of: limits.latencySeconds)) s")
            case "ReplicaLag": ceiling = (limits.replicaLagSeconds, "\(NumberLiteral.text(of: limits.replicaLagSeconds)) s")
            case "AuroraReplicaLag": ceiling = (limits.replicaLagSeconds * 1000, "\(NumberLiteral.text(of: limits.replicaLagSeconds * 1000)) ms")
            case "DatabaseConnections":
                if let maximum = maxConnections(alarm, template) {
                    let value = (maximum.0 * limits.connectionsFraction).rounded(.down)
                    ceiling = (value, "\(NumberLiteral.text(of: value)), \(Int(limits.connectionsFraction * 100)) % of max_connections \(NumberLiteral.text(of: maximum.0)) (\(maximum.1))")
                }
            default: break
            }
            guard let (limit, text) = ceiling else { continue }
            for candidate in context.values.candidates(alarm.properties["Threshold"]) {
                guard case .literal(let value, let via) = candidate, let threshold = value.numberValue, threshold > limit else { continue }
                context.report("\(alarm.resource.logicalID) fires at \((value.scalarText ?? "?"))\(via.map { " (\($0))" } ?? ""), above the house threshold of \(text)", at: value.location,
                               path: Places.resourcePath(alarm.resource, .key("Properties"), .key("Threshold")), via: via)
            }
        }
    }

    /// max_connections of the watched instance: explicit in its parameter group, else RDS's
    /// default for its class.
    private func maxConnections(_ alarm: AlarmView, _ template: Template) -> (Double, String)? {
        guard let id = alarm.database, let instance = template.resource(id) else { return nil }
        if let group = ParameterGroupView.of(instance, in: template), let value = group.parameters["max_connections"], let number = value.numberValue {
            return (number, "set in \(group.resource.logicalID)")
        }
        guard let instanceClass = instance.properties?["DBInstanceClass"]?.stringValue,
              let number = InstanceClassMemory.defaultMaxConnections(instanceClass) else { return nil }
        return (number, "RDS's default for \(instanceClass)")
    }
}

/// NM-05: parameter group names follow their family.
struct ParameterGroupNames: Rule {
    static let description = RuleDescription(
        id: "NM-05", name: "parameter-group-names", family: .naming, severity: .warning,
        rationale: "Family is create-only: a major-version upgrade replaces the parameter group, and a fixed name that does not change with it makes the replacement fail (CloudFormation cannot replace a custom-named resource). Leave the name out, or put the family in it.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      DBParameterGroupName: ↓!Sub 'orders-${EnvironmentSuffix}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      DBParameterGroupName: !Sub 'orders-postgres16-${EnvironmentSuffix}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBParameterGroup" || resource.type == "AWS::RDS::DBClusterParameterGroup" {
            let nameKey = resource.type == "AWS::RDS::DBParameterGroup" ? "DBParameterGroupName" : "DBClusterParameterGroupName"
            guard let family = resource.properties?["Family"]?.stringValue, let name = resource.properties?[nameKey] else { continue }
            var texts: [String] = []
            Strings.walk(name, path: []) { text, _, _ in texts.append(text) }
            if !texts.contains(where: { $0.lowercased().contains(family.lowercased()) }) {
                context.report("\(resource.logicalID)'s name does not carry its family \(family): a major-version upgrade replaces the group and the fixed name blocks it", at: name.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key(nameKey)))
            }
        }
    }
}
