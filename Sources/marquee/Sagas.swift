import ArgumentParser
import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Ticketing

extension Marquee {
    struct Sagas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the reservations in flight, each at its saga step, the stuck ones first.",
            discussion: """
                Stuck: a hold \(Int(SagaLanes.expiryGrace)) s past its deadline and not expired, a payment requested \
                \(Int(SagaLanes.paymentDeadline)) s ago with no outcome, or a settled payment the saga has not acted on \
                within \(Int(SagaLanes.immediate)) s (no process is running the saga, or it keeps failing: see `marquee failures`).
                With --json: an array of {reservationId, showId, amountMinor, currency, step, since, secondsInStep, expectedSeconds, \
                stuck, why, expiresAt, correlationId}.
                """
        )

        @OptionGroup var store: StoreOptions
        @Flag(help: "Only the stuck ones.") var stuck = false
        @Flag(help: "Print JSON on standard output.") var json = false

        func run() async throws {
            let storage = try store.openForReading()
            let now: Date
            do { now = try StoreClock.attach(storage, speed: nil, record: false).clock.now() } catch { throw failure(error) }
            let lanes: [SagaLane]
            do { lanes = try SagaLanes.current(in: storage, now: now).filter { !stuck || $0.stuck != nil } } catch {
                throw failure("cannot read the sagas: \(error)")
            }
            if json {
                Output.exact("[" + lanes.map { lane in
                    "{\"reservationId\":\(JSONText.quoted(lane.reservationId.rawValue)),\"showId\":\(JSONText.quoted(lane.showId.rawValue)),"
                        + "\"amountMinor\":\(lane.amount.minor),\"currency\":\(JSONText.quoted(lane.amount.currency)),\"step\":\(JSONText.quoted(lane.step)),"
                        + "\"since\":\(JSONText.quoted(Timestamp.string(lane.since))),\"secondsInStep\":\(Int(now.timeIntervalSince(lane.since))),"
                        + "\"expectedSeconds\":\(Int(lane.expected)),\"stuck\":\(lane.stuck != nil),\"why\":\(JSONText.quoted(lane.stuck)),"
                        + "\"expiresAt\":\(JSONText.quoted(Timestamp.string(lane.expiresAt))),\"correlationId\":\(JSONText.quoted(lane.correlationId))}"
                }.joined(separator: ",") + "]")
                return
            }
            if lanes.isEmpty { Output.say(stuck ? "no saga is stuck" : "no reservation in flight") }
            for lane in lanes {
                let waited = Int(now.timeIntervalSince(lane.since))
                Output.say("\(lane.stuck == nil ? " " : "!") \(lane.reservationId)  \(lane.showId)  \(lane.step) for \(waited) s of \(Int(lane.expected)) s"
                    + (lane.stuck.map { "  STUCK: \($0)" } ?? ""))
            }
        }
    }
}
