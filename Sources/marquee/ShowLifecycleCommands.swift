import ArgumentParser
import BoxOffice
import Ticketing

/// One show-lifecycle subcommand: a show id in, one event out.
protocol ShowLifecycleCommand: AsyncParsableCommand {
    var store: StoreOptions { get }
    var show: String { get }
    /// The past tense printed on success (`approved`).
    static var done: String { get }
    func command(_ show: ShowID) -> Command
}

extension ShowLifecycleCommand {
    func run() async throws {
        let id = ShowID(show)
        try await store.run({ (box, context) async throws(BoxOfficeError) in try await box.execute(command(id), context) }) { result in
            "\(Self.done) \(id) (#\(result.positions.last ?? 0))"
        }
    }
}
