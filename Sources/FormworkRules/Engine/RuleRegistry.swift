import FormworkRuleKit
import FormworkTemplate

/// Every rule, in the order `formwork rules` lists them.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = unordered.map { ($0, $0.description.listingKey, $0.description.id) }
        .sorted { RuleDescription.listsBefore($0.1, $0.2, $1.1, $1.2) }.map(\.0)

    private static let unordered: [any Rule.Type] = [
        ParseErrors.self, TemplateStructure.self, ResourceStructure.self, ResourceTypes.self, UnknownProperties.self, RequiredProperties.self,
        ValueTypes.self, ValueConstraints.self, PolicyValues.self, RefTargets.self, GetAttTargets.self, SubVariables.self,
        DependsOnTargets.self, CircularDependencies.self, ConditionShapes.self, ParameterDeclarations.self, UnusedParameters.self,
        UnusedConditions.self, OutputDeclarations.self, ConditionalTargets.self, FunctionShapes.self, LambdaRuntimeBlocked.self, LambdaRuntimeDeprecated.self, CacheClusterFailover.self, ExtensionConstraintRules.self, PolicyStatementIDs.self, RecordValues.self, PolicyGrammar.self, UniqueIdentifiers.self, IdentifierFormats.self, NestedStackParameters.self,
        DynamoDBKeyAttributes.self, SubnetRouteTables.self, ModuleResources.self, BackupLifecycles.self, InstanceImage.self, OneOfProperties.self,
        CloudFormationInitMetadata.self, RetiredServices.self, SunsettingServices.self, OutputValues.self, QueueDeadLetterTypes.self,
        ValueFormats.self, RefFormats.self, DependentProperties.self, ServerlessDescriptions.self, ServerlessProperties.self, SharedLogicalIDs.self, AutoScalingSizeRange.self, LambdaEnvironment.self, QueueVisibilityTimeout.self, SubnetCIDRRanges.self, DynamicReferences.self, TemplateLimits.self, InterfaceMetadata.self,
        NoRetainPolicies.self, PointInTimeRecovery.self, ExplicitDeleteOnDatabases.self, DeletionProtection.self, ReplicaPolicies.self,
        EmptiableBuckets.self, ServiceLogGroups.self, KeyPendingWindow.self, NoObjectLock.self, DashboardBody.self,
        SuffixInNames.self, SuffixLast.self, NameLimits.self, SuffixParameter.self, ParameterGroupNames.self,
        NoEnvironmentWords.self, NoAccountIDs.self, NoRegionNames.self, PartitionInARNs.self,
        RequiredTags.self, UntaggableTypes.self, CopyTagsToSnapshot.self,
        StorageEncryption.self, NotPubliclyAccessible.self, MultiAZ.self, BackupRetention.self, PerformanceInsights.self,
        Windows.self, InstanceClassPolicy.self, EngineMajorVersion.self, EnhancedMonitoring.self, CustomParameterGroup.self, StaticParameters.self, MemoryParameters.self, ForceSSL.self, Credentials.self, ReplicaShape.self, AuroraShape.self, DatabaseSecurityGroup.self, SubnetGroupZones.self,
        IAMAuthentication.self, LogExports.self, MinorVersionUpgrades.self, Storage.self, BackupReplication.self,
        NoWildcardActions.self, NoWildcardResources.self, NoPassRoleOnEveryRole.self, NoAllowWithNot.self, NoElevatedManagedPolicies.self, NarrowTrust.self,
        DangerousActionClasses.self, WildcardSuffixActions.self, ManagedPolicyPaths.self,
        FailoverPairs.self, HealthChecksReachTheTarget.self, HealthCheckTags.self,
        PrivateDatabaseSubnets.self, SubnetRanges.self, NATGateways.self, VPCEndpoints.self, NoReplicationRules.self,
        WorldOpenPorts.self, LoadBalancerTLS.self, InstanceMetadataV2.self, NoPublicBrokersOrWarehouses.self,
        NoSDKv2InNode18.self, FunctionLimits.self, FunctionLogging.self, FunctionsInVPC.self, NoSecretsInEnvironment.self, InvokePermissions.self,
        EventRuleShape.self, EventTargetsPermitted.self,
        LogRetention.self, LogEncryption.self, EscapedFunctionsInSub.self, NoSecretsInOutputs.self, ObsoleteDependsOn.self, NoGuardDutyDetector.self, CanaryRuntimes.self,
        TopicEncryption.self, TopicSubscriptions.self, TopicPolicyGrants.self,
        KeyRotation.self, KeyPolicyGrants.self, KeyAliases.self, KeyConsumersAllowed.self, EncryptionAtRest.self, NoSecretsInUserData.self, ManagedDatabaseCredentials.self, SecretContents.self,
        BucketEncryption.self, NoPublicBuckets.self, BucketVersioning.self, BucketTLSOnly.self, BucketPolicyGrants.self, BucketReplication.self, BucketLifecycle.self, BucketAccessLogging.self, APIAccessLogging.self,
        AlarmActions.self, AlarmCoverage.self, AlarmUnits.self, AlarmThresholdsRule.self, AlarmDimensions.self, AlarmPeriods.self, TreatMissingData.self, AlarmNames.self, EventSubscription.self,
    ]

    /// Every family's settings type, in the order a written configuration lists them.
    public static let settings: [any RuleSettings.Type] = [
        NamingSettings.self, TaggingSettings.self, HardcodingSettings.self, LifecycleSettings.self, RDSSettings.self,
        AlarmSettings.self, NetworkSettings.self, S3Settings.self, LogsSettings.self, SuppressionSettings.self,
    ]

    /// The settings type that reads a `.formwork.yml` key.
    public static func settings(for key: String) -> (any RuleSettings.Type)? {
        settings.first { $0.keys.contains(key) }
    }

    /// Every description in listing order: these rules, plus others checked elsewhere (the
    /// change rules `formwork diff` runs).
    public static func documented(adding others: [RuleDescription]) -> [RuleDescription] {
        (all.map { $0.description } + others).sorted(by: RuleDescription.listsBefore)
    }

    /// The rule a user named by its id (any case) or its name.
    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id.isNamed(by: id) || $0.description.name == id }
    }

    /// Every rule's id in listing order, read once (a description is a large value to copy).
    static let ids: [RuleID] = all.map { $0.description.id }

    /// By id: suppressions and selections look rules up for every finding.
    private static let byID: [RuleID: any Rule.Type] = Dictionary(all.map { ($0.description.id, $0) }, uniquingKeysWith: { first, _ in first })

    public static func rule(_ id: RuleID) -> (any Rule.Type)? {
        byID[id]
    }

    /// The rules of one family, in listing order.
    public static func rules(of family: RuleFamily) -> [any Rule.Type] {
        all.filter { $0.description.family == family }
    }
}
