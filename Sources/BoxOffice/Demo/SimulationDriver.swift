import Foundation

/// Runs buyers and the saga as a discrete-event simulation on a manual clock: jump to the next
/// thing due, run it, let the bus and saga settle, repeat. Single-threaded with synchronous
/// dispatch, so one seed gives one log, byte for byte.
public struct SimulationDriver: Sendable {
    public let runtime: Runtime
    public let buyers: BuyerSimulator
    public let clock: ManualClock

    public init(runtime: Runtime, buyers: BuyerSimulator, clock: ManualClock) {
        self.runtime = runtime
        self.buyers = buyers
        self.clock = clock
    }

    /// Simulates until `limit` (simulated time); returns how many buyer actions ran.
    @discardableResult
    public func run(until limit: Date) async -> Int {
        var actions = 0
        await runtime.settle()
        while true {
            let next = [runtime.nextDue, buyers.nextDue].compactMap { $0 }.min()
            guard let next, next <= limit else { break }
            if next > clock.now() { clock.set(next) }
            actions += await buyers.runDue()
            await runtime.settle()
        }
        if clock.now() < limit { clock.set(limit) }
        await runtime.settle()
        return actions
    }
}
