import Foundation
import FormworkTestSupport
import FormworkTemplate

/// Paths of the repository and of `../shared`, found from this file's place.
enum Repository {
    static let root = FormworkTestSupport.Repository.root

    static var shared: String { root + "/../shared" }

    /// Whether the shared corpora are beside the repository; tests that read them are skipped,
    /// with this reason, where they are not.
    static var hasCorpora: Bool { FileManager.default.fileExists(atPath: shared + "/corpus/cfn-lint/templates") }
    static let noCorpora = "../shared/corpus is not beside the repository (the shared data; see the README)"

    static func fixture(_ relative: String) -> String { root + "/fixtures/" + relative }

    /// Every template file below a folder, sorted, or [] when the folder is missing.
    static func templates(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let name = enumerator.nextObject() as? String {
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") || name.hasSuffix(".template") {
                found.append(folder + "/" + name)
            }
        }
        return found.sorted()
    }

    static var corpus: [String] {
        templates(under: shared + "/corpus/cfn-lint/templates") + [fixture("seed-004/TapStack.yml")]
    }

    /// Whether reference outputs are being re-recorded (`FORMWORK_RECORD=1 make test`).
    static var recording: Bool { ProcessInfo.processInfo.environment["FORMWORK_RECORD"] == "1" }
}

/// Compares text with a reference file; records it instead when asked to.
func matchReference(_ actual: String, _ path: String) -> String? {
    if Repository.recording {
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        return "missing reference \(path) (record with FORMWORK_RECORD=1)"
    }
    if expected == actual { return nil }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, e.count) {
        let left = index < e.count ? String(e[index]) : "<end>"
        let right = index < a.count ? String(a[index]) : "<end>"
        if left != right {
            return "\(path):\(index + 1): expected\n  \(left)\nbut got\n  \(right)"
        }
    }
    return "\(path): differs"
}
