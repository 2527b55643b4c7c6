import BoxOffice
import EventStore
import Foundation
import PostgresStore
import TestSupport
import Testing
import Ticketing

/// The real console in tmux: keys pressed by name, the screen read back, and the log checked
/// with `marquee events --json` after each action.
@Suite("The console in a real terminal", .serialized)
struct ConsoleTerminalTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A store with the demo shows and no buyers, so the screen changes only when we act.
    func seededStore() async throws -> (folder: String, path: String) {
        let folder = NSTemporaryDirectory() + "marquee-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/store.sqlite"
        let store = try SQLiteEventStore(path: path)
        let box = BoxOffice(store: store)
        try await DemoSeeder.seed(DemoCatalog(folder: Self.repository.appendingPathComponent("demo")), into: box)
        box.close()
        return (folder, path)
    }

    func console(_ folder: String, _ path: String, extra: String = "", environment: String = "") throws -> Tmux {
        try Tmux(command: "cd \(Self.repository.path) && LANG=C.UTF-8 \(environment) \(BinaryRunner.executable) console --db \(path) --operator ana \(extra); echo EXITED $?; stty -a | grep -o ' echo '; sleep 60", folder: folder)
    }

    func events(_ path: String, type: String) throws -> [[String: Any]] {
        let out = try BinaryRunner.run(["events", "--db", path, "--json", "--type", type])
        return out.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func data(_ event: [String: Any]) -> [String: Any] { event["data"] as? [String: Any] ?? [:] }

    /// Reserves the seat under the cursor (after `moving` it) for `customer`, as an operator does.
    func reserve(_ tmux: Tmux, for customer: String, moving: [String] = []) {
        for key in moving { tmux.send(key) }
        tmux.send("Space", "r")
        #expect(tmux.wait(for: "Customer name").found)
        tmux.type(customer)
        tmux.send("Enter")
    }

    /// Switches the dashboard until the header names `show`.
    func open(_ tmux: Tmux, _ name: String) {
        for _ in 0..<8 {
            if tmux.screen().split(separator: "\n").first?.contains(name) == true { return }
            tmux.send(">")
            usleep(150_000)
        }
    }

    @Test func theMissionKeysWorkAndTheScreenAgreesWithTheLog() async throws {
        let (folder, path) = try await seededStore()
        let tmux = try console(folder, path)
        #expect(tmux.wait(for: "SEAT MAP").found)
        #expect(tmux.wait(for: "● free").found)

        // a: approve the oldest submitted show from the shows screen.
        tmux.send("2")
        #expect(tmux.wait(for: "waiting for approval").found)
        tmux.send("a")
        #expect(tmux.wait(for: "✔ approved grand-hall-sun").found)
        #expect(try events(path, type: "ShowApproved").contains { data($0)["showId"] as? String == "grand-hall-sun" })

        // x: reject the next one (the highlight stayed on the approved show: go back to the top).
        tmux.send("k", "k", "k", "k", "k", "k")
        tmux.send("x")
        #expect(tmux.wait(for: "Why is it rejected?").found)
        tmux.send("Enter")
        #expect(tmux.wait(for: "a reason is required").found)
        // Pasted text with escapes in it stays text: the dialog stays open, the escapes are
        // dropped, nothing of it runs as keys (it once closed the dialog and submitted a show).
        let submitted = try events(path, type: "ShowSubmitted").count
        tmux.paste("Price \u{1B}[31mRED\u{1B}[0m missing; s")
        #expect(tmux.wait(for: "Price [31mRED[0m missing; s").found)
        #expect(tmux.screen().contains("Why is it rejected?"))
        for _ in 0..<"Price [31mRED[0m missing; s".count { tmux.send("BSpace") }
        tmux.type("Clashes with the gala")
        tmux.send("Enter")
        #expect(tmux.wait(for: "✔ rejected harbour-comedy-sat").found)
        let rejected = try events(path, type: "ShowRejected")
        #expect(rejected.map { data($0)["reason"] as? String } == ["Clashes with the gala"])
        #expect(try events(path, type: "ShowSubmitted").count == submitted, "the paste ran as keys")
        // The log beside the store holds each operator command and how it ended.
        let log = (try? String(contentsOfFile: String(path.dropLast(".sqlite".count)) + ".log", encoding: .utf8)) ?? ""
        #expect(log.contains("ana approveShow grand-hall-sun: done at #"), "\(log)")
        #expect(log.contains(#"ana rejectShow harbour-comedy-sat reason: "Clashes with the gala": done at #"#), "\(log)")

        // s: submit the draft, from the dashboard.
        tmux.send("1")
        open(tmux, "Open Mic")
        tmux.send("s")
        #expect(tmux.wait(for: "✔ submitted blue-note-open-mic").found)

        // space + r: reserve two seats chosen on the map.
        open(tmux, "The Nutcracker")
        tmux.send("l", "Space", "l", "Space")
        #expect(tmux.wait(for: "◉ 2 selected").found)
        tmux.send("r")
        #expect(tmux.wait(for: "Customer name").found)
        tmux.type("Ann Lee")
        tmux.send("Enter")
        #expect(tmux.wait(for: "for Ann Lee until").found)
        let held = try events(path, type: "SeatsHeld")
        #expect(held.map { data($0)["seats"] as? [String] } == [["Stalls-A-2", "Stalls-A-3"]])
        #expect(tmux.wait(for: "Ann Lee").screen.contains("HOLDS 1"))

        // b: best available four.
        tmux.send("b")
        #expect(tmux.wait(for: "Best available").found)
        tmux.send("BSpace")
        tmux.type("4")
        tmux.send("Tab", "Tab")
        tmux.type("Bo Chan")
        tmux.send("Enter")
        #expect(tmux.wait(for: "for Bo Chan until").found)
        #expect(try events(path, type: "SeatsHeld").count == 2)

        // p: take payment for the highlighted (soonest) hold; the saga in the console confirms it.
        tmux.send("Tab", "p")
        #expect(tmux.wait(for: "box-office payment under way").found)
        #expect(tmux.wait(for: "sold 2", timeout: 20).found)
        #expect(try events(path, type: "ReservationConfirmed").count == 1)

        // c: cancel the other hold, after a y/n question.
        tmux.send("c")
        #expect(tmux.wait(for: "Its seats go back on sale").found)
        tmux.send("y")
        #expect(tmux.wait(for: "✔ cancelled R-").found)
        let cancelled = try events(path, type: "ReservationCancelled")
        #expect(cancelled.count == 1 && (data(cancelled[0])["customer"] == nil))
        #expect(tmux.wait(for: "HOLDS 0").found)

        // 4: find Ann Lee's paid order, read her history, and refund it (typed confirmation).
        tmux.send("4")
        #expect(tmux.wait(for: "ORDERS 2").found)
        #expect(tmux.screen().contains("cancelled"), "Bo Chan's cancelled hold is an order too")
        tmux.send("/")
        #expect(tmux.wait(for: "Search orders").found)
        tmux.type("ann l")
        tmux.send("Enter")
        #expect(tmux.wait(for: "ORDERS 1").found)
        #expect(tmux.wait(for: "confirmed").found)
        tmux.send("Enter")
        #expect(tmux.wait(for: "1 purchase · 2 tickets · spent").found)
        tmux.send("Escape", "c")
        #expect(tmux.wait(for: "Type refund to confirm").found)
        tmux.type("refund")
        tmux.send("Enter")
        #expect(tmux.wait(for: "✔ refunding R-").found)
        #expect(tmux.wait(for: "refunded ", timeout: 20).found, "the saga refunds the payment, then the order")
        #expect(try events(path, type: "ReservationRefunded").count == 1)
        let orders = try BinaryRunner.run(["orders", "--db", path, "--customer", "Ann Lee", "--json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(orders.stdout.utf8)) as? [[String: Any]])
        #expect(listed.map { $0["status"] as? String } == ["refunded"])
        #expect(listed.first?["paidAt"] is String)

        // q leaves the terminal as it was.
        tmux.send("q")
        let after = tmux.wait(for: "\n echo")
        #expect(after.screen.contains("EXITED 0"), "\(after.screen)")
    }

    /// An operator's day, by the keys: a show made in the form, submitted by one operator and
    /// approved by another, a seat sold on it, the order found and refunded on screen 4, the
    /// seat's whole history, and the palette's verbs.
    @Test func aNewShowFromTheFormToARefundAndTheSeatsWholeHistory() async throws {
        let (folder, path) = try await seededStore()
        let ana = try console(folder, path)
        #expect(ana.wait(for: "SEAT MAP").found)
        ana.send("2", "n")
        #expect(ana.wait(for: "New show").found)
        ana.type("ana-gala")
        ana.send("Tab")
        ana.type("Gala Night")
        ana.send("Tab")
        ana.type("club")
        ana.send("Tab")
        #expect(ana.wait(for: "Blue Note Club").found, "the venue is read and named")
        ana.send("Enter")
        #expect(ana.wait(for: "✔ created ana-gala as a draft").found)
        #expect(try events(path, type: "ShowCreated").contains { data($0)["showId"] as? String == "ana-gala" && data($0)["by"] as? String == "ana" })
        // The palette puts the dashboard on it; ana submits it and may not approve it herself.
        ana.send(":")
        ana.type("show ana-g")
        ana.send("Tab", "Enter")
        #expect(ana.wait(for: "Gala Night").found)
        ana.send("s")
        #expect(ana.wait(for: "✔ submitted ana-gala").found)
        ana.send("a")
        #expect(ana.wait(for: "whoever submits a show cannot approve it").found)
        #expect(try events(path, type: "ShowApproved").allSatisfy { data($0)["showId"] as? String != "ana-gala" })
        ana.send("q")
        #expect(ana.wait(for: "EXITED 0").found)

        let bo = try Tmux(command: "cd \(Self.repository.path) && LANG=C.UTF-8 \(BinaryRunner.executable) console --db \(path) --operator bo; echo EXITED $?; sleep 60", folder: folder)
        #expect(bo.wait(for: "SEAT MAP").found)
        bo.send(":")
        bo.type("show ana-gala")
        bo.send("Enter")
        #expect(bo.wait(for: "Gala Night").found)
        bo.send("a")
        #expect(bo.wait(for: "✔ approved ana-gala: on sale").found)
        // Sell the seat under the cursor: hold it, take payment, the saga confirms it.
        reserve(bo, for: "Cy Lee")
        #expect(bo.wait(for: "for Cy Lee until").found)
        bo.send("Tab", "p")
        #expect(bo.wait(for: "sold 1", timeout: 20).found)
        // Screen 4 through the palette: the order, refunded after typing refund.
        bo.send(":")
        bo.type("orders Cy Lee")
        bo.send("Enter")
        #expect(bo.wait(for: "ORDERS 1").found)
        #expect(bo.wait(for: "confirmed").found)
        bo.send("c")
        #expect(bo.wait(for: "Type refund to confirm").found)
        bo.type("refund")
        bo.send("Enter")
        #expect(bo.wait(for: "refunded ", timeout: 20).found)
        // Back on the dashboard, the seat's whole history: the reservation and each step of it.
        bo.send("1", "BTab", "Enter")
        let history = bo.wait(for: "its whole history")
        #expect(history.found, "\(history.screen)")
        #expect(bo.wait(for: "Cy Lee · correlation").found)
        for step in ["ReservationRequested", "PaymentSucceeded", "ReservationConfirmed", "ReservationCancelled", "ReservationRefunded"] {
            #expect(bo.screen().contains(step), "\(step) is missing from the seat's history")
        }
        bo.send("Escape")
        // :go opens an event in full, with what caused it.
        let created = try #require(try events(path, type: "ShowCreated").first { data($0)["showId"] as? String == "ana-gala" }?["position"] as? Int)
        usleep(300_000)
        bo.send(":")
        bo.type("go #\(created)")
        bo.send("Enter")
        #expect(bo.wait(for: "ShowCreated · show-ana-gala").found)
        #expect(bo.wait(for: "sent by ana").found)
        bo.send("Escape")
        usleep(300_000)
        bo.send(":")
        bo.type("frob")
        bo.send("Enter")
        #expect(bo.wait(for: "no verb \"frob\"; there are show, shows, orders").found)
        bo.send("Escape")
        usleep(300_000)
        bo.send("q")
        #expect(bo.wait(for: "EXITED 0").found)
    }

    /// A payment asked for two minutes ago that nobody settles (no process runs the saga): the
    /// sagas screen flags it first, and Enter shows its chain.
    @Test func theSagasScreenFlagsAStuckPayment() async throws {
        let (folder, path) = try await seededStore()
        let store = try SQLiteEventStore(path: path)
        let box = BoxOffice(store: store, clock: ManualClock(Date().addingTimeInterval(-120)))
        let held = try await box.reserveBestAvailable(ShowID("grand-hall-sat"), quantity: 2, customer: "Stu Ck", CommandContext(actor: "buyer-1"))
        let reservation = try #require(held.reservationID)
        _ = try await box.execute(.requestPayment(reservation, method: .card), CommandContext(actor: "buyer-1"))
        box.close()
        let tmux = try console(folder, path, extra: "--read-only")
        #expect(tmux.wait(for: "SEAT MAP").found)
        tmux.send("5")
        #expect(tmux.wait(for: "1 STUCK").found)
        let lanes = tmux.wait(for: "payment requested")
        #expect(lanes.found && lanes.screen.contains("!\(reservation.rawValue)"), "\(lanes.screen)")
        tmux.send("Enter")
        #expect(tmux.wait(for: "PaymentRequested · payment-\(reservation.paymentID)").found)
        tmux.send("Escape")
        usleep(300_000)
        tmux.send("q")
        #expect(tmux.wait(for: "EXITED 0").found)
    }

    @Test func theDemoRunsLiveWithBuyersAndTakesTheOperatorsCommands() async throws {
        let folder = NSTemporaryDirectory() + "marquee-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/demo.sqlite"
        let scenario = Self.repository.appendingPathComponent("Tests/EndToEndTests/Fixtures/trickle.json").path
        let tmux = try Tmux(command: "cd \(Self.repository.path) && LANG=C.UTF-8 \(BinaryRunner.executable) demo --db \(path) --seed 3 --speed 5 --scenario \(scenario) --operator ana; echo EXITED $?; sleep 60", folder: folder)
        for panel in ["SEAT MAP", "HOLDS", "SALES", "FEED", "● free"] { #expect(tmux.wait(for: panel).found, "\(panel)") }
        #expect(tmux.wait(for: "ShowApproved").found)
        tmux.send("2", "a")
        #expect(tmux.wait(for: "✔ approved grand-hall-sun").found)
        tmux.send("1")
        open(tmux, "Swan Lake")
        tmux.send("b", "BSpace")
        tmux.type("4")
        tmux.send("Tab", "Tab")
        tmux.type("Dee Moss")
        tmux.send("Enter")
        #expect(tmux.wait(for: "for Dee Moss until").found)
        let held = try events(path, type: "ReservationRequested").filter { data($0)["customer"] as? String == "Dee Moss" }
        #expect(held.count == 1 && (data(held[0])["seats"] as? [String])?.count == 4)
        tmux.send("q")
        #expect(tmux.wait(for: "EXITED 0", timeout: 30).found)
    }

    @Test func aSecondConsoleSeesTheFirstOnesReservationLive() async throws {
        let (folder, path) = try await seededStore()
        let first = try console(folder, path)
        let second = try console(folder, path, extra: "--read-only")
        #expect(first.wait(for: "SEAT MAP").found && second.wait(for: "READ-ONLY").found)
        open(first, "The Nutcracker")
        reserve(first, for: "Zoë Ito")
        let start = Date()
        let seen = second.wait(for: "Zoë Ito", timeout: 20)
        print("second console saw the reservation \(Int(Date().timeIntervalSince(start) * 1000)) ms after Enter")
        #expect(seen.found)
        // A write key in the read-only console is refused with a message.
        second.send("2", "a")
        #expect(second.wait(for: "read-only").found)
        first.send("q")
        second.send("q")
        #expect(first.wait(for: "EXITED 0").found && second.wait(for: "EXITED 0").found)
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func twoConsolesOnOnePostgreSQLDatabaseSeeEachOthersReservationsLive() async throws {
        let cluster = try PostgresCluster.shared.get()
        let url = try cluster.database()
        let box = BoxOffice(store: try PostgresEventStore(url: url))
        try await DemoSeeder.seed(DemoCatalog(folder: Self.repository.appendingPathComponent("demo")), into: box)
        box.close()
        let folder = NSTemporaryDirectory() + "marquee-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The URL names the server's socket folder; each console logs into the test's folder.
        let db = "'postgres://\(url.user)@/\(url.database)?host=\(cluster.folder)&port=\(cluster.port)'"
        let first = try console(folder, db, extra: "--log \(folder)/first.log")
        let second = try Tmux(
            command: "cd \(Self.repository.path) && LANG=C.UTF-8 \(BinaryRunner.executable) console --db \(db) --operator bo --log \(folder)/second.log; echo EXITED $?; sleep 60",
            folder: folder
        )
        #expect(first.wait(for: "SEAT MAP").found && second.wait(for: "SEAT MAP").found)
        open(first, "The Nutcracker")
        open(second, "The Nutcracker")
        reserve(first, for: "Zoë Ito")
        var start = Date()
        #expect(second.wait(for: "Zoë Ito", timeout: 20).found)
        print("PostgreSQL: the second console saw the first's reservation \(Int(Date().timeIntervalSince(start) * 1000)) ms after Enter")
        // And the other way round: the second operator's hold reaches the first console.
        reserve(second, for: "Bo Walk-in", moving: ["Right", "Right", "Right"])
        start = Date()
        #expect(first.wait(for: "Bo Walk-in", timeout: 20).found)
        print("PostgreSQL: the first console saw the second's reservation \(Int(Date().timeIntervalSince(start) * 1000)) ms after Enter")
        let held = try BinaryRunner.run(["events", "--db", db.trimmingCharacters(in: CharacterSet(charactersIn: "'")), "--type", "SeatsHeld", "--json"]).stdout
        #expect(held.split(separator: "\n").count == 2)
        first.send("q")
        second.send("q")
        #expect(first.wait(for: "EXITED 0").found && second.wait(for: "EXITED 0").found)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalRestoresTheTerminal(_ signal: Int32) async throws {
        let (folder, path) = try await seededStore()
        let tmux = try console(folder, path)
        #expect(tmux.wait(for: "SEAT MAP").found)
        let pid = try #require(Self.pid(ofConsoleOn: path))
        kill(pid, signal)
        let after = tmux.wait(for: "\n echo")
        #expect(after.screen.contains("EXITED 0"), "\(after.screen)")
    }

    /// R5: after `q`, is the pane a normal shell again with echo on?
    func restoredAfterQuit(environment: String = "") async throws -> Bool {
        let (folder, path) = try await seededStore()
        let tmux = try console(folder, path, environment: environment)
        #expect(tmux.wait(for: "SEAT MAP").found)
        tmux.send("q")
        // A console that skipped the restore leaves the cursor where it last drew, maybe at a
        // line's end, so the shell's "EXITED 0" can wrap.
        #expect(tmux.wait(for: "EXITED 0", acrossLines: true).found)
        return tmux.wait(for: "\n echo", timeout: 3).found
    }

    @Test func quittingRestoresTheTerminal() async throws {
        #expect(try await restoredAfterQuit())
    }

    #if DEBUG
    @Test func provenByAFault_aConsoleThatSkipsTheRestoreLeavesEchoOff() async throws {
        #expect(try await !restoredAfterQuit(environment: "MARQUEE_TEST_FAULT=skipTerminalRestore"))
    }
    #endif

    @Test func aTooSmallTerminalSaysSoUntilItGrows() async throws {
        let (folder, path) = try await seededStore()
        let tmux = try Tmux(command: "LANG=C.UTF-8 \(BinaryRunner.executable) console --db \(path); sleep 60", width: 70, height: 20, folder: folder)
        #expect(tmux.wait(for: "terminal too small: need 80×24, have 70×20").found)
        tmux.run(["resize-window", "-t", "main", "-x", "120", "-y", "40"])
        #expect(tmux.wait(for: "SEAT MAP").found)
        tmux.send("q")
    }

    @Test(arguments: ["env -u TERM", "TERM=dumb", "TERM=xterm-kitty-unknown"])
    func anUnusableTERMIsRefusedWithAPointerToEventsFollow(_ environment: String) async throws {
        let (folder, path) = try await seededStore()
        let tmux = try Tmux(command: "\(environment) \(BinaryRunner.executable) console --db \(path); echo EXITED $?; sleep 60", folder: folder)
        let screen = tmux.wait(for: "EXITED 2").screen
        if environment.contains("unknown") {
            // ncurses would print its own error and exit 1; Marquee says what to do and exits 2.
            #expect(screen.contains("marquee: this machine has no terminfo entry for TERM=xterm-kitty-unknown"), "\(screen)")
        } else {
            #expect(screen.contains("marquee: TERM is \(environment.contains("dumb") ? "dumb" : "unset")"), "\(screen)")
        }
        #expect(screen.contains("events --follow"))
    }

    @Test func withoutUTF8TheConsoleDrawsInASCIIAndCtrlLRepaints() async throws {
        let (folder, path) = try await seededStore()
        let tmux = try Tmux(command: "cd \(Self.repository.path) && LANG=C LC_ALL=C \(BinaryRunner.executable) console --db \(path) --operator ana; echo EXITED $?; sleep 60", folder: folder)
        let screen = tmux.wait(for: ". free").screen
        #expect(screen.contains("+ SEAT MAP") && screen.contains(". free"), "\(screen)")
        #expect(!screen.unicodeScalars.contains { !$0.isASCII }, "\(screen)")
        tmux.send("C-l")
        #expect(tmux.wait(for: "+ SEAT MAP").found)
        tmux.send("q")
        #expect(tmux.wait(for: "EXITED 0").found)
    }

    /// The pid of the `marquee console` process using this store (not the tmux server).
    static func pid(ofConsoleOn path: String) -> pid_t? {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = pid_t(entry),
                      let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8), comm.hasPrefix("marquee"),
                      let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                      String(decoding: cmdline, as: UTF8.self).contains(path) else { continue }
                return pid
            }
            usleep(50_000)
        }
        return nil
    }
}
