import ArgumentParser
import Ticketing

extension Marquee {
    struct Block: SeatListCommand {
        static let configuration = CommandConfiguration(commandName: "block", abstract: "Take seats off sale (house seats, broken seats).")
        static let done = "blocked"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: ArgumentHelp("Seats, comma-separated.", valueName: "Stalls-A-12,Stalls-A-13")) var seats: String

        func command(_ show: ShowID, _ seats: [SeatID]) -> Command { .blockSeats(show, seats: seats) }
    }
}
