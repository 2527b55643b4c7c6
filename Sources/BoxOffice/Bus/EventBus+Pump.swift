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
            }
            problem = nil
        } catch {
            problem = error.description
            return false
        }
        adoptExternalResolutions()
        while true {
            let now = clock.now()
            let ready = slots.filter { $0.isReady(now) && ($0.checkpoint < head || $0.uncommitted != nil) }
            guard let from = ready.map(\.checkpoint).min() else { return advanced }
            guard let batch = try? store.readAll(after: from, limit: batchSize) else { return advanced }
            var progressed = false
            for slot in ready where feed(slot, batch, now) { progressed = true }
            advanced = advanced || progressed
            if !progressed || batch.isEmpty { return advanced }
        }
    }

    /// Feeds one subscriber its part of a batch; returns whether its checkpoint moved.
    private func feed(_ slot: Slot, _ batch: [RecordedEvent], _ now: Date) -> Bool {
        let start = slot.checkpoint
        var handled = slot.uncommitted ?? slot.checkpoint
        var failure: (RecordedEvent, any Error)?
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
        if handled > slot.checkpoint {
            do {
                try slot.subscriber.commit(through: handled)
                slot.checkpoint = handled
                slot.uncommitted = nil
                if slot.attempts > 0, failure == nil { recovered(slot) }
            } catch {
                slot.uncommitted = handled
                failed(slot, position: handled, type: "(commit)", error: error, now)
                return false
            }
        }
        if let (event, error) = failure { failed(slot, position: event.position, type: event.type, error: error, now) }
        return slot.checkpoint > start
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
