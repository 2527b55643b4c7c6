import ConsoleClient
import Foundation
import Ticketing
import TerminalUI

/// Everything the console shows, in one value: the read models it was last handed, where the
/// operator is looking, and what they are typing. Only `reduce` changes it.
public struct AppState: Sendable, Equatable {
    public enum Screen: String, Sendable, CaseIterable { case dashboard, shows, failures, orders, sagas, help }
    public enum Focus: String, Sendable, CaseIterable { case seats, holds, feed }

    /// Where the seat cursor is: section, row within the section, seat index within the row.
    public struct SeatCursor: Hashable, Sendable {
        public var section = 0
        public var row = 0
        public var seat = 0

        public init(section: Int = 0, row: Int = 0, seat: Int = 0) {
            self.section = section
            self.row = row
            self.seat = seat
        }
    }

    /// A question the console is asking.
    public enum Dialog: Hashable, Sendable {
        case reject(show: ShowID, reason: TextInputState, error: String?)
        case reserve(show: ShowID, seats: [SeatID], customer: TextInputState, error: String?)
        case best(show: ShowID, quantity: TextInputState, section: TextInputState, customer: TextInputState, field: Int, error: String?)
        case cancelHold(reservation: ReservationID, summary: String)
        /// Closing sales cannot be undone, so it is confirmed like a cancellation.
        case closeSales(show: ShowID, name: String)
        case cancelShow(show: ShowID, typed: TextInputState, error: String?)
        case filter(TextInputState)
        case details(title: String, lines: [String])
        /// A draft's name, start and prices; `field` is the one being typed in (0 name, 1 start, 2 prices).
        case editShow(show: ShowID, name: TextInputState, starts: TextInputState, prices: TextInputState, field: Int, error: String?)
        /// Screen 4's search: a customer's name, a reservation id, a show or a seat.
        case searchOrders(TextInputState)
        /// Refunding a confirmed order cannot be undone, so the operator types `refund`.
        case refund(reservation: ReservationID, summary: String, typed: TextInputState, error: String?)
        /// The shows screen's `n`: a new show's id, name, venue, start and prices.
        case newShow(NewShowForm)
        /// The `:` prompt at the bottom of the screen.
        case palette(PaletteState)
    }

    /// The last outcome, shown in the status line.
    public struct Status: Hashable, Sendable {
        public var text: String
        public var isError: Bool

        public init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    public var screen: Screen = .dashboard
    public var focus: Focus = .seats
    public var models = ReadModels() { didSet { orderHolds() } }
    public var head: Int64 = 0
    public var lag: Int64 = 0
    public var failures: [SubscriberFailure] = []
    public var health = BusHealth()
    /// The bus's recent retries, failures and skips.
    public var notices: [BusNotice] = []
    public var now: Date
    public var timeZone: TimeZone
    public var speed: Double
    public var readOnly: Bool
    public var operatorName: String
    public var width = 120
    public var height = 40

    public var show: ShowID? { didSet { if show != oldValue { orderHolds() } } }
    /// The show the console chose itself (the busiest on sale); while `show` is still that one
    /// and the operator has pressed no key, the dashboard follows whichever show is busiest.
    public var autoShow: ShowID?
    public var cursor = SeatCursor()
    public var selection: Set<SeatID> = []
    public var holds = ListState()
    public var feed = ListState()
    public var shows = ListState()
    public var failureList = ListState()
    /// Screen 4: what the operator searched for, what the store answered (newest first), and
    /// the highlighted order.
    public var orderQuery = ""
    public var orderSearch: OrderSearch?
    public var orderList = ListState()
    public var loadingOrders = false
    /// Screen 5: the sagas in flight as last read, the highlighted lane, and when they were asked for.
    public var sagaBoard: SagaBoard?
    public var sagaList = ListState()
    public var loadingSagas = false
    public var sagasAskedAt: Date?

