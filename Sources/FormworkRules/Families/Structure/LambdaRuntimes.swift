import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

/// The day the lifecycle rules judge against: `SOURCE_DATE_EPOCH` (seconds, the
/// reproducible-builds convention) when set, so that a report can be reproduced byte for byte
/// on another day; else today, in UTC.
public enum EvaluationDate {
    public static var today: String {
        var seconds = Int(time(nil))
        if let text = getenv("SOURCE_DATE_EPOCH").map({ String(cString: $0) }), let epoch = Int(text), epoch >= 0 { seconds = epoch }
        return civil(days: seconds / 86_400)
    }

    /// `YYYY-MM-DD` of a day count since 1970-01-01 (the proleptic Gregorian calendar).
    static func civil(days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

/// Where a Lambda function's runtime stands in its lifecycle, for the two rules below.
enum RuntimeStage {
    case supported, deprecated, createBlocked, updateBlocked

    static func of(_ lifecycle: RuntimeLifecycle, on day: String) -> RuntimeStage {
        if lifecycle.updateBlocked <= day { return .updateBlocked }
        if lifecycle.createBlocked <= day { return .createBlocked }
        if lifecycle.deprecated <= day { return .deprecated }
        return .supported
    }

    /// Every literal runtime a function can have (through parameters and both Fn::If
    /// branches), with its lifecycle and stage.
    static func uses(_ template: Template, _ context: RuleContext) -> [(value: Node, runtime: String, lifecycle: RuntimeLifecycle, stage: RuntimeStage, resource: Resource)] {
        let day = context.configuration.evaluationDate ?? EvaluationDate.today
        var found: [(Node, String, RuntimeLifecycle, RuntimeStage, Resource)] = []
        // SAM functions too, where the transform makes them Lambda functions.
        let serverless = StructureFacts.hasTransform(template, "AWS::Serverless")
        // A SAM function without a Runtime takes the Globals' (the transform merges them).
        let globalRuntime = serverless ? template.root["Globals"]?["Function"]?["Runtime"] : nil
        for resource in template.resources where resource.type == "AWS::Lambda::Function" || serverless && resource.type == "AWS::Serverless::Function" {
            let runtime = resource.properties?["Runtime"] ?? (resource.type == "AWS::Serverless::Function" ? globalRuntime : nil)
            for candidate in context.values.candidates(runtime) {
                guard case .literal(let value, _) = candidate, let runtime = value.stringValue,
                      let lifecycle = context.registry.lambdaRuntimes[runtime] else { continue }
                found.append((value, runtime, lifecycle, of(lifecycle, on: day), resource))
            }
        }
        return found
    }

    static func advice(_ lifecycle: RuntimeLifecycle) -> String {
        lifecycle.successor.map { "move to \($0) (or a later runtime)" } ?? "move to a supported runtime"
    }
}

/// ST-20: a runtime AWS no longer lets a function be created or updated with.
struct LambdaRuntimeBlocked: Rule {
    static let description = RuleDescription(
        id: "ST-20", name: "lambda-runtime-blocked", family: .structure, severity: .error,
        rationale: "AWS retires Lambda runtimes in steps: deprecated, then no new functions, then no updates. A function on a runtime past its create block fails to deploy in a new stack; past its update block, every change to it fails. The dates are cfn-lint's LmbdRuntimeLifecycle.json, embedded; the day judged is today (UTC), SOURCE_DATE_EPOCH when set, or the profile's evaluationDate (.formwork.yml), so that a report can be reproduced.",
        cfnLint: ["E2531", "E2533"],
        peers: [.checkov("CKV_AWS_363")],
        triggering: [
            "Metadata:\n  formwork: {settings: {evaluationDate: 2026-06-15}}\nResources:\n  Old:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ↓nodejs4.3\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'exports.handler = async () => 1'}\n  Retiring:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ↓nodejs18.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'exports.handler = async () => 1'}\n",
            "Resources:\n  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ↓nodejs4.3\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'exports.handler = async () => 1'}\n",
        ],
        nonTriggering: [
            "Resources:\n  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for use in RuntimeStage.uses(template, context) {
            let lifecycle = use.lifecycle
            switch use.stage {
            case .updateBlocked:
                context.report("\(use.resource.logicalID) runs \(use.runtime), deprecated on \(lifecycle.deprecated): new functions were blocked on \(lifecycle.createBlocked) and updates on \(lifecycle.updateBlocked), so every change to it fails",
                               at: use.value.location, path: Places.resourcePath(use.resource, .key("Properties"), .key("Runtime")), hint: RuntimeStage.advice(lifecycle))
            case .createBlocked:
                context.report("\(use.resource.logicalID) runs \(use.runtime), deprecated on \(lifecycle.deprecated): new functions were blocked on \(lifecycle.createBlocked) (updates will be on \(lifecycle.updateBlocked)), so a new stack cannot create it",
                               at: use.value.location, path: Places.resourcePath(use.resource, .key("Properties"), .key("Runtime")), hint: RuntimeStage.advice(lifecycle))
            case .deprecated, .supported:
                break
            }
        }
    }
}

/// ST-21: a deprecated runtime that still deploys.
struct LambdaRuntimeDeprecated: Rule {
    static let description = RuleDescription(
        id: "ST-21", name: "lambda-runtime-deprecated", family: .structure, severity: .warning,
        rationale: "A deprecated Lambda runtime gets no security patches; creating functions on it stops on a known date (the finding says which). Same data and day as ST-20.",
        cfnLint: ["W2531"],
        peers: [.checkov("CKV_AWS_363")],
        triggering: [
            "Metadata:\n  formwork: {settings: {evaluationDate: 2026-01-15}}\nResources:\n  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: ↓nodejs18.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'exports.handler = async () => 1'}\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork: {settings: {evaluationDate: 2024-01-15}}\nResources:\n  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs18.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'exports.handler = async () => 1'}\n",
            "Resources:\n  Handler:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for use in RuntimeStage.uses(template, context) where use.stage == .deprecated {
            let lifecycle = use.lifecycle
            context.report("\(use.resource.logicalID) runs \(use.runtime), deprecated on \(lifecycle.deprecated): new functions are blocked from \(lifecycle.createBlocked) and updates from \(lifecycle.updateBlocked)",
                           at: use.value.location, path: Places.resourcePath(use.resource, .key("Properties"), .key("Runtime")), hint: RuntimeStage.advice(lifecycle))
        }
    }
}
