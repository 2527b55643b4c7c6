import ArgumentParser
import BoxOffice
import ConsoleClient
import TerminalUI
import EventStore
import Foundation
import Ticketing

extension Marquee {
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the event log, optionally filtered (by stream, type or correlation id), optionally following new events as they arrive.",
            discussion: "With --json, one JSON object per line: position, stream, version, type, recordedAt, data, metadata."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this stream, e.g. show-grand-hall-sat or reservation-R-7KQ2M9XA.") var stream: String?
        @Option(help: "Only events of this type, e.g. SeatsHeld.") var type: String?
        @Option(help: "Only one conversation across streams: the events of this correlation id, e.g. C-7ENG9185T0 (a reservation's request, hold, payment and every saga step).")
        var correlation: String?
        @Option(help: "Start at this position.") var from: Int64 = 1
        @Flag(help: "Keep printing new events until interrupted.") var follow = false
        @Flag(help: "One JSON object per line on standard output.") var json = false

        func validate() throws {
            if let type, !Self.knownTypes.contains(type) {
                throw ValidationError("no event type \"\(Output.readable(type))\": types are \(Self.knownTypes.sorted().joined(separator: ", "))")
            }
        }

        static let knownTypes = Set(DomainEvent.payloadTypes.map { DomainEvent.typeName(of: $0) })

        func run() async throws {
            let events = try store.openForReading()
            var after = max(from, 1) - 1
            while true {
                let batch: [RecordedEvent]
                do { batch = try events.readAll(after: after, limit: 1000) } catch { throw failure(error) }
                var text = ""
                for event in batch where matches(event) { text += (json ? Self.json(event) : Self.line(event)) + "\n" }
                // Unbuffered, so a follower (`| grep`, a test) sees each event as it arrives.
                Output.raw(text)
                if let last = batch.last { after = last.position }
                if batch.count == 1000 { continue }
                guard follow else { return }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        private func matches(_ event: RecordedEvent) -> Bool {
            (stream == nil || event.streamId == stream) && (type == nil || event.type == type)
                && (correlation == nil || event.metadata.correlationId == correlation)
        }

        /// `events --json`: every key present, `null` for absent values.
        static func json(_ event: RecordedEvent) -> String {
            let data = String(decoding: event.payload, as: UTF8.self)
            return "{\"position\":\(event.position),\"stream\":\(JSONText.quoted(event.streamId)),\"version\":\(event.streamVersion),"
                + "\"type\":\(JSONText.quoted(event.type)),\"recordedAt\":\(JSONText.quoted(Timestamp.string(event.recordedAt))),"
                + "\"data\":\(data),\"metadata\":{\"correlationId\":\(JSONText.quoted(event.metadata.correlationId)),"
                + "\"causationId\":\(JSONText.quoted(event.metadata.causationId)),\"actor\":\(JSONText.quoted(event.metadata.actor))}}"
        }

        static func line(_ event: RecordedEvent) -> String {
            let summary = (try? EventCodec().decode(event)).map(EventFeed.summary(of:)) ?? String(decoding: event.payload.prefix(80), as: UTF8.self)
            return sanitize("#\(event.position)  \(Timestamp.string(event.recordedAt))  \(event.streamId)  \(event.type)  \(summary)  · \(event.metadata.actor ?? "?")")
        }
    }
}
