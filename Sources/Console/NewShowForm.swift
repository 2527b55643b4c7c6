import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// The new-show form: five fields, each checked when the operator leaves it and all of them on
/// Enter. The venue is read off the loop (it may be a file); its prices fill the last field.
public struct NewShowForm: Hashable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case id, name, venue, starts, prices

        public var label: String {
            switch self {
            case .id: "Id"
            case .name: "Name"
            case .venue: "Venue"
            case .starts: "Starts"
            case .prices: "Prices"
            }
        }
    }

    public var inputs: [TextInputState]
    public var field = Field.id
    /// The venue read for the venue field's text (nil until read), and that text.
    public var venue: Venue?
    public var venueFor: String?
    /// Create as soon as the venue has been read (Enter was pressed before it was).
    public var submitWhenRead = false
    public var errors: [Field: String] = [:]

    public init(starts: String) {
        inputs = [
            TextInputState("", limit: 64), TextInputState("", limit: 120), TextInputState("", limit: 200), TextInputState(starts, limit: 40),
            TextInputState("", limit: 200),
        ]
    }

    public subscript(field: Field) -> TextInputState {
        get { inputs[field.rawValue] }
        set { inputs[field.rawValue] = newValue }
    }

    public func text(_ field: Field) -> String { self[field].text.trimmingCharacters(in: .whitespaces) }

    /// Whether the venue in hand is the one the field names.
    var venueIsCurrent: Bool { venue != nil && venueFor == text(.venue) }
}

extension Reducer {
    static func newShow(_ state: inout AppState) -> [Effect] {
        state.dialog = .newShow(NewShowForm(starts: ShowStart.editable(state.now.addingTimeInterval(7 * 86_400), timeZone: state.timeZone)))
        return []
    }

    static func newShowKey(_ state: inout AppState, _ form: NewShowForm, _ key: Key) -> [Effect] {
        var form = form
        var effects: [Effect] = []
        let count = NewShowForm.Field.allCases.count
        switch key {
        case .tab, .down, .backTab, .up:
            let leaving = form.field
            form.errors[leaving] = check(leaving, form, state)
            effects += readVenue(leaving, &form)
            let step = (key == .tab || key == .down) ? 1 : count - 1
            form.field = NewShowForm.Field(rawValue: (form.field.rawValue + step) % count) ?? .id
        case .enter:
            return submit(form, &state)
        default:
            form[form.field].handle(key)
            form.errors[form.field] = nil
            if form.field == .venue { form.submitWhenRead = false }
        }
        state.dialog = .newShow(form)
        return effects
    }

    /// Leaving the venue field with a name not read yet: read it.
    private static func readVenue(_ leaving: NewShowForm.Field, _ form: inout NewShowForm) -> [Effect] {
        guard leaving == .venue, !form.text(.venue).isEmpty, form.venueFor != form.text(.venue) else { return [] }
        form.venue = nil
        form.venueFor = form.text(.venue)
        return [.loadVenue(form.text(.venue))]
    }

    static func venueLoaded(_ name: String, _ result: Result<Venue, ClientError>, _ state: inout AppState) -> [Effect] {
        guard case .newShow(var form)? = state.dialog, form.venueFor == name else { return [] }
        switch result {
        case .success(let venue):
            form.venue = venue
            form.errors[.venue] = nil
            // The venue's own prices, to keep or change.
            if form.text(.prices).isEmpty { form[.prices] = TextInputState(PriceText.written(venue), limit: 200) }
        case .failure(let error):
            (form.venue, form.venueFor, form.submitWhenRead) = (nil, nil, false)
            form.errors[.venue] = error.message
            form.field = .venue
        }
        state.dialog = .newShow(form)
        return form.submitWhenRead && form.venue != nil ? submit(form, &state) : []
    }

    /// What is wrong with a field, or nil.
    static func check(_ field: NewShowForm.Field, _ form: NewShowForm, _ state: AppState) -> String? {
        let text = form.text(field)
        switch field {
        case .id:
            let id = ShowID(text)
            guard id.isValidSlug else { return TicketingError.invalidShowID(id).description }
            guard !state.orderedShows.contains(where: { $0.id == id }) else { return "there is a show \(id) already; choose another id" }
        case .name:
            guard (1...120).contains(text.count) else { return TicketingError.invalidShowName.description }
        case .venue:
            guard !text.isEmpty else {
                let names = state.venueNames.isEmpty ? "" : " (\(state.venueNames.joined(separator: ", ")))"
                return "name a venue\(names) or give the path to a venue file"
            }
        case .starts:
            guard let startsAt = ShowStart.parse(text, timeZone: state.timeZone) else { return "write the start as 2026-12-24 20:00" }
            guard startsAt > state.now else { return "that time has passed: give a time to come" }
        case .prices:
            switch PriceText.parseList(text) {
            case .failure(let error): return error.description
            case .success(let prices):
                guard let venue = form.venue, form.venueIsCurrent else { return nil }
                if case .failure(let error) = PriceText.apply(prices, to: venue) { return error.description }
            }
        }
        return nil
    }

    private static func submit(_ form: NewShowForm, _ state: inout AppState) -> [Effect] {
        var form = form
        for field in NewShowForm.Field.allCases { form.errors[field] = check(field, form, state) }
        if let first = NewShowForm.Field.allCases.first(where: { form.errors[$0] != nil }) {
            form.field = first
            state.dialog = .newShow(form)
            return []
        }
        // Enter before the venue was read: read it, then create.
        guard let venue = form.venue, form.venueIsCurrent else {
            form.submitWhenRead = true
            let effects = readVenue(.venue, &form)
            state.dialog = .newShow(form)
            return effects.isEmpty ? [] : effects
        }
        guard case .success(let prices) = PriceText.parseList(form.text(.prices)), case .success(let priced) = PriceText.apply(prices, to: venue),
              let startsAt = ShowStart.parse(form.text(.starts), timeZone: state.timeZone) else { return [] }
        let id = ShowID(form.text(.id))
        state.dialog = nil
        return [.command(.createShow(id, name: form.text(.name), venue: priced, startsAt: startsAt), done: "created \(id) as a draft; s submits it for approval")]
    }
}
