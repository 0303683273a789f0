import FormworkRuleKit
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.formwork.yml`: found from the template's folder upward, or given with `--config`.
///
/// ```yaml
/// profile: ephemeral               # for templates that name no profile
/// suffixParameter: EnvironmentSuffix
/// requiredTags:                    # key: required value (a literal or !Ref), or null for any
///   Environment: !Ref EnvironmentSuffix
///   Team: payments
/// environmentWords: [prod, production, dev, development, stage, staging]
/// deletionProtection: forbidden    # forbidden | required
/// allowRetain: false
/// thresholds: {cpuPercent: 80, latencySeconds: 0.2, replicaLagSeconds: 60, connectionsFraction: 0.8}
/// rules:
///   disable: [HC-04]
///   enable: [LC-01]                # re-enables what the profile disables
///   severity: {TG-03: warning}
///   custom:                        # the team's own rules as data (docs/custom-rules.md)
///     - {id: ORD-01, resourceTypes: AWS::SQS::Queue, property: MessageRetentionPeriod, operator: at least, value: 86400}
/// exclude: ['legacy/*.yaml']       # paths (globs) lint skips
/// check:                           # what `formwork check` does in this repository
///   include: ['infra/**']          # the templates it considers (default: every file)
///   canonical: true                # templates must be in `formwork fmt` form (CK-02)
///   app: swift run Infra           # the Formwork app whose `check` runs (CK-03); none: no app
/// profiles:                        # a team's own named profiles, with the same keys
///   payments:
///     basedOn: production
///     instanceClasses: [db.r6g.xlarge]
///     engineMajorVersion: 16
/// ```
///
/// A template may carry the same settings in `Metadata: formwork: settings:` (applied over
/// its profile, after the file's).
///
/// Unknown keys and bad values are errors with their line and column (`CF-01`).
public struct ConfigurationFile: Sendable {
    public var path: String
    public var profile: String?
    public var exclude: [String] = []
    /// What `formwork check` does in the repository this file is the root of.
    public var check = CheckSettings()
    /// The profiles the file defines (`profiles:`), over the catalogue it was loaded with.
    public var profiles: ProfileCatalogue = .builtIn
    /// The data rules of its top-level `rules: custom:` (what an app's `synth` adds to its
    /// systems' profiles, as `lint` does to every template's).
    package var teamRules: [TeamRule] = []
    /// Applied over the profile's configuration.
    var apply: @Sendable (inout Profile) -> Void = { _ in }

    public static let fileName = ".formwork.yml"
    public static let diagnosticID: RuleID = "CF-01"

    static let knownKeys = Set(["profile", "profiles", "exclude", "check"]).union(settingKeys)
    /// The keys that set a profile's fields (top level, in `profiles:` and in a template's
    /// `Metadata: formwork: settings`): the profile's own (`rules`, `evaluationDate`) and each
    /// family's (`RuleRegistry.settings`).
    static let settingKeys: Set<String> = Set(["rules", "evaluationDate"] + RuleRegistry.settings.flatMap { $0.keys })

    /// The configuration for a template: profile (`--profile`, the template's own, the
    /// file's, `ephemeral`) with the file's settings over it.
    public func configuration(profile explicit: String?, declared: String?) -> Profile? {
        guard var configuration = profiles.named(explicit ?? declared ?? profile ?? "ephemeral") else { return nil }
        apply(&configuration)
        return configuration
    }

