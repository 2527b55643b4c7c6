import EventStore
import Ticketing

/// The rules a store was created with, kept in its settings (`store_info`) beside its clock:
/// fixed when the store is created, the same for every process on it.
public enum StorePolicy {
    static let selfApprovalKey = "selfApproval"
    static let allowed = "allowed"

    /// The store's rules; a store that recorded none keeps every rule.
    public static func read(from store: any EventStore) -> Policy {
        Policy(allowsSelfApproval: (try? store.info(selfApprovalKey)) == allowed)
    }

    /// Records `policy` in a store that has no rules recorded yet, and returns the rules the
    /// store keeps: the ones it had, if any (they never change once written).
    @discardableResult
    public static func record(_ policy: Policy, in store: any EventStore) throws(EventStoreError) -> Policy {
        let kept = try store.setInfoIfAbsent(selfApprovalKey, policy.allowsSelfApproval ? allowed : "refused")
        return Policy(allowsSelfApproval: kept == allowed)
    }
}
