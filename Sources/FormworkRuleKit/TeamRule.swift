import FormworkTemplate

/// A rule as the linter runs it: its description and its check. The built-in rules are
/// types (``Rule``); a team's rules are values too: a Swift rule its app declares, or a data
/// rule written in `.formwork.yml`, each with its own description.
package struct TeamRule: Sendable {
    package let description: RuleDescription
    package let check: @Sendable (Template, RuleContext) -> Void

    /// A rule written in Swift; made afresh for each template, as the built-in ones are.
    package init(_ rule: any Rule.Type) {
        description = rule.description
        check = { template, context in rule.init().check(template, context) }
    }

    /// A rule described and checked by values (a data rule).
    package init(description: RuleDescription, check: @escaping @Sendable (Template, RuleContext) -> Void) {
        self.description = description
        self.check = check
    }
}

extension Profile {
    /// Adds a team's own rules, which then run with the built-in ones wherever the profile
    /// is used (`synth`, `lint`, `check`, the language server). A rule of an id the profile
    /// holds already replaces it.
    public mutating func add(_ rules: [any Rule]) {
        add(rules.map { TeamRule(type(of: $0)) })
    }

    package mutating func add(_ rules: [TeamRule]) {
        for rule in rules {
            teamRules.removeAll { $0.description.id == rule.description.id }
            teamRules.append(rule)
        }
    }

    /// The descriptions of the team's own rules this profile runs, in the order they were added.
    public var teamRuleDescriptions: [RuleDescription] { teamRules.map(\.description) }
}

extension ProfileCatalogue {
    /// The same profiles, each with these rules added (an app's own rules run under every
    /// profile its templates name).
    package func adding(rules: [TeamRule]) -> ProfileCatalogue {
        guard !rules.isEmpty else { return self }
        var result = ProfileCatalogue(profiles.map { profile in
            var copy = profile
            copy.add(rules)
            return copy
        })
        result.otherRules = otherRules
        return result
    }
}