    /// The nearest `.formwork.yml` at or above the folder of `file`.
    public static func locate(for file: String) -> String? {
        let path = FileIO.absolutePath(file)
        return locate(inOrAbove: String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))
    }

    /// The nearest `.formwork.yml` in `folder` (an absolute path) or above it.
    public static func locate(inOrAbove folder: String) -> String? {
        var folder = folder
        while true {
            let candidate = (folder.isEmpty ? "" : folder) + "/" + fileName
            // Whatever stands there is the configuration: a dangling link, a loop, a folder or
            // an unreadable file is refused when it is read, never skipped for the defaults.
            if FileIO.status(candidate, followingLinks: false) != nil { return candidate }
            guard let slash = folder.lastIndex(of: "/"), !folder.isEmpty else { return nil }
            folder = String(folder[..<slash])
        }
    }

    /// A configuration file as one load found it: the path it was looked for at, and the
    /// file or what is wrong with it.
    package struct Loaded: Sendable {
        package var path: String
        package var result: Result<ConfigurationFile, ConfigurationErrors>

        package init(path: String, result: Result<ConfigurationFile, ConfigurationErrors>) {
            self.path = path
            self.result = result
        }
    }

    public static func load(_ path: String, profiles catalogue: ProfileCatalogue = .builtIn) -> Result<ConfigurationFile, ConfigurationErrors> {
        var read = TemplateReader.read(path: path)
        if read.root == nil, FileIO.status(path) == nil, FileIO.status(path, followingLinks: false) != nil {
            // A link that leads nowhere (dangling, or a loop): said so, not just "no such file".
            read.diagnostics = read.diagnostics.map { diagnostic in
                var said = diagnostic
                said.message = "the configuration is a symbolic link that leads to no file: \(diagnostic.message)"
                return said
            }
        }
        return load(read: read, path: path, profiles: catalogue)
    }

    static func load(read: ReadResult, path: String, profiles catalogue: ProfileCatalogue) -> Result<ConfigurationFile, ConfigurationErrors> {
        guard let root = read.root, case .object(let map) = root.kind else {
            return .failure(ConfigurationErrors(diagnostics: read.diagnostics.isEmpty ? [Diagnostic(ruleID: diagnosticID, message: "the configuration must be a mapping", file: path, location: Location(line: 1, column: 1))] : read.diagnostics))
        }
        var problems: [Diagnostic] = []
        func problem(_ message: String, _ location: Location, _ key: String) {
            problems.append(Diagnostic(ruleID: diagnosticID, message: message, file: path, location: location.isKnown ? location : Location(line: 1, column: 1), path: [.key(key)]))
        }
        var file = ConfigurationFile(path: path)
        file.profiles = catalogue
        // The file's data rules, wherever defined, are names `rules: disable` and
        // `severity` may use in any of its sections.
        let known = catalogue.otherRules + customRules(in: map)
        var settings = ObjectMap()
        // Named profiles first, so that `profile:` may name one of them.
        if let defined = map["profiles"] {
            if let entries = defined.objectValue?.entries {
                for entry in entries {
                    guard var body = entry.value.objectValue else { problem("the profile \(entry.key) must be a mapping of settings", entry.value.location, "profiles"); continue }
                    // The catalogue's ephemeral: it carries an app's own rules.
                    var base = catalogue.named("ephemeral") ?? .ephemeral
                    if let basedOn = body["basedOn"] {
                        if let name = basedOn.stringValue, let known = file.profiles.named(name) {
                            base = known
                        } else {
                            problem("basedOn must name a known profile (\(file.profiles.names.joined(separator: ", ")))", basedOn.location, "profiles")
                        }
                        body["basedOn"] = nil
                    }
                    switch parseSettings(body, file: path, section: "profiles", others: known) {
                    case .success(let apply):
                        var profile = Profile(name: entry.key, basedOn: base)
                        apply(&profile)
                        file.profiles = file.profiles.adding([profile])
                    case .failure(let errors):
                        problems += errors.diagnostics
                    }
                }
            } else {
                problem("profiles must map profile names to settings", defined.location, "profiles")
            }
        }
        for entry in map.entries {
            let value = entry.value
            switch entry.key {
            case "profiles":
                continue
            case "profile":
                guard let name = value.stringValue, file.profiles.named(name) != nil else {
                    problem("profile must be one of \(file.profiles.names.joined(separator: ", "))", value.location, entry.key)
                    continue
                }
                file.profile = name
            case "exclude":
                guard let patterns = value.arrayValue?.compactMap(\.stringValue), patterns.count == value.arrayValue?.count else {
                    problem("exclude must be a list of paths or globs", value.location, entry.key)
                    continue
                }
                file.exclude = patterns
            case "check":
                switch CheckSettings.parse(value, file: path) {
                case .success(let settings): file.check = settings
                case .failure(let errors): problems += errors.diagnostics
                }
            case let key where settingKeys.contains(key):
                settings.set(key, value, keyLocation: entry.keyLocation)
            default:
                problem("unknown key '\(entry.key)'; expected one of \(knownKeys.sorted().joined(separator: ", "))", entry.keyLocation, entry.key)
            }
        }
        switch parseSettings(settings, file: path, section: nil, others: known) {
        case .success(let apply):
            file.apply = apply
            var probe = Profile(name: "probe")
            apply(&probe)
            file.teamRules = probe.teamRules
        case .failure(let errors): problems += errors.diagnostics
        }
        if !problems.isEmpty { return .failure(ConfigurationErrors(diagnostics: problems)) }
        return .success(file)
    }

    /// The descriptions of the data rules (`rules: custom:`) a file defines at its top level
    /// and in its profiles (those it cannot read are reported where they stand).
    static func customRules(in map: ObjectMap) -> [RuleDescription] {
        let sections = [map["rules"]] + (map["profiles"]?.objectValue?.entries.map { $0.value["rules"] } ?? [])
        return sections.compactMap { $0?["custom"]?.arrayValue }.joined().compactMap { entry in
            guard case .success(let rule) = DataRule.read(entry) else { return nil }
            return rule.teamRule.description
        }
    }

    /// The settings of a profile (the keys of `settingKeys`) as one change to a profile.
    /// `section` names where they stand in a file (`profiles`), nil for the top level. Each
    /// family's keys go to the family's settings type, which reads them.
    public static func parseSettings(_ map: ObjectMap, file path: String?, section: String?, others: [RuleDescription] = []) -> Result<@Sendable (inout Profile) -> Void, ConfigurationErrors> {
        var problems: [Diagnostic] = []
        func problem(_ message: String, _ location: Location, _ key: String) {
            let at: [PathComponent] = section.map { [.key($0), .key(key)] } ?? [.key(key)]
            problems.append(Diagnostic(ruleID: diagnosticID, message: message, file: path, location: location.isKnown ? location : Location(line: 1, column: 1), path: at))
        }
        var steps: [@Sendable (inout Profile) -> Void] = []
        for entry in map.entries {
            let value = entry.value
            switch entry.key {
            case "evaluationDate":
                let text = value.scalarText ?? ""
                guard CalendarDay(text) != nil else {
                    problem("evaluationDate must be a day of the calendar, YYYY-MM-DD ('\(text.printable)' is not)", value.location, entry.key)
                    continue
                }
                steps.append { $0.evaluationDate = text }
            case "rules":
                guard let rules = value.objectValue else { problem("rules must be a mapping with disable, enable, severity and custom", value.location, entry.key); continue }
                // The team's data rules first, so that disable and severity may name them.
                var custom: [DataRule] = []
                if let list = rules["custom"] {
                    for item in list.arrayValue ?? [] {
                        switch DataRule.read(item) {
                        case .success(let rule):
                            if custom.contains(where: { $0.id.isNamed(by: rule.id.rawValue) }) { problem("two custom rules have the id \(rule.id.rawValue.printable)", item["id"]?.location ?? item.location, entry.key); continue }
                            custom.append(rule)
                        case .failure(let error): problem(error.message, error.location, entry.key)
                        }
                    }
                    if list.arrayValue == nil { problem("rules.custom must be a list of rules (id, resourceTypes, property, operator, value, severity, message)", list.location, entry.key) }
                    let made = custom.map(\.teamRule)
                    steps.append { $0.add(made) }
                }
                let others = others + custom.map(\.teamRule.description)
                for rule in rules.entries {
                    switch rule.key {
                    case "custom":
                        continue
                    case "disable", "enable":
                        let names = rule.value.arrayValue?.compactMap(\.stringValue) ?? []
                        if names.count != (rule.value.arrayValue?.count ?? -1) { problem("rules.\(rule.key) must be a list of rule ids", rule.value.location, entry.key); continue }
                        for (index, name) in names.enumerated() where Self.ruleID(named: name, others: others) == nil {
                            problem("unknown rule '\(name)'", rule.value.arrayValue![index].location, entry.key)
                        }
                        let ids = names.compactMap { Self.ruleID(named: $0, others: others) }
                        let enable = rule.key == "enable"
                        steps.append { $0.setEnabled(enable, ids) }
                    case "severity":
                        var overrides: [RuleID: Severity] = [:]
                        for item in rule.value.objectValue?.entries ?? [] {
                            guard let named = Self.ruleID(named: item.key, others: others) else { problem("unknown rule '\(item.key)'", item.keyLocation, entry.key); continue }
                            guard let level = item.value.stringValue.flatMap(Severity.init(rawValue:)) else {
                                problem("the severity of \(item.key) must be error, warning or info", item.value.location, entry.key)
                                continue
                            }
                            overrides[named] = level
                        }
                        let fixed = overrides
                        steps.append { $0.severityOverrides.merge(fixed) { _, new in new } }
                    default:
                        problem("unknown key rules.\(rule.key); expected disable, enable, severity or custom", rule.keyLocation, entry.key)
                    }
                }
            case let key where RuleRegistry.settings(for: key) != nil:
                // Read once here, so that a bad value is reported where it stands.
                let family = RuleRegistry.settings(for: key)!
                var probe = Profile.ephemeral
                do throws(SettingProblem) {
                    try family.read(key, value, into: &probe)
                    steps.append { try? family.read(key, value, into: &$0) }
                } catch {
                    problem(error.message, error.location, key)
                }
            default:
                problem("unknown setting '\(entry.key)'; expected one of \(settingKeys.sorted().joined(separator: ", "))", entry.keyLocation, entry.key)
            }
        }
        if !problems.isEmpty { return .failure(ConfigurationErrors(diagnostics: problems)) }
        let all = steps
        return .success { configuration in for step in all { step(&configuration) } }
    }

    /// The id of a rule `formwork rules` lists, named by its id (any case) or its name: the
    /// linter's rules and the change rules `formwork diff` runs (LC-08), so that every one
    /// of them can be disabled, enabled or given a severity.
    /// The rules checked elsewhere (the change rules) reach this module through the catalogue
    /// the composition root passes, so that the rule engine does not import the diff.
    static func ruleID(named name: String, others: [RuleDescription]) -> RuleID? {
        RuleRegistry.rule(name)?.description.id
            ?? others.first { $0.id.isNamed(by: name) || $0.name == name }?.id
    }

    /// Whether `file` matches one of the exclude patterns (relative to the config's folder).
    public func excludes(_ file: String) -> Bool {
        let base = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let full = FileIO.absolutePath(file)
        return exclude.contains { pattern in
            let anchored = pattern.hasPrefix("/") ? pattern : base + "/" + pattern
            return fnmatch(anchored, full, 0) == 0 || fnmatch(pattern, file, 0) == 0
        }
    }
}

