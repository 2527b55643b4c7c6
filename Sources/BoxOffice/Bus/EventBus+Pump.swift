import EventStore
import Foundation

extension EventBus {
    /// One pass: feeds every ready subscriber the events after its checkpoint, in batches,
    /// until all have caught up or stopped. Returns whether any subscriber advanced.
    ///
    /// Listeners hear of every change a reader shows, not only of progress: a subscriber that
    /// stopped or backs off, a head that moved past a stuck subscriber, a store that cannot be read.
    @discardableResult
    func pump() -> Bool {
        pumpLock.lock()
        var advanced = false
        defer {
            if advanced { for slot in slots { slot.subscriber.caughtUp() } }
            let changed = publish()
            pumpLock.unlock()
            if advanced || changed { announce() }
        }
        do {
            head = try store.headPosition()
            let now = DispatchTime.now()
            if failuresReadAt.map({ now.uptimeNanoseconds - $0.uptimeNanoseconds >= UInt64(pollInterval * 1e9) }) ?? true {
                openFailures = try store.failures(includeResolved: false)
                failuresReadAt = now
                if try reloadIfReplaced() { advanced = true }
            }
            problem = nil
        } catch {
            problem = "\(error)"
            return false
        }
        adoptExternalResolutions()
        while true {
            let now = clock.now()
            let ready = slots.filter { $0.isReady(now) && ($0.checkpoint < head || $0.uncommitted != nil) }
            guard let from = ready.map(\.checkpoint).min() else { return advanced }
            guard let batch = try? nextBatch(after: from) else { return advanced }
            let progressed = feed(ready, batch, now)
            advanced = advanced || progressed
            if !progressed || batch.isEmpty { return advanced }
        }
    }

    /// When a rebuild swapped new rows in since the subscribers loaded theirs, each reloads
    /// (a console on the store then draws the rebuilt rows without a restart).
    /// Returns whether they did.
    private func reloadIfReplaced() throws -> Bool {
        let generation = try store.readModelGeneration()
        guard generation != readModelGeneration else { return false }
        for slot in slots { try slot.subscriber.reload() }
        readModelGeneration = generation
        return true
    }

    /// Up to `batchSize` events after `from`, each decoded once for every subscriber: this
    /// process's own commits as the writer handed them over, the rest read from the store.
    private func nextBatch(after from: Int64) throws(EventStoreError) -> [DeliveredEvent] {
        let own = handedOver(after: from)
        var batch: [DeliveredEvent] = []
        var cursor = from
        var index = own.startIndex
        while batch.count < batchSize, cursor < head {
            if index < own.endIndex, own[index].position <= cursor + 1 {
                if own[index].position == cursor + 1 {
                    batch.append(own[index])
                    cursor += 1
                }
                index += 1
                continue
            }
            // Another process's events, up to the next one of ours.
            let next = index < own.endIndex ? own[index].position : nil
            let limit = min(batchSize - batch.count, next.map { Int($0 - cursor - 1) } ?? batchSize)
            let read = try store.readAll(after: cursor, limit: limit).filter { event in next.map { event.position < $0 } ?? true }
            guard let last = read.last else {
                guard let next else { break }
                cursor = next - 1
                continue
            }
            for event in read { batch.append(DeliveredEvent(event, codec: codec)) }
            cursor = last.position
        }
        return batch
    }

    /// Feeds every ready subscriber its part of a batch, then commits what they all wrote in
    /// one transaction (each in a savepoint of its own, so one that fails holds none of the
    /// others back). Returns whether any checkpoint moved.
    private func feed(_ ready: [Slot], _ batch: [DeliveredEvent], _ now: Date) -> Bool {
        var handledUpTo: [(slot: Slot, handled: Int64, failure: (DeliveredEvent, any Error)?)] = []
        for slot in ready {
            var handled = slot.uncommitted ?? slot.checkpoint
            var failure: (DeliveredEvent, any Error)?
            for event in batch where event.position > handled {
                do {
                    try slot.subscriber.handle(event)
                    handled = event.position
                    if slot.attempts > 0 || slot.openFailure != nil { recovered(slot) }
                } catch {
                    failure = (event, error)
                    break
                }
            }
            handledUpTo.append((slot, handled, failure))
        }
        let committing = handledUpTo.filter { $0.handled > $0.slot.checkpoint }
        let parts = committing.map { ($0.slot, $0.handled, $0.slot.subscriber.commit(through: $0.handled)) }
        let written = parts.compactMap(\.2)
        var errors: [(any Error)?] = []
        if !written.isEmpty {
            do {
                errors = try store.commitTogether(written, ifGeneration: readModelGeneration)
            } catch .readModelsReplaced {
                // Folded onto rows a rebuild has since replaced: write nothing, reload the
                // rebuilt rows (each subscriber folds again what it handled since their
                // checkpoint) and commit at the next pass.
                for (slot, handled, _) in parts {
                    slot.subscriber.committed(through: handled, durable: false)
                    slot.uncommitted = handled
                }
                do {
                    _ = try reloadIfReplaced()
                } catch {
                    problem = "\(error)"
                }
                return false
            } catch {
                errors = written.map { _ in error }
            }
        }
        var progressed = false
        var outcomes = errors.makeIterator()
        var commitFailed: Set<ObjectIdentifier> = []
        for (slot, handled, part) in parts {
            let error = part == nil ? nil : (outcomes.next() ?? nil)
            slot.subscriber.committed(through: handled, durable: error == nil)
            if let error {
                slot.uncommitted = handled
                commitFailed.insert(ObjectIdentifier(slot))
                failed(slot, position: handled, type: "(commit)", error: error, now)
                continue
            }
            slot.checkpoint = handled
            slot.uncommitted = nil
            progressed = true
        }
        for (slot, _, failure) in handledUpTo where !commitFailed.contains(ObjectIdentifier(slot)) {
            if let (event, error) = failure {
                failed(slot, position: event.position, type: event.recorded.type, error: error, now)
            } else if slot.attempts > 0, committing.contains(where: { $0.slot === slot }) {
                recovered(slot)
            }
        }
        if progressed { dropHandedOver(upTo: slots.filter { $0.state == .running }.map(\.checkpoint).min() ?? head) }
        return progressed
    }

