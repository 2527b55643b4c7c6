import ConsoleClient
import EventStore
import Foundation
import Synchronization
import Ticketing

/// Everything a long-running Marquee process runs on one store: the command writer, the event
/// bus with every read model, and the reservation saga with its hold timers.
public final class Runtime: Sendable {
    public let store: any ReadModelStore
    public let clock: any TimeSource
    public let box: BoxOffice
    public let bus: EventBus
    public let read: ReadSide
    /// Nil for read-only processes, which run no saga and no timers.
    public let saga: ReservationSaga?
    public let speed: Double

    /// Every subscriber a runtime runs: the read models, then the saga.
    public static let subscriberNames = ReadSide.projectionNames + ["sagaLedger"]

    public init(
        store: any ReadModelStore, clock: any TimeSource, speed: Double = 1, ids: any IdentifierSource = RandomIdentifiers(),
        gateway: any PaymentGateway = SimulatedGateway(), dispatch: EventBus.Dispatch = .asynchronous,
        options: BoxOffice.Options = BoxOffice.Options(), readOnly: Bool = false, feedLimit: Int = 500,
        leavingHistory: Bool = false
    ) {
        self.store = store
        self.clock = clock
        self.speed = speed
        box = BoxOffice(store: store, clock: clock, ids: ids, options: options)
        bus = EventBus(store: store, clock: clock, dispatch: dispatch)
        read = ReadSide(storage: store, feedLimit: feedLimit, persists: !readOnly, leavingHistory: leavingHistory)
        saga = readOnly ? nil : ReservationSaga(box: box, gateway: gateway, storage: store)
        read.register(on: bus)
        if let saga { bus.add(saga) }
        let bus = bus
        box.onCommit { bus.offer($0) }
    }

    private let sagaStarted = Mutex(false)
    /// How long a shutdown waits, at most, for the saga's steps already due.
    static let finishingDueSteps: TimeInterval = 5

    /// Loads every subscriber and, for asynchronous dispatch, starts the bus and (unless
    /// `startingSaga` is false, when `startSaga()` does it later) the saga's thread. Holds that
    /// fell due while nothing ran are expired as soon as the saga runs.
    public func start(startingSaga: Bool = true) throws {
        try bus.start()
        if startingSaga { startSaga() }
    }

    /// Starts the saga's thread, once; later calls do nothing. The console calls it when its
    /// first frame is out: on a store left with thousands of holds past due, their expiry
    /// (a command each, loading its show's inventory) would otherwise share the two cores with
    /// the first frame and double its time (1,000,000-event store: 85 ms against 43 ms).
    public func startSaga() {
        guard bus.dispatch == .asynchronous, let saga, sagaStarted.withLock({ started in
            defer { started = true }
            return !started
        }) else { return }
        saga.runContinuously(speed: speed)
    }

    /// Deterministic mode: drains the bus and runs due saga steps until nothing moves.
    public func settle() async {
        while true {
            bus.drain()
            guard let saga, await saga.runDue() > 0 else { return }
        }
    }

    /// Lets queued commands finish, lets the saga finish the steps already due (a refund that
    /// lands in the last moments still gets its `ReservationRefunded`; steps due later wait for
    /// the next process, as they would anyway), drains every subscriber, and stops the threads.
    public func shutdown() {
        if let saga, sagaStarted.withLock({ $0 }) {
            // Each pass hands the saga what was just committed; the steps that follow from it
            // are due at once. Bounded: a store whose commands keep failing does not hold a quit.
            let deadline = Date().addingTimeInterval(Self.finishingDueSteps)
            while Date() < deadline {
                box.waitUntilIdle()
                _ = bus.drain(timeout: max(deadline.timeIntervalSinceNow, 0))
                guard saga.hasWorkDue(at: clock.now()) else { break }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        saga?.stop()
        box.waitUntilIdle()
        bus.drain()
        bus.stop()
        box.close()
    }

    /// The earliest time something is scheduled (a hold deadline, a payment settling).
    public var nextDue: Date? { saga?.pending.nextDue }
}
