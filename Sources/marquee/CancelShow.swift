import ArgumentParser
import Ticketing

extension Marquee {
    struct CancelShow: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel-show", abstract: "Cancel a show; its sales are refunded and its holds released."
        )
        static let done = "cancelled"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: "Why, for the record (optional).") var reason: String?

        func command(_ show: ShowID) -> Command { .cancelShow(show, reason: reason) }
    }
}
