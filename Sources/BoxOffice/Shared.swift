import Synchronization

/// A value shared by concurrent tasks, behind a lock (a class, so closures can capture it).
public final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    public init(_ initial: Value) { value = Mutex(initial) }
    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result { value.withLock { body(&$0) } }
}
