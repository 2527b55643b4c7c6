import Foundation
import Ticketing

/// Finds a folder of Marquee's content (`demo`, `Themes`): in the current folder, or in an
/// ancestor of the executable's folder (the repository a `swift run` binary was built in).
public func locateResourceFolder(_ name: String, containing marker: String, executable: String = CommandLine.arguments.first ?? "") -> URL? {
    var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name)]
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        candidates.append(folder.appendingPathComponent(name))
        folder = folder.deletingLastPathComponent()
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(marker).path) }
}

/// The demo content: venues, scenarios and the demo shows, read from the `demo/` folder.
public struct DemoCatalog: Sendable {
    /// One demo show and the state it starts in.
    public struct ShowPlan: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var venue: String
        public var startsInDays: Double
        /// draft, submitted or approved.
        public var status: ShowStatus.Stage
    }

    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// Finds `demo/`: in the current folder, or beside the executable's ancestors (the
    /// repository a `swift run` binary was built in).
    public static func locate() -> DemoCatalog? {
        locateResourceFolder("demo", containing: "venues").map(DemoCatalog.init(folder:))
    }

    public func names(_ kind: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(kind).path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A file by name (`rush`) from `demo/<kind>/`, or by path (anything with a `/` or `.json`).
    func file(_ kind: String, _ nameOrPath: String) throws(DemoError) -> (name: String, data: Data) {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".json")
        let url = isPath ? URL(fileURLWithPath: nameOrPath) : folder.appendingPathComponent(kind).appendingPathComponent(nameOrPath + ".json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if isPath { throw .invalidFile(kind: String(kind.dropLast()), name: nameOrPath, problem: "the file cannot be read") }
            throw .unknown(kind: String(kind.dropLast()), name: nameOrPath, available: names(kind))
        }
        return (isPath ? url.deletingPathExtension().lastPathComponent : nameOrPath, data)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ kind: String, _ name: String, _ data: Data) throws(DemoError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw .invalidFile(kind: kind, name: name, problem: explain(error))
        }
    }

    public func venue(_ nameOrPath: String) throws(DemoError) -> Venue {
        let (_, data) = try file("venues", nameOrPath)
        return try Self.venue(from: data, name: nameOrPath)
    }

    /// A venue file's bytes, decoded and checked; `name` is what messages call it.
    public static func venue(from data: Data, name: String) throws(DemoError) -> Venue {
        let venue = try decode(Venue.self, "venue", name, data)
        do { try venue.validate() } catch {
            if case .invalidVenue(_, let problem) = error { throw .invalidFile(kind: "venue", name: name, problem: problem) }
            throw .invalidFile(kind: "venue", name: name, problem: error.description)
        }
        return venue
    }

    public func scenario(_ nameOrPath: String) throws(DemoError) -> Scenario {
        let (name, data) = try file("scenarios", nameOrPath)
        return try Self.scenario(from: data, name: name)
    }

    /// A scenario file's bytes, decoded and checked; `name` is what messages call it.
    public static func scenario(from data: Data, name: String) throws(DemoError) -> Scenario {
        let scenario = try decode(Scenario.self, "scenario", name, data)
        try scenario.validate()
        return scenario
    }

    public func shows() throws(DemoError) -> [ShowPlan] {
        let url = folder.appendingPathComponent("shows.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .invalidFile(kind: "demo", name: "shows.json", problem: "missing") }
        struct File: Decodable { var shows: [ShowPlan] }
        do { return try JSONDecoder().decode(File.self, from: data).shows } catch {
            throw .invalidFile(kind: "demo", name: "shows.json", problem: Self.explain(error))
        }
    }

    /// A decoding error in words: which key, and what was wrong.
    static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\" in \(path(context))"
        case .typeMismatch(let type, let context): return "\(path(context)) should be \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) should be \(type), not null"
        case .dataCorrupted(let context): return "not valid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}
