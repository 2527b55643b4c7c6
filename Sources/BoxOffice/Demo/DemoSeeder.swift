import Foundation
import Ticketing

/// Creates the demo shows in their starting states (on sale, waiting for approval, draft).
/// Every step has a fixed command id, so simulators started together seed each show once.
public enum DemoSeeder {
    public static let actor = "demo"
    /// Who approves the seeded shows: not the operator who submitted them (separation of duties).
    public static let approver = "demo-approver"

    /// Seeds the catalog's shows; returns how many were created now (0 when already seeded).
    @discardableResult
    public static func seed(_ catalog: DemoCatalog, into box: BoxOffice, venueOverride: String? = nil) async throws -> Int {
        var created = 0
        let now = box.clock.now()
        for plan in try catalog.shows() {
            let venue = try catalog.venue(venueOverride ?? plan.venue)
            let show = ShowID(plan.id)
            let startsAt = now.addingTimeInterval(plan.startsInDays * 86_400)
            func run(_ command: Command, _ step: String, by: String = actor) async throws -> Bool {
                let context = CommandContext(actor: by, commandId: "seed-\(plan.id)-\(step)", correlationId: "C-SEED-\(plan.id)")
                do throws(BoxOfficeError) {
                    return try await !box.execute(command, context).duplicate
                } catch {
                    // Another simulator got there first, or an operator already moved the show on.
                    if error.isRefusal { return false }
                    throw error
                }
            }
            if try await run(.createShow(show, name: plan.name, venue: venue, startsAt: startsAt), "create") { created += 1 }
            if plan.status == .submitted || plan.status == .approved { _ = try await run(.submitShow(show), "submit") }
            if plan.status == .approved { _ = try await run(.approveShow(show), "approve", by: approver) }
        }
        return created
    }
}
