import CProcess
import Foundation
import PostgresStore
import Synchronization

/// A throwaway PostgreSQL server for the tests: started once per test process in a temporary
/// folder, listening on a Unix socket only (no TCP port to collide with), removed at exit. As
/// root it runs as the `postgres` user the package creates (the server refuses root).
///
/// Without the server binaries every PostgreSQL test reports itself skipped with the command
/// that installs them.
public final class PostgresCluster: Sendable {
    public let folder: String
    public let port: Int
    let bin: String
    private let databases = Atomic<Int>(0)

    /// Set in CI (`.ci/run`): the PostgreSQL tests run, and fail if the server cannot start.
    public static let required = ProcessInfo.processInfo.environment["MARQUEE_REQUIRE_POSTGRES"] == "1"
    /// Whether the PostgreSQL tests run: a server can start here, or CI requires them.
    public static let runs = unavailable == nil || required

    /// Why no server can start here, when none can: asked of the installed binaries only, so
    /// that deciding which tests run never waits for a server to start (only the tests that use
    /// one wait, in `shared`).
    public static let unavailable: String? = serverBinaries() == nil
        ? "PostgreSQL server binaries not found (initdb, pg_ctl); install them with `apt-get install postgresql`" : nil

    public static let shared: Result<PostgresCluster, ClusterError> = {
        let result = Result { () throws(ClusterError) in try PostgresCluster() }
        if case .success = result { atexit { if case .success(let cluster) = PostgresCluster.shared { cluster.stop() } } }
        return result
    }()

    public struct ClusterError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The folder holding `initdb` and `pg_ctl`: on PATH, or Debian's newest `/usr/lib/postgresql/N/bin`.
    static func serverBinaries() -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: folder + "/initdb") && FileManager.default.isExecutableFile(atPath: folder + "/pg_ctl") {
            // A link on PATH (as /usr/local/bin/initdb here) leads to the folder with the rest.
            return URL(fileURLWithPath: folder + "/initdb").resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap(Int.init).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    private init() throws(ClusterError) {
        guard let bin = Self.serverBinaries() else {
            throw ClusterError(description: "PostgreSQL server binaries not found (initdb, pg_ctl); install them with `apt-get install postgresql`")
        }
        self.bin = bin
        folder = "/tmp/marquee-pg-" + UUID().uuidString.prefix(8).lowercased()
        port = 20_000 + Int.random(in: 0..<20_000)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        } catch {
            throw ClusterError(description: "cannot create \(folder): \(error)")
        }
        if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", folder], asServer: false) }
        try run(bin + "/initdb", ["-D", folder + "/data", "-U", "marquee", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asServer: true)
        try run(bin + "/pg_ctl", [
            "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60",
            "-o", "-k \(folder) -c listen_addresses= -p \(port) -c fsync=off -c max_connections=200", "start",
        ], asServer: true)
    }

    /// A new, empty database on the cluster, and its URL.
    public func database() throws -> PostgresURL {
        let name = "t\(databases.wrappingAdd(1, ordering: .relaxed).oldValue)_\(UUID().uuidString.prefix(6).lowercased())"
        try run(bin + "/createdb", ["-h", folder, "-p", String(port), "-U", "marquee", name], asServer: true)
        return try PostgresURL("postgres://marquee@/\(name)?host=\(folder)&port=\(port)")
    }

    /// Runs SQL on a database of the cluster through `psql` (what the store must cope with).
    public func psql(_ url: PostgresURL, _ sql: String) throws {
        try run(bin + "/psql", ["-h", folder, "-p", String(port), "-U", "marquee", "-d", url.database, "-v", "ON_ERROR_STOP=1", "-c", sql], asServer: true)
    }

    func stop() {
        try? run(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"], asServer: true)
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a program to its end; as root, server programs run as `postgres`. Spawned without
    /// Foundation's `Process` (see `CProcess.h`): the server `pg_ctl start` leaves running
    /// would keep it waiting.
    private func run(_ program: String, _ arguments: [String], asServer: Bool) throws(ClusterError) {
        let argv = (asServer && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] : [program]) + arguments
        let output = folder + "/command-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: output) }
        var pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        let status = mq_run(pointers, output)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw ClusterError(description: "\(program) \(arguments.joined(separator: " ")) exited \(status): \(text.suffix(600))")
        }
    }
}
