// The fuzz targets' bodies: what each parser must survive and agree on. Shared by the libFuzzer
// harness (Fuzz/Harness.swift, built by Scripts/fuzz) and by the regression tests, which replay
// every input a fuzzer once crashed on. A broken promise traps, which libFuzzer reports.
import CNCurses
import Console
import ConsoleClient
@testable import CursesTerminal
@testable import BoxOffice
@testable import EventStore
import Foundation
import TerminalUI
import Ticketing

/// Every parser of untrusted bytes, by fuzz-target name.
enum ParserChecks {
    static let targets: [String: @Sendable (Data) -> Void] = [
        "json-scanner": jsonScanner,
        "event-payloads": eventPayloads,
        "event-metadata": eventMetadata,
        "read-model-rows": readModelRows,
        "theme": theme,
        "venue": venue,
        "scenario": scenario,
        "keys": keys,
    ]

    static let names = targets.keys.sorted()

    /// A broken promise: the fuzzer reports it as a crash with the input that caused it.
    static func violated(_ what: String, _ data: Data) -> Never {
        fatalError("\(what): \(data.prefix(200).map { String(format: "%02x", $0) }.joined())")
    }

    // MARK: - JSON

    /// The hand-written scanner walks any bytes without trapping, and what it reads as a raw
    /// value it reads again the same way.
    static func jsonScanner(_ data: Data) {
        _ = try? JSONScanner.read(data) { scanner in
            try walk(&scanner, depth: 0)
            _ = scanner.atEnd()
        }
        _ = try? JSONScanner.read(data) { scanner in try scanner.rawValue() }
        _ = try? JSONScanner.read(data) { scanner in try scanner.strings() }
    }

    private static func walk(_ scanner: inout JSONScanner, depth: Int) throws {
        guard depth < 32 else { throw JSONScanner.Unexpected() }
        if scanner.null() { return }
        var attempt = scanner
        if (try? attempt.object({ _, inner in try walk(&inner, depth: depth + 1) })) != nil {
            scanner = attempt
            return
        }
        attempt = scanner
        if (try? attempt.array({ inner in try walk(&inner, depth: depth + 1) })) != nil {
            scanner = attempt
            return
        }
        for read in [{ (s: inout JSONScanner) in _ = try s.string() }, { _ = try $0.int() }, { _ = try $0.bool() }, { _ = try $0.date() }] {
            attempt = scanner
            if (try? read(&attempt)) != nil {
                scanner = attempt
                return
            }
        }
        _ = try scanner.rawValue()
    }

    // MARK: - Events

    /// Any payload under any type name decodes or fails with a `CodecError`; when the hand-read
    /// fast path accepts a payload, `JSONDecoder` must read the very same event from it.
    static func eventPayloads(_ data: Data) {
        guard let selector = data.first else { return }
        let types = DomainEvent.payloadTypes
        let type = types[Int(selector) % types.count]
        let name = DomainEvent.typeName(of: type)
        let payload = data.dropFirst()
        let recorded = RecordedEvent(
            position: 1, streamId: "fuzz", streamVersion: 1, type: name, schemaVersion: EventCodec.schemaVersion,
            payload: Data(payload), metadata: EventMetadata(), recordedAt: Date(timeIntervalSince1970: 0)
        )
        let decoded = try? EventCodec().decode(recorded)
        if let fields = PayloadFields(Data(payload)), let read = PayloadFields.readers[name], let fast = read(fields) {
            guard let slow = slowDecode(type, Data(payload)) else { violated("\(name): the fast path read a payload JSONDecoder refuses", data) }
            guard slow == fast else { violated("\(name): the fast path and JSONDecoder disagree", data) }
            guard decoded == fast else { violated("\(name): EventCodec did not return the fast path's event", data) }
        }
        if let decoded {
            _ = EventFeed.summary(of: decoded)
            _ = sanitize(EventFeed.summary(of: decoded))
        }
    }

    private static func slowDecode<P: DomainEventPayload>(_ type: P.Type, _ data: Data) -> DomainEvent? {
        (try? EventCodec.makeDecoder().decode(P.self, from: data)).flatMap { DomainEvent(payload: $0) }
    }

    /// Event metadata: the hand-read shape and `JSONDecoder` agree whenever the former accepts.
    static func eventMetadata(_ data: Data) {
        guard let decoded = try? MetadataCoding.decode(data, position: 1) else { return }
        let fast = MetadataCoding.fastDecode(data)
        if let fast {
            guard let slow = try? JSONDecoder().decode(EventMetadata.self, from: data) else { violated("metadata: the fast path read what JSONDecoder refuses", data) }
            guard slow == fast, decoded == fast else { violated("metadata: the fast path and JSONDecoder disagree", data) }
        }
        // What `events --json` writes back must be JSON again.
        let written = Data(MetadataCoding.encode(decoded).utf8)
        guard (try? JSONSerialization.jsonObject(with: written)) != nil else { violated("metadata: re-encoded metadata is not JSON", data) }
    }

