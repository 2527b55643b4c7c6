import Foundation

/// Where a PostgreSQL store lives: `postgres://user@host:port/database` (also `postgresql://`),
/// with `?sslmode=require` for TLS and `?host=/folder` for a Unix socket in that folder.
///
/// The password never appears in `description`: it comes from the URL, `PGPASSWORD` or
/// `~/.pgpass`, looked up as libpq does, and is only handed to the connection.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// The socket `.s.PGSQL.<port>` in `folder`.
        case socket(folder: String, port: Int)
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var requireTLS: Bool
    var password: String?

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL; the error says what is wrong with it and what a good one looks like.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresURLError) {
        guard Self.isURL(text) else { throw .notAURL(text) }
        guard let components = URLComponents(string: text) else { throw .malformed(Self.redacted(text)) }
        let items = components.queryItems ?? []
        func item(_ name: String) -> String? { items.last { $0.name == name }?.value }
        for known in items where !["sslmode", "host", "port", "user", "password", "dbname"].contains(known.name) {
            throw .unknownParameter(known.name)
        }
        let port = components.port ?? item("port").flatMap(Int.init) ?? 5432
        guard (1...65_535).contains(port) else { throw .malformed(Self.redacted(text)) }
        if let folder = item("host"), folder.hasPrefix("/") {
            endpoint = .socket(folder: folder, port: port)
        } else {
            let host = item("host") ?? components.host ?? ""
            endpoint = .tcp(host: host.isEmpty ? "localhost" : host, port: port)
        }
        user = components.user.flatMap { $0.removingPercentEncoding } ?? item("user") ?? environment["PGUSER"] ?? NSUserName()
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? item("dbname") ?? user
        switch item("sslmode") ?? "disable" {
        case "require", "verify-ca", "verify-full": requireTLS = true
        case "disable", "allow", "prefer": requireTLS = false
        case let other: throw .unknownSSLMode(other)
        }
        password = components.password.flatMap { $0.removingPercentEncoding } ?? item("password")
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment).flatMap { Self.lookUp(in: $0, host: endpoint.passHost, port: port, database: database, user: user) }
    }

    /// The URL without its password: what messages and logs show.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(user)@\(shown):\(port)/\(database)\(requireTLS ? "?sslmode=require" : "")"
        case .socket(let folder, let port):
            return "postgres://\(user)@/\(database)?host=\(folder)&port=\(port)"
        }
    }

    public var debugDescription: String { description }
    /// A dump or a debugger shows the redacted URL, never the password field.
    public var customMirror: Mirror { Mirror(self, children: ["url": description]) }

    /// What a child process started on this URL's `description` needs in its environment to
    /// sign in as this one did: the password in `PGPASSWORD` (never on a command line).
    public var childEnvironment: [String: String] {
        password.map { ["PGPASSWORD": $0] } ?? [:]
    }

    /// The same server, another database (the bench's scratch databases).
    public func database(_ name: String) -> PostgresURL {
        var url = self
        url.database = name
        return url
    }

    static func redacted(_ text: String) -> String {
        guard let components = URLComponents(string: text), components.password != nil else { return text }
        var copy = components
        copy.password = "****"
        return copy.string ?? "the URL"
    }

    /// `PGPASSFILE`, else `~/.pgpass`.
    static func passwordFile(_ environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"] { return file }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.pgpass"
    }

    /// The first `hostname:port:database:username:password` line of a password file that
    /// matches (`*` matches anything; `\:` and `\\` are escapes), as libpq reads it. A file that
    /// others can read is ignored, as libpq ignores it.
    static func lookUp(in file: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitEscaped(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func splitEscaped(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

extension PostgresURL.Endpoint {
    /// The host a password file names: a socket connection matches `localhost`, as in libpq.
    var passHost: String {
        switch self {
        case .tcp(let host, _): host
        case .socket: "localhost"
        }
    }
}

/// What is wrong with a `--db` URL.
public enum PostgresURLError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAURL(String)
    case malformed(String)
    case unknownParameter(String)
    case unknownSSLMode(String)

    public var description: String {
        let shape = "use postgres://USER@HOST:PORT/DATABASE (optionally ?sslmode=require, or ?host=/socket/folder)"
        return switch self {
        case .notAURL(let text): "\(text) is not a PostgreSQL URL; \(shape)"
        case .malformed(let text): "cannot read the URL \(text); \(shape)"
        case .unknownParameter(let name): "the URL parameter \(name) is not understood; the URL takes sslmode, host, port, user, password and dbname"
        case .unknownSSLMode(let mode): "sslmode=\(mode) is not understood; use sslmode=require for TLS or sslmode=disable for a plain connection"
        }
    }
}