    /// When the orders were last asked for, on the store's clock: a busy store is asked again
    /// at most once a (real) second while the screen is on view.
    public var ordersAskedAt: Date?
    public var helpScroll = 0
    public var following = true
    public var feedFilter = ""
    public var dialog: Dialog?
    /// How far the details dialog is scrolled (↑ ↓ PgUp PgDn).
    public var detailsScroll = 0
    /// Palette lines entered, oldest first (↑ recalls them).
    public var paletteHistory: [String] = []
    /// The themes `:theme` offers, and the one in use.
    public var themeNames: [String] = []
    public var themeName = "default"
    /// The venues the new-show form offers by name (a path works too).
    public var venueNames: [String] = []
    public var status: Status?
    public var quit = false

    public init(now: Date, timeZone: TimeZone = .current, speed: Double = 1, readOnly: Bool = false, operatorName: String) {
        self.now = now
        self.timeZone = timeZone
        self.speed = speed
        self.readOnly = readOnly
        self.operatorName = operatorName
    }

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    // MARK: - Derived views

    /// Shows in display order: the approval queue first, then by start time.
    public var orderedShows: [ShowQueue.Show] { models.shows.all }

    public var currentShow: ShowQueue.Show? { show.flatMap { models.shows[$0.rawValue] } }

    public var sections: [AvailableSeats.Section] {
        guard let show else { return [] }
        let live = models.seats.sections(of: show)
        return Self.current(loadedMaps[show], live) ?? live
    }

    /// Seat maps of closed shows, folded from their inventories on demand (their read-model
    /// sections keep only counts), and the one being loaded.
    public var loadedMaps: [ShowID: [AvailableSeats.Section]] = [:]
    public var loadingMap: ShowID?

    /// Closed shows' sections and sales, which a console leaves in their tables when it opens
    /// the store: read when a screen draws a closed show, and again each time the shows screen
    /// opens. Nil until read.
    public var history: HistoryModels?
    public var loadingHistory = false

    /// Whether a screen on view draws a closed show whose rows have not been read yet.
    var needsHistory: Bool {
        guard history == nil, !loadingHistory, !models.seats.historyShows.isEmpty else { return false }
        return screen == .shows || show.map(isHistory) == true
    }

    /// Screen 4 is on view and its rows are missing or behind the log: asked again at most once
    /// a second, and no sooner than ten times the last search took (a store of a million events
    /// takes about 1.4 s to search, which must not keep a core busy while the screen is open).
    var needsOrders: Bool {
        guard screen == .orders, !loadingOrders else { return false }
        guard let search = orderSearch else { return true }
        guard search.position < head else { return false }
        let wait = max(1, 10 * search.seconds) * max(speed, 1)
        return ordersAskedAt.map { now.timeIntervalSince($0) >= wait || now < $0 } ?? true
    }

    /// Screen 5 is on view and its lanes are missing or behind the log (as for screen 4).
    var needsSagas: Bool {
        guard screen == .sagas, !loadingSagas else { return false }
        guard let board = sagaBoard else { return true }
        // Lanes age with the clock (a payment becomes stuck with no new event): read again every
        // few seconds even when the log stands still.
        let wait = max(1, 10 * board.seconds) * max(speed, 1)
        let asked = sagasAskedAt.map { now.timeIntervalSince($0) } ?? .infinity
        return asked >= (board.position < head ? wait : max(wait, 5 * max(speed, 1))) || asked < 0
    }

    public var highlightedLane: SagaLane? {
        guard let lanes = sagaBoard?.lanes, !lanes.isEmpty else { return nil }
        let index = sagaList.selected ?? 0
        return lanes.indices.contains(index) ? lanes[index] : nil
    }

    public var highlightedOrder: Orders.Order? {
        guard let orders = orderSearch?.orders, !orders.isEmpty else { return nil }
        let index = orderList.selected ?? 0
        return orders.indices.contains(index) ? orders[index] : nil
    }

    /// Whether the show's rows were left in their tables (a show closed before the console opened).
    public func isHistory(_ show: ShowID) -> Bool { models.seats.historyShows.contains(show.rawValue) }

