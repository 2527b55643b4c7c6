import ArgumentParser
import Ticketing

extension Marquee {
    struct Reject: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a submitted show, with a reason.")
        static let done = "rejected"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: "Why (1–500 characters); the organiser sees it.") var reason: String

        func command(_ show: ShowID) -> Command { .rejectShow(show, reason: reason) }
    }
}
