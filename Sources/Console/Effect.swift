import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Work the reducer asks for; the app runs it and feeds the outcome back as an action.
public enum Effect: Hashable, Sendable {
    /// A domain command; `done` is the status-line text on success.
    case command(Ticketing.Command, done: String)
    case reserve(ShowID, seats: [SeatID], customer: String)
    case best(ShowID, quantity: Int, section: String?, customer: String)
    case retryFailure(id: Int64, subscriber: String)
    case skipFailure(id: Int64, subscriber: String)
    /// Load every event that touched a seat (its history), for the details dialog.
    case seatHistory(ShowID, SeatID)
    /// Load one event's full payload, for the details dialog.
    case eventDetails(position: Int64)
    /// Fold a closed show's seat map from its inventory (its read model keeps only counts).
    case loadSeatMap(ShowID)
    /// Read closed shows' rows that the read models left in their tables.
    case loadHistory
    /// Search the orders (screen 4).
    case loadOrders(OrderQuery)
    /// Read one customer's history and orders, for the details dialog.
    case loadCustomer(String)
    /// Read the sagas in flight (screen 5).
    case loadSagas
    /// Load a venue by name or path, for the new-show form.
    case loadVenue(String)
    /// Draw with another theme from `Themes/` (`:theme NAME`).
    case useTheme(String)
    case quit
}

/// Something that happened: a key, new read models, the clock, a command's outcome, a resize.
public enum Action: Sendable, Equatable {
    case key(Key)
    /// New read models; `notices` are the bus's retries, failures and skips, shown in the feed.
    case modelsUpdated(ReadModels, head: Int64, lag: Int64, failures: [SubscriberFailure], notices: [BusNotice] = [], health: BusHealth = BusHealth())
    case tick(Date)
    /// A command, reservation or best-available request (`effect`) and how it ended.
    case commandFinished(Effect, CommandOutcome)
    /// A retry or skip of a failure, and the record it closed.
    case failureResolved(FailureAction, Result<SubscriberFailure, ClientError>)
    case resized(width: Int, height: Int)
    case detailsLoaded(title: String, lines: [String])
    case seatHistoryLoaded(SeatID, Result<SeatProvenance, ClientError>)
    case eventLoaded(position: Int64, Result<EventDetails, ClientError>)
    case seatMapLoaded(ShowID, [AvailableSeats.Section])
    case historyLoaded(HistoryModels)
    case ordersLoaded(OrderQuery, Result<OrderSearch, ClientError>)
    case customerLoaded(String, Result<CustomerRecord?, ClientError>)
    case venueLoaded(String, Result<Venue, ClientError>)
    case sagasLoaded(Result<SagaBoard, ClientError>)
    /// A theme was loaded and put to use, or could not be (the error says why).
    case themeApplied(String, error: String?)
}
