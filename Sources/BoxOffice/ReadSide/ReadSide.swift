import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// Every read model of the box office, run as bus subscribers; `snapshot()` hands the console
/// one immutable, `Sendable` value to draw from without touching SQL.
public final class ReadSide: Sendable {
    public let seats: ProjectionRunner<AvailableSeats>
    public let holds: ProjectionRunner<Holds>
    public let sales: ProjectionRunner<SalesAnalytics>
    public let customers: ProjectionRunner<CustomerHistory>
    public let shows: ProjectionRunner<ShowQueue>
    public let feed: ProjectionRunner<EventFeed>
    public let orders: ProjectionRunner<Orders>

    /// With `persists` false (read-only), read models are kept current in memory only.
    private let storage: any ReadModelStore

    /// With `leavingHistory` (a console), closed shows' sections and sales stay in their tables
    /// when the store opens: `history()` reads them when a screen draws them.
    public init(storage: any ReadModelStore, feedLimit: Int = 500, persists: Bool = true, leavingHistory: Bool = false) {
        self.storage = storage
        seats = ProjectionRunner(AvailableSeats(), storage: storage, persists: persists, leavingHistory: leavingHistory)
        holds = ProjectionRunner(Holds(), storage: storage, persists: persists)
        sales = ProjectionRunner(SalesAnalytics(), storage: storage, persists: persists, leavingHistory: leavingHistory)
        customers = ProjectionRunner(CustomerHistory(), storage: storage, persists: persists)
        shows = ProjectionRunner(ShowQueue(), storage: storage, persists: persists)
        feed = ProjectionRunner(EventFeed(limit: feedLimit), storage: storage, persists: persists)
        orders = ProjectionRunner(Orders(), storage: storage, persists: persists)
    }

    public var subscribers: [any EventSubscriber] { [seats, holds, sales, customers, shows, feed, orders] }

    /// The names `replay --projection` accepts.
    public static let projectionNames = ["availableSeats", "holds", "salesAnalytics", "customerHistory", "showQueue", "eventFeed", "orders"]

    public func register(on bus: EventBus) {
        for subscriber in subscribers { bus.add(subscriber) }
    }

    /// Customer history lives in its table (it grows with the history): read it from there.
    public func customerHistory() throws -> RowSet<CustomerHistory.Entry> {
        try RowSet.decode(storage.loadRows(of: customers.name).rows, EventCodec.makeDecoder())
    }

    /// A model that lives in its table, as of the log's head: its stored rows, with the events
    /// past their checkpoint folded in memory (a read-only process, or one whose bus has not
    /// committed them yet, still answers exactly). Writes nothing.
    public static func current<P: Projection>(_ projection: P, in storage: any ReadModelStore) throws -> (rows: RowSet<P.Row>, position: Int64) {
        let stored = try storage.loadRows(of: projection.name)
        var rows = try RowSet<P.Row>.decode(stored.rows, EventCodec.makeDecoder())
        let codec = EventCodec()
        var after = stored.checkpoint
        while true {
            let batch = try storage.readAll(after: after, limit: 1_000)
            guard let last = batch.last else { break }
            for recorded in batch { projection.apply(try codec.decode(recorded), recorded, to: &rows) }
            after = last.position
        }
        return (rows, after)
    }

    /// Orders matching a query, newest first, as of the log's head.
    public static func orders(_ query: OrderQuery, in storage: any ReadModelStore) throws -> OrderSearch {
        let started = DispatchTime.now().uptimeNanoseconds
        let (rows, position) = try current(Orders(), in: storage)
        var search = OrderSearch.select(rows.rows.values, query, position: position)
        search.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return search
    }

    /// One customer's history and orders, as of the log's head; nil when the name has no order.
    public static func customer(_ name: String, in storage: any ReadModelStore) throws -> CustomerRecord? {
        let orders = try Self.orders(OrderQuery(customer: name, limit: .max), in: storage)
        guard !orders.orders.isEmpty else { return nil }
        let history = try current(CustomerHistory(), in: storage).rows.customer(name)
        return CustomerRecord(name: name, history: history ?? CustomerHistory.Customer(name: name), orders: orders.orders)
    }

    /// The rows the read models left in their tables (closed shows' sections and sales), as
    /// stored now: for screens that draw history. Empty when every row is in memory.
    public func history() throws -> HistoryModels {
        let decoder = EventCodec.makeDecoder()
        let seats = self.seats.snapshot.rows.history, sales = self.sales.snapshot.rows.history
        func rows<Row>(_ model: String, _ keys: Set<String>) throws -> RowSet<Row> {
            guard !keys.isEmpty else { return RowSet() }
            let stored = try storage.loadRows(of: model).rows.filter { keys.contains($0.key) }
            return try RowSet.decode(stored, decoder)
        }
        return HistoryModels(seats: try rows(self.seats.name, seats), sales: try rows(self.sales.name, sales))
    }

    public func snapshot() -> ReadModels {
        let seats = seats.snapshot, holds = holds.snapshot, sales = sales.snapshot
        let customers = customers.snapshot, shows = shows.snapshot, feed = feed.snapshot
        return ReadModels(
            seats: seats.rows, holds: holds.rows, sales: sales.rows, customers: customers.rows, shows: shows.rows,
            feed: feed.rows,
            position: [seats.position, holds.position, sales.position, customers.position, shows.position, feed.position].min() ?? 0
        )
    }
}
