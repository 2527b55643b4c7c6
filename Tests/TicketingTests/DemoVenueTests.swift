import Foundation
import Testing
import Ticketing

@Suite("Demo venues")
struct DemoVenueTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("demo/venues")

    @Test(arguments: [("club", 60), ("theatre", 402), ("arena", 2000)])
    func everyDemoVenueDecodesValidatesAndHasItsSize(_ name: String, _ capacity: Int) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(name).json"))
        let venue = try JSONDecoder().decode(Venue.self, from: data)
        try venue.validate()
        #expect(venue.capacity == capacity)
        #expect(VenueLayout(venue).capacity == capacity)
        if name == "theatre" {
            #expect(venue.sections.count == 3)
            #expect(Set(venue.sections.flatMap(\.rows).map(\.tier)).count >= 3)
        }
    }
}
