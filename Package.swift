// swift-tools-version:6.0
import PackageDescription

// The fuzz target links libFuzzer's `main`, so it only exists when `make fuzz`
// asks for it (FORMWORK_FUZZ=1); an ordinary build never sees it.
let fuzzing = Context.environment["FORMWORK_FUZZ"] != nil

/// The AWS services with generated typed models: one module and one product each
/// (`Formwork<Service>`, after the middle part of `AWS::<Service>::<Type>`), depending only
/// on the typed core, so that a package compiles only the services it imports.
/// `make models` writes them; keep this list equal to the folders it writes.
let services = [
    "CloudWatch", "EC2", "Events", "IAM", "KMS", "Lambda", "Logs", "RDS", "Route53", "S3", "SNS", "SSM", "SecretsManager",
]
let serviceModules = services.map { "Formwork\($0)" }

var targets: [Target] = [
    .systemLibrary(
        name: "CYAML",
        pkgConfig: "yaml-0.1",
        providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    .target(name: "FormworkYAML", dependencies: ["CYAML"]),
    // The untyped template model, readers, canonical writers, `Diagnostic`.
    .target(name: "FormworkTemplate", dependencies: ["FormworkYAML"]),
    // Registry metadata and the schema validator with its bounded pattern matcher.
    .target(name: "FormworkSchema", dependencies: ["FormworkTemplate"]),
    // Generated registry data, apart so that the generator never depends on its own output.
    .target(name: "FormworkSchemaData", dependencies: ["FormworkSchema"]),
    // The typed core: `Value<T>`, intrinsics, handles, `Stack`, compile checks, the
    // `StackValidator` protocol compile calls.
    .target(name: "FormworkCore", dependencies: ["FormworkTemplate", "FormworkSchema", "FormworkSchemaData"]),
    .target(name: "FormworkRules", dependencies: ["FormworkTemplate", "FormworkSchema"]),
    .target(name: "FormworkDiff", dependencies: ["FormworkTemplate", "FormworkSchema"]),
    // What users import: the core, the validation pass (the rules as the core's validator),
    // synth/check/diff/lint and the `FormworkApp` entry point.
    .target(name: "Formwork", dependencies: ["FormworkCore", "FormworkRules", "FormworkDiff", "FormworkSchemaData"]),
    .target(name: "FormworkLanguageServer", dependencies: ["FormworkRules", "FormworkSchema", "FormworkTemplate"]),
    // The five reference systems: an app like any user's, on the public products only.
    // FormworkRules is named although only `Formwork`'s re-exports are used: the incremental
    // build then sees when Profile's layout changes (found: a stale ReferenceSystems crashed).
    .target(name: "ReferenceSystems", dependencies: ["Formwork", "FormworkRules"] + serviceModules.map { Target.Dependency(stringLiteral: $0) }),
    .executableTarget(name: "reference-systems", dependencies: ["ReferenceSystems"]),
    .target(name: "FormworkCodegen", dependencies: ["FormworkTemplate", "FormworkSchema"]),
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
            "ReferenceSystems",
            "FormworkDiff",
            "FormworkLanguageServer",
            "FormworkRules",
            "FormworkSchema",
            "FormworkSchemaData",
            "FormworkTemplate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    // The repository root and a command runner, shared by the test targets.
    .target(name: "FormworkTestSupport", path: "Tests/Support"),
    .testTarget(name: "FormworkYAMLTests", dependencies: ["FormworkYAML"]),
    .testTarget(name: "FormworkTemplateTests", dependencies: ["FormworkTestSupport", "FormworkTemplate"]),
    .testTarget(name: "FormworkSchemaTests", dependencies: ["FormworkTestSupport", "FormworkSchema", "FormworkSchemaData", "FormworkCodegen"]),
    .testTarget(name: "FormworkCoreTests", dependencies: ["FormworkTestSupport", "Formwork", "FormworkRules", "FormworkSNS", "FormworkRDS", "FormworkEC2", "FormworkCloudWatch", "FormworkKMS"]),
    .testTarget(name: "FormworkRulesTests", dependencies: ["FormworkTestSupport", "FormworkRules", "FormworkSchemaData"]),
    .testTarget(name: "FormworkDiffTests", dependencies: ["FormworkTestSupport", "FormworkDiff", "FormworkSchemaData"]),
    .testTarget(name: "ReferenceSystemsTests", dependencies: ["FormworkTestSupport", "ReferenceSystems", "Formwork", "FormworkSNS", "FormworkDiff", "FormworkCodegen", "FormworkSchemaData"]),
    .testTarget(name: "HostileInputTests", dependencies: ["FormworkTestSupport", "FormworkRules", "FormworkDiff", "FormworkSchemaData", "FormworkTemplate"]),
    .testTarget(name: "formworkTests", dependencies: ["FormworkTestSupport", "formwork", "FormworkTemplate"]),
    .testTarget(name: "FormworkLanguageServerTests", dependencies: ["FormworkTestSupport", "FormworkLanguageServer", "FormworkRules", "FormworkSchemaData", "FormworkTemplate"]),
]
targets += services.map { .target(name: "Formwork\($0)", dependencies: ["FormworkCore"]) }

if fuzzing {
    targets.append(.executableTarget(
        name: "formwork-fuzz",
        dependencies: ["FormworkYAML", "FormworkTemplate", "FormworkRules", "FormworkDiff", "FormworkSchemaData", "FormworkLanguageServer"],
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
    ] + services.map { .library(name: "Formwork\($0)", targets: ["Formwork\($0)"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: targets
)
