// swift-tools-version: 6.0
import PackageDescription

/// Release builds let the modules the hot paths cross (a projection folding into `RowSet`s, a
/// screen writing `Buffer` cells) be inlined and specialised in their callers. Without it every
/// `RowSet<Holds.Hold>` call from `BoxOffice` ran unspecialised hash-tree code that looked up
/// generic metadata per row: a fifth of a rebuild (`perf`, bench P2).
let acrossModules: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Marquee",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "marquee", targets: ["marquee"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", exact: "1.19.7"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // The domain: value types, deciders and typed errors. No I/O, no clock reads.
        .target(name: "Ticketing", swiftSettings: acrossModules),
        // Test-only defects that prove the reliability tests can fail (debug builds only).
        .target(name: "Faults"),
        // The append-only log in SQLite; stores envelopes and knows no domain type.
        .target(name: "EventStore", dependencies: ["Faults", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: acrossModules),
        // The same log in PostgreSQL, for box offices on several machines sharing one server.
        .target(name: "PostgresStore", dependencies: ["EventStore", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]),
        // What the console is handed: the read models' rows and snapshots, as values. Knows no
        // store and no engine (the persistent map under each snapshot is swift-collections').
        .target(name: "ConsoleClient", dependencies: ["Ticketing", .product(name: "HashTreeCollections", package: "swift-collections")], swiftSettings: acrossModules),
        // The application layer: command handling, codecs, clocks and identifiers.
        .target(name: "BoxOffice", dependencies: ["Ticketing", "ConsoleClient", "EventStore", "Faults", .product(name: "HashTreeCollections", package: "swift-collections")], swiftSettings: acrossModules),
        // Checking a log for what must never happen (double bookings, early expiries, unaccountable
        // events) and the torture workers that try to make it happen: tests and `marquee torture`.
        .target(name: "Reliability", dependencies: ["Ticketing", "EventStore", "BoxOffice"]),
        // A terminal UI toolkit: cells, layout, buffers and their diffs, widgets, themes. No curses, no tickets.
        .target(name: "TerminalUI", dependencies: ["Faults"], swiftSettings: acrossModules),
        // ncursesw, wide characters, through a small C shim (see Sources/CNCurses/shim.h).
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
        // The only code that calls ncurses: a dedicated thread drawing buffer diffs and decoding keys.
        .target(name: "CursesTerminal", dependencies: ["CNCurses", "TerminalUI", "Faults"]),
        // The operator console: theme defaults, screens, the reducer and its keymap.
        .target(name: "Console", dependencies: ["Ticketing", "TerminalUI", "ConsoleClient"]),
        // Spawning helper processes (tmux) from the end-to-end tests; see its header for why.
        .target(name: "CProcess"),
        // A pseudo-terminal pair for driving the curses backend without a terminal (bench P5, tests).
        .target(name: "CPty"),
        // `marquee bench`: speed, latency and bytes, each against a baseline measured in the same run.
        .target(name: "Bench", dependencies: [
            "Ticketing", "ConsoleClient", "EventStore", "PostgresStore", "BoxOffice", "TerminalUI", "CursesTerminal", "Console", "CPty",
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Wiring only: one file per subcommand.
        .executableTarget(
            name: "marquee",
            dependencies: [
                "Ticketing", "ConsoleClient", "EventStore", "PostgresStore", "BoxOffice", "Reliability", "TerminalUI", "CursesTerminal", "Console", "Bench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the tests share: a throwaway PostgreSQL server.
        .target(name: "TestSupport", dependencies: ["PostgresStore", "CProcess"], path: "Tests/Support"),
        .testTarget(name: "TicketingTests", dependencies: ["Ticketing"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "CursesTerminal", "CPty"]),
        .testTarget(name: "ConsoleTests", dependencies: [
            "Console", "ConsoleClient", "TerminalUI", "BoxOffice", "EventStore", "Ticketing", "Faults",
            .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ], exclude: ["__Snapshots__", "Fixtures"]),
        // Replays the fuzz targets' seeds and past findings through the checks Scripts/fuzz builds.
        .testTarget(name: "FuzzRegressionTests", dependencies: [
            "Console", "ConsoleClient", "CursesTerminal", "CNCurses", "BoxOffice", "EventStore", "TerminalUI", "Ticketing",
        ], exclude: ["Findings"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "PostgresStore", "TestSupport", "Faults", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "BoxOfficeTests", dependencies: ["BoxOffice", "ConsoleClient", "Reliability", "Ticketing", "EventStore", "PostgresStore", "TestSupport", "Faults", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
        // Drives the built `marquee` binary; depending on it makes `swift test` build it first.
        .testTarget(name: "EndToEndTests", dependencies: [
            "marquee", "BoxOffice", "Reliability", "Ticketing", "EventStore", "PostgresStore", "TestSupport", "CProcess", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
