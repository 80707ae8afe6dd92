// swift-tools-version:6.1
import PackageDescription

// Linux only: process groups, /proc, PR_SET_CHILD_SUBREAPER and glibc's posix_spawn extensions
// are used directly, so no other platform is declared.
let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookKit", targets: ["RunbookKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "RunbookKit",
            dependencies: ["CLibYAML", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "runbook",
            dependencies: [
                "RunbookKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RunbookTestSupport",
            dependencies: ["RunbookKit"],
            path: "Sources/RunbookTestSupport"
        ),
        .testTarget(
            name: "RunbookKitTests",
            dependencies: ["RunbookKit", "RunbookTestSupport"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["runbook", "RunbookKit", "RunbookTestSupport"]
        ),
    ]
)
