import ArgumentParser
import BoxOffice
import Foundation
import Ticketing

extension Marquee {
    struct EditShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit-show",
            abstract: "Change a draft show's name or start (refused once it is submitted: reopen a rejected show first).",
            discussion: "Example: marquee edit-show grand-hall-xmas --name \"Christmas Gala (late)\" --starts 2026-12-24T21:30"
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The show's id, e.g. grand-hall-xmas.") var show: String
        @Option(help: "The new name (1–120 characters).") var name: String?
        @Option(help: ArgumentHelp("The new start, in local time: 2026-12-24T20:00 (seconds and a zone such as Z or +01:00 may follow).", valueName: "time"))
        var starts: String?

        func validate() throws {
            guard name != nil || starts != nil else { throw ValidationError("give --name, --starts or both: what to change") }
            if let starts, ShowStart.parse(starts) == nil {
                throw ValidationError("--starts \(starts) is not a time: write it as 2026-12-24T20:00 (local time), optionally with seconds and a zone (Z, +01:00)")
            }
        }

        func run() async throws {
            let startsAt = starts.flatMap { ShowStart.parse($0) }
            let box = try store.openForWriting()
            defer { box.close() }
            if let startsAt, startsAt <= box.clock.now() {
                throw failure("--starts \(starts ?? "") has passed (the store's clock reads \(ShowStart.shown(box.clock.now()))): give a time to come")
            }
            let id = ShowID(show)
            do throws(BoxOfficeError) {
                let result = try await box.execute(.editShow(id, name: name, startsAt: startsAt), CommandContext(actor: store.actor))
                var changes: [String] = []
                if case .showEdited(let edited)? = result.events.first {
                    if let name = edited.name { changes.append("name \"\(name)\"") }
                    if let startsAt = edited.startsAt { changes.append("starts \(ShowStart.shown(startsAt))") }
                }
                Output.say(result.duplicate ? "already done" : "edited \(id): \(changes.joined(separator: ", ")) (#\(result.positions.last ?? 0))")
            } catch {
                Output.complain(error.description)
                throw ExitCode(error.isRefusal ? 1 : 2)
            }
        }
    }
}
