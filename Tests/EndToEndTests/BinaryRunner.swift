import Foundation

/// Runs the built `marquee` binary as a separate OS process and collects what it printed.
struct BinaryRunner {
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `marquee` executable beside the test bundle (`swift test` builds it first, since the
    /// test target depends on it), or `MARQUEE_BIN` when set.
    static var executable: String {
        if let explicit = ProcessInfo.processInfo.environment["MARQUEE_BIN"] { return explicit }
        let candidates = [Bundle.main.executablePath, CommandLine.arguments.first].compactMap { $0 }
        for candidate in candidates {
            var folder = URL(fileURLWithPath: candidate).deletingLastPathComponent()
            for _ in 0..<4 {
                let binary = folder.appendingPathComponent("marquee").path
                if FileManager.default.isExecutableFile(atPath: binary) { return binary }
                folder = folder.deletingLastPathComponent()
            }
        }
        return ".build/debug/marquee"
    }

    /// Starts the process now; `wait()` collects its outcome.
    final class Running: @unchecked Sendable {
        let process = Process()
        private let out = Pipe()
        private let err = Pipe()
        private var outData = Data()
        private var errData = Data()
        private let group = DispatchGroup()

        /// `standardOutput`: where the child writes instead of a pipe the runner reads (a full
        /// disk, a closed pipe); its `stdout` is then empty.
        init(_ arguments: [String], environment: [String: String] = [:], standardOutput: FileHandle? = nil) throws {
            try BinaryRunner.checkFresh()
            process.executableURL = URL(fileURLWithPath: BinaryRunner.executable)
            process.arguments = arguments
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.standardOutput = standardOutput ?? out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // Drain both pipes on their own threads so a full pipe never blocks the child.
            if standardOutput != nil { try out.fileHandleForWriting.close() }
            group.enter()
            DispatchQueue.global().async { [self] in
                outData = out.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
            group.enter()
            DispatchQueue.global().async { [self] in
                errData = err.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }

        func wait() -> Outcome {
            process.waitUntilExit()
            group.wait()
            return Outcome(
                status: process.terminationStatus,
                stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self)
            )
        }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], standardOutput: FileHandle? = nil) throws -> Outcome {
        try Running(arguments, environment: environment, standardOutput: standardOutput).wait()
    }

    /// `swift test` builds the binary on a clean checkout but does not relink it after a change
    /// to the libraries it is made of; a binary older than their objects is stale, so say so.
    static func checkFresh() throws {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        guard let binaryDate = try? manager.attributesOfItem(atPath: executable)[.modificationDate] as? Date else { return }
        for target in ["Faults", "Ticketing", "EventStore", "BoxOffice", "TerminalUI", "CursesTerminal", "Console", "Bench", "marquee"] {
            let objects = folder.appendingPathComponent("\(target).build")
            for name in (try? manager.contentsOfDirectory(atPath: objects.path)) ?? [] where name.hasSuffix(".o") {
                let date = try? manager.attributesOfItem(atPath: objects.appendingPathComponent(name).path)[.modificationDate] as? Date
                if let date, date.timeIntervalSince(binaryDate) > 5 {
                    throw StaleBinary(message: "\(executable) is older than \(target)/\(name); run `swift build` before `swift test`")
                }
            }
        }
    }

    struct StaleBinary: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
