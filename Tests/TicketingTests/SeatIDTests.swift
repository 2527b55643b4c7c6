import Testing
import Ticketing

@Suite("Seat ids")
struct SeatIDTests {
    @Test(arguments: [
        ("Stalls-A-12", "Stalls", "A", 12), ("Dress Circle-AA-1", "Dress Circle", "AA", 1), ("Box-1-3", "Box", "1", 3),
    ])
    func aSeatIdSplitsIntoSectionRowAndNumber(_ id: String, _ section: String, _ row: String, _ number: Int) {
        let parts = SeatID(id).parts
        #expect(parts?.section == section && parts?.row == row && parts?.number == number)
    }

    @Test(arguments: ["", "Stalls", "Stalls-A", "Stalls-A-", "-A-1", "Stalls--1", "Stalls-A-1-2", "Stalls-A-x", "Stalls-A-1x"])
    func anythingElseHasNoParts(_ id: String) {
        #expect(SeatID(id).parts == nil)
    }
}
