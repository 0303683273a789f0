import ArgumentParser
import Formwork
import FormworkRuleKit
import FormworkRules
import FormworkTemplate

/// The profile a run lints under and the configuration it reads. The profiles a user may
/// name are the built-in ones and the repository's: those of `--config`, or of the nearest
/// `.formwork.yml` above the current folder (a template's own folder's file may add more,
/// which the lint itself resolves).
struct ProfileOptions: ParsableArguments {
    @Option(help: "The profile, overriding the templates' own (ephemeral, structural, production, or one a .formwork.yml defines).")
    var profile: String?

    @Option(help: "A configuration file (default: the nearest .formwork.yml above each template).")
    var config: String?

    /// The built-in profiles plus the repository's, with `--profile` checked against them,
    /// and the configuration file they were read from as loaded: read once per run, not again
    /// for validation, and the lint uses it for the templates it governs. The file is looked
    /// for from the working folder under the path a template's lookup gives it (no `/.` in
    /// it), so that the lint knows it for the same file.
    func catalogueAndConfiguration() throws -> (profiles: ProfileCatalogue, configuration: ConfigurationFile.Loaded?) {
        var known = ProfileCatalogue.builtInWithChangeRules
        var loaded: ConfigurationFile.Loaded?
        if let path = config ?? ConfigurationFile.locate(inOrAbove: FileIO.currentDirectory() ?? FileIO.absolutePath(".")) {
            let result = ConfigurationFile.load(path, profiles: known)
            loaded = ConfigurationFile.Loaded(path: path, result: result)
            if case .success(let file) = result { known = file.profiles }
        }
        if let profile, known.named(profile) == nil {
            throw ValidationError("unknown profile '\(profile.printable)'; known: \(known.names.joined(separator: ", ")) (a team defines its own under `profiles:` in .formwork.yml)")
        }
        return (known, loaded)
    }
}
