import Foundation

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

/// Closed shows' rows that a console left in their tables, read when a screen draws them.
public struct HistoryModels: Sendable, Equatable {
    public var seats: RowSet<AvailableSeats.Section>
    public var sales: RowSet<SalesAnalytics.ShowSales>

    public init(seats: RowSet<AvailableSeats.Section> = .init(), sales: RowSet<SalesAnalytics.ShowSales> = .init()) {
        self.seats = seats
        self.sales = sales
    }
}
