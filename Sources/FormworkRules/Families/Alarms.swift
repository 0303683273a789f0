import FormworkRuleKit
import FormworkTemplate

/// Alarms on RDS metrics, found by their DBInstanceIdentifier dimension.
struct AlarmView {
    let resource: Resource
    var properties: ObjectMap { resource.properties ?? ObjectMap() }
    var metric: String? { properties["MetricName"]?.stringValue }
    var namespace: String? { properties["Namespace"]?.stringValue }

    /// The logical id of the DB instance the alarm watches (a Ref in its dimensions).
    /// The DB cluster a `DBClusterIdentifier` dimension Refs.
    var cluster: String? {
        for dimension in properties["Dimensions"]?.arrayValue ?? [] where dimension["Name"]?.stringValue == "DBClusterIdentifier" {
            if let function = dimension["Value"]?.intrinsicValue, function.name == .ref { return function.argument.stringValue }
        }
        return nil
    }

    var database: String? {
        for dimension in properties["Dimensions"]?.arrayValue ?? [] where dimension["Name"]?.stringValue == "DBInstanceIdentifier" {
            if let function = dimension["Value"]?.intrinsicValue, function.name == .ref { return function.argument.stringValue }
        }
        return nil
    }

    static func all(_ template: Template) -> [AlarmView] {
        template.resources.filter { $0.type == "AWS::CloudWatch::Alarm" }.map(AlarmView.init)
    }
}

/// AL-08: every alarm is named, so that the name carries the suffix.
struct AlarmNames: Rule {
    static let description = RuleDescription(
        id: "AL-08", name: "alarm-names", family: .alarms, severity: .error,
        rationale: "Without AlarmName CloudFormation names an alarm <stack>-<logical id>-<random>: the environment suffix is not in it, so one environment's alarms cannot be found (or silenced) by name, and the console lists them by random strings. Name every alarm; NM-01 and NM-02 then hold the name to the suffix, TG-01 the alarm to the house tags.",
        triggering: [
            "Resources:\n  ↓Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: CPUUtilization\n",
        ],
        nonTriggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmName: !Sub 'db-cpu-${EnvironmentSuffix}'\n      MetricName: CPUUtilization\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::CloudWatch::Alarm" || resource.type == "AWS::CloudWatch::CompositeAlarm" {
            guard resource.properties?["AlarmName"] == nil else { continue }
            context.report("\(resource.logicalID) has no AlarmName: the generated name does not carry the environment suffix", at: resource.keyLocation,
                           path: Places.resourcePath(resource, .key("Properties"), .key("AlarmName")),
                           hint: "AlarmName: !Sub '<purpose>-${EnvironmentSuffix}'")
        }
    }
}

/// AL-01: every alarm notifies the stack's SNS topic.
struct AlarmActions: Rule {
    static let description = RuleDescription(
        id: "AL-01", name: "alarm-actions", family: .alarms, severity: .error,
        rationale: "An alarm without actions changes state and tells no one. Every alarm sends AlarmActions (and OKActions, so that recovery is seen too) to an SNS topic of the template or an ARN parameter.",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓↓Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: CPUUtilization\n",
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [↓arn:aws:sns:us-east-1:123456789012:ops]\n      OKActions: [!Ref Alerts]\n  Alerts:\n    Type: AWS::SNS::Topic\n",
        ],
        nonTriggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [!Ref Alerts]\n      OKActions: [!Ref Alerts]\n  Alerts:\n    Type: AWS::SNS::Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for alarm in AlarmView.all(template) {
            let resource = alarm.resource
            for key in ["AlarmActions", "OKActions"] {
                let path = Places.resourcePath(resource, .key("Properties"), .key(key))
                guard let actions = alarm.properties[key]?.arrayValue, !actions.isEmpty else {
                    context.report("\(resource.logicalID) has no \(key): \(key == "AlarmActions" ? "its alarm" : "its recovery") reaches no one",
                                   at: alarm.properties[key]?.location ?? resource.keyLocation, path: path, hint: "\(key): [!Ref AlertTopic]")
                    continue
                }
                for (index, action) in actions.enumerated() where !Self.isTopic(action, template) {
                    context.report("\(resource.logicalID) \(key) entry is not an SNS topic of this template or a parameter", at: action.location, path: path + [.index(index)])
                }
            }
        }
    }

    static func isTopic(_ value: Node, _ template: Template) -> Bool {
        guard let function = value.intrinsicValue, function.name == .ref, let name = function.argument.stringValue else { return false }
        if template.parameters?[name] != nil { return true }
        return template.resource(name)?.type == "AWS::SNS::Topic"
    }
}

