import Foundation
import Ticketing

/// Every reservation ever made, in whatever state it ended: who, which seats, how much, and
/// when it was held, due to expire and paid. Keyed by reservation id. It grows with the
/// history, so it lives in its table and is searched there (`marquee orders`, screen 4).
public struct Orders: Sendable {
    /// Where a reservation stands. Stored and printed by its raw value (contract).
    public enum Status: String, Codable, Sendable, CaseIterable {
        case requested, held, paid, confirmed, cancelled, refundPending, refunded, expired, compensated

        /// Words for a person.
        public var label: String {
            switch self {
            case .refundPending: "refunding"
            case .compensated: "payment failed"
            default: rawValue
            }
        }
    }

    public struct Order: Codable, Sendable, Equatable {
        public var reservationId: ReservationID
        public var showId: ShowID
        public var customer: String
        public var seats: [SeatID]
        /// Stored as `amountMinor` and `currency` (contract).
        public var amount: Money
        public var status: Status
        public var heldAt: Date
        public var expiresAt: Date
        public var paidAt: Date?

        public init(
            reservationId: ReservationID, showId: ShowID, customer: String, seats: [SeatID], amount: Money, status: Status,
            heldAt: Date, expiresAt: Date, paidAt: Date? = nil
        ) {
            (self.reservationId, self.showId, self.customer, self.seats, self.amount) = (reservationId, showId, customer, seats, amount)
            (self.status, self.heldAt, self.expiresAt, self.paidAt) = (status, heldAt, expiresAt, paidAt)
        }

        enum CodingKeys: String, CodingKey {
            case reservationId, showId, customer, seats, amountMinor, currency, status, heldAt, expiresAt, paidAt
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                reservationId: try c.decode(ReservationID.self, forKey: .reservationId), showId: try c.decode(ShowID.self, forKey: .showId),
                customer: try c.decode(String.self, forKey: .customer), seats: try c.decode([SeatID].self, forKey: .seats),
                amount: Money(minor: try c.decode(Int64.self, forKey: .amountMinor), currency: try c.decode(String.self, forKey: .currency)),
                status: try c.decode(Status.self, forKey: .status), heldAt: try c.decode(Date.self, forKey: .heldAt),
                expiresAt: try c.decode(Date.self, forKey: .expiresAt), paidAt: try c.decodeIfPresent(Date.self, forKey: .paidAt)
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reservationId, forKey: .reservationId)
            try c.encode(showId, forKey: .showId)
            try c.encode(customer, forKey: .customer)
            try c.encode(seats, forKey: .seats)
            try c.encode(amount.minor, forKey: .amountMinor)
            try c.encode(amount.currency, forKey: .currency)
            try c.encode(status, forKey: .status)
            try c.encode(heldAt, forKey: .heldAt)
            try c.encode(expiresAt, forKey: .expiresAt)
            // Never omitted: an unpaid order says so (contract: absent is null).
            try c.encode(paidAt, forKey: .paidAt)
        }

        /// Whether the order matches what an operator typed: part of the customer's name, the
        /// reservation id, the show or a seat (any case).
        public func matches(_ query: String) -> Bool {
            let query = query.trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty else { return true }
            func has(_ text: String) -> Bool { text.range(of: query, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
            return has(customer) || has(reservationId.rawValue) || has(showId.rawValue) || seats.contains { has($0.rawValue) }
        }

        /// Whether the console may refund it (a confirmed order: the saga refunds the payment
        /// and releases the seats).
        public var refundable: Bool { status == .confirmed }
    }

    public init() {}
}

/// What screen 4 and `marquee orders` ask for.
public struct OrderQuery: Sendable, Hashable {
    /// Part of a customer's name, a reservation id, a show or a seat; empty matches all.
    public var text: String
    /// Exactly this customer (the headless `--customer`).
    public var customer: String?
    public var show: ShowID?
    /// At most this many, newest first.
    public var limit: Int

    public init(text: String = "", customer: String? = nil, show: ShowID? = nil, limit: Int = 500) {
        (self.text, self.customer, self.show, self.limit) = (text, customer, show, limit)
    }

    public func matches(_ order: Orders.Order) -> Bool {
        (customer == nil || order.customer == customer) && (show == nil || order.showId == show) && order.matches(text)
    }
}

/// The orders a query found, newest first, and how many matched in all.
public struct OrderSearch: Sendable, Equatable {
    public var orders: [Orders.Order]
    public var matched: Int
    /// The position the rows reflect.
    public var position: Int64
    /// How long the search took (wall seconds): a screen asks again no sooner than ten times that.
    public var seconds: Double = 0

    public init(orders: [Orders.Order] = [], matched: Int = 0, position: Int64 = 0, seconds: Double = 0) {
        (self.orders, self.matched, self.position, self.seconds) = (orders, matched, position, seconds)
    }

    /// Every matching order newest first (held latest first, then by id), at most `query.limit`.
    public static func select(_ all: some Sequence<Orders.Order>, _ query: OrderQuery, position: Int64) -> OrderSearch {
        let found = all.filter(query.matches).sorted { ($0.heldAt, $0.reservationId) > ($1.heldAt, $1.reservationId) }
        return OrderSearch(orders: Array(found.prefix(max(query.limit, 0))), matched: found.count, position: position)
    }
}

/// A customer as screen 4's details and `marquee customer` show them: the customer-history
/// read model's totals and every order in the name, newest first.
public struct CustomerRecord: Sendable, Equatable {
    public var name: String
    public var history: CustomerHistory.Customer
    public var orders: [Orders.Order]

    public init(name: String, history: CustomerHistory.Customer, orders: [Orders.Order]) {
        (self.name, self.history, self.orders) = (name, history, orders)
    }

    /// The totals in lines for a person (paid orders net of refunds); the orders follow them.
    public var summary: [String] {
        let spent = Money(minor: history.spentMinor, currency: history.currency.isEmpty ? orders.first?.amount.currency ?? "" : history.currency)
        return [
            "\(history.purchases) purchase\(history.purchases == 1 ? "" : "s") · \(history.tickets) ticket\(history.tickets == 1 ? "" : "s") · spent \(spent)",
            "shows: " + (history.shows.isEmpty ? "none paid" : history.shows.joined(separator: ", ")),
            "favourite section: " + (history.favouriteSection ?? "none yet"),
            "\(orders.count) order\(orders.count == 1 ? "" : "s"), newest first:",
        ]
    }
}