/// Why a configuration file was refused, every problem with its place.
public struct ConfigurationErrors: Error, Sendable {
    public var diagnostics: [Diagnostic]
}

/// The `check:` section of a repository's `.formwork.yml`.
public struct CheckSettings: Sendable {
    /// Globs relative to the repository root (`**` spans folders); empty: every file.
    public var include: [String] = []
    /// Whether templates must be in canonical form (`formwork fmt`).
    public var canonical = false
    /// The command that runs the repository's Formwork app (its `check` verb is appended);
    /// nil: found from the package; `none` in the file: no app.
    public var app: String?
    public var appDisabled = false

    public init() {}

    static let keys = ["include", "canonical", "app"]

    static func parse(_ value: Node, file path: String) -> Result<CheckSettings, ConfigurationErrors> {
        var problems: [Diagnostic] = []
        func problem(_ message: String, _ node: Node, _ key: String) {
            problems.append(Diagnostic(ruleID: ConfigurationFile.diagnosticID, message: message, file: path,
                                       location: node.location.isKnown ? node.location : Location(line: 1, column: 1), path: [.key("check"), .key(key)]))
        }
        var settings = CheckSettings()
        guard let map = value.objectValue else {
            problem("check must be a mapping with \(keys.joined(separator: ", "))", value, "check")
            return .failure(ConfigurationErrors(diagnostics: problems))
        }
        for entry in map.entries {
            switch entry.key {
            case "include":
                guard let patterns = entry.value.arrayValue?.compactMap(\.stringValue), patterns.count == entry.value.arrayValue?.count else {
                    problem("include must be a list of globs relative to the repository root", entry.value, entry.key)
                    continue
                }
                settings.include = patterns
            case "canonical":
                guard case .bool(let flag) = entry.value.kind else { problem("canonical must be true or false", entry.value, entry.key); continue }
                settings.canonical = flag
            case "app":
                if case .bool(false) = entry.value.kind { settings.appDisabled = true; continue }
                guard let command = entry.value.stringValue, !command.trimmingSpaces.isEmpty else {
                    problem("app must be the command that runs the app (such as `swift run Infra`), or none", entry.value, entry.key)
                    continue
                }
                if command == "none" { settings.appDisabled = true } else { settings.app = command }
            default:
                problem("unknown key '\(entry.key)' in check; expected one of \(keys.joined(separator: ", "))", entry.value, entry.key)
            }
        }
        if !problems.isEmpty { return .failure(ConfigurationErrors(diagnostics: problems)) }
        return .success(settings)
    }

