import FormworkTemplate

/// A team's conventions as data: which rules run, at what severity, and each rule family's
/// settings (the suffix parameter, the required tags, thresholds, ...). Written in Swift
/// (`Profile(name:basedOn:)`, then a family's settings such as `profile.rds.instanceClasses`)
/// or in `.formwork.yml`. The rule engine defines three generic profiles (`ephemeral`,
/// `structural`, `production`) and a ``ProfileCatalogue`` adds a team's own. A template names
/// its profile in its Metadata (`formwork: {profile: NAME}`) and `--profile` overrides it.
public struct Profile: Sendable {
    /// The name templates give in `Metadata: formwork: profile`.
    public var name: String
    /// The name of the profile this one was made from (`basedOn:` in `.formwork.yml`).
    public var basedOn: String?
    /// The generic profile this one descends from (a generic profile's own name): copies keep
    /// it, so that a profile made from a team profile made from `production`, or a renamed
    /// copy of `production`, is still known to be production-based.
    package var genericBase: String?
    /// Rules that do not run, by id.
    public var disabledRules: Set<RuleID> = []
    /// Families whose rules do not run, except those named in ``enabledRules``.
    public var disabledFamilies: Set<RuleFamily> = []
    /// Rules that run although their family is disabled.
    public var enabledRules: Set<RuleID> = []
    /// Severities other than the rules' own.
    public var severityOverrides: [RuleID: Severity] = [:]
    /// The day date-dependent rules judge against (`YYYY-MM-DD`): nil is today (or
    /// SOURCE_DATE_EPOCH); a team pins it to make reports reproducible across days.
    public var evaluationDate: String?
    /// Values known for the deployment (`lint --parameters KEY=VALUE`, `--regions` for
    /// `AWS::Region`): a Ref to one of these names takes exactly these values, instead of the
    /// parameter's Default and AllowedValues.
    public var parameterValues: [String: [Node]] = [:]
    /// The parameters file each of `parameterValues` was read from, by parameter name (none
    /// for values given on the command line): a finding on such a value is placed there.
    public var parameterValueFiles: [String: String] = [:]
    /// A team's own rules (Swift rules an app declares, data rules from `.formwork.yml`), run
    /// with the built-in ones wherever the profile is used: synth, lint, check, the editor.
    package var teamRules: [TeamRule] = []
    private var sections: [ObjectIdentifier: any RuleSettings] = [:]

    /// A profile with every rule enabled and every family's default settings.
    public init(name: String) {
        self.name = name
    }

    /// A copy of `base` under another name, to change from there.
    public init(name: String, basedOn base: Profile) {
        self = base
        self.name = name
        basedOn = base.name
    }

    /// One family's settings under this profile (its defaults until set).
    public subscript<Settings: RuleSettings>(settings type: Settings.Type) -> Settings {
        get { sections[ObjectIdentifier(type)] as? Settings ?? Settings() }
        set { sections[ObjectIdentifier(type)] = newValue }
    }

    /// The severity a rule reports at under this profile.
    public func severity(for rule: RuleDescription) -> Severity {
        severityOverrides[rule.id] ?? rule.severity
    }

    /// Whether the rule runs under this profile.
    public func isEnabled(_ rule: RuleDescription) -> Bool {
        if disabledRules.contains(rule.id) { return false }
        return !disabledFamilies.contains(rule.family) || enabledRules.contains(rule.id)
    }

    /// Turns rules on (also within a disabled family) or off.
    public mutating func setEnabled(_ enabled: Bool, _ ids: some Sequence<RuleID>) {
        for id in ids {
            if enabled {
                disabledRules.remove(id)
                enabledRules.insert(id)
            } else {
                disabledRules.insert(id)
                enabledRules.remove(id)
            }
        }
    }

    /// Whether Retain is allowed (production, or `allowRetain`): LC-01 does not run.
    public var retainAllowed: Bool { disabledRules.contains("LC-01") }
}

/// A rule family's settings: a value type with the family's defaults, read from and written
/// to `.formwork.yml` by the family itself, so that adding a setting touches one type.
public protocol RuleSettings: Sendable {
    /// The family's defaults.
    init()
    /// The `.formwork.yml` keys the family reads: at the top level, in a `profiles:` entry, or
    /// in a template's `Metadata: formwork: settings`.
    static var keys: [String] { get }
    /// Reads one of ``keys`` into the profile, or says what is wrong with the value.
    static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem)
    /// The profile's settings of this family as keys and values that read back into the same
    /// settings (what `formwork init` and an app's `profiles` print).
    static func written(_ profile: Profile) -> [(key: String, value: Node)]
}

/// What is wrong with a setting's value, and where the value stands.
public struct SettingProblem: Error, Sendable {
    /// What the key needs, in a sentence (`natGateways must be a whole number of at least 0`).
    public var message: String
    /// The value's place in the file.
    public var location: Location

    /// A problem with `value`, placed at it.
    public init(_ message: String, at value: Node) {
        self.message = message
        location = value.location
    }
}

/// The profiles a linter can name: the generic ones, plus those an app or a team adds.
public struct ProfileCatalogue: Sendable {
    /// The profiles, in the order they were added.
    public private(set) var profiles: [Profile]
    /// Rules checked elsewhere than the linter (`formwork diff`'s change rules) that a
    /// configuration may also disable or give a severity.
    package var otherRules: [RuleDescription] = []

    /// A catalogue of these profiles.
    public init(_ profiles: [Profile]) {
        self.profiles = profiles
    }

    /// The profile of that name, if any.
    public func named(_ name: String) -> Profile? { profiles.first { $0.name == name } }

    /// Every profile's name, in order.
    public var names: [String] { profiles.map(\.name) }

    /// The same profiles, with rules checked elsewhere that a configuration may name.
    package func naming(_ rules: [RuleDescription]) -> ProfileCatalogue {
        var result = self
        result.otherRules += rules.filter { rule in !result.otherRules.contains { $0.id == rule.id } }
        return result
    }

    /// These profiles plus others; a profile of a name already known replaces it.
    public func adding(_ others: [Profile]) -> ProfileCatalogue {
        var result = self
        for profile in others {
            if let index = result.profiles.firstIndex(where: { $0.name == profile.name }) {
                result.profiles[index] = profile
            } else {
                result.profiles.append(profile)
            }
        }
        return result
    }
}
