// swift-tools-version:6.0
// A team's stacks on Formwork's constructs: this package sits beside a clone of Formwork in a
// folder named `formwork` (SwiftPM names a path dependency after its folder).
import PackageDescription

let package = Package(
    name: "orders-pipeline",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: "../formwork"),
    ],
    targets: [
        .executableTarget(
            name: "OrdersPipeline",
            dependencies: [
                .product(name: "Formwork", package: "formwork"),
                .product(name: "FormworkConstructs", package: "formwork"),
            ]
        ),
    ]
)
