#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkTemplate

/// Writing to the terminal through file descriptors (no Foundation, no shared C streams):
/// what the `formwork` command and every `FormworkApp` print with.
package enum Output {
    package static func standardOutput(_ bytes: [UInt8]) {
        writeAll(1, bytes)
    }

    package static func line(_ text: String) {
        writeAll(1, Array((text + "\n").utf8))
    }

    package static func error(_ text: String) {
        writeAll(2, Array((text + "\n").utf8))
    }

    package static func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics.sorted(by: Diagnostic.reportOrder) {
            error(diagnostic.text)
        }
    }

    /// True when the descriptor is a terminal (colour is used only there).
    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Colour on this descriptor: a terminal, and neither `NO_COLOR` (no-color.org) nor
    /// `TERM=dumb` says otherwise.
    package static func wantsColour(_ fd: Int32) -> Bool {
        guard isTerminal(fd) else { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        FileIO.writeAll(fd, bytes)
    }
}
