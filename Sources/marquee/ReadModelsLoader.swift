import BoxOffice
import ConsoleClient
import EventStore
import Foundation

extension StoreOptions {
    /// The read models as of the log's head: loaded from the store and caught up in memory,
    /// so the answer is exact even when no console or simulator has run lately. Writes nothing.
    func currentReadModels() throws -> (models: ReadModels, clock: StoreClock) {
        let events = try openForReading()
        let clock: StoreClock
        do { clock = try StoreClock.attach(events, speed: nil, record: false) } catch { throw failure(error) }
        let runtime = Runtime(store: events, clock: clock.clock, speed: clock.speed, dispatch: .synchronous, readOnly: true)
        do { try runtime.bus.start() } catch { throw failure("cannot read the store: \(error)") }
        runtime.bus.drain()
        return (runtime.read.snapshot(), clock)
    }
}
