/// An identifier that is a string on the wire: coded as a bare JSON string, ordered and printed
/// as its raw value.
public protocol StringIdentifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A show's identifier: a lowercase slug such as `grand-hall-sat`.
public struct ShowID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Whether the id is a slug: 1–64 characters of `a-z`, `0-9` and inner hyphens.
    public var isValidSlug: Bool {
        let scalars = rawValue.unicodeScalars
        guard (1...64).contains(scalars.count), scalars.first != "-", scalars.last != "-" else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// A reservation's identifier: short, typeable and unique across processes (`R-7KQ2M9XA`).
public struct ReservationID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The id of the single payment taken for this reservation (`R-7KQ2M9XA` → `P-7KQ2M9XA`).
    public var paymentID: PaymentID {
        PaymentID("P-" + (rawValue.hasPrefix("R-") ? String(rawValue.dropFirst(2)) : rawValue))
    }
}

/// A payment's identifier; one payment per reservation, derived from the reservation's id.
public struct PaymentID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A seat's identifier, `Section-Row-Number` (`Stalls-A-12`).
public struct SeatID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(section: String, row: String, number: Int) { rawValue = "\(section)-\(row)-\(number)" }

    /// The seat's parts, when the id has the `Section-Row-Number` shape.
    public var parts: (section: String, row: String, number: Int)? {
        // One pass over the bytes, no array of pieces: read models call this for every seat of
        // every event, and a rebuild folds millions.
        let utf8 = rawValue.utf8
        guard let first = utf8.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let rest = utf8.index(after: first)
        guard let second = utf8[rest...].firstIndex(of: UInt8(ascii: "-")), first != utf8.startIndex, second != rest else { return nil }
        let digits = utf8[utf8.index(after: second)...]
        guard !digits.contains(UInt8(ascii: "-")), let number = Int(Substring(digits)) else { return nil }
        return (String(Substring(utf8[..<first])), String(Substring(utf8[rest..<second])), number)
    }
}

/// The stream an event belongs to; its `name` is what the store records (`show-grand-hall-sat`).
public enum StreamRef: Hashable, Sendable, CustomStringConvertible {
    case show(ShowID)
    case inventory(ShowID)
    case reservation(ReservationID)
    case payment(PaymentID)

    public var name: String {
        switch self {
        case .show(let id): "show-\(id.rawValue)"
        case .inventory(let id): "inventory-\(id.rawValue)"
        case .reservation(let id): "reservation-\(id.rawValue)"
        case .payment(let id): "payment-\(id.rawValue)"
        }
    }

    /// The stream a name denotes (the inverse of `name`); nil for a name no aggregate uses.
    public init?(name: String) {
        guard let dash = name.firstIndex(of: "-") else { return nil }
        let id = String(name[name.index(after: dash)...])
        switch name[..<dash] {
        case "show": self = .show(ShowID(id))
        case "inventory": self = .inventory(ShowID(id))
        case "reservation": self = .reservation(ReservationID(id))
        case "payment": self = .payment(PaymentID(id))
        default: return nil
        }
    }

    public var description: String { name }
}
