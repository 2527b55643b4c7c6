import Foundation
import Testing

/// `marquee create-show`: a draft in a venue at a time, at the venue's prices or the operator's,
/// on a store it creates when there is none; every bad input refused before anything is written.
@Suite("marquee create-show", .serialized)
struct CreateShowCommandTests {
    func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "marquee-create-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func json(_ line: Substring) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func aDraftIsRecordedOnANewStoreAtTheGivenPricesAndCanBeSubmitted() throws {
        let path = try folder() + "/box.sqlite"
        let created = try BinaryRunner.run([
            "create-show", "grand-hall-xmas", "--db", path, "--name", "Christmas Gala", "--venue", "theatre",
            "--starts", "2031-12-24T20:00", "--price", "premium=92.50", "--price", "gallery=30", "--operator", "ana",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created grand-hall-xmas: Christmas Gala at Grand Theatre, Wed 24 Dec 2031 20:00, 402 seats"), "\(created.stdout)")
        let shows = try BinaryRunner.run(["shows", "--db", path, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(shows.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first)
        #expect(row["id"] as? String == "grand-hall-xmas" && row["status"] as? String == "draft" && row["capacity"] as? Int == 402, "\(row)")
        let initialized = try BinaryRunner.run(["events", "--db", path, "--type", "InventoryInitialized", "--json"])
        let venue = (json(try #require(initialized.stdout.split(separator: "\n").first))["data"] as? [String: Any])?["venue"] as? [String: Any]
        let prices = Dictionary(uniqueKeysWithValues: ((venue?["tiers"] as? [[String: Any]]) ?? []).map { ($0["id"] as? String ?? "", $0["priceMinor"] as? Int ?? -1) })
        #expect(prices == ["premium": 9_250, "standard": 6_500, "restricted": 4_000, "gallery": 3_000], "\(prices)")
        let created2 = try BinaryRunner.run(["events", "--db", path, "--type", "ShowCreated", "--json"])
        #expect((json(try #require(created2.stdout.split(separator: "\n").first))["data"] as? [String: Any])?["by"] as? String == "ana")
        #expect(try BinaryRunner.run(["submit", "grand-hall-xmas", "--db", path]).status == 0)
        let again = try BinaryRunner.run(["create-show", "grand-hall-xmas", "--db", path, "--name", "Twice", "--venue", "club", "--starts", "2031-12-24T20:00"])
        #expect(again.status == 1 && again.stderr.contains("grand-hall-xmas"), "\(again.stderr)")
    }

    @Test(arguments: [
        (["--starts", "tomorrow"], "is not a time"),
        (["--starts", "2020-01-01T10:00"], "has passed"),
        (["--price", "gold=3"], "no price tier \"gold\"; its tiers are premium, standard, restricted, gallery"),
        (["--price", "premium=3.555"], "at most two decimals"),
        (["--price", "premium"], "TIER=AMOUNT"),
        (["--venue", "nowhere"], "unknown venue \"nowhere\""),
    ])
    func aBadInputIsRefusedWithWhatToDoAndWritesNothing(_ change: [String], _ message: String) throws {
        let path = try folder() + "/box.sqlite"
        var arguments = ["create-show", "new-show", "--db", path, "--name", "New", "--venue", "theatre", "--starts", "2031-01-01T10:00"]
        for index in stride(from: 0, to: change.count, by: 2) {
            if let at = arguments.firstIndex(of: change[index]), change[index] != "--price" { arguments[at + 1] = change[index + 1] } else { arguments += [change[index], change[index + 1]] }
        }
        let out = try BinaryRunner.run(arguments)
        #expect(out.status == 2, "\(arguments): \(out.stdout)")
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path) || change[0] == "--starts", "a store was created for a refused show")
        let shows = try BinaryRunner.run(["shows", "--db", path])
        #expect(!shows.stdout.contains("new-show"))
    }

    @Test func anInvalidIdOrNameIsTheDomainsRefusal() throws {
        let path = try folder() + "/box.sqlite"
        let badID = try BinaryRunner.run(["create-show", "Bad_Id", "--db", path, "--name", "X", "--venue", "club", "--starts", "2031-01-01T10:00"])
        #expect(badID.status == 1 && badID.stderr.contains("not a valid show id"), "\(badID.stderr)")
        let badName = try BinaryRunner.run(["create-show", "blank", "--db", path, "--name", "   ", "--venue", "club", "--starts", "2031-01-01T10:00"])
        #expect(badName.status == 1, "\(badName.stderr)")
    }

    /// Separation of duties: the operator who submitted a show cannot approve it (exit 1, with
    /// the reason), unless the store was created with --allow-self-approval; the rule is fixed
    /// when the store is created.
    @Test func theSubmitterCannotApproveUnlessTheStoreWasCreatedToAllowIt() throws {
        let folder = try folder()
        let strict = folder + "/strict.sqlite", solo = folder + "/solo.sqlite"
        let show = ["--name", "Solo", "--venue", "club", "--starts", "2031-01-01T10:00", "--operator", "ana"]
        #expect(try BinaryRunner.run(["create-show", "solo-night", "--db", strict] + show).status == 0)
        #expect(try BinaryRunner.run(["submit", "solo-night", "--db", strict, "--operator", "ana"]).status == 0)
        let own = try BinaryRunner.run(["approve", "solo-night", "--db", strict, "--operator", "ana"])
        #expect(own.status == 1 && own.stderr.contains("submitted by ana") && own.stderr.contains("--allow-self-approval"), "\(own.stderr)")
        let other = try BinaryRunner.run(["approve", "solo-night", "--db", strict, "--operator", "bo"])
        #expect(other.status == 0, "\(other.stderr)")

        #expect(try BinaryRunner.run(["create-show", "solo-night", "--db", solo, "--allow-self-approval"] + show).status == 0)
        #expect(try BinaryRunner.run(["submit", "solo-night", "--db", solo, "--operator", "ana"]).status == 0)
        let allowed = try BinaryRunner.run(["approve", "solo-night", "--db", solo, "--operator", "ana"])
        #expect(allowed.status == 0, "\(allowed.stderr)")

        let late = try BinaryRunner.run(["create-show", "later", "--db", strict, "--allow-self-approval"] + show)
        #expect(late.status == 2 && late.stderr.contains("fixed when a store is created"), "\(late.stderr)")
        let simulated = try BinaryRunner.run(["simulate", "--db", strict, "--allow-self-approval", "--duration", "1"])
        #expect(simulated.status == 2 && simulated.stderr.contains("fixed when a store is created"), "\(simulated.stderr)")
    }

    /// `edit-show` changes a draft's name and start (what `shows` lists), and is refused once
    /// the show is submitted.
    @Test func aDraftIsEditedAndASubmittedShowIsNot() throws {
        let path = try folder() + "/box.sqlite"
        #expect(try BinaryRunner.run(["create-show", "late-night", "--db", path, "--name", "Late", "--venue", "club", "--starts", "2031-01-01T22:00"]).status == 0)
        let edited = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--name", "Later Night", "--starts", "2031-01-01T23:30"])
        #expect(edited.status == 0 && edited.stdout.contains("edited late-night: name \"Later Night\", starts Wed 1 Jan 2031 23:30"), "\(edited.stdout)\(edited.stderr)")
        #expect(try BinaryRunner.run(["shows", "--db", path]).stdout.contains("Later Night"))
        let unchanged = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--name", "Later Night"])
        #expect(unchanged.status == 1 && unchanged.stderr.contains("nothing to change"), "\(unchanged.stderr)")
        let nothing = try BinaryRunner.run(["edit-show", "late-night", "--db", path])
        #expect(nothing.status == 2 && nothing.stderr.contains("give --name, --starts or --price"), "\(nothing.stderr)")
        // Prices change per tier, on the inventory; a tier the venue lacks is named with those it has.
        let repriced = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--price", "front=52.50", "--price", "standard=30"])
        #expect(repriced.status == 0 && repriced.stdout.contains("prices front=52.50"), "\(repriced.stdout)\(repriced.stderr)")
        let changed = try BinaryRunner.run(["events", "--db", path, "--type", "TierPricesChanged", "--json"])
        #expect(changed.stdout.contains(#""prices":[{"priceMinor":5250,"tier":"front"}"#), "\(changed.stdout)")
        let unknown = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--price", "vip=99"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no price tier \"vip\"; its tiers are front"), "\(unknown.stderr)")
        let badAmount = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--price", "front=-1"])
        #expect(badAmount.status == 2 && badAmount.stderr.contains("--price"), "\(badAmount.stderr)")
        #expect(try BinaryRunner.run(["submit", "late-night", "--db", path]).status == 0)
        let refused = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--name", "Too late"])
        #expect(refused.status == 1 && refused.stderr.contains("submitted"), "\(refused.stderr)")
        let lateRefused = try BinaryRunner.run(["edit-show", "late-night", "--db", path, "--price", "front=1"])
        #expect(lateRefused.status == 1 && lateRefused.stderr.contains("submitted"), "\(lateRefused.stderr)")
        let feed = try BinaryRunner.run(["events", "--db", path, "--type", "ShowEdited", "--json"])
        #expect(feed.stdout.split(separator: "\n").count == 1)
    }
}
