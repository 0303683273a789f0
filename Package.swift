// swift-tools-version:6.0
import PackageDescription

// The fuzz target links libFuzzer's `main`, so it only exists when `make fuzz`
// asks for it (FORMWORK_FUZZ=1); an ordinary build never sees it.
let fuzzing = Context.environment["FORMWORK_FUZZ"] != nil

var targets: [Target] = [
    .systemLibrary(
        name: "CYAML",
        pkgConfig: "yaml-0.1",
        providers: [.apt(["libyaml-dev"])]
    ),
    .target(name: "FormworkYAML", dependencies: ["CYAML"]),
    .target(name: "FormworkTemplate", dependencies: ["FormworkYAML"]),
    .target(name: "FormworkSchema", dependencies: ["FormworkTemplate"]),
    // Generated registry data, apart so that the generator never depends on its own output.
    .target(name: "FormworkSchemaData", dependencies: ["FormworkSchema"]),
    .target(name: "FormworkModels", dependencies: ["FormworkTemplate", "FormworkSchema", "FormworkSchemaData", "FormworkRules"]),
    .target(name: "FormworkRules", dependencies: ["FormworkTemplate", "FormworkSchema"]),
    // The reference systems as typed stacks, and synth.
    .target(name: "FormworkStacks", dependencies: ["FormworkModels", "FormworkRules", "FormworkTemplate"]),
    .target(name: "FormworkDiff", dependencies: ["FormworkTemplate", "FormworkSchema", "FormworkRules"]),
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
            "FormworkTemplate",
            "FormworkSchema",
            "FormworkSchemaData",
            "FormworkDiff",
            "FormworkRules",
            "FormworkStacks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    // The repository root and a command runner, shared by the test targets.
    .target(name: "FormworkTestSupport", path: "Tests/Support"),
    .testTarget(name: "FormworkYAMLTests", dependencies: ["FormworkYAML"]),
    .testTarget(name: "FormworkTemplateTests", dependencies: ["FormworkTestSupport", "FormworkTemplate"]),
    .testTarget(name: "FormworkSchemaTests", dependencies: ["FormworkTestSupport", "FormworkSchema", "FormworkSchemaData", "FormworkCodegen"]),
    .testTarget(name: "FormworkModelsTests", dependencies: ["FormworkTestSupport", "FormworkModels", "FormworkSchema"]),
    .testTarget(name: "FormworkRulesTests", dependencies: ["FormworkTestSupport", "FormworkRules", "FormworkSchemaData"]),
    .testTarget(name: "FormworkDiffTests", dependencies: ["FormworkTestSupport", "FormworkDiff", "FormworkSchemaData"]),
    .testTarget(name: "FormworkStacksTests", dependencies: ["FormworkTestSupport", "FormworkStacks", "FormworkDiff", "FormworkCodegen", "FormworkSchemaData"]),
    .testTarget(name: "formworkTests", dependencies: ["FormworkTestSupport", "formwork", "FormworkTemplate"]),
]

if fuzzing {
    targets.append(.executableTarget(
        name: "formwork-fuzz",
        dependencies: ["FormworkYAML", "FormworkTemplate"],
        path: "Fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
}

let package = Package(
    name: "Formwork",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "formwork", targets: ["formwork"]),
        .library(name: "FormworkTemplate", targets: ["FormworkTemplate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: targets
)
