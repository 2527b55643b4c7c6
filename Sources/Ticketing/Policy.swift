/// The rules a store was created with, beyond those every store keeps.
public struct Policy: Sendable, Hashable {
    /// Whether the operator who submitted a show may also approve it. Off unless the store was
    /// created for a one-person box office (`--allow-self-approval`, and every `demo` store).
    public var allowsSelfApproval: Bool

    public init(allowsSelfApproval: Bool = false) {
        self.allowsSelfApproval = allowsSelfApproval
    }
}