/// AL-02: each database has the alarms that tell it is unwell.
struct AlarmCoverage: Rule {
    static let standaloneMetrics = ["CPUUtilization", "DatabaseConnections", "ReadLatency", "WriteLatency", "FreeStorageSpace"]

    static let description = RuleDescription(
        id: "AL-02", name: "alarm-coverage", family: .alarms, severity: .error,
        rationale: "A standalone database needs alarms on CPUUtilization, DatabaseConnections, ReadLatency, WriteLatency and FreeStorageSpace; a read replica on ReplicaLag. An alarm counts when its DBInstanceIdentifier dimension is a Ref to the instance. An Aurora cluster needs alarms on CPUUtilization and DatabaseConnections, by its DBClusterIdentifier or on each member instance (its storage grows by itself, so FreeStorageSpace is no cluster metric).",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n  ↓Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
            "Resources:\n  ↓Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  CPU:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: CPUUtilization\n      Dimensions: [{Name: DBClusterIdentifier, Value: !Ref Cluster}]\n",
        ],
        nonTriggering: [
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n  Lag:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: ReplicaLag\n      Dimensions: [{Name: DBInstanceIdentifier, Value: !Ref Replica}]\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n  CPU:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: CPUUtilization\n      Dimensions: [{Name: DBClusterIdentifier, Value: !Ref Cluster}]\n  Connections:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: DatabaseConnections\n      Dimensions: [{Name: DBInstanceIdentifier, Value: !Ref Member}]\n",
        ])

    static let clusterMetrics = ["CPUUtilization", "DatabaseConnections"]

    func check(_ template: Template, _ context: RuleContext) {
        let alarms = AlarmView.all(template)
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica {
            let watched = Set(alarms.filter { $0.database == resource.logicalID }.compactMap(\.metric))
            let needed = resource.isReadReplica ? ["ReplicaLag"] : Self.standaloneMetrics
            let missing = needed.filter { !watched.contains($0) }
            if !missing.isEmpty {
                context.report("\(resource.logicalID) has no alarm on \(missing.joined(separator: ", "))", at: resource.keyLocation, path: Places.resourcePath(resource))
            }
        }
        // A cluster: each metric watched on the cluster, or on every member.
        for cluster in template.resources where cluster.type == "AWS::RDS::DBCluster" {
            let members = template.resources.filter { member in
                guard member.isClusterMember, let reference = member.properties?["DBClusterIdentifier"]?.intrinsicValue else { return false }
                return reference.name == .ref && reference.argument.stringValue == cluster.logicalID
            }.map(\.logicalID)
            let missing = Self.clusterMetrics.filter { metric in
                let watched = alarms.filter { $0.metric == metric }
                if watched.contains(where: { $0.cluster == cluster.logicalID }) { return false }
                return members.isEmpty || !members.allSatisfy { member in watched.contains { $0.database == member } }
            }
            if !missing.isEmpty {
                context.report("\(cluster.logicalID) has no alarm on \(missing.joined(separator: ", ")) (by DBClusterIdentifier, or on each member)", at: cluster.keyLocation, path: Places.resourcePath(cluster))
            }
        }
    }
}

/// AL-03: thresholds in the metric's own unit.
struct AlarmUnits: Rule {
    static let description = RuleDescription(
        id: "AL-03", name: "alarm-units", family: .alarms, severity: .error,
        rationale: "RDS publishes CPUUtilization in percent, Read/WriteLatency and ReplicaLag in seconds, AuroraReplicaLag in milliseconds, FreeStorageSpace and FreeableMemory in bytes. A latency threshold of 200 means 200 seconds (200 ms is 0.2); a ReplicaLag of 30000 means 8.3 hours; a storage threshold of 10 means 10 bytes. Thresholds outside the plausible range are unit mistakes.",
        triggering: [
            "Resources:\n  Lag:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: ReplicaLag\n      Threshold: ↓30000\n",
            "Resources:\n  Latency:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: ReadLatency\n      Threshold: ↓200\n",
            "Resources:\n  AuroraLag:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: AuroraReplicaLag\n      Threshold: ↓0.5\n",
        ],
        nonTriggering: [
            "Resources:\n  Latency:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: ReadLatency\n      Threshold: 0.2\n",
            "Resources:\n  AuroraLag:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: AuroraReplicaLag\n      Threshold: 1000\n",
        ])

