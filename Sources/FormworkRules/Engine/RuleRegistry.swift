import FormworkTemplate

/// Every rule, in the order `formwork rules` lists them.
public enum RuleRegistry {
    /// Families in catalogue order; within a family, by number.
    static let familyOrder = ["ST", "LC", "NM", "HC", "TG", "RDS", "AL", "DA"]

    public static let all: [any Rule.Type] = unordered.sorted { a, b in
        let x = a.description.id.split(separator: "-"), y = b.description.id.split(separator: "-")
        let fx = familyOrder.firstIndex(of: String(x[0])) ?? 99, fy = familyOrder.firstIndex(of: String(y[0])) ?? 99
        if fx != fy { return fx < fy }
        return (Int(x.last ?? "") ?? 0) < (Int(y.last ?? "") ?? 0)
    }

    private static let unordered: [any Rule.Type] = [
        ParseErrors.self, TemplateStructure.self, ResourceStructure.self, ResourceTypes.self, UnknownProperties.self, RequiredProperties.self,
        ValueTypes.self, ValueConstraints.self, PolicyValues.self, RefTargets.self, GetAttTargets.self, SubVariables.self,
        DependsOnTargets.self, CircularDependencies.self, ConditionShapes.self, ParameterDeclarations.self, UnusedParameters.self,
        UnusedConditions.self, OutputDeclarations.self, FunctionShapes.self, LambdaRuntimeBlocked.self, LambdaRuntimeDeprecated.self, CacheClusterFailover.self, ExtensionConstraintRules.self, PolicyStatementIDs.self,
        NoRetainPolicies.self, ExplicitDeleteOnDatabases.self, DeletionProtection.self, ReplicaPolicies.self,
        EmptiableBuckets.self, ServiceLogGroups.self, KeyPendingWindow.self, NoObjectLock.self, DashboardBody.self,
        SuffixInNames.self, SuffixLast.self, NameLimits.self, SuffixParameter.self, ParameterGroupNames.self,
        NoEnvironmentWords.self, NoAccountIDs.self, NoRegionNames.self, PartitionInARNs.self,
        RequiredTags.self, UntaggableTypes.self, CopyTagsToSnapshot.self,
        StorageEncryption.self, NotPubliclyAccessible.self, MultiAZ.self, BackupRetention.self, PerformanceInsights.self,
        Windows.self, InstanceClassPolicy.self, EngineMajorVersion.self, EnhancedMonitoring.self, CustomParameterGroup.self, StaticParameters.self, MemoryParameters.self, ForceSSL.self, Credentials.self, ReplicaShape.self, AuroraShape.self, DatabaseSecurityGroup.self, SubnetGroupZones.self,
        IAMAuthentication.self, LogExports.self, MinorVersionUpgrades.self, Storage.self, BackupReplication.self,
        AlarmActions.self, AlarmCoverage.self, AlarmUnits.self, AlarmThresholdsRule.self, AlarmDimensions.self, AlarmPeriods.self, TreatMissingData.self, AlarmNames.self, EventSubscription.self,
    ]

    /// Every description in listing order: these rules, plus others checked elsewhere (the
    /// change rules `formwork diff` runs).
    public static func documented(adding others: [RuleDescription]) -> [RuleDescription] {
        (all.map { $0.description } + others).sorted { a, b in
            let x = a.id.split(separator: "-"), y = b.id.split(separator: "-")
            let fx = familyOrder.firstIndex(of: String(x[0])) ?? 99, fy = familyOrder.firstIndex(of: String(y[0])) ?? 99
            if fx != fy { return fx < fy }
            return (Int(x.last ?? "") ?? 0) < (Int(y.last ?? "") ?? 0)
        }
    }

    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id.lowercased() == id.lowercased() || $0.description.name == id }
    }
}
