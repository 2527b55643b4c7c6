import BoxOffice
import EventStore
import Foundation

/// Errors worded for the command line: the engine's errors say what happened and what to do
/// in its own terms; only here are they told which flag or subcommand does it.
enum Advice {
    static func words(_ error: any Error) -> String {
        switch error {
        case let error as EventStoreError: words(error)
        case let error as StoreClockError:
            switch error {
            case .speedMismatch: "\(error.description). Drop --speed, or start a new store (demo --fresh)"
            case .store(let inner): words(inner)
            default: error.description
            }
        case let error as CustomStringConvertible: error.description
        default: "\(error)"
        }
    }

    static func words(_ error: EventStoreError) -> String {
        switch error {
        case .missingFolder: "\(error.description) or choose another --db path"
        case .notFound(let path): "no store at \(path): run `marquee demo --db \(path)` to create one, or check the path"
        case .notAMarqueeStore: "\(error.description). Choose another --db path"
        case .needsUpgrade: "\(error.description): open it once without --read-only"
        case .readOnly: "\(error.description), or use --read-only to watch it"
        case .inUse: "\(error.description), or choose another --db path"
        case .filesChanged(let path, _): "\(error.description): `marquee replay --db \(path) --verify` checks them"
        default: error.description
        }
    }
}