    // MARK: - Read models

    /// Hand-coded rows and inventory snapshots: when the fast reader accepts bytes, `Codable`
    /// reads the same value, and writing it back reads back equal.
    static func readModelRows(_ data: Data) {
        guard let selector = data.first else { return }
        let bytes = Data(data.dropFirst())
        switch selector % 9 {
        case 0: row(AvailableSeats.Section.self, bytes, data)
        case 1: row(Holds.Hold.self, bytes, data)
        case 2: row(SalesAnalytics.ShowSales.self, bytes, data)
        case 3: row(SagaLedger.Entry.self, bytes, data)
        case 5: row(ShowQueue.Show.self, bytes, data)
        case 6: row(EventFeed.Entry.self, bytes, data)
        case 7: row(CustomerHistory.Entry.self, bytes, data)
        case 8: row(Orders.Order.self, bytes, data)
        default:
            guard let fast = AggregateLoader.fastInventory(bytes) else { return }
            guard let slow = try? EventCodec.makeDecoder().decode(InventoryState.self, from: bytes) else { violated("inventory: fast read what Codable refuses", data) }
            guard slow == fast else { violated("inventory: fast and Codable disagree", data) }
        }
    }

    private static func row<R: FastCodingRow & Codable & Equatable>(_ type: R.Type, _ bytes: Data, _ data: Data) {
        guard let fast = R.fastDecode(bytes) else { return }
        guard let slow = try? EventCodec.makeDecoder().decode(R.self, from: bytes) else { violated("\(R.self): fast read what Codable refuses", data) }
        guard slow == fast else { violated("\(R.self): fast and Codable disagree", data) }
        guard R.fastDecode(fast.fastEncode()) == fast else { violated("\(R.self): written row does not read back equal", data) }
    }

    // MARK: - Files an operator hands in

    /// A theme file: loads or is refused with a message; never traps.
    static func theme(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let theme = try? ThemeLoader.parse(text, file: "fuzz.toml", defaults: ConsoleTheme.defaults, knownPrefixes: ConsoleTheme.openPrefixes) {
            for capability in [ColorCapability.none, .eight, .sixteen, .full] { _ = theme.mapped(to: capability) }
        }
    }

    /// A venue file: refused with a message, or accepted and then usable end to end: its
    /// layout builds, best-available finds seats or says why not, and a price sum is checked.
    static func venue(_ data: Data) {
        do {
            let venue = try DemoCatalog.venue(from: data, name: "fuzz")
            let layout = VenueLayout(venue)
            guard layout.seats.count == venue.capacity else { violated("venue: layout and capacity disagree", data) }
            let inventory = InventoryState(showId: ShowID("fuzz"), layout: layout)
            for quantity in [1, 2, 5] { _ = try? BestAvailable.find(quantity: quantity, section: nil, in: inventory) }
        } catch {
            _ = sanitize(error.description)
        }
    }

    /// A scenario file: refused with a message, or accepted with values the simulator can use.
    static func scenario(_ data: Data) {
        do {
            _ = try DemoCatalog.scenario(from: data, name: "fuzz")
        } catch {
            _ = sanitize(error.description)
        }
    }

    // MARK: - Keys

    /// Any (result, character) pair curses can hand back decodes to a key or to nothing.
    static func keys(_ data: Data) {
        var bytes = Array(data.prefix(8))
        while bytes.count < 8 { bytes.append(0) }
        let result = Int32(bitPattern: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        let character = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        // The mouse needs a live screen; every other code is decoded as it would be.
        guard result != KEY_CODE_YES || Int32(bitPattern: character) != KEY_MOUSE else { return }
        guard result != KEY_CODE_YES || Int32(bitPattern: character) != KEY_RESIZE else { return }
        if let key = KeyDecoder.decode(result: result == 0 ? OK : result % 2 == 0 ? KEY_CODE_YES : ERR, character: wint_t(character)) {
            _ = key.label
        }
        // The rest, pasted into a short field between two letters: never a control character in
        // it, never longer than its limit, the cursor always inside it.
        var field = TextInputState("ab", limit: 24)
        field.handle(.left)
        field.handle(.paste(String(decoding: data.dropFirst(8), as: UTF8.self)))
        field.handle(.character("z"))
        precondition(field.text.count <= 24 && field.cursor <= field.text.count, "paste broke the field: \(field)")
        precondition(!field.text.unicodeScalars.contains { $0.properties.generalCategory == .control }, "a control character was pasted in")
    }
}
