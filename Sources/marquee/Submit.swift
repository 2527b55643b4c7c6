import ArgumentParser
import Ticketing

extension Marquee {
    struct Submit: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit a draft show for approval.")
        static let done = "submitted"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String

        func command(_ show: ShowID) -> Command { .submitShow(show) }
    }
}
