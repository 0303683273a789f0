import Formwork

/// The five reference systems of `../shared/seeds/`, as an app like any user's: built only
/// on the public products (`Formwork` and the service modules). `formwork synth` and
/// `formwork check` run it; so does the `reference-systems` executable.
public struct ReferenceSystems: FormworkApp {
    public init() {}

    public var systems: [System] { Self.all }

    public var commandName: String { "reference-systems" }

    public static let all: [System] = [UserAPI.system, PaymentsHA.system, PostgresDR.system, ActivePassive.system, Ecommerce.system]

    public static func named(_ name: String) -> System? { all.first { $0.name == name } }

    /// The systems' profiles, which their templates name in `Metadata: formwork: profile`.
    public static var profiles: [Profile] { all.map(\.profile) }
}

/// The manifest line that names the seed a system realises.
func seed(_ file: String) -> [ManifestField] { [ManifestField("seed", file)] }
