import FormworkSchema
import FormworkTemplate

/// ST-22: a Redis replication group in cluster mode needs automatic failover.
struct CacheClusterFailover: Rule {
    static let description = RuleDescription(
        id: "ST-22", name: "elasticache-cluster-failover", family: "structure", severity: .error,
        rationale: "A replication group whose parameter group enables cluster mode (`cluster-enabled: yes`) must leave AutomaticFailoverEnabled out or true: ElastiCache refuses cluster mode without automatic failover. Judged for every combination of the template's conditions that the two properties depend on, as CloudFormation may deploy any of them (conditions defined from other conditions are kept consistent with them).",
        cfnLint: ["E3026"],
        triggering: [
            "Parameters:\n  Shards:\n    Type: Number\n  Replicas:\n    Type: Number\nConditions:\n  Clustered: !Not [!Equals [!Ref Shards, 1]]\n  Failover: !Not [!Equals [!Ref Replicas, 0]]\nResources:\n  Parameters:\n    Type: AWS::ElastiCache::ParameterGroup\n    Properties:\n      CacheParameterGroupFamily: redis7\n      Description: redis\n      Properties: !If [Clustered, {cluster-enabled: 'yes'}, {}]\n  Group:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: cache\n      CacheParameterGroupName: !Ref Parameters\n      AutomaticFailoverEnabled: ↓!If [Failover, true, false]\n",
        ],
        nonTriggering: [
            "Parameters:\n  Shards:\n    Type: Number\nConditions:\n  Clustered: !Not [!Equals [!Ref Shards, 1]]\nResources:\n  Parameters:\n    Type: AWS::ElastiCache::ParameterGroup\n    Properties:\n      CacheParameterGroupFamily: redis7\n      Description: redis\n      Properties: !If [Clustered, {cluster-enabled: 'yes'}, {}]\n  Group:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: cache\n      CacheParameterGroupName: !Ref Parameters\n      AutomaticFailoverEnabled: !If [Clustered, true, false]\n",
        ])

    /// At most this many conditions are combined (2^12 assignments); more are not judged.
    static let maximumConditions = 12

    func check(_ template: Template, _ context: RuleContext) {
        let conditions = template.conditions ?? ObjectMap()
        for group in template.resources where group.type == "AWS::ElastiCache::ReplicationGroup" {
            guard let properties = group.properties, let failover = properties["AutomaticFailoverEnabled"],
                  let parameterGroupName = properties["CacheParameterGroupName"] else { continue }
            // Every parameter group the name may Ref, and the conditions all of it depends on.
            var used = Set(Self.conditionNames(failover) + Self.conditionNames(parameterGroupName))
            var refs = Set<String>()
            CircularDependencies.references(parameterGroupName, false, into: &refs)
            for id in refs {
                guard let body = template.resource(id), body.type == "AWS::ElastiCache::ParameterGroup" else { continue }
                if let condition = body.condition { used.insert(condition) }
                if let inner = body.properties?["Properties"] { used.formUnion(Self.conditionNames(inner)) }
            }
            Self.closeOver(&used, conditions)
            let names = used.sorted()
            guard names.count <= Self.maximumConditions else { continue }
            for bits in 0..<(1 << names.count) {
                var truth: [String: Bool] = [:]
                for (index, name) in names.enumerated() { truth[name] = bits & (1 << index) != 0 }
                guard Self.consistent(truth, conditions) else { continue }
                guard case .bool(false)? = Self.resolve(failover, truth).scalarBool else { continue }
                guard let id = Self.resolve(parameterGroupName, truth).refTarget, let body = template.resource(id),
                      body.type == "AWS::ElastiCache::ParameterGroup", body.condition.map({ truth[$0] ?? true }) ?? true,
                      let inner = body.properties?["Properties"] else { continue }
                let clusterEnabled = Self.resolve(inner, truth)["cluster-enabled"]?.scalarText?.lowercased() == "yes"
                guard clusterEnabled else { continue }
                let scenario = names.filter { truth[$0] != nil }.map { "\($0) is \(truth[$0]! ? "true" : "false")" }
                context.report("\(group.logicalID) runs in cluster mode (parameter group \(id) sets cluster-enabled) with AutomaticFailoverEnabled false\(scenario.isEmpty ? "" : " when " + scenario.joined(separator: " and ")): ElastiCache refuses it",
                               at: failover.location, path: Places.resourcePath(group, .key("Properties"), .key("AutomaticFailoverEnabled")),
                               hint: "leave AutomaticFailoverEnabled out or true whenever cluster mode is on")
                break
            }
        }
    }

    static func conditionNames(_ value: Node) -> [String] {
        TemplateNames.conditionReferences(in: value).map(\.name)
    }

    /// The conditions the used ones are defined from, so that their relations hold.
    static func closeOver(_ used: inout Set<String>, _ conditions: ObjectMap) {
        var pending = Array(used)
        while let name = pending.popLast() {
            guard let definition = conditions[name] else { continue }
            for other in conditionNames(definition) where used.insert(other).inserted { pending.append(other) }
        }
    }

    /// Whether the assignment keeps every condition defined from other conditions equal to
    /// its definition (an `Fn::Equals` of parameters is free).
    static func consistent(_ truth: [String: Bool], _ conditions: ObjectMap) -> Bool {
        for (name, value) in truth {
            guard let definition = conditions[name], let evaluated = evaluate(definition, truth) else { continue }
            if evaluated != value { return false }
        }
        return true
    }

    /// A condition's value from the assignment, or nil where it rests on something else.
    static func evaluate(_ value: Node, _ truth: [String: Bool]) -> Bool? {
        if let map = value.objectValue, map.count == 1, let name = map["Condition"]?.stringValue { return truth[name] }
        guard let function = value.intrinsicValue else { return nil }
        let items = function.argument.arrayValue ?? []
        switch function.name {
        case "Fn::Not": return items.first.flatMap { evaluate($0, truth) }.map { !$0 }
        case "Fn::And":
            let values = items.map { evaluate($0, truth) }
            if values.contains(false) { return false }
            return values.contains(nil) ? nil : true
        case "Fn::Or":
            let values = items.map { evaluate($0, truth) }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        default: return nil
        }
    }

    /// The value with every Fn::If replaced by the branch the assignment takes.
    static func resolve(_ value: Node, _ truth: [String: Bool]) -> Node {
        switch value.kind {
        case .intrinsic(let function) where function.name == "Fn::If":
            guard let parts = function.argument.arrayValue, parts.count == 3, let name = parts[0].stringValue, let taken = truth[name] else { return value }
            return resolve(taken ? parts[1] : parts[2], truth)
        case .object(let map):
            return Node(.object(ObjectMap(map.entries.map { ObjectMap.Entry(key: $0.key, keyLocation: $0.keyLocation, value: resolve($0.value, truth)) })), at: value.location)
        default:
            return value
        }
    }
}

extension Node {
    /// A boolean as CloudFormation reads it: `true`/`false`, or the strings.
    fileprivate var scalarBool: Node.Kind? {
        switch kind {
        case .bool: return kind
        case .string(let text) where text.lowercased() == "true" || text.lowercased() == "false": return .bool(text.lowercased() == "true")
        default: return nil
        }
    }

    /// The target of a plain Ref.
    fileprivate var refTarget: String? {
        guard let function = intrinsicValue, function.name == "Ref" else { return nil }
        return function.argument.stringValue
    }
}
