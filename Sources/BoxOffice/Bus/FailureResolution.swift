import EventStore
import Foundation

/// Retrying or skipping a subscriber's failure: the one implementation behind the console,
/// `marquee failures` and the bus. The record is closed in the store, where every process's bus
/// looks at each pass; the bus of this process, when given, acts at once.
public enum FailureResolution {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// No open failure has that id; `open` are the ids that are open.
        case notOpen(id: Int64, open: [Int64])
        case store(EventStoreError)

        public var description: String {
            switch self {
            case .notOpen(let id, let open):
                "no open failure \(id); \(open.isEmpty ? "there are no open failures" : "open failures: \(open.map(String.init).joined(separator: ", "))")"
            case .store(let error): error.description
            }
        }
    }

    /// Lets the subscriber try the failed event again; returns the record it closed.
    @discardableResult
    public static func retry(_ id: Int64, in store: any ReadModelStorage, at now: Date, bus: EventBus? = nil) throws(Failure) -> FailureRecord {
        let record = try open(id, in: store)
        do { try store.resolveFailure(id: id, resolution: "retried", at: now) } catch { throw .store(error) }
        bus?.retry(record.subscriber)
        return record
    }

    /// Moves the subscriber past the failed event (it is never applied); returns the record.
    @discardableResult
    public static func skip(_ id: Int64, in store: any ReadModelStorage, at now: Date, bus: EventBus? = nil) throws(Failure) -> FailureRecord {
        let record = try open(id, in: store)
        do {
            // This process's bus moves its own subscriber and closes the record; another
            // process's subscriber is moved in the store, and its bus sees it at its next pass.
            if try bus?.skip(record.subscriber) != true {
                try store.skip(subscriber: record.subscriber, position: record.position, failureId: id, at: now)
            }
        } catch {
            throw .store(error)
        }
        return record
    }

    private static func open(_ id: Int64, in store: any ReadModelStorage) throws(Failure) -> FailureRecord {
        let open: [FailureRecord]
        do { open = try store.failures(includeResolved: false) } catch { throw .store(error) }
        guard let record = open.first(where: { $0.id == id }) else { throw .notOpen(id: id, open: open.map(\.id)) }
        return record
    }
}
