import ArgumentParser
import BoxOffice
import Ticketing

extension Marquee {
    struct Reserve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold seats for a customer: chosen seats (--seats) or the best N together (--best).",
            discussion: "The hold lasts 5 minutes unless paid; the reservation id is printed."
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-sat.") var show: String
        @Option(help: ArgumentHelp("Seats to hold, comma-separated.", valueName: "Stalls-A-12,Stalls-A-13")) var seats: String?
        @Option(help: "Hold the best N adjacent seats (1–20).") var best: Int?
        @Option(help: "With --best: only this section.") var section: String?
        @Option(help: "The customer's name.") var customer: String

        func validate() throws {
            switch (seats, best) {
            case (nil, nil): throw ValidationError("say which seats: --seats Stalls-A-12,Stalls-A-13 or --best N")
            case (.some, .some): throw ValidationError("use either --seats or --best, not both")
            case (.some(let list), nil) where parseSeats(list).isEmpty: throw ValidationError("--seats lists no seat ids")
            case (nil, .some) where section != nil && section?.isEmpty == true: throw ValidationError("--section is empty")
            default: break
            }
            if seats != nil, section != nil { throw ValidationError("--section goes with --best only") }
        }

        func run() async throws {
            let id = ShowID(show)
            try await store.run({ (box, context) async throws(BoxOfficeError) in
                if let best {
                    return try await box.reserveBestAvailable(id, quantity: best, section: section, customer: customer, context)
                }
                return try await box.reserveSeats(id, seats: parseSeats(seats ?? ""), customer: customer, context)
            }) { result in
                for case .reservationHeld(let held) in result.events {
                    return "\(held.reservationId) holds \(held.seats.map(\.rawValue).joined(separator: ", ")) until \(clockTime(held.expiresAt))"
                }
                return "reserved (#\(result.positions.last ?? 0))"
            }
        }
    }
}
