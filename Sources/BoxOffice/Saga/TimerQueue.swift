import EventStore
import Foundation

/// A min-heap of actions by due time: O(log n) to add and to take the earliest. Equal times
/// come out in the order they went in, so a seeded run is repeatable.
///
/// - Important: due times are kept to the millisecond, like every clock here, so a manual
///   clock set to a due time always reaches it.
public struct TimerQueue<Action> {
    private struct Entry {
        var due: Date
        var sequence: UInt64
        var action: Action

        func precedes(_ other: Entry) -> Bool { (due, sequence) < (other.due, other.sequence) }
    }

    private var heap: [Entry] = []
    private var sequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    public var nextDue: Date? { heap.first?.due }

    public mutating func schedule(_ action: Action, at due: Date) {
        sequence += 1
        heap.append(Entry(due: Timestamp.rounded(due), sequence: sequence, action: action))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the actions due at or before `now` (at most `limit`), earliest first.
    public mutating func takeDue(_ now: Date, limit: Int = .max) -> [(due: Date, action: Action)] {
        var due: [(Date, Action)] = []
        while due.count < limit, let first = heap.first, first.due <= now {
            due.append((first.due, first.action))
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
