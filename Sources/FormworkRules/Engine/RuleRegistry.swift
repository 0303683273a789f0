/// Every rule, in the order `formwork rules` lists them.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        NoRetainPolicies.self, ExplicitDeleteOnDatabases.self, DeletionProtection.self, ReplicaPolicies.self,
        SuffixInNames.self, SuffixParameter.self,
        NoEnvironmentWords.self, NoAccountIDs.self, NoRegionNames.self, PartitionInARNs.self,
        RequiredTags.self, CopyTagsToSnapshot.self,
        MultiAZ.self, EnhancedMonitoring.self, ReplicaShape.self,
        AlarmActions.self, AlarmCoverage.self, AlarmUnits.self, AlarmPeriods.self,
    ]

    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id.lowercased() == id.lowercased() || $0.description.name == id }
    }
}