    /// A show's seat totals: live, or for a closed show as stored (nil until read).
    public func totals(_ show: ShowID) -> (capacity: Int, available: Int, held: Int, sold: Int, blocked: Int)? {
        guard isHistory(show) else { return models.seats.totals(show) }
        return history?.seats.totals(show)
    }

    /// A show's sales: live, or for a closed show as stored (nil until read).
    public func sales(_ show: ShowID) -> SalesAnalytics.ShowSales? {
        models.sales[show.rawValue] ?? history?.sales[show.rawValue]
    }

    /// A loaded map, while its counts still agree with the live ones (else it is outdated). A
    /// closed show left in the table has no live sections: its loaded map stands.
    static func current(_ loaded: [AvailableSeats.Section]?, _ live: [AvailableSeats.Section]) -> [AvailableSeats.Section]? {
        guard let loaded else { return nil }
        if live.isEmpty { return loaded }
        guard loaded.count == live.count else { return nil }
        let agree = zip(loaded, live).allSatisfy { ($0.held, $0.sold, $0.blocked) == ($1.held, $1.sold, $1.blocked) }
        return agree ? loaded : nil
    }

    /// The selected show needs its map loaded: its sections keep only counts and no current map is in hand.
    var needsSeatMap: ShowID? {
        guard let show, loadingMap != show else { return nil }
        let live = models.seats.sections(of: show)
        guard isHistory(show) || live.contains(where: { $0.countsOnly == true }), Self.current(loadedMaps[show], live) == nil else { return nil }
        return show
    }

    /// The seat under the cursor, if the show has seats.
    public var cursorSeat: SeatID? {
        let sections = self.sections
        guard sections.indices.contains(cursor.section) else { return nil }
        let section = sections[cursor.section]
        guard section.rows.indices.contains(cursor.row) else { return nil }
        let row = section.rows[cursor.row]
        guard cursor.seat >= 0, cursor.seat < row.seats else { return nil }
        return SeatID(section: section.name, row: row.label, number: cursor.seat + 1)
    }

    /// The show's active holds, soonest expiry first. Ordered when the read models or the show
    /// change, not on every frame or key: a frame only advances the clock, and a rush holds
    /// thousands where the panel shows a dozen.
    public private(set) var visibleHolds: [Holds.Hold] = []

    private mutating func orderHolds() { visibleHolds = show.map { models.holds.byExpiry(show: $0) } ?? [] }

    /// How many of the show's holds expire within `seconds` of now (a binary search of the order).
    public func holdsExpiring(within seconds: TimeInterval) -> Int {
        let limit = now.addingTimeInterval(seconds)
        var low = 0, high = visibleHolds.count
        while low < high {
            let middle = (low + high) / 2
            if visibleHolds[middle].expiresAt <= limit { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public var visibleFeed: [EventFeed.Entry] { models.feed.newestFirst(matching: feedFilter) }

    public var highlightedHold: Holds.Hold? {
        let holds = visibleHolds
        guard let index = self.holds.selected, holds.indices.contains(index) else { return holds.first }
        return holds[index]
    }

    /// The show a lifecycle key acts on: the highlighted row on the shows screen, else the dashboard's show.
    public var targetShow: ShowQueue.Show? {
        if screen == .shows {
            let all = orderedShows
            let index = shows.selected ?? 0
            return all.indices.contains(index) ? all[index] : nil
        }
        return currentShow
    }

    /// The show the dashboard opens on: the busiest on sale (most seats taken), else the first.
    public static func busiestOnSale(_ models: ReadModels) -> ShowID? {
        let onSale = models.shows.all.filter { $0.status == .approved }
        // Most seats taken; before anything sells, the largest house.
        let busiest = onSale.max { a, b in
            let ta = models.seats.totals(a.id), tb = models.seats.totals(b.id)
            return (ta.held + ta.sold, a.capacity, b.id) < (tb.held + tb.sold, b.capacity, a.id)
        }
        return (busiest ?? models.shows.all.first).map(\.id)
    }
}
