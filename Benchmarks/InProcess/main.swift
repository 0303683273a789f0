// `make bench`'s library-level benchmark: Formwork's lint of one template in-process, as an
// editor or a service that keeps Formwork loaded meets it (what cloudformation-validate's
// in-process figure is compared with). The first lint of the process is timed apart: it
// decodes the registry types the template uses, which later lints find cached.
//
//     formwork-lint-bench TEMPLATE [RUNS]
//
// Prints one line: `first MS median MS best MS runs N findings N` (milliseconds).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkRules
import FormworkSchemaData
import FormworkTemplate

let arguments = CommandLine.arguments
guard arguments.count >= 2, let runs = arguments.count > 2 ? Int(arguments[2]) : 50, runs > 0 else {
    print("usage: formwork-lint-bench TEMPLATE [RUNS]")
    exit(64)
}
let path = arguments[1]
let clock = ContinuousClock()

/// One lint as `formwork lint PATH` does it: read, parse, every rule of the profile.
func lintOnce() -> (milliseconds: Double, findings: Int) {
    let start = clock.now
    let report = LintJob.run(paths: [path], profile: nil, registry: .shared)
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    return (Double(seconds) * 1000 + Double(attoseconds) / 1e15, report.files.reduce(0) { $0 + $1.diagnostics.count })
}

let first = lintOnce()
var times: [Double] = []
var findings = first.findings
for _ in 0..<runs {
    let run = lintOnce()
    times.append(run.milliseconds)
    findings = run.findings
}
times.sort()
let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
print("first \(format(first.milliseconds)) median \(format(median)) best \(format(times[0])) runs \(runs) findings \(findings)")
