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
    }

    public var subscribers: [any EventSubscriber] { [seats, holds, sales, customers, shows, feed] }

    /// The names `replay --projection` accepts.
    public static let projectionNames = ["availableSeats", "holds", "salesAnalytics", "customerHistory", "showQueue", "eventFeed"]

    public func register(on bus: EventBus) {
        for subscriber in subscribers { bus.add(subscriber) }
    }

    /// Customer history lives in its table (it grows with the history): read it from there.
    public func customerHistory() throws -> RowSet<CustomerHistory.Entry> {
        try RowSet.decode(storage.loadRows(of: customers.name).rows, EventCodec.makeDecoder())
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
