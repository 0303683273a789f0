import FormworkRuleKit
import FormworkTemplate

/// RDS parameter formulas: `{DBInstanceClassMemory/32768}`, `{DBInstanceClassMemory*3/32768}`,
/// `GREATEST({...},n)`, `LEAST(...)`, `SUM(...)`, or a plain integer.
enum RDSFormula {
    /// The value as a fraction of `DBInstanceClassMemory` times `unit` bytes (8 kB pages
    /// for shared_buffers), for a class of `memory` bytes; nil when malformed.
    static func bytes(_ text: String, memory: Double, unit: Double) -> Double? {
        var rest = Substring(text.filter { $0 != " " })
        guard let value = expression(&rest, memory: memory), rest.isEmpty else { return nil }
        return value * unit
    }

    private static func expression(_ text: inout Substring, memory: Double) -> Double? {
        for function in ["GREATEST", "LEAST", "SUM"] where text.hasPrefix(function + "(") {
            text = text.dropFirst(function.count + 1)
            var values: [Double] = []
            while true {
                guard let value = expression(&text, memory: memory) else { return nil }
                values.append(value)
                if text.first == "," { text = text.dropFirst(); continue }
                guard text.first == ")" else { return nil }
                text = text.dropFirst()
                break
            }
            switch function {
            case "GREATEST": return values.max()
            case "LEAST": return values.min()
            default: return values.reduce(0, +)
            }
        }
        if text.first == "{" {
            guard let close = text.firstIndex(of: "}") else { return nil }
            let inner = text[text.index(after: text.startIndex)..<close]
            text = text[text.index(after: close)...]
            // {V}, {V*I}, {V/I}, {V*I/I}
            let variable = "DBInstanceClassMemory"
            guard inner.hasPrefix(variable) else { return nil }
            var value = memory
            var tail = inner.dropFirst(variable.count)
            if tail.first == "*" {
                tail = tail.dropFirst()
                let digits = tail.prefix(while: \.isNumber)
                guard let factor = Double(digits) else { return nil }
                value *= factor
                tail = tail.dropFirst(digits.count)
            }
            if tail.first == "/" {
                tail = tail.dropFirst()
                let digits = tail.prefix(while: \.isNumber)
                guard let divisor = Double(digits), divisor > 0 else { return nil }
                value /= divisor
                tail = tail.dropFirst(digits.count)
            }
            return tail.isEmpty ? value : nil
        }
        let digits = text.prefix(while: \.isNumber)
        guard !digits.isEmpty, let number = Double(digits) else { return nil }
        text = text.dropFirst(digits.count)
        return number
    }
}

/// RDS-09: memory parameters that parse and take a sane share of memory.
struct MemoryParameters: Rule {
    /// Parameter, unit in bytes, and the share of instance memory the house expects.
    static let parameters: [(String, Double, ClosedRange<Double>)] = [
        ("shared_buffers", 8192, 0.15...0.40),
        ("effective_cache_size", 8192, 0.50...0.80),
    ]

