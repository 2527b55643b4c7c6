import Foundation
import Testing
import Ticketing

@Suite("Show lifecycle")
struct ShowLifecycleTests {
    let show = Fixture.show
    let by = Fixture.operatorName
    let now = Fixture.now

    @Test func givenNothing_whenCreateShow_thenShowCreatedAndInventoryInitialized() throws {
        let events = try Given([]).when(.createShow(show, name: "  Friday Club Night ", venue: Fixture.venue, startsAt: now))
        #expect(events == [
            Decided(.show(show), .showCreated(ShowCreated(
                showId: show, name: "Friday Club Night", venueId: "test-club", venueName: "Test Club",
                startsAt: now, capacity: 20, by: by, at: now
            ))),
            Decided(.inventory(show), .inventoryInitialized(InventoryInitialized(
                showId: show, venue: Fixture.venue, capacity: 20, by: by, at: now
            ))),
        ])
    }

    @Test func givenCreatedShow_whenCreateAgain_thenAlreadyExists() {
        #expect(Given(Fixture.created()).refusal(.createShow(show, name: "Again", venue: Fixture.venue, startsAt: now))
            == .showAlreadyExists(show))
    }

    @Test(arguments: ["", "Has Capitals", "-leading", "trailing-", "spaces here", String(repeating: "a", count: 65)])
    func givenNothing_whenCreateWithBadSlug_thenInvalidShowID(_ slug: String) {
        #expect(Given([]).refusal(.createShow(ShowID(slug), name: "X", venue: Fixture.venue, startsAt: now)) == .invalidShowID(ShowID(slug)))
    }

    @Test func givenNothing_whenCreateWithoutName_thenInvalidName() {
        #expect(Given([]).refusal(.createShow(show, name: "   ", venue: Fixture.venue, startsAt: now)) == .invalidShowName)
    }

    @Test func givenNothing_whenCreateWithBrokenVenue_thenInvalidVenueNamesTheProblem() {
        var venue = Fixture.venue
        venue.sections[0].rows[0].tier = "gold"
        guard case .invalidVenue(_, let problem) = Given([]).refusal(.createShow(show, name: "X", venue: venue, startsAt: now)) else {
            Issue.record("expected invalidVenue")
            return
        }
        #expect(problem.contains("gold"))
    }

    @Test func givenDraft_whenSubmit_thenShowSubmitted() throws {
        #expect(try Given(Fixture.created()).when(.submitShow(show)) == [
            Decided(.show(show), .showSubmitted(ShowSubmitted(showId: show, by: by, at: now))),
        ])
    }

    /// A draft's name and start can change; only what changed is recorded; a submitted show
    /// (or later) is refused, as is an edit that changes nothing or a bad name.
    @Test func givenDraft_whenEdited_thenOnlyTheChangesAreRecordedAndLaterStatesRefuse() throws {
        let later = now.addingTimeInterval(3_600)
        #expect(try Given(Fixture.created()).when(.editShow(show, name: "  Club Friday Late ", startsAt: later)) == [
            Decided(.show(show), .showEdited(ShowEdited(showId: show, name: "Club Friday Late", startsAt: later, by: by, at: now))),
        ])
        let created = Given(Fixture.created())
        let name = try #require(created.streams[.show(show)]?.show?.name)
        #expect(try created.when(.editShow(show, name: name, startsAt: later)) == [
            Decided(.show(show), .showEdited(ShowEdited(showId: show, name: nil, startsAt: later, by: by, at: now))),
        ])
        #expect(created.refusal(.editShow(show, name: name, startsAt: nil)) == .nothingToEdit(show))
        #expect(created.refusal(.editShow(show, name: "   ", startsAt: nil)) == .invalidShowName)
        #expect(Given(Fixture.submitted()).refusal(.editShow(show, name: "X", startsAt: nil)) == .invalidTransition(subject: "show club-fri", from: "submitted", action: "edit"))
        #expect(Given(Fixture.onSale()).refusal(.editShow(show, name: "X", startsAt: nil)) != nil)
        var state = created.streams[.show(show)]?.show
        state = ShowState.evolve(state, .showEdited(ShowEdited(showId: show, name: "New", startsAt: later, by: by, at: now)))
        #expect(state?.name == "New" && state?.startsAt == later && state?.status == .draft)
    }

    @Test func givenSubmitted_whenAnotherOperatorApproves_thenShowApproved() throws {
        #expect(try Given(Fixture.submitted()).when(.approveShow(show), by: "bo") == [
            Decided(.show(show), .showApproved(ShowApproved(showId: show, by: "bo", at: now))),
        ])
    }

    /// Separation of duties: whoever submitted a show cannot approve it, unless the store was
    /// created to allow it; after a reopen, the operator who submits it again is the one who counts.
    @Test func givenSubmitted_whenTheSubmitterApproves_thenRefusedUnlessTheStoreAllowsIt() throws {
        #expect(Given(Fixture.submitted()).refusal(.approveShow(show), by: by) == .selfApproval(show, submittedBy: by))
        #expect(TicketingError.selfApproval(show, submittedBy: by).description.contains("--allow-self-approval"))
        #expect(try Given(Fixture.submitted()).when(.approveShow(show), by: by, policy: Policy(allowsSelfApproval: true)) == [
            Decided(.show(show), .showApproved(ShowApproved(showId: show, by: by, at: now))),
        ])
        let resubmitted = Fixture.submitted() + [
            Decided(.show(show), .showRejected(ShowRejected(showId: show, reason: "price", by: "bo", at: now))),
            Decided(.show(show), .showReopened(ShowReopened(showId: show, by: by, at: now))),
            Decided(.show(show), .showSubmitted(ShowSubmitted(showId: show, by: "cy", at: now))),
        ]
        #expect(try Given(resubmitted).when(.approveShow(show), by: by).count == 1)
        #expect(Given(resubmitted).refusal(.approveShow(show), by: "cy") == .selfApproval(show, submittedBy: "cy"))
    }

    @Test func givenSubmitted_whenRejectWithReason_thenShowRejectedWithTrimmedReason() throws {
        #expect(try Given(Fixture.submitted()).when(.rejectShow(show, reason: "  Wrong date \n")) == [
            Decided(.show(show), .showRejected(ShowRejected(showId: show, reason: "Wrong date", by: by, at: now))),
        ])
    }

    @Test(arguments: ["", "   ", "\n\t"])
    func givenSubmitted_whenRejectWithEmptyReason_thenEmptyReason(_ reason: String) {
        #expect(Given(Fixture.submitted()).refusal(.rejectShow(show, reason: reason)) == .emptyReason)
    }

    @Test func givenSubmitted_whenRejectWithLongReason_thenReasonTooLong() {
        let ok = String(repeating: "x", count: 500)
        #expect(Given(Fixture.submitted()).refusal(.rejectShow(show, reason: ok)) == nil)
        #expect(Given(Fixture.submitted()).refusal(.rejectShow(show, reason: ok + "y")) == .reasonTooLong(length: 501, maximum: 500))
        #expect(Given(Fixture.submitted()).refusal(.rejectShow(show, reason: String(repeating: "z", count: 10_000)))
            == .reasonTooLong(length: 10_000, maximum: 500))
    }

    @Test func givenRejected_whenReopen_thenDraftAgainAndResubmittable() throws {
        let rejected = Fixture.submitted() + [Decided(.show(show), .showRejected(ShowRejected(showId: show, reason: "No", by: by, at: now)))]
        let reopened = try Given(rejected).when(.reopenShow(show))
        #expect(reopened == [Decided(.show(show), .showReopened(ShowReopened(showId: show, by: by, at: now)))])
        let given = Given(rejected + reopened)
        #expect(given.show?.status == .draft)
        #expect(given.refusal(.submitShow(show)) == nil)
    }

    @Test func givenOnSale_whenCloseSales_thenSalesClosed() throws {
        #expect(try Given(Fixture.onSale()).when(.closeSales(show)) == [
            Decided(.show(show), .salesClosed(SalesClosed(showId: show, by: by, at: now))),
        ])
    }

    @Test func givenAnyLiveState_whenCancel_thenShowCancelledWithNullableReason() throws {
        for history in [Fixture.created(), Fixture.submitted(), Fixture.onSale()] {
            #expect(try Given(history).when(.cancelShow(show, reason: nil)) == [
                Decided(.show(show), .showCancelled(ShowCancelled(showId: show, reason: nil, by: by, at: now))),
            ])
        }
        let cancelled = Fixture.onSale() + [Decided(.show(show), .showCancelled(ShowCancelled(showId: show, reason: nil, by: by, at: now)))]
        #expect(Given(cancelled).refusal(.cancelShow(show, reason: "again"))
            == .invalidTransition(subject: "show club-fri", from: "cancelled", action: "cancel"))
    }

    @Test func givenWrongStates_whenLifecycleCommands_thenInvalidTransitionNamesFromState() {
        #expect(Given(Fixture.created()).refusal(.approveShow(show)) == .invalidTransition(subject: "show club-fri", from: "draft", action: "approve"))
        #expect(Given(Fixture.onSale()).refusal(.approveShow(show)) == .invalidTransition(subject: "show club-fri", from: "approved", action: "approve"))
        #expect(Given(Fixture.created()).refusal(.rejectShow(show, reason: "x")) == .invalidTransition(subject: "show club-fri", from: "draft", action: "reject"))
        #expect(Given(Fixture.submitted()).refusal(.submitShow(show)) == .invalidTransition(subject: "show club-fri", from: "submitted", action: "submit"))
        #expect(Given(Fixture.onSale()).refusal(.reopenShow(show)) == .invalidTransition(subject: "show club-fri", from: "approved", action: "reopen"))
        #expect(Given(Fixture.submitted()).refusal(.closeSales(show)) == .invalidTransition(subject: "show club-fri", from: "submitted", action: "close sales for"))
    }

    @Test func givenNothing_whenAnyShowCommand_thenShowNotFound() {
        for command: Command in [.submitShow(show), .approveShow(show), .rejectShow(show, reason: "x"), .reopenShow(show), .closeSales(show), .cancelShow(show, reason: nil)] {
            #expect(Given([]).refusal(command) == .showNotFound(show))
        }
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(TicketingError.notOnSale(show, status: "draft").description == "show club-fri is not on sale (it is draft): approve it first")
        #expect(TicketingError.emptyReason.description.contains("reason is required"))
    }
}
