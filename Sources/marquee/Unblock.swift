import ArgumentParser
import BoxOffice
import Ticketing

extension Marquee {
    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unblock", abstract: "Put blocked seats back on sale.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: ArgumentHelp("Seats, comma-separated.", valueName: "Stalls-A-12,Stalls-A-13")) var seats: String

        func validate() throws {
            if parseSeats(seats).isEmpty { throw ValidationError("--seats lists no seat ids; give e.g. --seats Stalls-A-12,Stalls-A-13") }
        }

        func run() async throws {
            let id = ShowID(show)
            let list = parseSeats(seats)
            try await store.run({ (box, context) async throws(BoxOfficeError) in
                try await box.execute(.unblockSeats(id, seats: list), context)
            }) { _ in "unblocked \(list.map(\.rawValue).joined(separator: ", "))" }
        }
    }
}
