import FormworkRuleKit
import FormworkTemplate

/// RDS-05: backup and maintenance windows that CloudFormation accepts and that do not overlap.
struct Windows: Rule {
    static let description = RuleDescription(
        id: "RDS-05", name: "windows", family: .rds, severity: .error,
        rationale: "PreferredBackupWindow is hh24:mi-hh24:mi in UTC and at least 30 minutes long; PreferredMaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi; the two must not overlap, or RDS rejects the instance.",
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PreferredBackupWindow: ↓03:00-03:15\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PreferredBackupWindow: 03:00-04:00\n      PreferredMaintenanceWindow: ↓mon:03:30-mon:04:30\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PreferredBackupWindow: 03:00-04:00\n      PreferredMaintenanceWindow: sun:05:00-sun:06:00\n",
        ])

    /// Minutes since midnight of `hh:mm`.
    static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours), (0..<60).contains(minutes),
              parts[0].count == 2, parts[1].count == 2 else { return nil }
        return hours * 60 + minutes
    }

    static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Minutes since Monday 00:00 of `ddd:hh:mm`.
    static func weekMinutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let day = days.firstIndex(of: parts[0].lowercased()), let time = minutes(parts[1]) else { return nil }
        return day * 1440 + time
    }

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" {
            let properties = resource.properties ?? ObjectMap()
            var backup: (Int, Int)?
            for candidate in context.values.candidates(properties["PreferredBackupWindow"]) {
                guard case .literal(let value, _) = candidate, let text = value.stringValue else { continue }
                let path = Places.resourcePath(resource, .key("Properties"), .key("PreferredBackupWindow"))
                let parts = text.split(separator: "-")
                if parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]) {
                    let length = (end - start + 1440) % 1440
                    if length < 30 {
                        context.report("\(resource.logicalID) backup window \(text) is shorter than 30 minutes", at: value.location, path: path)
                    }
                    backup = (start, length)
                } else {
                    context.report("\(resource.logicalID) backup window '\(text)' is not hh24:mi-hh24:mi", at: value.location, path: path)
                }
            }
            for candidate in context.values.candidates(properties["PreferredMaintenanceWindow"]) {
                guard case .literal(let value, _) = candidate, let text = value.stringValue else { continue }
                checkMaintenance(resource, value, text, backup, context)
            }
        }
    }

    private func checkMaintenance(_ resource: Resource, _ value: Node, _ text: String, _ backup: (Int, Int)?, _ context: RuleContext) {
            let path = Places.resourcePath(resource, .key("Properties"), .key("PreferredMaintenanceWindow"))
            let parts = text.split(separator: "-")
            guard parts.count == 2, let start = Self.weekMinutes(parts[0]), let end = Self.weekMinutes(parts[1]) else {
                context.report("\(resource.logicalID) maintenance window '\(text)' is not ddd:hh24:mi-ddd:hh24:mi", at: value.location, path: path)
                return
            }
            guard let (backupStart, backupLength) = backup else { return }
            let week = 7 * 1440
            let length = (end - start + week) % week
            // The daily backup window, on each day, against the weekly maintenance window.
            let overlaps = (0..<7).contains { day in
                let b = day * 1440 + backupStart
                return Self.intersects(b, backupLength, start, length, week)
            }
            if overlaps {
                context.report("\(resource.logicalID) maintenance window \(text) overlaps the daily backup window", at: value.location, path: path)
            }
    }

    static func intersects(_ a: Int, _ aLength: Int, _ b: Int, _ bLength: Int, _ period: Int) -> Bool {
        for shift in [-period, 0, period] {
            let start = b + shift
            if a < start + bLength && start < a + aLength { return true }
        }
        return false
    }
}

/// RDS-17, RDS-18, RDS-19, RDS-20: the operational settings the house expects.
struct IAMAuthentication: Rule {
    static let description = RuleDescription(
        id: "RDS-17", name: "iam-authentication", family: .rds, severity: .info,
        rationale: "IAM database authentication lets applications connect with short-lived tokens instead of stored passwords.",
        peers: [.checkov("CKV_AWS_161"), .checkov("CKV_AWS_162")],
        triggering: ["Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n"],
        nonTriggering: ["Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      EnableIAMDatabaseAuthentication: true\n"])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" {
            let value = resource.properties?["EnableIAMDatabaseAuthentication"]
            if !(value?.isTrue ?? false) {
                context.report("\(resource.logicalID) does not enable IAM database authentication", at: value?.location ?? resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("EnableIAMDatabaseAuthentication")))
            }
        }
    }
}

