// swift-tools-version:6.0
// A team's own stacks on Formwork: this package sits beside a clone of Formwork in a folder
// named `formwork` (SwiftPM names a path dependency after its folder).
import PackageDescription

let package = Package(
    name: "orders-db",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: "../formwork"),
    ],
    targets: [
        // The team's own rules, apart so that a test can verify them.
        .target(name: "OrdersRules", dependencies: [.product(name: "Formwork", package: "formwork")]),
        .testTarget(name: "OrdersRulesTests", dependencies: ["OrdersRules", .product(name: "FormworkRuleTesting", package: "formwork")]),
        .executableTarget(
            name: "OrdersInfra",
            dependencies: [
                "OrdersRules",
                .product(name: "Formwork", package: "formwork"),
                .product(name: "FormworkCloudWatch", package: "formwork"),
                .product(name: "FormworkEC2", package: "formwork"),
                .product(name: "FormworkIAM", package: "formwork"),
                .product(name: "FormworkKMS", package: "formwork"),
                .product(name: "FormworkLogs", package: "formwork"),
                .product(name: "FormworkRDS", package: "formwork"),
                .product(name: "FormworkSNS", package: "formwork"),
            ],
            // Templates written by hand, not Swift sources: the build lints them instead.
            exclude: ["Templates"],
            plugins: [.plugin(name: "FormworkLintPlugin", package: "formwork")]
        ),
    ]
)
