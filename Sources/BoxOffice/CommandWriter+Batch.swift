import EventStore
import Faults
import Foundation
import Ticketing

extension CommandWriter {
    private struct Unit {
        var pending: Pending
        var request: AppendRequest
        var events: [DomainEvent]
        var reads: [StreamRef]
        var correlationId: String
    }

    private struct Refusal {
        var pending: Pending
        var error: TicketingError
        var reads: [StreamRef: Int64]
    }

    /// Decides and commits one batch; returns the commands to run again (after a conflict).
    func process(_ batch: [Pending]) -> [Pending] {
        var overlay: [StreamRef: AggregateLoader.Loaded] = [:]
        var units: [Unit] = []
        var refusals: [Refusal] = []
        var retries: [Pending] = []

        for var pending in batch {
            if let commandId = pending.context.commandId, let earlier = recorded(commandId) {
                pending.reply(.success(CommandResult(positions: earlier, events: [], duplicate: true, correlationId: "")))
                continue
            }
            let read: ReadSet
            do throws(BoxOfficeError) {
                read = try ReadSet.load(for: pending.command) { ref throws(BoxOfficeError) in
                    if let staged = overlay[ref] { return (staged.version, staged.state) }
                    let loaded = try loader.load(ref)
                    return (loaded.version, loaded.state)
                }
            } catch {
                pending.reply(.failure(error))
                continue
            }
            let (state, versions, order) = (read.state, read.versions, read.order)
            let decided: [Decided]
            do throws(TicketingError) {
                decided = try pending.command.decide(given: state, by: pending.context.actor, now: clock.now())
            } catch {
                if case .reservationAlreadyExists = error, pending.generatedReservation, pending.attempts < maxRetries {
                    pending.command = pending.command.withReservation(ids.reservationID())
                    pending.attempts += 1
                    retries.append(pending)
                } else {
                    refusals.append(Refusal(pending: pending, error: error, reads: versions))
                }
                continue
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
                for ref in order {
                    var staged = overlay[ref] ?? AggregateLoader.Loaded(version: versions[ref] ?? 0, state: state)
                    for item in decided where item.stream == ref {
                        staged.state.apply(item.event, on: ref)
                        staged.version += 1
                    }
                    overlay[ref] = staged
                }
            } catch {
                pending.reply(.failure(.store(.storage("cannot encode an event: \(error)"))))
                continue
            }
            units.append(Unit(
                pending: pending,
                request: AppendRequest(writes: writes, commandId: pending.context.commandId, recordedAt: clock.now()),
                events: decided.map(\.event), reads: order, correlationId: correlationId
            ))
        }

        let stale = commit(units, overlay: overlay, retries: &retries)
        for refusal in refusals {
            answer(refusal, stale: stale, retries: &retries)
        }
        return retries
    }

    /// Commits the units and answers each; returns the streams whose cached state is now unknown.
    private func commit(
        _ units: [Unit], overlay: [StreamRef: AggregateLoader.Loaded], retries: inout [Pending]
    ) -> Set<StreamRef> {
        guard !units.isEmpty else { return [] }
        var stale = Set<StreamRef>()
        let results: [Result<AppendOutcome, EventStoreError>]
        do {
            batchesCommitted += 1
            if faults.contains(.acknowledgeWithoutCommit), batchesCommitted % 10 == 0 {
                // The defect: the batch's commands are answered "done" and nothing is written.
                results = units.map { _ in .success(.appended(positions: [])) }
            } else {
                results = try store.append(units.map(\.request))
            }
        } catch {
            results = units.map { _ in .failure(error) }
        }
        for (unit, result) in zip(units, results) {
            var pending = unit.pending
            switch result {
            case .success(.appended(let positions)):
                pending.reply(.success(CommandResult(
                    positions: positions, events: unit.events, duplicate: false, correlationId: unit.correlationId
                )))
            case .success(.duplicate(let positions)):
                stale.formUnion(unit.reads)
                pending.reply(.success(CommandResult(positions: positions, events: [], duplicate: true, correlationId: "")))
            case .failure(.wrongExpectedVersion(let stream, _, _)):
                stale.formUnion(unit.reads)
                if pending.attempts < maxRetries {
                    pending.attempts += 1
                    retries.append(pending)
                } else {
                    pending.reply(.failure(.concurrencyConflict(stream: stream, attempts: pending.attempts + 1)))
                }
            case .failure(let error):
                stale.formUnion(unit.reads)
                pending.reply(.failure(.store(error)))
            }
        }
        if results.contains(where: { if case .success(.appended(let positions)) = $0 { !positions.isEmpty } else { false } }) {
            for observer in commitObservers.withLock({ $0 }) { observer() }
        }
        for (ref, staged) in overlay {
            if stale.contains(ref) {
                loader.forget(ref)
            } else {
                let previous = (try? loader.load(ref).version) ?? 0
                loader.remember(ref, staged)
                loader.snapshotIfDue(ref, from: previous, to: staged)
            }
        }
        return stale
    }

    /// A refusal stands only if it was decided on current state: when a stream it read was
    /// stale (a neighbour failed, or another process wrote), the command is decided again.
    private func answer(_ refusal: Refusal, stale: Set<StreamRef>, retries: inout [Pending]) {
        var pending = refusal.pending
        var outdated = refusal.reads.keys.contains { stale.contains($0) }
        if !outdated {
            for (ref, version) in refusal.reads {
                guard let current = try? store.version(of: ref.name) else { continue }
                let cached = (try? loader.load(ref).version) ?? version
                if current != cached {
                    loader.forget(ref)
                    outdated = true
                }
            }
        }
        if outdated, pending.attempts < maxRetries {
            pending.attempts += 1
            retries.append(pending)
        } else {
            pending.reply(.failure(.refused(refusal.error)))
        }
    }

    private func recorded(_ commandId: String) -> [Int64]? {
        try? store.recordedCommand(commandId)
    }
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
