// `import Formwork` gives the typed core (`Stack`, `Value<T>`, parameters, conditions,
// outputs), the untyped template model (`Node`, `Template`, `Diagnostic`), and of the rule
// engine only what a user's stacks and app are written with: `Profile` and its catalogue.
// Linting and diffing are reached through the app's verbs; a package that wants the engine
// itself imports `FormworkRules` or `FormworkDiff`.
@_exported import FormworkCore
@_exported import struct FormworkRules.AlarmThresholds
@_exported import struct FormworkRules.Profile
@_exported import struct FormworkRules.ProfileCatalogue