struct LogExports: Rule {
    static let description = RuleDescription(
        id: "RDS-18", name: "log-exports", family: .rds, severity: .warning,
        rationale: "The postgresql and upgrade logs are what explains an outage or a failed upgrade; export them to CloudWatch Logs (and declare their log groups, LC-06).",
        triggering: ["Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EnableCloudwatchLogsExports: ↓[postgresql]\n"],
        nonTriggering: ["Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EnableCloudwatchLogsExports: [postgresql, upgrade]\n"])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase && (resource.properties?["Engine"]?.stringValue ?? "postgres").hasPrefix("postgres") {
            let value = resource.properties?["EnableCloudwatchLogsExports"]
            let exported = Set(value?.arrayValue?.compactMap(\.stringValue) ?? [])
            let missing = ["postgresql", "upgrade"].filter { !exported.contains($0) }
            if !missing.isEmpty {
                context.report("\(resource.logicalID) does not export the \(missing.joined(separator: " and ")) log\(missing.count > 1 ? "s" : "")", at: value?.location ?? resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("EnableCloudwatchLogsExports")))
            }
        }
    }
}

struct MinorVersionUpgrades: Rule {
    static let description = RuleDescription(
        id: "RDS-19", name: "minor-version-upgrades", family: .rds, severity: .warning,
        rationale: "Minor versions carry security fixes and cfn-lint deprecates old ones (W3691); AutoMinorVersionUpgrade applies them in the maintenance window.",
        triggering: ["Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AutoMinorVersionUpgrade: ↓false\n"],
        nonTriggering: ["Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AutoMinorVersionUpgrade: true\n"])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica {
            for candidate in context.values.candidates(resource.properties?["AutoMinorVersionUpgrade"]) {
                if case .literal(let value, _) = candidate, !value.isTrue {
                    context.report("\(resource.logicalID) turns off minor version upgrades", at: value.location,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("AutoMinorVersionUpgrade")))
                }
            }
        }
    }
}

struct Storage: Rule {
    static let description = RuleDescription(
        id: "RDS-20", name: "storage", family: .rds, severity: .warning,
        rationale: "gp3, io1 and io2 give the IOPS a database needs (gp2 and magnetic do not, or only by size), and storage autoscaling needs MaxAllocatedStorage above AllocatedStorage, for every value the parameters allow.",
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageType: ↓gp2\n      AllocatedStorage: '100'\n      MaxAllocatedStorage: ↓100\n",
            "Parameters:\n  Storage:\n    Type: Number\n    MinValue: 20\n    MaxValue: 500\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageType: gp3\n      AllocatedStorage: !Ref Storage\n      MaxAllocatedStorage: ↓400\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageType: gp3\n      AllocatedStorage: '100'\n      MaxAllocatedStorage: 1000\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase {
            let properties = resource.properties ?? ObjectMap()
            for candidate in context.values.candidates(properties["StorageType"]) {
                if case .literal(let value, _) = candidate, let type = value.stringValue, !["gp3", "io1", "io2"].contains(type) {
                    context.report("\(resource.logicalID) uses \(type) storage", at: value.location,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("StorageType")), hint: "StorageType: gp3")
                }
            }
            func literals(_ name: String) -> [(Double, Node, PossibleValues.Via?)] {
                context.values.candidates(properties[name]).compactMap { candidate in
                    if case .literal(let value, let via) = candidate, let number = value.numberValue { return (number, value, via) }
                    return nil
                }
            }
            // The worst pair the parameters allow: the largest storage with the smallest ceiling.
            guard let largest = literals("AllocatedStorage").max(by: { $0.0 < $1.0 }),
                  let smallest = literals("MaxAllocatedStorage").min(by: { $0.0 < $1.0 }), smallest.0 <= largest.0 else { continue }
            context.report("\(resource.logicalID) can have MaxAllocatedStorage \((smallest.1.scalarText ?? "?"))\(smallest.2.map { " (\($0))" } ?? "") with AllocatedStorage \((largest.1.scalarText ?? "?"))\(largest.2.map { " (\($0))" } ?? ""): storage cannot grow",
                           at: properties["MaxAllocatedStorage"]?.location ?? resource.keyLocation,
                           path: Places.resourcePath(resource, .key("Properties"), .key("MaxAllocatedStorage")),
                           via: smallest.2?.deploymentValue != nil ? smallest.2 : largest.2)
        }
    }
}

