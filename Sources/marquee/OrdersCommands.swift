import ArgumentParser
import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Ticketing

extension Marquee {
    struct OrdersList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "orders",
            abstract: "List reservations in every state (held, paid, confirmed, cancelled, refunded, expired), newest first.",
            discussion: """
                With --json: an array of {reservationId, showId, customer, seats, amountMinor, currency, status, heldAt, \
                expiresAt, paidAt}; status is one of \(Orders.Status.allCases.map { $0.rawValue }.joined(separator: ", ")).
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this customer's orders (the exact name).") var customer: String?
        @Option(help: "Only this show's orders.") var show: String?
        @Option(help: "Only orders whose customer, reservation id, show or seat contains this text.") var matching = ""
        @Option(help: "At most this many (1–1000000).") var limit = 1_000
        @Flag(help: "Print JSON on standard output.") var json = false

        func validate() throws {
            guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit takes 1 to 1000000; \(limit) is outside") }
        }

        func run() async throws {
            let storage = try store.openForReading()
            let query = OrderQuery(text: matching, customer: customer, show: show.map { ShowID($0) }, limit: limit)
            let found: OrderSearch
            do { found = try ReadSide.orders(query, in: storage) } catch { throw failure("cannot read the orders: \(error)") }
            if json {
                Output.exact("[" + found.orders.map(OrderJSON.object).joined(separator: ",") + "]")
                return
            }
            if found.orders.isEmpty { Output.say("no orders" + (customer.map { " in the name \($0)" } ?? "") + (show.map { " for \($0)" } ?? "")) }
            for order in found.orders { Output.say(OrderJSON.line(order)) }
            if found.matched > found.orders.count { Output.say("… \(found.matched - found.orders.count) older not shown; raise --limit") }
        }
    }

    struct CustomerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "customer",
            abstract: "One customer's history: purchases, tickets, spend, shows, favourite section and every order.",
            discussion: """
                With --json: an object {customer, purchases, tickets, spendMinor, currency, shows, favouriteSection, orders}, \
                orders as `marquee orders --json` prints them. Exits 1 when the name has no order.
                """
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The customer's name, exactly as on the orders.") var name: String
        @Flag(help: "Print JSON on standard output.") var json = false

        func run() async throws {
            let storage = try store.openForReading()
            let record: CustomerRecord?
            do { record = try ReadSide.customer(name, in: storage) } catch { throw failure("cannot read the customer: \(error)") }
            guard let record else {
                Output.complain("no orders in the name \(name); `marquee orders --matching TEXT` finds names")
                throw ExitCode(1)
            }
            let history = record.history
            if json {
                Output.exact("{\"customer\":\(JSONText.quoted(record.name)),\"purchases\":\(history.purchases),\"tickets\":\(history.tickets),"
                    + "\"spendMinor\":\(history.spentMinor),\"currency\":\(JSONText.quoted(history.currency.isEmpty ? record.orders.first?.amount.currency : history.currency)),"
                    + "\"shows\":[\(history.shows.map(JSONText.quoted).joined(separator: ","))],\"favouriteSection\":\(JSONText.quoted(history.favouriteSection)),"
                    + "\"orders\":[\(record.orders.map(OrderJSON.object).joined(separator: ","))]}")
                return
            }
            Output.say(record.name)
            for line in record.summary { Output.say(line) }
            for order in record.orders { Output.say("  " + OrderJSON.line(order)) }
        }
    }
}

/// An order as `--json` prints it, and as a line for a person.
enum OrderJSON {
    static func object(_ order: Orders.Order) -> String {
        "{\"reservationId\":\(JSONText.quoted(order.reservationId.rawValue)),\"showId\":\(JSONText.quoted(order.showId.rawValue)),"
            + "\"customer\":\(JSONText.quoted(order.customer)),\"seats\":[\(order.seats.map { JSONText.quoted($0.rawValue) }.joined(separator: ","))],"
            + "\"amountMinor\":\(order.amount.minor),\"currency\":\(JSONText.quoted(order.amount.currency)),\"status\":\(JSONText.quoted(order.status.rawValue)),"
            + "\"heldAt\":\(JSONText.quoted(Timestamp.string(order.heldAt))),\"expiresAt\":\(JSONText.quoted(Timestamp.string(order.expiresAt))),"
            + "\"paidAt\":\(JSONText.quoted(order.paidAt.map(Timestamp.string)))}"
    }

    static func line(_ order: Orders.Order) -> String {
        "\(order.reservationId)  \(order.status.label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(order.showId)  "
            + "\(order.seats.map(\.rawValue).joined(separator: ","))  \(order.amount)  \(Timestamp.string(order.heldAt))  \(order.customer)"
    }
}