    /// Plausible threshold ranges per metric, in the metric's unit, with the likely mistake.
    static let ranges: [String: (ClosedRange<Double>, String)] = [
        "CPUUtilization": (0...100, "percent: 0 to 100"),
        "ReadLatency": (0...5, "seconds: 200 ms is 0.2"),
        "WriteLatency": (0...5, "seconds: 200 ms is 0.2"),
        "ReplicaLag": (0...3600, "seconds, not milliseconds: 30 s is 30"),
        // Aurora's replica lag is in milliseconds, unlike ReplicaLag: below 1 it is seconds.
        "AuroraReplicaLag": (1...3_600_000, "milliseconds, not seconds: 1 s is 1000"),
        "FreeStorageSpace": (1_048_576...Double.greatestFiniteMagnitude, "bytes, not GB: 10 GiB is 10737418240"),
        "FreeableMemory": (1_048_576...Double.greatestFiniteMagnitude, "bytes, not GB: 1 GiB is 1073741824"),
    ]

    func check(_ template: Template, _ context: RuleContext) {
        for alarm in AlarmView.all(template) where alarm.namespace == "AWS/RDS" || alarm.namespace == nil {
            guard let metric = alarm.metric, let (range, unit) = Self.ranges[metric] else { continue }
            for candidate in context.values.candidates(alarm.properties["Threshold"]) {
                guard case .literal(let value, let via) = candidate, let threshold = value.numberValue, !range.contains(threshold) else { continue }
                context.report("\(alarm.resource.logicalID) threshold \(value.scalarText ?? "?") is implausible for \(metric), which is in \(unit)\(via.map { " (\($0))" } ?? "")",
                               at: value.location, path: Places.resourcePath(alarm.resource, .key("Properties"), .key("Threshold")), via: via)
            }
        }
    }

}

/// AL-05: periods CloudWatch accepts, and datapoints that fit in them.
struct AlarmPeriods: Rule {
    static let description = RuleDescription(
        id: "AL-05", name: "alarm-periods", family: .alarms, severity: .error,
        rationale: "Period must be 10, 30 or a multiple of 60 seconds, and DatapointsToAlarm cannot exceed EvaluationPeriods: otherwise the alarm is rejected or never fires.",
        cfnLint: ["E3615"],
        triggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Period: ↓45\n      EvaluationPeriods: 2\n      DatapointsToAlarm: ↓3\n",
        ],
        nonTriggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Period: 300\n      EvaluationPeriods: 2\n      DatapointsToAlarm: 2\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for alarm in AlarmView.all(template) {
            let properties = alarm.properties
            for candidate in context.values.candidates(properties["Period"]) {
                guard case .literal(let value, _) = candidate, let period = value.numberValue else { continue }
                if !(period == 10 || period == 30 || (period >= 60 && period.truncatingRemainder(dividingBy: 60) == 0)) {
                    context.report("\(alarm.resource.logicalID) Period \((value.scalarText ?? "?")) is not 10, 30 or a multiple of 60", at: value.location,
                                   path: Places.resourcePath(alarm.resource, .key("Properties"), .key("Period")))
                }
            }
            if let required = context.configuration.alarms.evaluationPeriods, let value = properties["EvaluationPeriods"],
               let periods = value.numberValue, periods.checkedInt != required {
                context.report("\(alarm.resource.logicalID) evaluates \((value.scalarText ?? "?")) period\(periods == 1 ? "" : "s"); the \(context.configuration.name) profile uses \(required)", at: value.location,
                               path: Places.resourcePath(alarm.resource, .key("Properties"), .key("EvaluationPeriods")))
            }
            if let datapoints = properties["DatapointsToAlarm"], let points = datapoints.numberValue,
               let evaluations = properties["EvaluationPeriods"]?.numberValue, points > evaluations {
                context.report("\(alarm.resource.logicalID) needs \((datapoints.scalarText ?? "?")) datapoints out of \(NumberLiteral.text(of: evaluations)) periods: it never fires",
                               at: datapoints.location, path: Places.resourcePath(alarm.resource, .key("Properties"), .key("DatapointsToAlarm")))
            }
        }
    }
}


/// AL-07: missing data is a decision.
struct TreatMissingData: Rule {
    static let description = RuleDescription(
        id: "AL-07", name: "treat-missing-data", family: .alarms, severity: .warning,
        rationale: "A stopped or failed instance sends no metrics; with the default (missing) an alarm on it stays OK while the database is down. Say what missing data means, breaching for availability alarms.",
        triggering: [
            "Resources:\n  ↓Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: CPUUtilization\n",
        ],
        nonTriggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: CPUUtilization\n      TreatMissingData: breaching\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for alarm in AlarmView.all(template) where alarm.properties["TreatMissingData"] == nil {
            context.report("\(alarm.resource.logicalID) does not say how to treat missing data", at: alarm.resource.keyLocation,
                           path: Places.resourcePath(alarm.resource, .key("Properties"), .key("TreatMissingData")), hint: "TreatMissingData: breaching")
        }
    }
}

