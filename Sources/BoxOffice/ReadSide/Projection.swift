import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// A read model as a pure fold: each event changes some rows. Its rows live in the
/// `rm_<name>` table and commit together with its checkpoint.
///
/// - Important: `apply` must be deterministic and depend only on the rows and the event, so
///   every process folding the log gets the same rows, and a rebuild equals the live model.
public protocol Projection: Sendable {
    associatedtype Row: Codable & Sendable & Equatable
    /// The read model's name: its subscriber name and (in snake case) its table.
    var name: String { get }
    func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Row>)
    /// How many of the latest events decide the model, when only a window of them does (a
    /// feed of the last N); nil when every event may. A rebuild folds only that window.
    var window: Int64? { get }
    /// Whether the model lives in its table instead of memory: for models that grow with the
    /// history and that no screen draws from, so that opening a store does not grow with it.
    /// Each commit folds the new events into the stored rows inside one transaction.
    var livesInStore: Bool { get }
    /// Rows a console leaves in the table when it opens the store (history its first frame
    /// does not draw); nil when every row is loaded. Events that reach them are folded into
    /// the stored rows at commit, as for a model that lives in its table.
    var history: HistoryRows? { get }
}

extension Projection {
    public var window: Int64? { nil }
    public var livesInStore: Bool { false }
    public var history: HistoryRows? { nil }
}

/// Where a projection's read model comes from when it is opened.
public typealias ReadModelStore = EventStore & ReadModelStorage
