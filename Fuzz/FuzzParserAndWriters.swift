// libFuzzer entry point over the readers and the canonical writers (`make fuzz`).
// A finding is a crash, a hang, an out-of-memory, or one of these invariants failing:
// whatever reads must format in both syntaxes, and canonical output must be a fixed point.
import FormworkTemplate
import FormworkYAML

private let limits = ParseLimits(maxBytes: 1 << 20, maxDepth: 256, maxAliasExpansion: 100_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for name in ["fuzz.yaml", "fuzz.json"] {
        let result = TemplateReader.read(bytes, file: name, limits: limits, requireMapping: false)
        guard let root = result.root else {
            precondition(!result.diagnostics.isEmpty, "refused without a diagnostic")
            for diagnostic in result.diagnostics {
                precondition(diagnostic.location.isKnown, "unlocated diagnostic: \(diagnostic.text)")
            }
            continue
        }
        for format in SourceFormat.allCases {
            let once: [UInt8]
            do {
                once = try Formatter.canonical(root, as: format)
            } catch {
                fatalError("readable input did not format as \(format): \(error)")
            }
            guard let again = TemplateReader.read(once, limits: limits, requireMapping: false).root else {
                fatalError("canonical \(format) does not read back")
            }
            let twice = try? Formatter.canonical(again, as: format)
            precondition(twice == once, "canonical \(format) is not a fixed point")
        }
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's
// driver from there, so the target builds with the package's ordinary build.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("formwork_fuzz_main")
public func formworkFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
