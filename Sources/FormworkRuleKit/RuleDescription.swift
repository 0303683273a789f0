import FormworkTemplate

/// A rule's description: what `formwork rules` prints and what the tests run. The examples
/// are whole templates; in a triggering example each `↓` marks where a finding must land
/// (it is removed before the template is read).
public struct RuleDescription: Sendable {
    /// The rule's id (`RDS-01`; a team's rule in its own namespace, `ORD-01`).
    public var id: RuleID
    /// The rule's name, in kebab case (`storage-encryption`).
    public var name: String
    /// The family the rule belongs to (`.team` for a team's own).
    public var family: RuleFamily
    /// The severity it reports at unless a profile says otherwise.
    public var severity: Severity
    /// What the rule checks and why, in sentences: what `formwork rules ID` prints.
    public var rationale: String
    /// cfn-lint rule ids whose findings mean the same defect at the same place.
    public var cfnLint: [String]
    /// The checks of other tools (checkov, cfn-guard's rule registry, cfn_nag) that cover
    /// the same ground, for teams coming from them.
    public var peers: [PeerCheck]
    /// Templates that must trigger the rule, a `↓` before each place a finding must land.
    public var triggeringExamples: [String]
    /// Templates that must not trigger it.
    public var nonTriggeringExamples: [String]
    /// For a change rule (checked by `formwork diff`, not `lint`): the deployed template the
    /// examples are updates of.
    public var deployedExample: String?
    /// True when what the rule finds in one resource may depend on another resource's
    /// contents (beyond its logical id, its `Type` and a security group's `VpcId`), or when
    /// it reports outside `Resources`. False (the default) declares the rule resource-local:
    /// the language server re-runs it over the resources an edit changed only, and a test
    /// checks over the corpus that each such rule finds the same in a resource alone.
    public var readsAcrossResources: Bool

    /// A rule's description; `triggering` and `nonTriggering` are its examples (whole
    /// templates, `↓` marking where each finding lands), which the tests run.
    public init(id: RuleID, name: String, family: RuleFamily, severity: Severity, rationale: String, acrossResources: Bool = false, cfnLint: [String] = [],
                peers: [PeerCheck] = [], deployed: String? = nil, triggering: [String], nonTriggering: [String]) {
        readsAcrossResources = acrossResources
        self.peers = peers
        deployedExample = deployed
        self.id = id
        self.name = name
        self.family = family
        self.severity = severity
        self.rationale = rationale
        self.cfnLint = cfnLint
        triggeringExamples = triggering
        nonTriggeringExamples = nonTriggering
    }

    /// Listing order: families in catalogue order, then the family's id groups in order, then
    /// by number.
    public static func listsBefore(_ a: RuleDescription, _ b: RuleDescription) -> Bool {
        listsBefore(a.listingKey, a.id, b.listingKey, b.id)
    }

    /// Where the rule stands in listing order, before its id: a sort of many rules works
    /// these out once per rule, not once per comparison.
    package var listingKey: (Int, Int, Int) {
        let families = RuleFamily.allCases
        return (families.firstIndex(of: family) ?? families.count, family.idGroups.firstIndex(of: id.group) ?? 0, id.number ?? 0)
    }

    /// `listsBefore` of two rules whose listing keys are known.
    package static func listsBefore(_ x: (Int, Int, Int), _ a: RuleID, _ y: (Int, Int, Int), _ b: RuleID) -> Bool {
        if x != y { return x < y }
        return a < b
    }
}

/// Another tool's check that covers the same ground as a rule: `checkov CKV_AWS_7`.
public struct PeerCheck: Sendable, Hashable, CustomStringConvertible {
    /// The tools whose checks rules name.
    public enum Tool: String, Sendable, CaseIterable {
        /// checkov's CloudFormation checks (`CKV_AWS_16`).
        case checkov
        /// The cfn-guard rules registry, by rule name (the AWS Config managed rule's: `RDS_STORAGE_ENCRYPTED`).
        case guardRegistry = "cfn-guard"
        /// cfn_nag's rules (`W35`).
        case cfnNag = "cfn_nag"
    }

    /// The tool.
    public var tool: Tool
    /// The check's id in that tool.
    public var id: String

    /// A checkov check.
    public static func checkov(_ id: String) -> PeerCheck { PeerCheck(tool: .checkov, id: id) }
    /// A rule of the cfn-guard rules registry (what the compliance packs map through).
    public static func guardRule(_ id: String) -> PeerCheck { PeerCheck(tool: .guardRegistry, id: id) }
    /// A cfn_nag rule.
    public static func cfnNag(_ id: String) -> PeerCheck { PeerCheck(tool: .cfnNag, id: id) }

    /// `checkov CKV_AWS_7`.
    public var description: String { "\(tool.rawValue) \(id)" }
}

/// One example of a rule, as the tests run it: the template without its `↓` marks, and the
/// places the marks stood (where the findings must land).
public struct RuleExample: Sendable, CustomStringConvertible {
    public var rule: RuleID
    public var index: Int
    public var triggering: Bool
    public var text: String
    public var description: String { "\(rule) \(triggering ? "triggering" : "non-triggering") #\(index + 1)" }

    /// Every example of these rules, triggering first.
    public static func all(of rules: [RuleDescription]) -> [RuleExample] {
        rules.flatMap { rule in
            rule.triggeringExamples.enumerated().map { RuleExample(rule: rule.id, index: $0.offset, triggering: true, text: $0.element) }
                + rule.nonTriggeringExamples.enumerated().map { RuleExample(rule: rule.id, index: $0.offset, triggering: false, text: $0.element) }
        }
    }

    public var template: (text: String, marks: [Location]) {
        var clean = ""
        var marks: [Location] = []
        var line = 1, column = 1
        for character in text {
            if character == "↓" {
                marks.append(Location(line: line, column: column))
                continue
            }
            clean.append(character)
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (clean, marks)
    }
}
