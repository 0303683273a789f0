import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-22: a Redis replication group in cluster mode needs automatic failover.
struct CacheClusterFailover: Rule {
    static let description = RuleDescription(
        id: "ST-22", name: "elasticache-cluster-failover", family: .structure, severity: .error,
        rationale: "A replication group whose parameter group enables cluster mode (`cluster-enabled: yes`) must leave AutomaticFailoverEnabled out or true: ElastiCache refuses cluster mode without automatic failover. Judged for every combination of the template's conditions that the two properties depend on, as CloudFormation may deploy any of them (conditions defined from other conditions are kept consistent with them).",
        acrossResources: true,
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
            var used = Set(ConditionScenarios.names(in: failover) + ConditionScenarios.names(in: parameterGroupName))
            var refs = Set<String>()
            CircularDependencies.references(parameterGroupName, false, into: &refs)
            for id in refs {
                guard let body = template.resource(id), body.type == "AWS::ElastiCache::ParameterGroup" else { continue }
                if let condition = body.condition { used.insert(condition) }
                if let inner = body.properties?["Properties"] { used.formUnion(ConditionScenarios.names(in: inner)) }
            }
            guard let (names, truths) = ConditionScenarios.assignments(used, conditions, maximum: Self.maximumConditions) else { continue }
            for truth in truths {
                guard case .bool(false)? = ConditionScenarios.resolved(failover, truth).scalarBool else { continue }
                guard let id = ConditionScenarios.resolved(parameterGroupName, truth).refTarget, let body = template.resource(id),
                      body.type == "AWS::ElastiCache::ParameterGroup", body.condition.map({ truth[$0] ?? true }) ?? true,
                      let inner = body.properties?["Properties"] else { continue }
                let clusterEnabled = ConditionScenarios.resolved(inner, truth)["cluster-enabled"]?.scalarText?.lowercased() == "yes"
                guard clusterEnabled else { continue }
                let scenario = names.filter { truth[$0] != nil }.map { "\($0) is \(truth[$0]! ? "true" : "false")" }
                context.report("\(group.logicalID) runs in cluster mode (parameter group \(id) sets cluster-enabled) with AutomaticFailoverEnabled false\(scenario.isEmpty ? "" : " when " + scenario.joined(separator: " and ")): ElastiCache refuses it",
                               at: failover.location, path: Places.resourcePath(group, .key("Properties"), .key("AutomaticFailoverEnabled")),
                               hint: "leave AutomaticFailoverEnabled out or true whenever cluster mode is on")
                break
            }
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
        guard let function = intrinsicValue, function.name == .ref else { return nil }
        return function.argument.stringValue
    }
}
