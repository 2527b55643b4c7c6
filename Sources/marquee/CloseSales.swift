import ArgumentParser
import Ticketing

extension Marquee {
    struct CloseSales: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(commandName: "close-sales", abstract: "Stop selling an on-sale show.")
        static let done = "closed sales for"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String

        func command(_ show: ShowID) -> Command { .closeSales(show) }
    }
}