    static let description = RuleDescription(
        id: "RDS-09", name: "memory-parameters", family: .rds, severity: .error,
        rationale: "shared_buffers and effective_cache_size count 8 kB pages: an integer, or an RDS formula ({DBInstanceClassMemory/32768} is 25 % of memory, {DBInstanceClassMemory*3/32768} 75 %; GREATEST, LEAST and SUM combine them). A malformed formula fails at deployment (an error); a share far from 25 % and 75 % of the instance's memory is a warning.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        shared_buffers: ↓'{DBInstanceClassMemory/}'\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.r6g.large\n      DBParameterGroupName: !Ref Tuning\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        effective_cache_size: ↓'{DBInstanceClassMemory/32768}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.r6g.large\n      DBParameterGroupName: !Ref Tuning\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        shared_buffers: '{DBInstanceClassMemory/32768}'\n        effective_cache_size: '{DBInstanceClassMemory*3/32768}'\n",
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        shared_buffers: 'GREATEST({DBInstanceClassMemory/32768},131072)'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        // Which classes use each group.
        var classes: [String: Set<String>] = [:]
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" {
            guard let group = ParameterGroupView.of(resource, in: template) else { continue }
            for candidate in context.values.candidates(resource.properties?["DBInstanceClass"]) {
                if case .literal(let value, _) = candidate, let name = value.stringValue { classes[group.resource.logicalID, default: []].insert(name) }
            }
        }
        for resource in template.resources where resource.type == "AWS::RDS::DBParameterGroup" {
            let group = ParameterGroupView(resource: resource)
            for (name, unit, share) in Self.parameters {
                guard let value = group.parameters[name], let text = value.scalarText else { continue }
                let path = Places.resourcePath(resource, .key("Properties"), .key("Parameters"), .key(name))
                guard RDSFormula.bytes(text, memory: 1, unit: unit) != nil else {
                    context.report("\(name) '\(text)' is neither a number of pages nor an RDS formula", at: value.location, path: path)
                    continue
                }
                for instanceClass in (classes[resource.logicalID] ?? []).sorted() {
                    guard let gib = InstanceClassMemory.gibibytes[instanceClass] else { continue }
                    let memory = gib * 1_073_741_824
                    guard let bytes = RDSFormula.bytes(text, memory: memory, unit: unit) else { continue }
                    let fraction = bytes / memory
                    if !share.contains(fraction) {
                        context.report("\(name) is \(((fraction * 100).rounded()).checkedInt.map(String.init) ?? "far more than 100") % of a \(instanceClass)'s memory; the house expects \(Int(share.lowerBound * 100)) to \(Int(share.upperBound * 100)) %",
                                       at: value.location, path: path, severity: .warning)
                    }
                }
            }
        }
    }
}

/// RDS-24: automated backups copied to another region, where the profile requires it.
struct BackupReplication: Rule {
    static let description = RuleDescription(
        id: "RDS-24", name: "backup-replication", family: .rds, severity: .error,
        rationale: "A disaster-recovery system keeps its automated backups in a second region: AutomaticBackupReplicationRegion (not the stack's own region), a destination-region KMS key when the storage is encrypted, and the retention the profile asks for (`backupReplicationDays` in .formwork.yml).",
        triggering: [
            "Metadata:\n  formwork: {settings: {backupReplicationDays: 7}}\nResources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork: {settings: {backupReplicationDays: 7}}\nParameters:\n  DrRegion:\n    Type: String\n  DrKey:\n    Type: String\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n      AutomaticBackupReplicationRegion: !Ref DrRegion\n      AutomaticBackupReplicationKmsKeyId: !Ref DrKey\n      AutomaticBackupReplicationRetentionPeriod: 7\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let days = context.configuration.rds.backupReplicationDays else { return }
        for resource in template.resources where resource.isStandaloneDatabase {
            let properties = resource.properties ?? ObjectMap()
            var missing: [String] = []
            if properties["AutomaticBackupReplicationRegion"] == nil { missing.append("AutomaticBackupReplicationRegion") }
            if properties["StorageEncrypted"]?.isTrue == true, properties["AutomaticBackupReplicationKmsKeyId"] == nil { missing.append("AutomaticBackupReplicationKmsKeyId") }
            let retention = properties["AutomaticBackupReplicationRetentionPeriod"]?.numberValue
            if retention?.checkedInt != days { missing.append("AutomaticBackupReplicationRetentionPeriod: \(days)") }
            if !missing.isEmpty {
                context.report("\(resource.logicalID) does not replicate its backups to another region as the \(context.configuration.name) profile requires: set \(missing.joined(separator: ", "))",
                               at: resource.keyLocation, path: Places.resourcePath(resource, .key("Properties")))
            }
            if let region = properties["AutomaticBackupReplicationRegion"], region.intrinsicValue.map({ $0.name == .ref && $0.argument.stringValue == "AWS::Region" }) ?? false {
                context.report("\(resource.logicalID) replicates its backups to its own region", at: region.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("AutomaticBackupReplicationRegion")))
            }
        }
    }
}
