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

    public init(storage: any ReadModelStore, feedLimit: Int = 500) {
        seats = ProjectionRunner(AvailableSeats(), storage: storage)
        holds = ProjectionRunner(Holds(), storage: storage)
        sales = ProjectionRunner(SalesAnalytics(), storage: storage)
        customers = ProjectionRunner(CustomerHistory(), storage: storage)
        shows = ProjectionRunner(ShowQueue(), storage: storage)
        feed = ProjectionRunner(EventFeed(limit: feedLimit), storage: storage)
    }

    public var subscribers: [any EventSubscriber] { [seats, holds, sales, customers, shows, feed] }

    /// The names `replay --projection` accepts.
    public static let projectionNames = ["availableSeats", "holds", "salesAnalytics", "customerHistory", "showQueue", "eventFeed"]

    public func register(on bus: EventBus) {
        for subscriber in subscribers { bus.add(subscriber) }
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

/// One consistent-enough view of every read model: each as of its projection's last commit.
public struct ReadModels: Sendable, Equatable {
    public var seats: RowSet<AvailableSeats.Section>
    public var holds: RowSet<Holds.Hold>
    public var sales: RowSet<SalesAnalytics.ShowSales>
    public var customers: RowSet<CustomerHistory.Entry>
    public var shows: RowSet<ShowQueue.Show>
    public var feed: RowSet<EventFeed.Entry>
    /// The lowest position every read model has reached.
    public var position: Int64

    public init(
        seats: RowSet<AvailableSeats.Section> = .init(), holds: RowSet<Holds.Hold> = .init(),
        sales: RowSet<SalesAnalytics.ShowSales> = .init(), customers: RowSet<CustomerHistory.Entry> = .init(),
        shows: RowSet<ShowQueue.Show> = .init(), feed: RowSet<EventFeed.Entry> = .init(), position: Int64 = 0
    ) {
        self.seats = seats
        self.holds = holds
        self.sales = sales
        self.customers = customers
        self.shows = shows
        self.feed = feed
        self.position = position
    }
}
