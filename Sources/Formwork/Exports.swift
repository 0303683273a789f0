// `import Formwork` gives the typed core (`Stack`, `Value<T>`, parameters, conditions,
// outputs), profiles with the families' settings, and the `FormworkApp` entry point.
// Linting and diffing are reached through the app's verbs; a package that wants the engine
// itself imports `FormworkRules` or `FormworkDiff`.
@_exported import FormworkCore
@_exported import FormworkIAMActions
@_exported import struct FormworkRuleKit.Profile
@_exported import struct FormworkRuleKit.ProfileCatalogue
// The rule API: a team's own rules in Swift (`FormworkApp.rules`).
@_exported import protocol FormworkRuleKit.Rule
@_exported import struct FormworkRuleKit.RuleDescription
@_exported import struct FormworkRuleKit.PeerCheck
@_exported import enum FormworkRuleKit.RuleFamily
@_exported import class FormworkRuleKit.RuleContext
@_exported import struct FormworkRules.PossibleValues
@_exported import struct FormworkRules.ParsedPolicy
@_exported import struct FormworkRules.AlarmThresholds
@_exported import struct FormworkRules.AlarmSettings
@_exported import struct FormworkRules.HardcodingSettings
@_exported import struct FormworkRules.LifecycleSettings
@_exported import struct FormworkRules.LogsSettings
@_exported import struct FormworkRules.NamingSettings
@_exported import struct FormworkRules.NetworkSettings
@_exported import struct FormworkRules.RDSSettings
@_exported import struct FormworkRules.S3Settings
@_exported import struct FormworkRules.TaggingSettings

import FormworkTemplate

/// A CloudFormation template as Formwork holds it: what `Stack.compile()` returns, with its
/// sections, resources and every value's place.
public typealias Template = FormworkTemplate.Template

/// One finding: its rule id, severity, message, place (file, line, column), logical path
/// (`Resources/Database/Properties/MultiAZ`) and an optional hint.
public typealias Diagnostic = FormworkTemplate.Diagnostic

/// One step of a finding's logical path (`Resources/Database/Properties/MultiAZ`): a key or a
/// list index; what a rule passes to ``RuleContext/report(_:at:path:hint:)``.
public typealias PathComponent = FormworkTemplate.PathComponent
