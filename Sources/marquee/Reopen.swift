import ArgumentParser
import Ticketing

extension Marquee {
    struct Reopen: ShowLifecycleCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a rejected show as a draft to edit and resubmit.")
        static let done = "reopened"

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String

        func command(_ show: ShowID) -> Command { .reopenShow(show) }
    }
}
