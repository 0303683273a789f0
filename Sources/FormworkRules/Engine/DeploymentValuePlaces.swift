import FormworkRuleKit
import FormworkTemplate

/// A finding about a value read from a parameters file (`--parameter-file`) is placed at
/// that value in the file, where it is changed, with a note at the template's place that
/// takes it. Values given as `--parameters KEY=VALUE` have no file: their findings stay at
/// the template's Ref.
enum DeploymentValuePlaces {
    static func apply(_ findings: [Diagnostic], configuration: Profile, templateFile: String?) -> [Diagnostic] {
        guard !configuration.parameterValueFiles.isEmpty else { return findings }
        var places: [(text: String, name: String, file: String, location: Location)] = []
        for (name, file) in configuration.parameterValueFiles.sorted(by: { $0.key < $1.key }) {
            for value in configuration.parameterValues[name] ?? [] where value.location.isKnown {
                places.append((PossibleValues.deploymentValue(name, value, file: file), name, file, value.location))
            }
        }
        guard !places.isEmpty else { return findings }
        return findings.map { finding in
            // The text names the file, line and column, so one value never matches another's.
            guard let place = places.first(where: { finding.message.contains($0.text) }) else { return finding }
            var moved = finding
            let templatePlace = finding.path.map(\.description).joined(separator: "/")
            moved.notes.insert(Diagnostic.Note("the template takes this value at \(templatePlace)", at: finding.location, file: finding.file ?? templateFile ?? "-"), at: 0)
            moved.message = finding.message.replacing(place.text, with: "the deployment value of \(place.name) in \(place.file)")
            moved.file = place.file
            moved.location = place.location
            return moved
        }
    }
}
