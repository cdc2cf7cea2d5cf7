// swift-tools-version:6.1
import PackageDescription

// Strict settings for every target: Swift 6 language mode (strict concurrency),
// explicit existentials and member import visibility.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "convergent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "convergent", targets: ["convergent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Pure model and rules: no I/O, no server, database, networking or logging module.
        .target(name: "ConvergentDomain", swiftSettings: strict),
        // Catalog files (YAML) <-> domain catalog, with file/line for every problem.
        .target(
            name: "ConvergentCatalogFiles",
            dependencies: ["ConvergentDomain", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The demo operator: catalog files and customers, compiled into the binary.
        .target(name: "ConvergentDemo", dependencies: ["ConvergentDomain", "ConvergentCatalogFiles"], swiftSettings: strict),
        // Storage contracts: aggregates, optimistic versions, history.
        .target(name: "ConvergentStore", dependencies: ["ConvergentDomain"], swiftSettings: strict),
        .target(
            name: "ConvergentSQLite",
            dependencies: [
                "ConvergentStore",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ConvergentPostgres",
            dependencies: [
                "ConvergentStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Use cases over the domain and the store protocols (no database driver, no demo).
        .target(
            name: "ConvergentEngine",
            dependencies: [
                "ConvergentDomain", "ConvergentStore", "ConvergentCatalogFiles",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The composition root: configuration, which store a database URL opens, the demo data,
        // the HTTP provisioning adapter and the service group `serve` and the tests run.
        .target(
            name: "ConvergentApp",
            dependencies: [
                "ConvergentEngine", "ConvergentServer", "ConvergentSQLite", "ConvergentPostgres", "ConvergentDemo", "ConvergentStore", "ConvergentDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The API contract: openapi.yaml, and the wire types swift-openapi-generator makes from it.
        .target(
            name: "ConvergentAPI",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "ConvergentServer",
            dependencies: [
                "ConvergentAPI", "ConvergentEngine",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The console's templates (`Console/Templates/*.mustache`).
            resources: [.copy("Console/Templates")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "convergent",
            dependencies: [
                "ConvergentServer", "ConvergentApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ConvergentDomainTests", dependencies: ["ConvergentDomain", "ConvergentCatalogFiles", "ConvergentDemo"], swiftSettings: strict),
        .testTarget(
            name: "StoreConformanceTests",
            dependencies: [
                "ConvergentEngine", "ConvergentSQLite", "ConvergentPostgres",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConvergentServerTests",
            dependencies: [
                "ConvergentServer", "ConvergentApp",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)
