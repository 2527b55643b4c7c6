/// Chooses seats for "best available N": N side by side in one row, nearest the front-centre.
///
/// A candidate block scores `row + 3 × (distance of its centre from the row's centre, as a
/// fraction of half the row)`, so the edge of a front row ranks like the centre three rows back.
/// Sections are tried in venue order (the first listed is the best); within a section the lowest
/// score wins, ties going to the front and then the left.
///
/// - Important: a block is never chosen if it would leave exactly one free seat stranded between
///   it and a taken seat; when no block qualifies the search fails instead of splitting the party.
public enum BestAvailable {
    /// Weight of being off-centre, in rows: an edge seat costs as much as three rows back.
    static let centreWeight = 3.0

    public static func find(
        quantity: Int, section: String?, in inventory: InventoryState
    ) throws(TicketingError) -> [VenueLayout.Seat] {
        let layout = inventory.layout
        let sections: [Int]
        if let section {
            guard let index = layout.sectionIndex(named: section) else {
                throw .unknownSection(section, sections: layout.venue.sections.map(\.name))
            }
            sections = [index]
        } else {
            sections = Array(layout.venue.sections.indices)
        }
        let inScope = layout.rows.filter { sections.contains($0.section) }
        let available = inScope.reduce(0) { total, row in
            total + row.range.count { inventory.isFree(at: $0) }
        }
        guard available >= quantity else { throw .insufficientSeats(requested: quantity, available: available) }

        for sectionIndex in sections {
            var best: (score: Double, start: Int)?
            for row in inScope where row.section == sectionIndex {
                for start in candidates(quantity, in: row, inventory) {
                    let score = Self.score(start: start, quantity: quantity, row: row)
                    if let current = best, score >= current.score - 1e-9 { continue }
                    best = (score, start)
                }
            }
            if let best { return Array(layout.seats[best.start..<(best.start + quantity)]) }
        }
        throw .notEnoughAdjacentSeats(requested: quantity, section: section)
    }

    /// Start indexes (into the layout's seats) of every block of `quantity` free seats in the row
    /// that strands no single seat next to a taken one.
    static func candidates(_ quantity: Int, in row: VenueLayout.Row, _ inventory: InventoryState) -> [Int] {
        var starts: [Int] = []
        var runStart: Int?
        for index in row.range.lowerBound...row.range.upperBound {
            let free = index < row.range.upperBound && inventory.isFree(at: index)
            if free {
                if runStart == nil { runStart = index }
                continue
            }
            guard let start = runStart else { continue }
            runStart = nil
            let end = index
            guard end - start >= quantity else { continue }
            let boundedLeft = start > row.range.lowerBound
            let boundedRight = end < row.range.upperBound
            for first in start...(end - quantity) {
                let leftGap = first - start
                let rightGap = end - (first + quantity)
                if leftGap == 1 && boundedLeft { continue }
                if rightGap == 1 && boundedRight { continue }
                starts.append(first)
            }
        }
        return starts
    }

    static func score(start: Int, quantity: Int, row: VenueLayout.Row) -> Double {
        let width = Double(row.range.count)
        let rowCentre = (width - 1) / 2
        let blockCentre = Double(start - row.range.lowerBound) + Double(quantity - 1) / 2
        let offset = abs(blockCentre - rowCentre) / max(width / 2, 1)
        return Double(row.indexInSection) + centreWeight * offset
    }
}
