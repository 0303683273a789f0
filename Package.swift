// swift-tools-version:6.1
import PackageDescription

// The fuzz target links libFuzzer's `main`, so it only exists when `make fuzz`
// asks for it (FORMWORK_FUZZ=1); an ordinary build never sees it.
let fuzzing = Context.environment["FORMWORK_FUZZ"] != nil

/// The services with generated typed models, one module and one product each
/// (`Formwork<Service>`, after the middle part of `AWS::<Service>::<Type>`), each depending only
/// on the typed core, so that a package compiles only the services it imports. `make models`
/// writes them under Sources/Models/<Service>/ and this list with them (a list, not a folder
/// listing: SwiftPM caches the manifest by its text).
// BEGIN services: written by formwork-codegen (`make models`), one per folder of Sources/Models.
let services = [
    "ACMPCA", "AIOps", "APS", "ARCRegionSwitch", "ARCZonalShift", "ASK", "AccessAnalyzer", "AmazonMQ", "Amplify",
    "AmplifyUIBuilder", "ApiGateway", "ApiGatewayV2", "AppConfig", "AppFlow", "AppIntegrations", "AppMesh",
    "AppRunner", "AppStream", "AppSync", "AppTest", "ApplicationAutoScaling", "ApplicationInsights",
    "ApplicationSignals", "Athena", "AuditManager", "AutoScaling", "AutoScalingPlans", "B2BI", "BCMDataExports",
    "Backup", "BackupGateway", "Batch", "BcmPricingCalculator", "Bedrock", "BedrockAgentCore", "BedrockMantle",
    "Billing", "BillingConductor", "Braket", "Budgets", "CDK", "CE", "CUR", "Cases", "Cassandra",
    "CertificateManager", "Chatbot", "Chime", "CleanRooms", "CleanRoomsML", "Cloud9", "CloudFormation", "CloudFront",
    "CloudTrail", "CloudWatch", "CodeArtifact", "CodeBuild", "CodeCommit", "CodeConnections", "CodeDeploy",
    "CodeGuruProfiler", "CodeGuruReviewer", "CodePipeline", "CodeStar", "CodeStarConnections",
    "CodeStarNotifications", "Cognito", "Comprehend", "ComputeOptimizer", "Config", "Connect", "ConnectCampaigns",
    "ConnectCampaignsV2", "ControlTower", "CustomerProfiles", "DAX", "DLM", "DMS", "DSQL", "DataBrew", "DataPipeline",
    "DataSync", "DataZone", "Deadline", "Detective", "DevOpsAgent", "DevOpsGuru", "DirectConnect", "DirectoryService",
    "DocDB", "DocDBElastic", "DynamoDB", "EC2", "ECR", "ECS", "EFS", "EKS", "EMR", "EMRContainers", "EMRServerless",
    "EVS", "ElastiCache", "ElasticBeanstalk", "ElasticLoadBalancing", "ElasticLoadBalancingV2", "Elasticsearch",
    "ElementalInference", "EntityResolution", "EventSchemas", "Events", "Evidently", "FIS", "FMS", "FSx", "FinSpace",
    "Forecast", "FraudDetector", "GameLift", "GlobalAccelerator", "Glue", "Grafana", "Greengrass", "GreengrassV2",
    "GroundStation", "GuardDuty", "HealthImaging", "HealthLake", "IAM", "IVS", "IVSChat", "IdentityStore",
    "ImageBuilder", "Inspector", "InspectorV2", "Interconnect", "InternetMonitor", "Invoicing", "IoT", "IoTAnalytics",
    "IoTCoreDeviceAdvisor", "IoTEvents", "IoTFleetWise", "IoTSiteWise", "IoTThingsGraph", "IoTTwinMaker",
    "IoTWireless", "KMS", "KafkaConnect", "Kendra", "KendraRanking", "Kinesis", "KinesisAnalytics",
    "KinesisAnalyticsV2", "KinesisFirehose", "KinesisVideo", "LakeFormation", "Lambda", "LaunchWizard", "Lex",
    "LicenseManager", "Lightsail", "Location", "Logs", "LookoutEquipment", "LookoutVision", "M2", "MPA", "MSK",
    "MWAA", "MWAAServerless", "Macie", "ManagedBlockchain", "MediaConnect", "MediaConvert", "MediaLive",
    "MediaPackage", "MediaPackageV2", "MediaStore", "MediaTailor", "MemoryDB", "Neptune", "NeptuneGraph",
    "NetworkFirewall", "NetworkManager", "Notifications", "NotificationsContacts", "NovaAct", "ODB", "OSIS", "Oam",
    "ObservabilityAdmin", "Omics", "OpenSearchServerless", "OpenSearchService", "OpsWorks", "Organizations",
    "PCAConnectorAD", "PCAConnectorSCEP", "PCS", "Panorama", "PaymentCryptography", "Personalize", "Pinpoint",
    "PinpointEmail", "Pipes", "Proton", "QBusiness", "QLDB", "QuickSight", "RAM", "RDS", "RTBFabric", "RUM", "Rbin",
    "Redshift", "RedshiftServerless", "RefactorSpaces", "Rekognition", "ResilienceHub", "ResourceExplorer2",
    "ResourceGroups", "RoboMaker", "RolesAnywhere", "Route53", "Route53GlobalResolver", "Route53Profiles",
    "Route53RecoveryControl", "Route53RecoveryReadiness", "Route53Resolver", "S3", "S3Express", "S3Files",
    "S3ObjectLambda", "S3Outposts", "S3Tables", "S3Vectors", "SDB", "SES", "SMSVOICE", "SNS", "SQS", "SSM",
    "SSMContacts", "SSMGuiConnect", "SSMIncidents", "SSMQuickSetup", "SSO", "SageMaker", "Scheduler",
    "SecretsManager", "SecurityAgent", "SecurityHub", "SecurityLake", "ServiceCatalog", "ServiceCatalogAppRegistry",
    "ServiceDiscovery", "Shield", "Signer", "SimSpaceWeaver", "StepFunctions", "SupportApp", "Synthetics",
    "SystemsManagerSAP", "Timestream", "Transfer", "UXC", "VerifiedPermissions", "VoiceID", "VpcLattice", "WAF",
    "WAFRegional", "WAFv2", "Wisdom", "WorkSpaces", "WorkSpacesThinClient", "WorkSpacesWeb", "WorkspacesInstances",
    "XRay",
]
// END services
/// The services the reference systems and the tests use.
let referenceServices = ["CloudWatch", "EC2", "Events", "IAM", "KMS", "Lambda", "Logs", "RDS", "Route53", "S3", "SNS", "SQS", "SSM", "SecretsManager"]
/// The services the constructs build on (`FormworkConstructs`).
let constructServices = ["CloudWatch", "EC2", "IAM", "KMS", "Lambda", "Logs", "RDS", "Route53", "S3", "SNS", "SQS"]
/// Model modules by service name; only those generated (the generator builds without them).
func models(_ names: [String]) -> [Target.Dependency] {
    names.filter(services.contains).map { Target.Dependency(stringLiteral: "Formwork\($0)") }
}
let serviceModules = referenceServices
/// `FORMWORK_MODELS=used` builds only the model modules that the reference systems and the tests
/// import: a quicker loop while developing (`swift test` otherwise builds all 278). CI builds all.
let builtServices = Context.environment["FORMWORK_MODELS"] == "used"
    ? services.filter((referenceServices + ["CloudFormation"]).contains)
    : services

