// swift-tools-version:6.1
import PackageDescription

// Linux only: process groups, /proc, PR_SET_CHILD_SUBREAPER and glibc's posix_spawn extensions
// are used directly, so no other platform is declared.
//
// One target per layer, so the compiler enforces the direction of every arrow; each target
// depends only on the layers below it (README, "Architecture"). Module names carry a
// `Runbook` prefix so that none collides with a type it declares (`YAML`, `Engine`, …).
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        layer("Basics", [crypto]),
        layer("Diagnostics", ["RunbookBasics"]),
        layer("YAML", ["CLibYAML", "RunbookBasics", "RunbookDiagnostics"]),
        layer("Expression", ["RunbookBasics", "RunbookDiagnostics"]),
        layer("Playbook", ["RunbookBasics", "RunbookDiagnostics", "RunbookYAML", "RunbookExpression"]),
        layer("Graph", ["RunbookBasics", "RunbookDiagnostics", "RunbookExpression", "RunbookPlaybook"]),
        layer("Process", ["RunbookBasics", crypto]),
        layer("Events", ["RunbookExpression", "RunbookPlaybook", "RunbookProcess"]),
        layer(
            "Engine",
            [
                "RunbookBasics", "RunbookDiagnostics", "RunbookExpression", "RunbookPlaybook", "RunbookGraph",
                "RunbookProcess", "RunbookEvents",
            ]),
        layer("Effects", ["RunbookBasics", "RunbookPlaybook", "RunbookProcess", "RunbookEngine"]),
        layer("Audit", ["RunbookBasics", "RunbookEvents", crypto]),
        layer(
            "Report",
            [
                "RunbookBasics", "RunbookDiagnostics", "RunbookExpression", "RunbookPlaybook", "RunbookGraph",
                "RunbookProcess", "RunbookEvents", "RunbookAudit",
            ]),
        layer(
            "Session",
            [
                "RunbookBasics", "RunbookDiagnostics", "RunbookExpression", "RunbookYAML", "RunbookPlaybook",
                "RunbookGraph",
                "RunbookProcess", "RunbookEvents", "RunbookEngine", "RunbookEffects", "RunbookAudit", "RunbookReport",
            ]),
        .executableTarget(
            name: "runbook",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "RunbookBasics", "RunbookDiagnostics", "RunbookPlaybook", "RunbookGraph", "RunbookEvents",
                "RunbookEngine",
                "RunbookAudit", "RunbookReport", "RunbookSession",
            ]
        ),
        // libFuzzer targets over the front end (scripts/fuzz); a replay tool when built normally.
        .executableTarget(
            name: "runbook-fuzz",
            dependencies: [
                "RunbookBasics", "RunbookDiagnostics", "RunbookYAML", "RunbookExpression", "RunbookPlaybook",
                "RunbookGraph",
            ],
            path: "Sources/Fuzz"),
        // The demo service of examples/demo: something to break and fix on one machine.
        .executableTarget(name: "demo-service", path: "Sources/DemoService"),
        .target(
            name: "RunbookTestSupport",
            dependencies: ["RunbookDiagnostics", "RunbookYAML", "RunbookPlaybook", "RunbookGraph", "RunbookEvents"]
        ),
        .testTarget(
            name: "RunbookKitTests",
            dependencies: [
                "RunbookTestSupport", "RunbookBasics", "RunbookDiagnostics", "RunbookYAML", "RunbookExpression",
                "RunbookPlaybook", "RunbookGraph", "RunbookProcess", "RunbookEvents", "RunbookEngine", "RunbookEffects",
                "RunbookAudit", "RunbookReport",
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "runbook", "demo-service", "RunbookTestSupport", "RunbookBasics", "RunbookDiagnostics",
                "RunbookProcess",
                "RunbookAudit",
            ]
        ),
    ]
)

/// A layer's target: module `Runbook<Name>` in `Sources/<Name>`.
func layer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: "Runbook" + name, dependencies: dependencies, path: "Sources/" + name)
}
