import Foundation

/// Why the domain refused a command, worded for the operator who issued it.
public enum TicketingError: Error, Hashable, Sendable, CustomStringConvertible {
    case showNotFound(ShowID)
    /// Separation of duties: the operator who submitted a show may not approve it.
    case selfApproval(ShowID, submittedBy: String)
    case nothingToEdit(ShowID)
    case showAlreadyExists(ShowID)
    case invalidShowID(ShowID)
    case invalidShowName
    case invalidVenue(venue: String, problem: String)
    case reservationNotFound(ReservationID)
    case reservationAlreadyExists(ReservationID)
    case paymentNotFound(PaymentID)
    /// `subject` is e.g. `show grand-hall-sat`; `from` its state; `action` what was attempted.
    case invalidTransition(subject: String, from: String, action: String)
    case unknownSeats([SeatID], hint: String)
    case seatsUnavailable([SeatID])
    case insufficientSeats(requested: Int, available: Int)
    case notEnoughAdjacentSeats(requested: Int, section: String?)
    case unknownSection(String, sections: [String])
    case notOnSale(ShowID, status: String)
    case emptyReason
    case reasonTooLong(length: Int, maximum: Int)
    case invalidQuantity(Int)
    case invalidBlockCount(Int)
    case duplicateSeats([SeatID])
    case invalidCustomer(String)
    case holdNotDue(ReservationID, expiresAt: Date)
    case holdExpired(ReservationID, expiresAt: Date)
    case extensionRefused(ReservationID, why: String)
    case seatsNotBlocked([SeatID])
    case amountTooLarge(seats: Int)

    public static let maximumReasonLength = 500
    public static let maximumQuantity = 20
    /// The most seats one block or unblock command takes.
    public static let maximumBlock = 500

    public var description: String {
        switch self {
        case .showNotFound(let id):
            "no show \"\(id)\": check the id with `marquee shows`"
        case .showAlreadyExists(let id):
            "show \(id) already exists: pick another id"
        case .selfApproval(let id, let submitter):
            "show \(id) was submitted by \(submitter), and whoever submits a show cannot approve it: another operator approves it "
                + "(a one-person box office creates its store with --allow-self-approval)"
        case .nothingToEdit(let id):
            "nothing to change in show \(id): give a new name or start"
        case .invalidShowID(let id):
            "\"\(id)\" is not a valid show id: use 1–64 lowercase letters, digits and hyphens, like grand-hall-sat"
        case .invalidShowName:
            "a show needs a name of 1–120 characters"
        case .invalidVenue(let venue, let problem):
            "venue \(venue) is not usable: \(problem)"
        case .reservationNotFound(let id):
            "no reservation \"\(id)\": check the id with `marquee holds`"
        case .reservationAlreadyExists(let id):
            "reservation \(id) already exists"
        case .paymentNotFound(let id):
            "no payment \"\(id)\" has been requested"
        case .invalidTransition(let subject, let from, let action):
            "cannot \(action) \(subject): it is \(from)"
        case .unknownSeats(let seats, let hint):
            "unknown seat\(seats.count == 1 ? "" : "s") \(Self.list(seats)): \(hint)"
        case .seatsUnavailable(let seats):
            "seat\(seats.count == 1 ? "" : "s") \(Self.list(seats)) \(seats.count == 1 ? "is" : "are") not available: choose others"
        case .insufficientSeats(let requested, let available):
            "requested \(requested) seats but only \(available) are available"
        case .notEnoughAdjacentSeats(let requested, let section):
            "no \(requested) adjacent seats in one row\(section.map { " of \($0)" } ?? ""): try fewer seats, another section, or choose seats on the map"
        case .unknownSection(let name, let sections):
            "no section \"\(name)\": sections are \(sections.joined(separator: ", "))"
        case .notOnSale(let id, let status):
            "show \(id) is not on sale (it is \(status)): approve it first"
        case .emptyReason:
            "a reason is required: say why, in at most \(Self.maximumReasonLength) characters"
        case .reasonTooLong(let length, let maximum):
            "the reason is \(length) characters long: shorten it to at most \(maximum)"
        case .invalidQuantity(let quantity):
            "cannot reserve \(quantity) seats: choose 1 to \(Self.maximumQuantity)"
        case .invalidBlockCount(let count):
            "cannot block or unblock \(count) seats at once: list 1 to \(Self.maximumBlock) seats per command"
        case .duplicateSeats(let seats):
            "seat\(seats.count == 1 ? "" : "s") \(Self.list(seats)) listed more than once: list each seat once"
        case .invalidCustomer(let why):
            "customer name \(why): give 1–80 characters"
        case .holdNotDue(let id, let expiresAt):
            "hold \(id) is not due until \(expiresAt): it cannot expire early"
        case .holdExpired(let id, _):
            "hold \(id) has already expired: reserve again"
        case .extensionRefused(let id, let why):
            "cannot extend hold \(id): \(why)"
        case .amountTooLarge(let seats):
            "the price of \(seats) seat\(seats == 1 ? "" : "s") is too large to record: choose fewer seats, or correct the venue's prices (at most \(Money.maximumPriceMinor) minor units a seat)"
        case .seatsNotBlocked(let seats):
            "seat\(seats.count == 1 ? "" : "s") \(Self.list(seats)) \(seats.count == 1 ? "is" : "are") not blocked"
        }
    }

    private static func list(_ seats: [SeatID]) -> String {
        let shown = seats.prefix(6).map(\.rawValue).joined(separator: ", ")
        return seats.count > 6 ? shown + " and \(seats.count - 6) more" : shown
    }
}
