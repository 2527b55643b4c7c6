import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import TerminalUI
import Ticketing

extension Marquee {
    struct Shows: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every show with its status, seat counts and revenue (the approval queue first).",
            discussion: "With --json: an array of {id, name, status, capacity, available, held, sold, blocked, revenueMinor, currency}."
        )

        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON on standard output.") var json = false

        func run() async throws {
            let models = try store.currentReadModels().models
            var objects: [String] = []
            for show in models.shows.all {
                let totals = models.seats.totals(show.id)
                let sales = models.sales[show.id.rawValue]
                if json {
                    objects.append("{\"id\":\(JSONText.quoted(show.id.rawValue)),\"name\":\(JSONText.quoted(show.name)),\"status\":\(JSONText.quoted(show.status.rawValue)),"
                        + "\"capacity\":\(totals.capacity),\"available\":\(totals.available),\"held\":\(totals.held),\"sold\":\(totals.sold),"
                        + "\"blocked\":\(totals.blocked),\"revenueMinor\":\(sales?.revenueMinor ?? 0),\"currency\":\(JSONText.quoted(sales?.currency))}")
                } else {
                    let revenue = sales.map { Money(minor: $0.revenueMinor, currency: $0.currency).description } ?? "-"
                    Output.say("\(show.id.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)) \(show.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) "
                        + "free \(totals.available) · held \(totals.held) · sold \(totals.sold) · blocked \(totals.blocked) · \(revenue)  \(show.name)")
                }
            }
            if json { Output.exact("[" + objects.joined(separator: ",") + "]") } else if models.shows.isEmpty { Output.say("no shows yet") }
        }
    }

    struct HoldsList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "holds",
            abstract: "List active holds, soonest expiry first.",
            discussion: "With --json: an array of {reservationId, showId, customer, seats, amountMinor, currency, heldAt, expiresAt, secondsLeft}."
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this show.") var show: String?
        @Flag(help: "Print JSON on standard output.") var json = false

        func run() async throws {
            let (models, clock) = try store.currentReadModels()
            let now = clock.clock.now()
            let holds = models.holds.byExpiry(show: show.map { ShowID($0) })
            if json {
                let objects = holds.map { hold in
                    "{\"reservationId\":\(JSONText.quoted(hold.reservationId.rawValue)),\"showId\":\(JSONText.quoted(hold.showId.rawValue)),\"customer\":\(JSONText.quoted(hold.customer)),"
                        + "\"seats\":[\(hold.seats.map { JSONText.quoted($0.rawValue) }.joined(separator: ","))],\"amountMinor\":\(hold.amount.minor),\"currency\":\(JSONText.quoted(hold.amount.currency)),"
                        + "\"heldAt\":\(JSONText.quoted(Timestamp.string(hold.heldAt))),\"expiresAt\":\(JSONText.quoted(Timestamp.string(hold.expiresAt))),"
                        + "\"secondsLeft\":\(max(0, Int(hold.expiresAt.timeIntervalSince(now))))}"
                }
                Output.exact("[" + objects.joined(separator: ",") + "]")
                return
            }
            if holds.isEmpty { Output.say("no active holds") }
            for hold in holds {
                let left = max(0, Int(hold.expiresAt.timeIntervalSince(now)))
                Output.say("\(hold.reservationId)  \(hold.showId)  \(hold.seats.map(\.rawValue).joined(separator: ","))  \(hold.amount)  \(left / 60):\(String(format: "%02d", left % 60)) left  \(hold.customer)")
            }
        }
    }
}
