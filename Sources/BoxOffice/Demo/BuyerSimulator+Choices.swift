import ConsoleClient
import Foundation
import Ticketing

extension SplitMix64 {
    /// A uniform value in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

extension BuyerSimulator {
    /// One item, chosen with probability proportional to its weight; nil only when there are none.
    static func pick<T>(_ items: [T], weights: [Double], _ random: inout SplitMix64) -> T? {
        let total = weights.reduce(0, +)
        var roll = random.unit() * total
        for (item, weight) in zip(items, weights) {
            if roll < weight { return item }
            roll -= weight
        }
        return items.last
    }

    /// A random run of `quantity` free seats in one row of the section, as a buyer clicking
    /// on the map would choose; nil when the section has no such run.
    static func chooseSeats(_ quantity: Int, in section: AvailableSeats.Section, _ random: inout SplitMix64) -> [SeatID]? {
        guard !section.rows.isEmpty else { return nil }
        let start = Int(random.next() % UInt64(section.rows.count))
        for offset in 0..<section.rows.count {
            let r = (start + offset) % section.rows.count
            let row = section.rows[r]
            guard row.seats >= quantity else { continue }
            let rowStart = section.rowStart(r)
            var runs: [ClosedRange<Int>] = []
            var first: Int?
            for number in 1...(row.seats + 1) {
                let free = number <= row.seats && section.seats[rowStart + number - 1] == .available
                if free, first == nil { first = number }
                if !free, let begin = first {
                    if number - begin >= quantity { runs.append(begin...(number - 1)) }
                    first = nil
                }
            }
            guard !runs.isEmpty else { continue }
            let run = runs[Int(random.next() % UInt64(runs.count))]
            let begin = run.lowerBound + Int(random.next() % UInt64(run.count - quantity + 1))
            return (begin..<(begin + quantity)).map { SeatID(section: section.name, row: row.label, number: $0) }
        }
        return nil
    }

    static let firstNames = ["Ava", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Giulia", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
                             "Mateo", "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoë"]
    static let lastNames = ["Adler", "Baptiste", "Castro", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jansen",
                            "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"]

    static func customerName(_ random: inout SplitMix64) -> String {
        firstNames[Int(random.next() % UInt64(firstNames.count))] + " " + lastNames[Int(random.next() % UInt64(lastNames.count))]
    }
}
