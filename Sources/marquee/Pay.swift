import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import Ticketing

extension Marquee {
    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take payment at the box office for a held reservation, and wait for the outcome.",
            discussion: "Runs the saga until the payment settles (or --wait seconds pass; a running console or simulator then settles it)."
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The reservation's id, e.g. R-7KQ2M9XA.") var reservation: String
        @Option(help: "Wall-clock seconds to wait for the payment to settle.") var wait: Double = 15

        func run() async throws {
            guard !store.readOnly else { throw failure("taking payment writes to the store, and --read-only forbids writes; drop --read-only") }
            let id = ReservationID(reservation)
            let (events, clock) = try store.openWithClock()
            let runtime = Runtime(store: events, clock: clock.clock, speed: clock.speed)
            do { try runtime.start() } catch { throw failure("cannot start: \(error)") }
            defer { runtime.shutdown() }
            do throws(BoxOfficeError) {
                _ = try await runtime.box.execute(.requestPayment(id, method: .boxOffice), CommandContext(actor: store.actor))
            } catch {
                Output.complain(error.description)
                throw ExitCode(error.isRefusal ? 1 : 2)
            }
            let deadline = Date().addingTimeInterval(wait)
            while Date() < deadline {
                let types = (try? events.read(stream: StreamRef.reservation(id).name).map(\.type)) ?? []
                if types.contains("ReservationConfirmed") {
                    Output.say("paid: \(id) is confirmed")
                    return
                }
                if types.contains("ReservationCompensated") || types.contains("ReservationExpired") {
                    let reason = types.contains("ReservationExpired") ? "the hold expired first" : "the payment was declined"
                    Output.complain("\(id) was not paid: \(reason); its seats are back on sale")
                    throw ExitCode(1)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            Output.say("payment requested for \(id); a running console or simulator will settle it")
        }
    }
}
