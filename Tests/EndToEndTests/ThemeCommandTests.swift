import Foundation
import Testing

@Suite("marquee themes")
struct ThemeCommandTests {
    @Test func listsChecksAndRefusesWithoutATerminal() throws {
        let list = try BinaryRunner.run(["themes"])
        #expect(list.stdout == "default\nhigh-contrast\nlight\nmono\n")
        #expect(try BinaryRunner.run(["themes", "--check", "mono"]).stdout == "mono: ok\n")
        let unknown = try BinaryRunner.run(["themes", "--check", "neon"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no such theme; available: default, high-contrast, light, mono"))
        let folder = NSTemporaryDirectory() + "marquee-theme-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let broken = folder + "/broken.toml"
        try Data("[slots]\n\"seat.free\" = { fg = \"grene\" }\n".utf8).write(to: URL(fileURLWithPath: broken))
        let bad = try BinaryRunner.run(["themes", "--check", broken])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("broken.toml:2: slot \"seat.free\": fg \"grene\""))
        let noTerminal = try BinaryRunner.run(["themes", "--preview", "default"])
        #expect(noTerminal.status == 2)
        #expect(noTerminal.stderr.contains("not a terminal"))
        #expect(noTerminal.stderr.contains("events --follow"))
    }
}

@Suite("Full-screen commands without a terminal")
struct NoTerminalTests {
    @Test func demoAndConsoleRefuseWithoutATerminalAndNameUnknownThemes() throws {
        let folder = NSTemporaryDirectory() + "marquee-noterm-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let demo = try BinaryRunner.run(["demo", "--db", folder + "/demo.sqlite"])
        #expect(demo.status == 2)
        #expect(demo.stderr.contains("not a terminal") && demo.stderr.contains("marquee events --follow"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/demo.sqlite"))
        let theme = try BinaryRunner.run(["console", "--db", folder + "/demo.sqlite", "--theme", "neon"])
        #expect(theme.status == 2)
        #expect(theme.stderr.contains("no such theme; available: default, high-contrast, light, mono"))
    }
}