/// AL-06: the alarm watches a database of the template.
struct AlarmDimensions: Rule {
    static let description = RuleDescription(
        id: "AL-06", name: "alarm-dimensions", family: .alarms, severity: .error,
        rationale: "An RDS alarm whose DBInstanceIdentifier dimension is a literal watches whatever instance has that name in whichever environment: it must Ref a DB instance of the template.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: CPUUtilization\n      Dimensions:\n        - Name: DBInstanceIdentifier\n          Value: ↓orders-db\n",
        ],
        nonTriggering: [
            "Resources:\n  Cpu:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/RDS\n      MetricName: CPUUtilization\n      Dimensions:\n        - Name: DBInstanceIdentifier\n          Value: !Ref Primary\n  Primary:\n    Type: AWS::RDS::DBInstance\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for alarm in AlarmView.all(template) where alarm.namespace == "AWS/RDS" {
            for (index, dimension) in (alarm.properties["Dimensions"]?.arrayValue ?? []).enumerated() where dimension["Name"]?.stringValue == "DBInstanceIdentifier" {
                guard let value = dimension["Value"] else { continue }
                let target = value.intrinsicValue.flatMap { $0.name == .ref ? $0.argument.stringValue : nil }
                if target.flatMap({ template.resource($0)?.type }) != "AWS::RDS::DBInstance" {
                    context.report("\(alarm.resource.logicalID) watches \(target.map { "'\($0)'" } ?? "a literal instance"), not a DB instance of this template", at: value.location,
                                   path: Places.resourcePath(alarm.resource, .key("Properties"), .key("Dimensions"), .index(index), .key("Value")), hint: "Value: !Ref PrimaryDB")
                }
            }
        }
    }
}

/// AL-09: RDS events reach the alert topic.
struct EventSubscription: Rule {
    static let categories = ["failure", "failover", "availability", "recovery"]
    static let clusterCategories = ["failure", "failover"]

    static let description = RuleDescription(
        id: "AL-09", name: "event-subscription", family: .alarms, severity: .warning,
        rationale: "Metrics say a database is slow; RDS events say it failed over, lost a host or came back. An AWS::RDS::EventSubscription on the DB instances, for failure, failover, availability and recovery, sends them to the alert topic.",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n  Events:\n    Type: AWS::RDS::EventSubscription\n    Properties:\n      SnsTopicArn: !Ref Alerts\n      SourceType: db-instance\n      EventCategories: ↓[failure]\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n  Events:\n    Type: AWS::RDS::EventSubscription\n    Properties:\n      SnsTopicArn: !Ref Alerts\n      SourceType: db-instance\n      EventCategories: [failure, failover, availability, recovery]\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: aurora-postgresql\n  Events:\n    Type: AWS::RDS::EventSubscription\n    Properties:\n      SnsTopicArn: !Ref Alerts\n      SourceType: db-cluster\n      SourceIds: [!Ref Cluster]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let databases = template.resources.filter { $0.type == "AWS::RDS::DBInstance" }
        guard let first = databases.first else { return }
        // Aurora members' failovers are cluster events: a db-cluster subscription covers them
        // when every instance is a cluster member.
        let sourceTypes: Set<String> = databases.allSatisfy(\.isClusterMember) ? ["db-instance", "db-cluster"] : ["db-instance"]
        let subscriptions = template.resources.filter { $0.type == "AWS::RDS::EventSubscription" && sourceTypes.contains($0.properties?["SourceType"]?.stringValue ?? "") }
        guard !subscriptions.isEmpty else {
            context.report("no AWS::RDS::EventSubscription sends the DB instances' events (failure, failover, availability, recovery) to the alert topic",
                           at: first.keyLocation, path: Places.resourcePath(first))
            return
        }
        for subscription in subscriptions {
            guard let categories = subscription.properties?["EventCategories"] else { continue } // all categories
            let listed = Set(categories.arrayValue?.compactMap(\.stringValue) ?? [])
            // A cluster's events have no availability or recovery categories (RDS's event
            // categories by source type): failure and failover are what it can send.
            let wanted = subscription.properties?["SourceType"]?.stringValue == "db-cluster" ? Self.clusterCategories : Self.categories
            let missing = wanted.filter { !listed.contains($0) }
            if !missing.isEmpty {
                context.report("\(subscription.logicalID) leaves out the \(missing.joined(separator: ", ")) events", at: categories.location,
                               path: Places.resourcePath(subscription, .key("Properties"), .key("EventCategories")))
            }
        }
    }
}
