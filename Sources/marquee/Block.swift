import ArgumentParser
import BoxOffice
import Ticketing

extension Marquee {
    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "block", abstract: "Take seats off sale (house seats, broken seats).")

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
                try await box.execute(.blockSeats(id, seats: list), context)
            }) { _ in "blocked \(list.map(\.rawValue).joined(separator: ", "))" }
        }
    }
}
