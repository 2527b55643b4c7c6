import EventStore
import Faults
import Foundation
import Ticketing

extension CommandWriter {
    /// What one pass over a batch decided: an answer per command, and the head it leaves.
    struct Pass {
        var answers: [(Pending, Result<CommandResult, BoxOfficeError>)] = []
        var head: Int64
        /// The events appended, as recorded and already decoded, for the bus.
        var appended: [DeliveredEvent] = []
    }

    /// Decides and commits one batch in one write transaction, then answers every command.
    ///
    /// Deciding inside the store's write lock means no other process can write between what a
    /// command read and what it appends: a command is accepted or refused for a domain reason,
    /// never turned away because someone else got there first.
    func process(_ batch: [Pending]) {
        if policy == nil { policy = StorePolicy.read(from: store) }
        var answers: [(Pending, Result<CommandResult, BoxOfficeError>)] = []
        var appended: [DeliveredEvent] = []
        for attempt in 1...3 {
            var abandoned: Pass?
            do throws(EventStoreError) {
                let pass = try store.transaction { transaction throws(EventStoreError) in
                    let pass = try decide(batch, in: transaction)
                    batchesCommitted += 1
                    if faults.contains(.acknowledgeWithoutCommit), batchesCommitted % 10 == 0 {
                        // The defect: the batch's commands are answered "done" and nothing is written.
                        abandoned = pass
                        throw Self.acknowledgedWithoutCommit
                    }
                    return pass
                }
                knownHead = pass.head
                (answers, appended) = (pass.answers, pass.appended)
            } catch {
                // Nothing of the batch is in the store; what the cache staged is not either.
                loader.forgetAll()
                knownHead = nil
                if case .wrongExpectedVersion = error, attempt < 3 {
                    // A stream moved that the head check did not reveal (the cache was wrong):
                    // the next attempt loads everything afresh.
                    continue
                }
                if let abandoned, error == Self.acknowledgedWithoutCommit {
                    answers = abandoned.answers.map { pending, result in (pending, result.map { CommandResult(positions: [], events: $0.events, duplicate: $0.duplicate, correlationId: $0.correlationId) }) }
                    break
                }
                let failure: BoxOfficeError = if case .wrongExpectedVersion(let stream, _, _) = error {
                    .concurrencyConflict(stream: stream, attempts: attempt)
                } else {
                    .store(error)
                }
                answers = batch.map { ($0, .failure(failure)) }
            }
            break
        }
        if !appended.isEmpty {
            for observer in commitObservers.withLock({ $0 }) { observer(appended) }
        }
        for (pending, result) in answers { pending.reply(result) }
    }

    /// Inside the transaction: learns from one look at the head whether another process wrote
    /// since this one last committed, forgets the streams it moved, then decides and appends
    /// each command against the state the previous ones left.
    private func decide(_ batch: [Pending], in transaction: any EventStoreTransaction) throws(EventStoreError) -> Pass {
        let head = try transaction.headPosition()
        if head != knownHead, !faults.contains(.skipVersionCheck) {
            if let knownHead {
                let moved = try transaction.streams(writtenAfter: knownHead)
                do throws(BoxOfficeError) {
                    try loader.refresh(streamsNamed: moved, from: transaction)
                } catch {
                    if case .store(let failure) = error { throw failure }
                    // An event that cannot be decoded: forget everything; the commands that
                    // need that stream are told when they load it.
                    loader.forgetAll()
                }
            } else {
                loader.forgetAll()
            }
        }
        var pass = Pass(head: head)
        // Retried commands, looked up for the whole batch at once; a command id twice in one
        // batch is recorded by the first and answered as a duplicate for the second.
        var recorded = try transaction.recordedCommands(batch.compactMap(\.context.commandId))
        // The streams the batch will load first, in one look where the store can (a server).
        let wanted = loader.uncached(batch.flatMap { $0.command.reads(given: Aggregates()) })
        if !wanted.isEmpty { try transaction.prefetch(streams: wanted.map(\.name)) }
        for pending in batch {
            if let commandId = pending.context.commandId, let earlier = recorded[commandId] {
                pass.answers.append((pending, .success(CommandResult(positions: earlier, events: [], duplicate: true, correlationId: ""))))
                continue
            }
            let result = try run(pending, in: transaction, delivering: &pass.appended)
            if case .success(let done) = result, let last = done.positions.last { pass.head = last }
            if case .success(let done) = result, let commandId = pending.context.commandId { recorded[commandId] = done.positions }
            pass.answers.append((pending, result))
        }
        return pass
    }

