// The libFuzzer entry point for every Marquee fuzz target. Scripts/fuzz links it with the
// checks in Tests/FuzzRegressionTests/Checks and the sanitised library objects; the target is
// chosen by MARQUEE_FUZZ_TARGET (one binary, one corpus folder per target).
import Foundation

private let check: @Sendable (Data) -> Void = {
    let name = ProcessInfo.processInfo.environment["MARQUEE_FUZZ_TARGET"] ?? ""
    guard let check = ParserChecks.targets[name] else {
        FileHandle.standardError.write(Data("MARQUEE_FUZZ_TARGET must be one of: \(ParserChecks.names.joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return check
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func marqueeFuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    check(Data(bytes: bytes, count: count))
    return 0
}
