import FormworkModels

/// In this module `Value` is the typed value of the models; the untyped template value
/// (FormworkTemplate's) is `Node`.
typealias Value<T: CFNType> = FormworkModels.Value<T>
