import FormworkSchema
import FormworkTemplate

extension RuleContext {
    /// Reports with a severity other than the rule's own (HC-01: names are errors, tags
    /// warnings), unless the profile overrides the rule's severity.
    public func report(_ message: String, at location: Location, path: [PathComponent], severity: Severity, hint: String? = nil) {
        let before = findings.count
        report(message, at: location, path: path, hint: hint)
        if findings.count > before, configuration.severityOverrides[findings[before].ruleID] == nil {
            findings[before].severity = severity
        }
    }
}

/// Where things are, for findings.
public enum Places {
    public static func resourcePath(_ resource: Resource, _ rest: PathComponent...) -> [PathComponent] {
        [.key("Resources"), .key(resource.logicalID)] + rest
    }

    /// The place of an attribute's value, else of the resource's key.
    public static func attribute(_ resource: Resource, _ name: String) -> Location {
        resource.body[name]?.location ?? resource.keyLocation
    }

    public static func property(_ resource: Resource, _ name: String) -> Location {
        resource.properties?[name]?.location ?? resource.body.entry("Properties")?.keyLocation ?? resource.keyLocation
    }
}

extension Resource {
    /// An `AWS::RDS::DBInstance` with `SourceDBInstanceIdentifier`: a read replica.
    public var isReadReplica: Bool { type == "AWS::RDS::DBInstance" && properties?["SourceDBInstanceIdentifier"] != nil }

    /// An `AWS::RDS::DBInstance` with `DBClusterIdentifier`: an Aurora (or Multi-AZ cluster) member.
    public var isClusterMember: Bool { type == "AWS::RDS::DBInstance" && properties?["DBClusterIdentifier"] != nil }

    /// A DB instance that is neither a replica nor a cluster member.
    public var isStandaloneDatabase: Bool { type == "AWS::RDS::DBInstance" && !isReadReplica && !isClusterMember }
}

/// Name-bearing properties, from the registry: the writable primary identifier
/// (`DBInstanceIdentifier`, `BucketName`, `RoleName`, `AlarmName`), else a create-only
/// `Name`, `<Type>Name` or `GroupName`.
public enum NameProperties {
    public static func of(_ schema: ResourceSchema) -> [String] {
        // A composite identifier (a route's table and CIDR) names no one resource.
        let primary = schema.primaryIdentifier.count != 1 ? [] : schema.primaryIdentifier.compactMap { pointer -> String? in
            let parts = pointer.split(separator: "/")
            guard parts.count == 2, !schema.readOnly.contains(pointer), schema.property(String(parts[1]))?.types == [.string] else { return nil }
            return String(parts[1])
        }
        if !primary.isEmpty { return primary }
        let shortName = schema.typeName.split(separator: ":").last.map(String.init) ?? ""
        return schema.createOnly.compactMap { pointer -> String? in
            let parts = pointer.split(separator: "/")
            guard parts.count == 2 else { return nil }
            let name = String(parts[1])
            return name == "Name" || name == shortName + "Name" || name == "GroupName" ? name : nil
        }
    }
}

/// Every string literal below a value, with its path and place (Sub templates included,
/// as text).
public enum Strings {
    public static func walk(_ value: Value, path: [PathComponent], _ visit: (String, Location, [PathComponent]) -> Void) {
        switch value.kind {
        case .string(let text): visit(text, value.location, path)
        case .array(let items):
            for (index, item) in items.enumerated() { walk(item, path: path + [.index(index)], visit) }
        case .object(let map):
            for entry in map.entries { walk(entry.value, path: path + [.key(entry.key)], visit) }
        case .intrinsic(let function):
            // The logical ids in Ref, GetAtt and Condition names are not text.
            if function.name == "Ref" || function.name == "Fn::GetAtt" || function.name == "Fn::FindInMap" { return }
            if function.name == "Fn::If", let branches = function.argument.arrayValue, branches.count == 3 {
                walk(branches[1], path: path + [.key("Fn::If"), .index(1)], visit)
                walk(branches[2], path: path + [.key("Fn::If"), .index(2)], visit)
                return
            }
            walk(function.argument, path: path + [.key(function.name)], visit)
        default:
            break
        }
    }

    /// Lowercased alphanumeric words of a text (`db-prod-1` -> db, prod, 1), `${...}` removed.
    public static func words(_ text: String) -> [String] {
        var cleaned = ""
        var depth = 0
        var previous: Character?
        for character in text {
            if previous == "$", character == "{" { depth += 1; cleaned.removeLast() }
            else if character == "}", depth > 0 { depth -= 1 }
            else if depth == 0 { cleaned.append(character) }
            previous = character
        }
        return cleaned.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
