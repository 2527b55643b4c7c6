import Foundation
import Ticketing

/// Per customer: purchases, tickets, money spent, shows and favourite section (net of refunds).
/// Keyed `c:<name>` for customers and `r:<reservation>` for the reservations behind them.
public struct CustomerHistory: Sendable {
    public struct Customer: Codable, Sendable, Equatable {
        public var name: String
        public var purchases = 0
        public var tickets = 0
        public var spentMinor: Int64 = 0
        public var currency = ""
        public var showTickets: [String: Int] = [:]
        public var sectionTickets: [String: Int] = [:]

        public init(
            name: String, purchases: Int = 0, tickets: Int = 0, spentMinor: Int64 = 0, currency: String = "",
            showTickets: [String: Int] = [:], sectionTickets: [String: Int] = [:]
        ) {
            (self.name, self.purchases, self.tickets, self.spentMinor, self.currency) = (name, purchases, tickets, spentMinor, currency)
            (self.showTickets, self.sectionTickets) = (showTickets, sectionTickets)
        }

        public var shows: [String] { showTickets.filter { $0.value > 0 }.keys.sorted() }
        public var favouriteSection: String? {
            sectionTickets.filter { $0.value > 0 }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
    }

    public struct Reservation: Codable, Sendable, Equatable {
        public var customer: String
        public var showId: String
        public var confirmed = false

        public init(customer: String, showId: String, confirmed: Bool = false) {
            (self.customer, self.showId, self.confirmed) = (customer, showId, confirmed)
        }
    }

    public enum Entry: Codable, Sendable, Equatable {
        case customer(Customer)
        case reservation(Reservation)
    }

    public init() {}
}

extension RowSet where Row == CustomerHistory.Entry {
    public func customer(_ name: String) -> CustomerHistory.Customer? {
        if case .customer(let customer)? = rows["c:" + name] { return customer }
        return nil
    }

    /// The customers who spent most, highest first.
    public func topSpenders(_ limit: Int) -> [CustomerHistory.Customer] {
        let customers: [CustomerHistory.Customer] = rows.values.compactMap { if case .customer(let c) = $0 { c } else { nil } }
        return Array(customers.filter { $0.spentMinor > 0 }.sorted { ($0.spentMinor, $1.name) > ($1.spentMinor, $0.name) }.prefix(limit))
    }
}
