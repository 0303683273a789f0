import FormworkTemplate

// The escapes for what the typed API does not spell, written as CloudFormation spells it and
// unchecked by the Swift compiler (the compile and the validation pass still judge the
// template): what `formwork import` writes where a template says more than the types do, and
// what a hand-written stack can use the same way. Each is visible in review.

extension Value {
    /// A value as the template spells it (a `Ref` to a String parameter where a number goes,
    /// an `Fn::If` whose first branch is `AWS::NoValue`): the caller vouches for its type.
    public init(raw json: JSON) { self.init(unchecked: json.node) }
}

extension PropertyObject {
    /// A whole property object as the template spells it (an `Fn::ImportValue`, a `Ref`, an
    /// object the model's fields cannot hold).
    public init(raw json: JSON) { self.init(storage: PropertyStorage(node: json.node)) }
}

extension ConditionExpression {
    /// A condition as the template spells it (`Fn::Equals` of values of different types).
    public static func raw(_ json: JSON) -> ConditionExpression {
        ConditionExpression(node: json.node, isReference: false)
    }
}

extension ParameterDefinition {
    /// A parameter declared as the template spells it (`Type` and its constraints as given),
    /// for declarations the typed factories do not write.
    public static func raw(_ declaration: JSON) -> Self {
        var definition = Self(type: declaration.node["Type"]?.stringValue ?? "String")
        definition.declaration = declaration.node.objectValue ?? ObjectMap()
        return definition
    }
}

extension Stack {
    /// Sets a resource attribute the typed API does not write (`CreationPolicy`,
    /// `UpdatePolicy`, ...) on a resource added before.
    public func attribute(_ name: String, of resource: any AnyResourceHandle, _ value: JSON) {
        guard let index = resources.firstIndex(where: { $0.0 == resource.logicalID }) else { return }
        resources[index].1.set(name, value.node)
    }

    /// Adds an entry of `Parameters`, `Mappings`, `Conditions`, `Resources` or `Outputs` as
    /// the template spells it, for what the typed API does not add (a `Fn::ForEach` loop, an
    /// output of a list); the compile still judges it.
    public func entry(_ name: String, in section: String, _ value: JSON) {
        switch (section, value.node.objectValue) {
        case ("Parameters", let map?): parameters.append((name, map))
        case ("Mappings", _): mappings.append((name, value.node))
        case ("Conditions", _): conditions.append((name, value.node))
        case ("Resources", let map?): resources.append((name, map))
        case ("Outputs", let map?): outputs.append((name, map))
        default:
            // Not a mapping (a `Fn::ForEach` loop is a list): kept beside the typed entries.
            var entries = otherSections.first { $0.0 == section }?.1.objectValue ?? ObjectMap()
            entries.set(name, value.node)
            self.section(section, JSON(.object(entries)))
        }
    }

    /// Sets a template section the typed API does not write (`Rules`, ...).
    public func section(_ name: String, _ value: JSON) {
        if let index = otherSections.firstIndex(where: { $0.0 == name }) {
            otherSections[index].1 = value.node
        } else {
            otherSections.append((name, value.node))
        }
    }
}
