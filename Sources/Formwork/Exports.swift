// `import Formwork` gives the typed core (`Stack`, `Value<T>`, parameters, conditions,
// outputs), the untyped template model (`Node`, `Template`, `Diagnostic`) and the rule
// engine's `Profile`: what a user's stacks and app are written with.
@_exported import FormworkCore
@_exported import FormworkRules
