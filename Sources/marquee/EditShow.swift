import ArgumentParser
import BoxOffice
import Foundation
import Ticketing

extension Marquee {
    struct EditShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit-show",
            abstract: "Change a draft show's name, start or prices (refused once it is submitted: reopen a rejected show first).",
            discussion: "Example: marquee edit-show grand-hall-xmas --name \"Christmas Gala (late)\" --starts 2026-12-24T21:30 --price stalls=49.50"
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-xmas.") var show: String
        @Option(help: "The new name (1–120 characters).") var name: String?
        @Option(help: ArgumentHelp("The new start, in local time: 2026-12-24T20:00 (seconds and a zone such as Z or +01:00 may follow).", valueName: "time"))
        var starts: String?
        @Option(name: .customLong("price"), help: ArgumentHelp(
            "A price tier's new price in the venue's currency: TIER=AMOUNT, e.g. stalls=45.50. Repeat it for several tiers.", valueName: "tier=amount"
        )) var prices: [String] = []

        func validate() throws {
            guard name != nil || starts != nil || !prices.isEmpty else { throw ValidationError("give --name, --starts or --price: what to change") }
            for price in prices { _ = try PriceOverride(price) }
            if let starts, ShowStart.parse(starts) == nil {
                throw ValidationError("--starts \(starts) is not a time: write it as 2026-12-24T20:00 (local time), optionally with seconds and a zone (Z, +01:00)")
            }
        }

        func run() async throws {
            let startsAt = starts.flatMap { ShowStart.parse($0) }
            let box = try store.openForWriting()
            defer { box.close() }
            if let startsAt, startsAt <= box.clock.now() {
                throw failure("--starts \(starts ?? "") has passed (the store's clock reads \(ShowStart.shown(box.clock.now()))): give a time to come")
            }
            let id = ShowID(show)
            do throws(BoxOfficeError) {
                var byTier: [String: Int64] = [:]
                for text in prices { let price = try? PriceOverride(text); if let price { byTier[price.tier] = price.minor } }
                let result = try await box.execute(.editShow(id, name: name, startsAt: startsAt, prices: byTier), CommandContext(actor: store.actor))
                var changes: [String] = []
                for event in result.events {
                    if case .showEdited(let edited) = event {
                        if let name = edited.name { changes.append("name \"\(name)\"") }
                        if let startsAt = edited.startsAt { changes.append("starts \(ShowStart.shown(startsAt))") }
                    }
                    if case .tierPricesChanged(let repriced) = event {
                        changes.append("prices " + repriced.prices.map { PriceText.written(tier: $0.tier, minor: $0.priceMinor) }.joined(separator: " "))
                    }
                }
                Output.say(result.duplicate ? "already done" : "edited \(id): \(changes.joined(separator: ", ")) (#\(result.positions.last ?? 0))")
            } catch {
                Output.complain(error.description)
                throw ExitCode(error.isRefusal ? 1 : 2)
            }
        }
    }
}