    private func recovered(_ slot: Slot) {
        slot.attempts = 0
        slot.failingPosition = 0
        if case .retrying = slot.state { slot.state = .running }
        if let failure = slot.openFailure {
            try? store.resolveFailure(id: failure, resolution: "retried", at: clock.now())
            slot.openFailure = nil
            failuresReadAt = nil
            note(slot.subscriber.name, "recovered after a retry")
        }
    }

    private func failed(_ slot: Slot, position: Int64, type: String, error: any Error, _ now: Date) {
        if slot.failingPosition != position || slot.attempts == 0 {
            slot.failingPosition = position
            slot.attempts = 0
            slot.firstAttemptAt = now
        }
        slot.attempts += 1
        let text = String(describing: error)
        if slot.attempts >= policy.maxAttempts {
            let record = FailureRecord(
                subscriber: slot.subscriber.name, position: position, eventType: type, error: text,
                attempts: slot.attempts, firstAttemptAt: slot.firstAttemptAt, lastAttemptAt: now
            )
            let saved: FailureRecord
            do {
                saved = try store.recordFailure(record)
            } catch {
                // Stopping without a record would leave nothing an operator could retry or
                // skip: keep trying (the store refuses writes now, e.g. a full disk) and say so.
                let next = Timestamp.rounded(now.addingTimeInterval(min(policy.delay(after: slot.attempts), Self.unrecordedRetryCap)))
                let why = "\(text); the failure could not be recorded either (\(error)), so it keeps retrying until the store takes writes again"
                slot.state = .retrying(attempt: slot.attempts, next: next, error: why)
                note(slot.subscriber.name, "attempt \(slot.attempts) at #\(position) failed: \(why)")
                return
            }
            slot.openFailure = saved.id
            failuresReadAt = nil
            slot.state = .stopped(position: position, failureId: saved.id, error: text)
            note(slot.subscriber.name, "stopped at #\(position) (\(type)) after \(slot.attempts) attempts: \(text)")
        } else {
            let next = Timestamp.rounded(now.addingTimeInterval(policy.delay(after: slot.attempts)))
            slot.state = .retrying(attempt: slot.attempts, next: next, error: text)
            note(slot.subscriber.name, "attempt \(slot.attempts) at #\(position) failed: \(text)")
        }
    }

    /// A failure an operator retried or skipped from another process (`marquee failures`):
    /// a skipped event is passed over, a retried one is tried again.
    private func adoptExternalResolutions() {
        let stopped = slots.filter { if case .stopped = $0.state { true } else { false } }
        guard !stopped.isEmpty, let all = try? store.failures(includeResolved: true) else { return }
        for slot in stopped {
            guard case .stopped(let position, let failureId, _) = slot.state,
                  let record = all.first(where: { $0.id == failureId }), record.resolvedAt != nil else { continue }
            if record.resolution == "skipped" {
                slot.subscriber.skipped(through: position)
                slot.checkpoint = max(slot.checkpoint, position)
                note(slot.subscriber.name, "skipped #\(position) by an operator elsewhere")
            } else {
                note(slot.subscriber.name, "retry of #\(position) requested elsewhere")
            }
            slot.state = .running
            slot.attempts = 0
            slot.openFailure = nil
            failuresReadAt = nil
        }
    }

    /// Lets a stopped (or backing-off) subscriber try its event again now.
    public func retry(_ subscriber: String) {
        pumpLock.withLock {
            for slot in slots where slot.subscriber.name == subscriber && slot.state != .running {
                slot.state = .running
                slot.attempts = 0
                note(subscriber, "retry requested at #\(slot.failingPosition)")
            }
            publish()
        }
        notify()
    }

    /// Moves a stopped subscriber past the event it failed on; the failure record is closed
    /// as skipped. Returns false when the subscriber is not stopped.
    @discardableResult
    public func skip(_ subscriber: String) throws(EventStoreError) -> Bool {
        pumpLock.lock()
        defer {
            publish()
            pumpLock.unlock()
            notify()
        }
        guard let slot = slots.first(where: { $0.subscriber.name == subscriber }),
              case .stopped(let position, let failureId, _) = slot.state else { return false }
        try store.skip(subscriber: subscriber, position: position, failureId: failureId, at: clock.now())
        slot.subscriber.skipped(through: position)
        slot.checkpoint = position
        slot.uncommitted = nil
        slot.state = .running
        slot.attempts = 0
        slot.openFailure = nil
        failuresReadAt = nil
        note(subscriber, "skipped #\(position)")
        return true
    }
}
