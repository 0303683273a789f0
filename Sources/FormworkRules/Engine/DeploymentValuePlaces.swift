import FormworkRuleKit
import FormworkTemplate

/// A finding about a value read from a parameters file (`--parameter-file`) is placed at
/// that value in the file, where it is changed, with a note at the template's place that
/// takes it. Values given as `--parameters KEY=VALUE` have no file: their findings stay at
/// the template's Ref.
enum DeploymentValuePlaces {
    static func apply(_ findings: [Diagnostic], templateFile: String?) -> [Diagnostic] {
        findings.map { finding in
            // The rule reported through `report(_:at:path:via:)` with the candidate's place.
            guard let place = finding.deploymentValue else { return finding }
            var moved = finding
            let templatePlace = finding.path.map(\.description).joined(separator: "/")
            moved.notes.insert(Diagnostic.Note("the template takes this value at \(templatePlace)", at: finding.location, file: finding.file ?? templateFile ?? "-"), at: 0)
            moved.file = place.file
            moved.location = place.location
            moved.deploymentValue = nil
            return moved
        }
    }
}

extension RuleContext {
    /// Reports a finding on a literal that ``PossibleValues/candidates(_:)`` gave `via` a
    /// parameter: one on a value of a deployment's parameters file is placed at that value.
    public func report(_ message: @autoclosure () -> String, at location: Location, path: [PathComponent], severity: Severity? = nil,
                       hint: @autoclosure () -> String? = nil, via: PossibleValues.Via?) {
        report(message(), at: location, path: path, severity: severity, hint: hint(), deploymentValue: via?.deploymentValue)
    }
}
