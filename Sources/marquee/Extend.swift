import ArgumentParser
import BoxOffice
import Ticketing

extension Marquee {
    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extend a hold once, by up to 2 minutes (never past 15 minutes from its start)."
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The reservation's id, e.g. R-7KQ2M9XA.") var reservation: String
        @Option(help: "Seconds to add (1–120).") var by: Int = 120

        func run() async throws {
            let id = ReservationID(reservation)
            try await store.run({ (box, context) async throws(BoxOfficeError) in
                try await box.execute(.extendHold(id, by: Double(by)), context)
            }) { result in
                for case .holdExtended(let extended) in result.events {
                    return "\(id) now held until \(clockTime(extended.expiresAt))"
                }
                return "extended \(id)"
            }
        }
    }
}
