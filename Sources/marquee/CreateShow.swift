import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import Ticketing

extension Marquee {
    struct CreateShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-show",
            abstract: "Record a new show as a draft, in a venue, at a time, at the venue's prices or yours.",
            discussion: """
                The show starts as a draft: `marquee submit ID` sends it for approval. The store is created when --db names \
                no store yet.
                Example: marquee create-show grand-hall-xmas --name "Christmas Gala" --venue theatre --starts 2026-12-24T20:00 --price stalls=45.50
                """
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The new show's id: lower-case letters, digits and dashes, e.g. grand-hall-xmas.") var show: String
        @Option(help: "The show's name as operators and buyers see it (1–120 characters).") var name: String
        @Option(help: ArgumentHelp("The venue: a name from demo/venues (club, theatre, arena) or a path to a venue file.", valueName: "name|path"))
        var venue: String
        @Option(help: ArgumentHelp("When it starts, in local time: 2026-12-24T20:00 (seconds and a zone such as Z or +01:00 may follow).", valueName: "time"))
        var starts: String
        @Option(name: .customLong("price"), help: ArgumentHelp(
            "A price tier's price in the venue's currency instead of the venue's own: TIER=AMOUNT, e.g. stalls=45.50. Repeat it for several tiers.",
            valueName: "tier=amount"
        )) var prices: [String] = []
        @Flag(help: "For a new store: let the operator who submits a show approve it too (a one-person box office). Fixed when the store is created.")
        var allowSelfApproval = false

        func validate() throws {
            guard ShowStart.parse(starts) != nil else {
                throw ValidationError("--starts \(starts) is not a time: write it as 2026-12-24T20:00 (local time), optionally with seconds and a zone (Z, +01:00)")
            }
            for price in prices { _ = try PriceOverride(price) }
        }

        func run() async throws {
            let venue = try priced(try loadVenue())
            guard let startsAt = ShowStart.parse(starts) else { throw ExitCode(2) }
            let box = try openOrCreate()
            defer { box.close() }
            guard startsAt > box.clock.now() else {
                throw failure("--starts \(starts) has passed (the store's clock reads \(ShowStart.shown(box.clock.now()))): give a time to come")
            }
            let id = ShowID(show)
            do throws(BoxOfficeError) {
                let result = try await box.execute(.createShow(id, name: name, venue: venue, startsAt: startsAt), CommandContext(actor: store.actor))
                Output.say("created \(id): \(name.trimmingCharacters(in: .whitespacesAndNewlines)) at \(venue.name), \(ShowStart.shown(startsAt)), "
                    + "\(venue.capacity) seats; a draft: `marquee submit \(id)` sends it for approval (#\(result.positions.last ?? 0))")
            } catch {
                Output.complain(error.description)
                throw ExitCode(error.isRefusal ? 1 : 2)
            }
        }

        /// The venue by demo name or by path (a path works without the demo folder).
        func loadVenue() throws -> Venue {
            do {
                if let catalog = DemoCatalog.locate() { return try catalog.venue(venue) }
                guard let data = FileManager.default.contents(atPath: venue) else {
                    throw failure("no venue file at \(venue), and no demo/venues folder to find \(venue) in: give the path to a venue file")
                }
                return try DemoCatalog.venue(from: data, name: venue)
            } catch let error as DemoError {
                throw failure(error.description)
            }
        }

        /// The venue with the prices given on the command line.
        func priced(_ venue: Venue) throws -> Venue {
            let prices = try prices.map { text in let price = try PriceOverride(text); return PriceText(tier: price.tier, minor: price.minor) }
            switch PriceText.apply(prices, to: venue) {
            case .success(let priced): return priced
            case .failure(let error): throw failure("--price: \(error)")
            }
        }

        /// The store named by --db, created when there is none yet.
        func openOrCreate() throws -> BoxOffice {
            guard !store.readOnly else {
                throw failure("this command writes to the store, and --read-only forbids writes; drop --read-only to run it")
            }
            let existed = StoreLocation.exists(store.db)
            if existed, !allowSelfApproval { return try store.openForWriting() }
            do {
                let opened = try StoreLocation.open(store.db, create: true)
                let clock = try StoreClock.attach(opened, speed: nil)
                try SelfApproval.settle(opened, existed: existed, allow: allowSelfApproval, insist: true, shown: StoreLocation.shown(store.db))
                return BoxOffice(store: opened, clock: clock.clock)
            } catch let error as EventStoreError {
                throw failure(error)
            } catch {
                throw failure(String(describing: error))
            }
        }
    }
}

/// `--price TIER=AMOUNT` (read as the console's form reads prices: `PriceText`).
struct PriceOverride {
    let tier: String
    let minor: Int64

    init(_ text: String) throws {
        switch PriceText.parse(text) {
        case .success(let price): (tier, minor) = (price.tier, price.minor)
        case .failure(let error): throw ValidationError("--price \(error)")
        }
    }
}

/// `--allow-self-approval`: recorded by the command that creates a store, fixed from then on.
enum SelfApproval {
    /// Records the rule in a store this command just created; for one that `existed`, and when
    /// the caller `insist`s on `allow`, refuses (exit 2) if the store was created otherwise.
    static func settle(_ store: any EventStore, existed: Bool, allow: Bool, insist: Bool, shown: String) throws {
        if !existed {
            try StorePolicy.record(Policy(allowsSelfApproval: allow), in: store)
        } else if insist, StorePolicy.read(from: store).allowsSelfApproval != allow {
            throw failure("\(shown) was created \(allow ? "without" : "with") --allow-self-approval, and that rule is fixed when a store is created: "
                + "drop the flag, or use a new store")
        }
    }
}
