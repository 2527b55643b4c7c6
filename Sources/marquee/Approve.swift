import ArgumentParser
import Ticketing

extension Marquee {
    struct Approve: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a submitted show: it goes on sale.")
        static let done = "approved"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String

        func command(_ show: ShowID) -> Command { .approveShow(show) }
    }
}
