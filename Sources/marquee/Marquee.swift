import ArgumentParser
import Foundation

/// `marquee`: the box-office console and the commands scripts use.
@main
struct Marquee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marquee",
        abstract: "A terminal box office: shows, seat maps, holds and sales, event-sourced in SQLite.",
        version: "0.1.0",
        subcommands: [
            CreateShow.self, EditShow.self, Submit.self, Approve.self, Reject.self, Reopen.self, CloseSales.self, CancelShow.self,
            Reserve.self, Extend.self, Cancel.self, Block.self, Unblock.self, Events.self, Monitor.self, Replay.self, Simulate.self, Failures.self, Themes.self, ConsoleCommand.self, Demo.self, Shows.self, HoldsList.self, OrdersList.self, CustomerCommand.self, Sagas.self, Pay.self, BenchCommand.self, Torture.self, Copy.self,
        ]
    )

    /// Exit codes: 0 done, 1 the domain refused, 2 bad invocation or environment.
    static func main() async {
        // glibc gives each thread that allocates its own heap arena; on this 2-core design
        // (writer, bus, saga, curses threads and the pool) that holds memory nobody uses.
        // Two arenas keep a console's resident memory down without slowing it.
        limitMallocArenas(2)
        Output.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Output.exact(message)
                Foundation.exit(0)
            }
            Output.rawError(Output.readable(message) + "\n")
            // ArgumentParser uses 64 for usage errors; Marquee's contract says 2.
            Foundation.exit(2)
        }
    }
}

/// `mallopt(M_ARENA_MAX, n)` where the C library has it (glibc), looked up at run time since
/// Swift's Glibc module does not export `malloc.h`.
private func limitMallocArenas(_ count: Int32) {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mArenaMax: Int32 = -8
    _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, count)
}
