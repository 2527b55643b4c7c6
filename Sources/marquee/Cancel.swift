import ArgumentParser
import BoxOffice
import Ticketing

extension Marquee {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a reservation: a hold releases its seats; a paid one is refunded, then released."
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The reservation's id, e.g. R-7KQ2M9XA.") var reservation: String

        func run() async throws {
            let id = ReservationID(reservation)
            try await store.run({ (box, context) async throws(BoxOfficeError) in
                try await box.execute(.cancelReservation(id), context)
            }) { result in
                for case .reservationCancelled(let cancelled) in result.events where cancelled.refundDue {
                    return "cancelled \(id); the refund is under way"
                }
                return "cancelled \(id); its seats are back on sale"
            }
        }
    }
}
