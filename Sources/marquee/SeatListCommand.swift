import ArgumentParser
import BoxOffice
import Ticketing

/// A subcommand that takes a show and a list of seats.
protocol SeatListCommand: AsyncParsableCommand {
    var store: StoreOptions { get }
    var show: String { get }
    var seats: String { get }
    /// The past tense printed on success (`blocked`).
    static var done: String { get }
    func command(_ show: ShowID, _ seats: [SeatID]) -> Command
}

extension SeatListCommand {
    func validate() throws {
        if parseSeats(seats).isEmpty { throw ValidationError("--seats lists no seat ids; give e.g. --seats Stalls-A-12,Stalls-A-13") }
    }

    func run() async throws {
        let id = ShowID(show)
        let list = parseSeats(seats)
        try await store.run({ (box, context) async throws(BoxOfficeError) in
            try await box.execute(command(id, list), context)
        }) { _ in "\(Self.done) \(list.map(\.rawValue).joined(separator: ", "))" }
    }
}