var targets: [Target] = [
    .systemLibrary(
        name: "CYAML",
        pkgConfig: "yaml-0.1",
        providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    .target(name: "FormworkYAML", dependencies: ["CYAML"]),
    // The untyped template model, readers, canonical writers, `Diagnostic`.
    .target(name: "FormworkTemplate", dependencies: ["FormworkYAML"]),
    // The rule vocabulary every stage that reports under rule ids shares: `RuleFamily`,
    // `RuleDescription` with examples, the `Rule` protocol and its context, `Profile` with
    // the families' settings as data.
    .target(name: "FormworkRuleKit", dependencies: ["FormworkTemplate"]),
    // Registry metadata and the schema validator with its bounded pattern matcher.
    .target(name: "FormworkSchema", dependencies: ["FormworkTemplate"]),
    // Generated registry data, apart so that the generator never depends on its own output.
    .target(name: "FormworkSchemaData", dependencies: ["FormworkSchema"]),
    // The typed core: `Value<T>`, intrinsics, handles, `Stack`, compile checks, the
    // `StackValidator` protocol compile calls.
    .target(name: "FormworkCore", dependencies: ["FormworkTemplate", "FormworkSchema"]),
    .target(name: "FormworkRules", dependencies: ["FormworkTemplate", "FormworkRuleKit", "FormworkSchema"]),
    .target(name: "FormworkDiff", dependencies: ["FormworkTemplate", "FormworkRuleKit", "FormworkSchema"]),
    // The IAM action constants (`.s3.getObject`), generated; `Formwork` re-exports them. Apart
    // from the core, so that the models, which depend on the core only, do not wait for them.
    .target(name: "FormworkIAMActions", dependencies: ["FormworkCore"]),
    // What users import: the core, the validation pass (the rules as the core's validator),
    // synth/check/diff/lint and the `FormworkApp` entry point.
    .target(name: "Formwork", dependencies: [
        "FormworkCore", "FormworkIAMActions", "FormworkRuleKit", "FormworkRules", "FormworkDiff", "FormworkSchemaData",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    // The public test helper: a rule's examples verified as Formwork verifies its own.
    .target(name: "FormworkRuleTesting", dependencies: ["FormworkRuleKit", "FormworkRules", "FormworkSchema", "FormworkSchemaData", "FormworkTemplate"]),
    .target(name: "FormworkLanguageServer", dependencies: ["FormworkRuleKit", "FormworkRules", "FormworkSchema", "FormworkTemplate"]),
    // The five reference systems: an app like any user's, on the public products only.
    // FormworkRules is named although only `Formwork`'s re-exports are used: the incremental
    // build then sees when Profile's layout changes (found: a stale ReferenceSystems crashed).
    .target(name: "ReferenceSystems", dependencies: ["Formwork", "FormworkRules", "FormworkConstructs"] + models(serviceModules)),
    .executableTarget(name: "reference-systems", dependencies: ["ReferenceSystems"]),
    // The constructs: building blocks right by construction, on the public products only.
    .target(name: "FormworkConstructs", dependencies: ["Formwork"] + models(constructServices)),
    .target(name: "FormworkCodegen", dependencies: ["FormworkTemplate", "FormworkSchema"]),
    // `formwork import`: templates to a package of typed stacks, named by the generator's own rules.
    .target(name: "FormworkImport", dependencies: ["FormworkTemplate", "FormworkSchema", "FormworkSchemaData", "FormworkCodegen"]),
    .executableTarget(
        name: "formwork-codegen",
        dependencies: [
            "FormworkCodegen",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    .executableTarget(
        name: "formwork",
        dependencies: [
            "Formwork",
            "FormworkDiff",
            "FormworkImport",
            "FormworkLanguageServer",
            "FormworkRuleKit",
            "FormworkRules",
            "FormworkSchema",
            "FormworkSchemaData",
            "FormworkTemplate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    // `make bench`'s in-process lint of one template (a release executable; no timed tests).
    .executableTarget(name: "formwork-lint-bench", dependencies: ["FormworkRules", "FormworkSchemaData", "FormworkTemplate"], path: "Benchmarks/InProcess"),
    // The repository root and a command runner, shared by the test targets.
    .target(name: "FormworkTestSupport", path: "Tests/Support"),
    .testTarget(name: "FormworkYAMLTests", dependencies: ["FormworkYAML"]),
    .testTarget(name: "FormworkTemplateTests", dependencies: ["FormworkTestSupport", "FormworkTemplate"]),
    .testTarget(name: "FormworkRuleKitTests", dependencies: ["FormworkRuleKit", "FormworkTemplate"]),
    .testTarget(name: "FormworkSchemaTests", dependencies: ["FormworkTestSupport", "FormworkSchema", "FormworkSchemaData"]),
    .testTarget(name: "FormworkCodegenTests", dependencies: ["FormworkTestSupport", "FormworkCodegen", "FormworkSchema", "FormworkSchemaData"]),
    .testTarget(name: "FormworkCoreTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "FormworkTemplate", "Formwork", "FormworkRules", "FormworkSchema", "FormworkSchemaData"] + models(["SNS", "RDS", "EC2", "CloudWatch", "KMS", "CloudFormation"])),
    .testTarget(name: "FormworkTests", dependencies: ["FormworkTestSupport", "Formwork", "FormworkRuleKit", "FormworkRuleTesting", "FormworkTemplate"] + models(["SNS"])),
    .testTarget(name: "FormworkRulesTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "FormworkRules", "FormworkRuleTesting", "FormworkSchemaData"]),
    .testTarget(name: "FormworkDiffTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "FormworkDiff", "FormworkSchemaData"]),
    .testTarget(name: "ReferenceSystemsTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "ReferenceSystems", "FormworkConstructs", "Formwork", "FormworkDiff", "FormworkSchemaData"] + models(["SNS"])),
    .testTarget(name: "FormworkConstructsTests", dependencies: ["FormworkTestSupport", "FormworkConstructs", "Formwork", "FormworkTemplate"] + models(constructServices)),
    .testTarget(name: "HostileInputTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "FormworkRules", "FormworkDiff", "FormworkSchemaData", "FormworkTemplate"]),
    .testTarget(name: "formworkTests", dependencies: ["FormworkTestSupport", "formwork", "FormworkTemplate", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    // Imports seed 004 and a sample of the corpora into `Imported/`, compiled here (their
    // services are among those the tests build anyway), and synthesizes them back.
    .testTarget(name: "FormworkImportTests", dependencies: ["FormworkTestSupport", "FormworkImport", "Formwork", "FormworkRules", "FormworkCodegen", "FormworkSchemaData", "FormworkTemplate"]
        + models(["CloudFormation", "CloudWatch", "EC2", "Events", "IAM", "KMS", "RDS", "Route53", "S3", "SNS", "SSM", "SecretsManager"])),
    .testTarget(name: "FormworkLanguageServerTests", dependencies: ["FormworkTestSupport", "FormworkRuleKit", "FormworkLanguageServer", "FormworkRules", "FormworkSchemaData", "FormworkTemplate"]),
]
targets += builtServices.map { .target(name: "Formwork\($0)", dependencies: ["FormworkCore"], path: "Sources/Models/\($0)") }

// SwiftPM plugins, both running the `formwork` command built from this package:
// `swift package formwork lint|check|synth`, and a build tool plugin that lints the templates
// under a target's folder during `swift build` (docs/plugins.md).
targets += [
    .plugin(
        name: "FormworkCommandPlugin",
        capability: .command(intent: .custom(verb: "formwork", description: "Lint templates, check the package or synthesize its stacks with formwork")),
        dependencies: ["formwork"],
        path: "Plugins/FormworkCommandPlugin"
    ),
    .plugin(name: "FormworkLintPlugin", capability: .buildTool(), dependencies: ["formwork"], path: "Plugins/FormworkLintPlugin"),
]

if fuzzing {
    targets.append(.executableTarget(
        name: "formwork-fuzz",
        dependencies: ["FormworkYAML", "FormworkTemplate", "FormworkRuleKit", "FormworkRules", "FormworkDiff", "FormworkSchemaData", "FormworkLanguageServer"],
        path: "Fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
}

let package = Package(
    name: "Formwork",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "formwork", targets: ["formwork"]),
        .library(name: "Formwork", targets: ["Formwork"]),
        .library(name: "FormworkTemplate", targets: ["FormworkTemplate"]),
        .plugin(name: "FormworkCommandPlugin", targets: ["FormworkCommandPlugin"]),
        .plugin(name: "FormworkLintPlugin", targets: ["FormworkLintPlugin"]),
        .library(name: "FormworkRuleTesting", targets: ["FormworkRuleTesting"]),
        .library(name: "FormworkConstructs", targets: ["FormworkConstructs"]),
    ] + builtServices.map { .library(name: "Formwork\($0)", targets: ["Formwork\($0)"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `make docs`: the DocC archive of `Formwork` (a command plugin: nothing links it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: targets
)
