@testable import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

@Suite("Every event type through the store")
struct EveryEventTypeTests {
    /// Runs commands that append every one of the 27 event types (deterministic: seeded ids,
    /// a manual clock); returns the events the commands reported.
    static func recordEveryType(_ h: Harness) async throws -> [DomainEvent] {
        let box = h.box
        let ana = Harness.ana
        let saga = CommandContext(actor: "saga")
        let show = try await h.onSale()
        var appended: [DomainEvent] = []
        func run(_ command: Command, _ context: CommandContext = ana) async throws {
            appended += try await box.execute(command, context).events
        }

        let other = ShowID("tiny-sun")
        try await run(.createShow(other, name: "Sunday", venue: Harness.venue, startsAt: h.clock.now()))
        try await run(.submitShow(other))
        try await run(.rejectShow(other, reason: "Clashes with the matinee"))
        try await run(.reopenShow(other))
        try await run(.blockSeats(show, seats: [SeatID("Stalls-B-6")]))
        try await run(.unblockSeats(show, seats: [SeatID("Stalls-B-6")]))

        // Paid, then cancelled and refunded.
        let paid = try await box.reserveSeats(show, seats: [SeatID("Stalls-A-3"), SeatID("Stalls-A-4")], customer: "Ben", ana)
        appended += paid.events
        let r1 = try #require(paid.reservationID)
        try await run(.requestPayment(r1, method: .boxOffice))
        try await run(.recordPaymentSucceeded(r1.paymentID), saga)
        try await run(.confirmReservation(r1), saga)
        try await run(.cancelReservation(r1))
        try await run(.refundPayment(r1.paymentID), saga)
        try await run(.refundReservation(r1), saga)

        // Payment failed: compensated.
        let failed = try await box.reserveBestAvailable(show, quantity: 2, customer: "Cy", ana)
        appended += failed.events
        let r2 = try #require(failed.reservationID)
        try await run(.requestPayment(r2, method: .card))
        try await run(.recordPaymentFailed(r2.paymentID, reason: "card declined"), saga)
        try await run(.compensateReservation(r2, reason: "card declined"), saga)

        // Extended, then expired.
        let lapsed = try await box.reserveSeats(show, seats: [SeatID("Stalls-B-1")], customer: "Dee", ana)
        appended += lapsed.events
        let r3 = try #require(lapsed.reservationID)
        try await run(.extendHold(r3, by: 60))
        h.clock.advance(by: 360)
        try await run(.expireHold(r3), saga)

        // Cancelled while held.
        let dropped = try await box.reserveSeats(show, seats: [SeatID("Stalls-B-2")], customer: "Eve", ana)
        appended += dropped.events
        try await run(.cancelReservation(try #require(dropped.reservationID)))
        try await run(.closeSales(show))
        try await run(.cancelShow(show, reason: nil))
        // Last, so the ids drawn above (and the golden files that hold them) stay as they were.
        try await run(.editShow(other, name: "Sunday Matinee", startsAt: h.clock.now().addingTimeInterval(3_600)))
        try await run(.editShow(other, name: nil, startsAt: nil, prices: ["std": 2_750]))
        return appended
    }

    @Test func everyEventTypeIsAppendedByACommandAndReadsBackIdentically() async throws {
        let h = try Harness()
        let appended = try await Self.recordEveryType(h)
        let log = try h.log()
        let types = Set(log.map(\.0.type))
        let expected = Set(DomainEvent.payloadTypes.map { DomainEvent.typeName(of: $0) })
        #expect(types == expected)
        #expect(expected.count == 27)
        #expect(expected.contains("ReservationCompensated") && expected.contains("PaymentRefunded") && expected.contains("SeatsUnblocked"))
        // What the commands returned is exactly what the store gives back.
        #expect(Array(log.map(\.1).suffix(appended.count)) == appended)
        // The hand-written payload reader agrees with JSONDecoder on every type it reads.
        let decoder = EventCodec.makeDecoder()
        func viaFoundation<P: DomainEventPayload>(_ sample: P, _ data: Data) throws -> DomainEvent? {
            DomainEvent(payload: try decoder.decode(P.self, from: data))
        }
        var fastTypes: Set<String> = []
        for (recorded, event) in log {
            guard let read = PayloadFields.readers[recorded.type] else { continue }
            let fast = try #require(PayloadFields(recorded.payload).flatMap(read), "\(recorded.type)")
            #expect(fast == event)
            #expect(try viaFoundation(event.payload, recorded.payload) == fast)
            // And the hand-written payload is byte for byte what JSONEncoder writes.
            #expect(PayloadWriter.encode(event) == (try EventCodec.makeEncoder().encode(event.payload)), "\(recorded.type)")
            fastTypes.insert(recorded.type)
        }
        #expect(fastTypes == Set(PayloadFields.readers.keys))
    }

    @Test func theFastPayloadReaderAgreesWithJSONDecoderOnHostileTextAndDefersOnAnythingOdd() throws {
        let codec = EventCodec()
        let encoder = EventCodec.makeEncoder()
        let at = Date(timeIntervalSince1970: 1_800_000_000.125)
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "\u{7F}\u{80}\u{9B}"
        for customer in ["Zoë \"Q\" \\ back/slash", "tab\tnew\nline\u{01}\u{1B}[2J", "東京 🎭 שלום \u{202E}", "", String(repeating: "x", count: 500), controls] {
            let event = ReservationRequested(
                reservationId: ReservationID("R-1"), showId: ShowID("s"), seats: [SeatID("A-1-1"), SeatID("A-1-2")], customer: customer,
                amountMinor: -12, currency: "EUR", by: "buyer-1", at: at
            )
            let payload = try encoder.encode(event)
            #expect(PayloadWriter.encode(.reservationRequested(event)) == payload, "\(customer.debugDescription)")
            let fields = try #require(PayloadFields(payload), "\(customer)")
            #expect(PayloadFields.readers["ReservationRequested"]?(fields) == .reservationRequested(event))
        }
        // Unknown keys, fractions and missing fields are left to JSONDecoder, which has the last word.
        let odd = [
            #"{"at":"2026-11-29T20:14:03.250Z","by":"x","extra":1,"paymentId":"P-1","reason":"r","reservationId":"R-1"}"#,
            #"{"amountMinor":1.5,"at":"2026-11-29T20:14:03.250Z","by":"x","currency":"EUR","paymentId":"P-1","reservationId":"R-1"}"#,
            #"{"at":"2026-11-29T20:14:03.250Z","paymentId":"P-1","reservationId":"R-1"}"#,
        ]
        for text in odd {
            let fast = PayloadFields(Data(text.utf8)).flatMap { PayloadFields.readers["PaymentFailed"]?($0) }
            #expect(fast == nil, "\(text)")
        }
        let extra = RecordedEvent(position: 1, streamId: "payment-P-1", streamVersion: 1, type: "PaymentFailed", schemaVersion: 1, payload: Data(odd[0].utf8), metadata: EventMetadata(), recordedAt: at)
        #expect(try codec.decode(extra) == .paymentFailed(PaymentFailed(paymentId: PaymentID("P-1"), reservationId: ReservationID("R-1"), reason: "r", by: "x", at: Timestamp.date("2026-11-29T20:14:03.250Z") ?? at)))
    }

    @Test func payloadsAreCamelCaseAndNeverOmitAKey() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        _ = try await h.box.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), Harness.ana)
        _ = try await h.box.execute(.cancelShow(show, reason: nil), Harness.ana)
        let log = try h.log()
        let blocked = try #require(log.first { $0.0.type == "SeatsBlocked" })
        let json = try #require(try JSONSerialization.jsonObject(with: blocked.0.payload) as? [String: Any])
        #expect(Set(json.keys) == ["showId", "reservationId", "seats", "by", "at"])
        #expect(json["reservationId"] is NSNull)
        #expect(json["seats"] as? [String] == ["Stalls-A-1"])
        #expect((json["at"] as? String)?.hasSuffix("Z") == true)
        let cancelled = try #require(log.first { $0.0.type == "ShowCancelled" })
        #expect(String(decoding: cancelled.0.payload, as: UTF8.self).contains(#""reason":null"#))
    }

    @Test func metadataCarriesActorCorrelationCausationAndCommandID() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let context = CommandContext(actor: "ana", commandId: "K-1", correlationId: "C-STORY", causationId: "7")
        _ = try await h.box.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), context)
        let last = try #require(try h.log().last)
        #expect(last.0.metadata == EventMetadata(correlationId: "C-STORY", causationId: "7", actor: "ana", commandId: "K-1"))
        let generated = try #require(try h.log().first)
        #expect(generated.0.metadata.correlationId?.hasPrefix("C-") == true)
        #expect(generated.0.metadata.actor == "ana")
    }

    @Test func anUnknownEventTypeOrSchemaVersionIsAnErrorNamingItsPosition() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let stream = StreamRef.inventory(show).name
        let version = try h.store.version(of: stream)
        let bogus = NewEvent(type: "SeatsTeleported", payload: Data("{}".utf8), metadata: EventMetadata())
        let appended = try h.store.append(AppendRequest(writes: [StreamWrite(stream: stream, expected: .exact(version), events: [bogus])], recordedAt: h.clock.now()))
        let position = try #require(appended.positions.first)
        let fresh = try h.sibling()
        await #expect(throws: BoxOfficeError.unreadable(.unknownType("SeatsTeleported", position: position))) {
            try await fresh.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), Harness.ana)
        }
        let future = NewEvent(type: "SeatsBlocked", schemaVersion: 9, payload: Data("{}".utf8), metadata: EventMetadata())
        let next = try h.store.append(AppendRequest(writes: [StreamWrite(stream: "inventory-x", expected: .any, events: [future])], recordedAt: h.clock.now()))
        let recorded = try #require(try h.store.readAll(after: (next.positions.first ?? 1) - 1, limit: 1).first)
        #expect(throws: CodecError.unknownSchemaVersion("SeatsBlocked", version: 9, position: recorded.position)) { try EventCodec().decode(recorded) }
        #expect(CodecError.unknownType("X", position: 12).description.contains("position 12"))
    }
}
