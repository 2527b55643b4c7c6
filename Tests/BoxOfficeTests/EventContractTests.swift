@testable import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

/// The stored event contract: every type's recorded name and its v1 payload, byte for byte, as
/// golden files under `Fixtures/events-v1/<Type>.json`. A renamed type or field, a changed
/// time format or a dropped key fails here. To add a new type's file, run this suite with
/// `MARQUEE_RECORD_FIXTURES=1`; an existing file is never overwritten (change the payload's
/// schema version and add an upcaster instead).
@Suite("The stored event contract")
struct EventContractTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/events-v1")

    @Test func everyTypesStoredNameAndV1PayloadMatchItsGoldenFile() async throws {
        let h = try Harness()
        _ = try await EveryEventTypeTests.recordEveryType(h)
        var firsts: [String: (RecordedEvent, DomainEvent)] = [:]
        for (recorded, event) in try h.log() where firsts[recorded.type] == nil { firsts[recorded.type] = (recorded, event) }
        let names = DomainEvent.payloadTypes.map { DomainEvent.typeName(of: $0) }
        #expect(Set(firsts.keys) == Set(names))
        let recording = ProcessInfo.processInfo.environment["MARQUEE_RECORD_FIXTURES"] != nil
        let codec = EventCodec()
        for name in names {
            let (recorded, event) = try #require(firsts[name], "no \(name) was recorded")
            #expect(recorded.schemaVersion == 1)
            let file = Self.folder.appendingPathComponent("\(name).json")
            guard let golden = FileManager.default.contents(atPath: file.path) else {
                if recording {
                    try recorded.payload.write(to: file)
                } else {
                    Issue.record("no golden payload for \(name) at \(file.path); run with MARQUEE_RECORD_FIXTURES=1 to write it")
                }
                continue
            }
            // What the codec writes today is the stored v1 payload…
            #expect(String(decoding: recorded.payload, as: UTF8.self) == String(decoding: golden, as: UTF8.self), "\(name)")
            // …and the stored v1 payload reads as today's event.
            var stored = recorded
            stored.payload = golden
            #expect(try codec.decode(stored) == event, "\(name)")
        }
    }

    @Test func everyGoldenFileIsARecordedTypeName() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(DomainEvent.payloadTypes.map { DomainEvent.typeName(of: $0) }))
        #expect(files.count == 27)
    }

    @Test func anOlderPayloadIsUpcastToTodaysShapeAndAnUnknownVersionIsNamed() throws {
        // Pretend ShowRejected's v1 called its reason "why": an upcaster renames it, so v2 is
        // what is written and both versions read as today's event.
        let codec = EventCodec(upcasters: [Upcaster(type: "ShowRejected", from: 1) { data in
            Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"why\":", with: "\"reason\":").utf8)
        }])
        #expect(codec.currentVersion(of: "ShowRejected") == 2)
        #expect(codec.currentVersion(of: "SeatsHeld") == 1)
        let golden = try Data(contentsOf: Self.folder.appendingPathComponent("ShowRejected.json"))
        let today = try EventCodec().decode(Self.recorded("ShowRejected", version: 1, golden))
        let v1 = Data(String(decoding: golden, as: UTF8.self).replacingOccurrences(of: "\"reason\":", with: "\"why\":").utf8)
        #expect(try codec.decode(Self.recorded("ShowRejected", version: 1, v1)) == today)
        #expect(try codec.decode(Self.recorded("ShowRejected", version: 2, golden)) == today)
        #expect(try codec.encode(today, metadata: EventMetadata()).schemaVersion == 2)
        #expect(throws: CodecError.unknownSchemaVersion("ShowRejected", version: 3, position: 7)) {
            try codec.decode(Self.recorded("ShowRejected", version: 3, golden))
        }
        #expect(throws: CodecError.unknownSchemaVersion("SeatsHeld", version: 2, position: 7)) {
            try codec.decode(Self.recorded("SeatsHeld", version: 2, golden))
        }
    }

    static func recorded(_ type: String, version: Int, _ payload: Data) -> RecordedEvent {
        RecordedEvent(
            position: 7, streamId: "show-x", streamVersion: 1, type: type, schemaVersion: version, payload: payload,
            metadata: EventMetadata(), recordedAt: Date(timeIntervalSince1970: 0)
        )
    }
}