    /// Whether a path relative to the root matches a glob: `*`, `?` and `[...]` within one
    /// name, `**` any number of folders; in time linear in the pattern and the path (`Glob`).
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        Glob(pattern).matches(path)
    }

    public func includes(_ relativePath: String) -> Bool {
        include.isEmpty || include.contains { Self.matches($0, relativePath) }
    }
}

extension ConfigurationFile {
    /// Profiles as the `profiles:` section of a `.formwork.yml` that loads back into the same
    /// profiles: every setting written out over `ephemeral`. An app prints its own this way
    /// (`swift run Infra profiles`), so that `formwork check` lints its templates under them.
    public static func document(profiles: [Profile]) -> Node {
        var section = ObjectMap()
        let known = RuleRegistry.all.map { $0.description }
        for profile in profiles {
            var map = ObjectMap()
            // The generic profile it descends from: a team profile made from another team
            // profile made from production is production-based.
            let base = (profile.genericBase ?? profile.basedOn).flatMap(Profile.builtIn) ?? .ephemeral
            map.set("basedOn", .string(base.name))
            for family in RuleRegistry.settings {
                for (key, value) in family.written(profile) { map.set(key, value) }
            }
            if let day = profile.evaluationDate { map.set("evaluationDate", .string(day)) }
            var rules = ObjectMap()
            rules.set("disable", .array(known.filter { !profile.isEnabled($0) }.map(\.id).sorted().map { .string($0.rawValue) }))
            let enable = known.filter { profile.isEnabled($0) && !base.isEnabled($0) }.map(\.id).sorted()
            if !enable.isEmpty { rules.set("enable", .array(enable.map { .string($0.rawValue) })) }
            var severities = ObjectMap()
            let ids = Set(known.map(\.id))
            for (id, level) in profile.severityOverrides.sorted(by: { $0.key < $1.key }) where ids.contains(id) { severities.set(id.rawValue, .string(level.rawValue)) }
            rules.set("severity", .object(severities))
            map.set("rules", .object(rules))
            section.set(profile.name, .object(map))
        }
        return .object(ObjectMap(["profiles": .object(section)]))
    }

    /// A configuration from text already read (an app's `profiles` output), as `load` reads a file.
    public static func load(bytes: [UInt8], name: String, profiles catalogue: ProfileCatalogue = .builtIn) -> Result<ConfigurationFile, ConfigurationErrors> {
        load(read: TemplateReader.read(bytes, file: name), path: name, profiles: catalogue)
    }
}
