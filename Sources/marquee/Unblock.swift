import ArgumentParser
import Ticketing

extension Marquee {
    struct Unblock: SeatListCommand {
        static let configuration = CommandConfiguration(commandName: "unblock", abstract: "Put blocked seats back on sale.")
        static let done = "unblocked"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: ArgumentHelp("Seats, comma-separated.", valueName: "Stalls-A-12,Stalls-A-13")) var seats: String

        func command(_ show: ShowID, _ seats: [SeatID]) -> Command { .unblockSeats(show, seats: seats) }
    }
}