    /// Decides one command and appends its events; a store failure aborts the transaction.
    private func run(
        _ original: Pending, in transaction: any EventStoreTransaction, delivering delivered: inout [DeliveredEvent]
    ) throws(EventStoreError) -> Result<CommandResult, BoxOfficeError> {
        var pending = original
        while true {
            let read: ReadSet
            do throws(BoxOfficeError) {
                read = try ReadSet.load(for: pending.command) { ref throws(BoxOfficeError) in
                    let loaded = try loader.load(ref, from: transaction)
                    return (loaded.version, loaded.state)
                }
            } catch {
                if case .store(let failure) = error { throw failure }
                return .failure(error)
            }
            let decided: [Decided]
            do throws(TicketingError) {
                decided = try pending.command.decide(given: read.state, by: pending.context.actor, now: clock.now(), policy: policy ?? Policy())
            } catch {
                if case .reservationAlreadyExists = error, pending.generatedReservation, pending.attempts < Self.reservationIdAttempts {
                    // The drawn id was taken already: draw another and decide again.
                    pending.command = pending.command.withReservation(ids.reservationID())
                    pending.attempts += 1
                    continue
                }
                return .failure(.refused(error))
            }
            let correlationId = pending.context.correlationId ?? ids.correlationID()
            var metadata = EventMetadata(
                correlationId: correlationId, causationId: pending.context.causationId,
                actor: pending.context.actor, commandId: pending.context.commandId
            )
            if faults.contains(.dropAccountability) { metadata = EventMetadata(commandId: pending.context.commandId) }
            let writes: [StreamWrite]
            do {
                writes = try read.writes(decided, metadata: metadata, codec: codec)
            } catch {
                return .failure(.store(.storage("cannot encode an event: \(error)")))
            }
            let request = AppendRequest(writes: writes, commandId: pending.context.commandId, recordedAt: clock.now())
            let positions = try transaction.append(request)
            let recordedAt = Timestamp.rounded(request.recordedAt)
            var next = positions.makeIterator()
            // `writes` follows `read.order`, and each write's events follow the decided order.
            for (ref, write) in zip(read.order, writes) {
                let before = AggregateLoader.Loaded(version: read.versions[ref] ?? 0, state: read.state)
                var after = before
                for (item, new) in zip(decided.lazy.filter { $0.stream == ref }, write.events) {
                    after.state.apply(item.event, on: ref)
                    after.version += 1
                    guard let position = next.next() else { break }
                    delivered.append(DeliveredEvent(RecordedEvent(
                        position: position, streamId: write.stream, streamVersion: after.version, type: new.type,
                        schemaVersion: new.schemaVersion, payload: new.payload, metadata: new.metadata, recordedAt: recordedAt
                    ), decoded: .success(item.event)))
                }
                loader.remember(ref, after)
                try loader.snapshotIfDue(ref, from: before.version, to: after, in: transaction)
            }
            return .success(CommandResult(positions: positions, events: decided.map(\.event), duplicate: false, correlationId: correlationId))
        }
    }

    /// Thrown to roll back a batch under the `acknowledgeWithoutCommit` fault.
    static let acknowledgedWithoutCommit = EventStoreError.storage("rolled back by the acknowledgeWithoutCommit fault")
    /// How often a drawn reservation id that clashes is replaced before the clash is reported.
    static let reservationIdAttempts = 3
}

extension Command {
    /// The same reservation command with another reservation id (after an id clash).
    func withReservation(_ id: ReservationID) -> Command {
        switch self {
        case .reserveSeats(let show, let seats, let customer, _, let holdFor):
            .reserveSeats(show, seats: seats, customer: customer, reservation: id, holdFor: holdFor)
        case .reserveBestAvailable(let show, let quantity, let section, let customer, _, let holdFor):
            .reserveBestAvailable(show, quantity: quantity, section: section, customer: customer, reservation: id, holdFor: holdFor)
        default:
            self
        }
    }
}
