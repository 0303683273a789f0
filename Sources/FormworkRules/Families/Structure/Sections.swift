import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-14: conditions are condition functions, and every condition named exists.
struct ConditionShapes: Rule {
    static let description = RuleDescription(
        id: "ST-14", name: "condition-shapes", family: .structure, severity: .error,
        rationale: "A condition is one condition function: Fn::Equals of two values, Fn::And and Fn::Or of 2 to 10 conditions, Fn::Not of one, or {Condition: Name}. Fn::If takes a defined condition and two values; a resource's Condition names a defined condition; conditions do not name each other in a circle; a condition's name is letters, digits, & and _. Anything else is refused before deployment.",
        acrossResources: true,
        cfnLint: ["E8001", "E8002", "E8003", "E8004", "E8005", "E8006", "E8007", "E1028", "E3015"],
        triggering: [
            "Conditions:\n  Bad: ↓String\n  Short: ↓{Fn::Equals: [a]}\n  Few: ↓{Fn::And: [{Condition: Bad}]}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: ↓Missing\n    Properties:\n      TopicName: {Fn::If: [↓Unknown, a, b]}\n",
            "Conditions:\n  ↓C1: !Not [!Condition C2]\n  C2: !Not [!Condition C1]\n  ↓C3: !And [!Condition C3, !Equals [a, a]]\n  ↓Use-Key: !Equals [a, b]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: C1\n",
        ],
        nonTriggering: [
            "Parameters:\n  Stage:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\n  NotProd: !Not [!Condition IsProd]\n  Both: !And [!Condition IsProd, !Condition NotProd]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: IsProd\n    Properties:\n      TopicName: !If [NotProd, a, !Ref AWS::NoValue]\n",
        ])

    static func isConditionName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x26 || byte == 0x5F
        }
    }

    func check(_ template: Template, _ context: RuleContext) {
        if let section = template.root["Conditions"], !StructureFacts.hasTransform(template, "AWS::LanguageExtensions") {
            switch section.kind {
            case .object: break
            default: context.report("Conditions must map names to condition functions", at: section.location, path: [.key("Conditions")])
            }
        }
        let defined = Set(template.conditions?.keys ?? [])
        for entry in template.conditions?.entries ?? [] {
            // cfn-lint's E8001 pattern `^[a-zA-Z0-9&_]{1,255}$` (aws-refarch-wordpress names one
            // `UseAWS-ManagedCMK`); a loop's key is judged once expanded.
            if !entry.key.hasPrefix("Fn::ForEach::"), !Self.isConditionName(entry.key) {
                context.report("'\(entry.key)' is not a valid condition name: letters, digits, & and _, up to 255", at: entry.keyLocation, path: [.key("Conditions"), .key(entry.key)])
            }
            condition(entry.value, path: [.key("Conditions"), .key(entry.key)], defined: defined, context)
        }
        circularConditions(template, context)
        for resource in template.resources {
            guard let value = resource.body["Condition"], let name = value.stringValue else { continue }
            if !defined.contains(name) {
                context.report("\(resource.logicalID) uses the condition '\(name)', which is not defined", at: value.location, path: Places.resourcePath(resource, .key("Condition")))
            }
        }
        for entry in template.outputs?.entries ?? [] {
            if let value = entry.value["Condition"], let name = value.stringValue, !defined.contains(name) {
                context.report("the output \(entry.key) uses the condition '\(name)', which is not defined", at: value.location, path: [.key("Outputs"), .key(entry.key), .key("Condition")])
            }
        }
        guard template.transforms.isEmpty else { return }
        for use in context.functions {
            let (function, value, path, inConditions) = (use.function, use.value, use.path, use.inConditions)
            guard function.name == .if, !inConditions else { continue }
            guard let parts = function.argument.arrayValue, parts.count == 3 else {
                context.report("Fn::If takes [condition, value if true, value if false]", at: value.location, path: path)
                continue
            }
            if let name = parts[0].stringValue, !defined.contains(name) {
                context.report("Fn::If names the condition '\(name)', which is not defined", at: parts[0].location, path: path + [.index(0)])
            }
        }
    }

    /// Conditions that name each other in a ring (C1 -> C2 -> C1, or C3 -> C3) cannot be
    /// evaluated: CloudFormation refuses the template. Each ring is reported once, at its
    /// first condition, with its members.
    private func circularConditions(_ template: Template, _ context: RuleContext) {
        let entries = template.conditions?.entries ?? []
        var index: [ScalarKey: Int] = [:]
        for (position, entry) in entries.enumerated() { index[ScalarKey(entry.key)] = position }
        var edges = [[Int]](repeating: [], count: entries.count)
        for (position, entry) in entries.enumerated() {
            let named = TemplateNames.conditionReferences(in: entry.value).filter { !$0.isIf }.map(\.name)
            edges[position] = Array(Set(named.compactMap { index[ScalarKey($0)] })).sorted()
        }
        for component in CircularDependencies.stronglyConnected(edges) {
            guard component.count > 1 || edges[component[0]].contains(component[0]) else { continue }
            let members = component.sorted().map { entries[$0] }
            let shown = members.prefix(10).map(\.key)
            let more = members.count > shown.count ? ", ... (\(members.count - shown.count) more)" : ""
            context.report(members.count == 1 ? "the condition \(members[0].key) names itself: it can never be evaluated"
                                              : "the conditions \(shown.joined(separator: ", "))\(more) name each other in a circle: none can be evaluated",
                           at: members[0].keyLocation.isKnown ? members[0].keyLocation : members[0].value.location, path: [.key("Conditions"), .key(members[0].key)])
        }
    }

    private func condition(_ value: Node, path: [PathComponent], defined: Set<String>, _ context: RuleContext) {
        switch value.kind {
        case .intrinsic(let function):
            let here = path + [.key(function.name.rawValue)]
            let items = function.argument.arrayValue
            switch function.name {
            case .equals:
                guard let items, items.count == 2 else {
                    context.report("Fn::Equals takes two values", at: value.location, path: here)
                    return
                }
                for (index, item) in items.enumerated() {
                    switch item.kind {
                    case .array, .object, .null: context.report("Fn::Equals compares strings, not this", at: item.location, path: here + [.index(index)])
                    case .intrinsic(let inner) where [.importValue, .getAtt, .getAZs, .cidr].contains(inner.name):
                        context.report("\(inner.name) cannot be used in a condition: conditions are evaluated before resources exist", at: item.location, path: here + [.index(index)])
                    default: break
                    }
                }
            case .and, .or:
                guard let items, (2...10).contains(items.count) else {
                    context.report("\(function.name) takes 2 to 10 conditions", at: value.location, path: here)
                    return
                }
                for (index, item) in items.enumerated() { condition(item, path: here + [.index(index)], defined: defined, context) }
            case .not:
                guard let items, items.count == 1 else {
                    context.report("Fn::Not takes one condition", at: value.location, path: here)
                    return
                }
                condition(items[0], path: here + [.index(0)], defined: defined, context)
            case "Condition":
                if let name = function.argument.stringValue, !defined.contains(name) {
                    context.report("the condition '\(name)' is not defined", at: value.location, path: here)
                }
            default:
                context.report("\(function.name) is not a condition function", at: value.location, path: path)
            }
        case .object(let map) where map.count == 1 && map["Condition"] != nil:
            if let name = map["Condition"]?.stringValue, !defined.contains(name) {
                context.report("the condition '\(name)' is not defined", at: value.location, path: path + [.key("Condition")])
            }
        case .null:
            context.report("the condition is null", at: value.location, path: path)
        default:
            context.report("a condition is a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)", at: value.location, path: path)
        }
    }
}

/// ST-15: parameters are declared correctly and their defaults meet their constraints.
struct ParameterDeclarations: Rule {
    static let keys: Set<String> = ["Type", "Default", "AllowedValues", "AllowedPattern", "ConstraintDescription", "Description",
                                    "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho"]
    static let plainTypes: Set<String> = ["String", "Number", "List<Number>", "List<String>", "CommaDelimitedList"]
    static let stringOnly = ["AllowedPattern", "MinLength", "MaxLength"]
    static let numberOnly = ["MinValue", "MaxValue"]

    static let description = RuleDescription(
        id: "ST-15", name: "parameter-declarations", family: .structure, severity: .error,
        rationale: "A parameter has a Type CloudFormation knows (String, Number, List<Number>, CommaDelimitedList, an AWS-specific type or an SSM parameter type), only the documented keys with values of their types, and a Default that its own AllowedValues, AllowedPattern, lengths and range accept; otherwise the stack cannot be created with the default.",
        acrossResources: true,
        cfnLint: ["E2001", "E2002", "E2015"],
        triggering: [
            "Parameters:\n  Size:\n    Type: Number\n    Default: ↓5\n    MinValue: 10\n  ↓Name:\n    ↓Typ: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ],
        nonTriggering: [
            "Parameters:\n  Size:\n    Type: Number\n    Default: 10\n    MinValue: 10\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for entry in template.parameters?.entries ?? [] {
            let path: [PathComponent] = [.key("Parameters"), .key(entry.key)]
            guard let body = entry.value.objectValue else {
                context.report("the parameter \(entry.key) must be a mapping with a Type", at: entry.value.location.isKnown ? entry.value.location : entry.keyLocation, path: path)
                continue
            }
            for key in body.entries where !Self.keys.contains(key.key) {
                context.report("'\(key.key)' is not a parameter property", at: key.keyLocation, path: path + [.key(key.key)])
            }
            let declaredType = body["Type"]
            var isNull = false
            if let declaredType, case .null = declaredType.kind { isNull = true }
            guard let typeValue = declaredType, !isNull else {
                context.report("the parameter \(entry.key) has no Type", at: entry.keyLocation, path: path)
                if let declaredType { context.report("the parameter \(entry.key) Type is null", at: declaredType.location, path: path + [.key("Type")]) }
                continue
            }
            guard let type = typeValue.stringValue else {
                context.report("the parameter \(entry.key) Type must be a string", at: typeValue.location, path: path + [.key("Type")])
                continue
            }
            let isNumber = type == "Number" || type == "List<Number>"
            for name in isNumber ? Self.stringOnly : Self.numberOnly {
                if let key = body.entries.first(where: { $0.key == name }) {
                    context.report("\(name) does not apply to a \(type) parameter", at: key.keyLocation, path: path + [.key(name)])
                }
            }
            if let value = body["Default"], value.intrinsicValue != nil {
                context.report("Default must be a literal: CloudFormation does not evaluate functions there", at: value.location, path: path + [.key("Default")])
            }
            if !Self.isKnownType(type) {
                context.report("'\(type)' is not a parameter type", at: typeValue.location, path: path + [.key("Type")])
            }
            for name in ["Description", "ConstraintDescription", "AllowedPattern", "Default"] {
                if let value = body[name] { if case .null = value.kind { context.report("\(name) is null", at: value.location, path: path + [.key(name)]) } }
            }
            for name in ["MinValue", "MaxValue", "MinLength", "MaxLength"] {
                if let value = body[name], value.numberValue == nil {
                    context.report("\(name) must be a number", at: value.location, path: path + [.key(name)])
                }
            }
            if let echo = body["NoEcho"] {
                if case .bool = echo.kind {} else if !["true", "false"].contains(echo.stringValue?.lowercased() ?? "") {
                    context.report("NoEcho must be true or false", at: echo.location, path: path + [.key("NoEcho")])
                }
            }
            var allowed: [Node]?
            if let values = body["AllowedValues"] {
                if let list = values.arrayValue {
                    allowed = list
                    for (index, item) in list.enumerated() {
                        switch item.kind {
                        case .string, .number, .bool: break
                        default: context.report("AllowedValues holds strings and numbers", at: item.location, path: path + [.key("AllowedValues"), .index(index)])
                        }
                    }
                } else {
                    context.report("AllowedValues must be a list", at: values.location, path: path + [.key("AllowedValues")])
                }
            }
            if let value = body["Default"] { checkDefault(value, type: type, body: body, allowed: allowed, path: path + [.key("Default")], context) }
        }
    }

    private func checkDefault(_ value: Node, type: String, body: ObjectMap, allowed: [Node]?, path: [PathComponent], _ context: RuleContext) {
        guard let text = value.scalarText else { return }
        if let allowed, allowed.contains(where: { $0.scalarText == text }) { return }
        let isList = type == "CommaDelimitedList" || type.hasPrefix("List<")
        let items = isList ? text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces } : [text]
        for item in items {
            if let allowed, !allowed.contains(where: { $0.scalarText == item || (Double($0.scalarText ?? "x") != nil && Double($0.scalarText ?? "") == Double(item)) }) {
                context.report("Default '\(item)' is not one of the AllowedValues", at: value.location, path: path)
                return
            }
            if let pattern = body["AllowedPattern"]?.stringValue, PatternCache.matches("^(?:" + pattern + ")$", item) == false {
                context.report("Default '\(item)' does not match AllowedPattern \(pattern)", at: value.location, path: path)
                return
            }
            if let minimum = body["MinLength"]?.numberValue, Double(item.count) < minimum {
                context.report("Default '\(item)' is shorter than MinLength \(NumberLiteral.text(of: minimum))", at: value.location, path: path)
                return
            }
            if let maximum = body["MaxLength"]?.numberValue, Double(item.count) > maximum {
                context.report("Default '\(item)' is longer than MaxLength \(NumberLiteral.text(of: maximum))", at: value.location, path: path)
                return
            }
            if type == "Number" || type == "List<Number>", let number = Double(item) {
                if let minimum = body["MinValue"]?.numberValue, number < minimum {
                    context.report("Default \(item) is below MinValue \(NumberLiteral.text(of: minimum))", at: value.location, path: path)
                    return
                }
                if let maximum = body["MaxValue"]?.numberValue, number > maximum {
                    context.report("Default \(item) is above MaxValue \(NumberLiteral.text(of: maximum))", at: value.location, path: path)
                    return
                }
            }
        }
    }

    static func isKnownType(_ type: String) -> Bool {
        if plainTypes.contains(type) { return true }
        if type.hasPrefix("AWS::SSM::Parameter::") { return true }
        var inner = Substring(type)
        if inner.hasPrefix("List<") && inner.hasSuffix(">") { inner = inner.dropFirst(5).dropLast() }
        return inner.hasPrefix("AWS::") && inner.split(separator: ":", omittingEmptySubsequences: true).count >= 3
    }
}

/// ST-16: parameters nothing uses.
struct UnusedParameters: Rule {
    static let description = RuleDescription(
        id: "ST-16", name: "unused-parameters", family: .structure, severity: .warning,
        rationale: "A parameter no Ref or ${Name} uses asks deployers for a value that changes nothing; it is usually the remains of a refactoring, or a value someone believes is applied.",
        acrossResources: true,
        cfnLint: ["W2001"],
        triggering: [
            "Parameters:\n  ↓Unused:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ],
        nonTriggering: [
            "Parameters:\n  Name:\n    Type: String\n  Other:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Name\n      DisplayName: !Sub '${Other}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let parameters = template.parameters, template.transforms.isEmpty else { return }
        var used = Set<String>()
        // The functions of Resources, Outputs and Conditions from the shared walk (their Sub
        // variables scanned once); the rest of the template walked here.
        for use in context.functions {
            if use.function.name == .ref, let name = use.function.argument.stringValue { used.insert(name) }
            for variable in use.subVariables { used.insert(variable) }
        }
        if !parameters.entries.allSatisfy({ used.contains($0.key) }) {
            for entry in template.root.entries where entry.key != "Parameters" { Self.collectUnwalked(entry.key, entry.value, into: &used) }
        }
        for entry in parameters.entries where !used.contains(entry.key) {
            context.report("the parameter \(entry.key) is not used", at: entry.keyLocation, path: [.key("Parameters"), .key(entry.key)])
        }
    }

    /// The resource attributes whose functions `TemplateNames.functions` walks.
    static let walkedAttributes: Set<String> = ["Properties", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"]

    /// Collects what a section uses outside the places `TemplateNames.functions` walks
    /// (resource attributes such as Metadata, loops in Outputs and Conditions, the other
    /// sections), which `context.functions` leaves out.
    static func collectUnwalked(_ section: String, _ value: Node, into used: inout Set<String>) {
        switch section {
        case "Resources":
            guard let map = value.objectValue else { return collect(value, into: &used) }
            for entry in map.entries {
                guard let body = entry.value.objectValue else {
                    collect(entry.value, into: &used)
                    continue
                }
                for attribute in body.entries where !walkedAttributes.contains(attribute.key) { collect(attribute.value, into: &used) }
            }
        case "Outputs", "Conditions":
            guard let map = value.objectValue else { return collect(value, into: &used) }
            for entry in map.entries where entry.key.hasPrefix("Fn::ForEach::") { collect(entry.value, into: &used) }
        default:
            collect(value, into: &used)
        }
    }

    static func collect(_ value: Node, into used: inout Set<String>) {
        switch value.kind {
        case .object(let map): for entry in map.entries { collect(entry.value, into: &used) }
        case .array(let items): for item in items { collect(item, into: &used) }
        case .intrinsic(let function):
            if function.name == .ref, let name = function.argument.stringValue { used.insert(name) }
            if function.name == .sub { for variable in SubTemplate.variables(function.subText ?? "") { used.insert(variable) } }
            collect(function.argument, into: &used)
        default: break
        }
    }
}

/// ST-17: conditions nothing uses.
struct UnusedConditions: Rule {
    static let description = RuleDescription(
        id: "ST-17", name: "unused-conditions", family: .structure, severity: .warning,
        rationale: "A condition no resource, output, Fn::If or other condition uses decides nothing: usually a resource lost its Condition by mistake.",
        acrossResources: true,
        cfnLint: ["W8001"],
        triggering: [
            "Parameters:\n  Stage:\n    Type: String\nConditions:\n  ↓IsProd: !Equals [!Ref Stage, prod]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ],
        nonTriggering: [
            "Parameters:\n  Stage:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: IsProd\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let conditions = template.conditions, template.transforms.isEmpty else { return }
        // The conditions no use has named yet: the walk stops once every one is used (most
        // templates use them all).
        var unused = Set(conditions.keys)
        func collect(_ value: Node) {
            guard !unused.isEmpty else { return }
            switch value.kind {
            case .object(let map):
                if let name = map["Condition"]?.stringValue { unused.remove(name) }
                for entry in map.entries { collect(entry.value) }
            case .array(let items): items.forEach(collect)
            case .intrinsic(let function):
                if function.name == .if, let name = function.argument.arrayValue?.first?.stringValue { unused.remove(name) }
                if function.name == "Condition", let name = function.argument.stringValue { unused.remove(name) }
                collect(function.argument)
            default: break
            }
        }
        for entry in template.root.entries { collect(entry.value) }
        for entry in conditions.entries where unused.contains(entry.key) {
            context.report("the condition \(entry.key) is not used", at: entry.keyLocation, path: [.key("Conditions"), .key(entry.key)])
        }
    }
}

/// ST-18: outputs have a Value, known keys, and unique export names.
struct OutputDeclarations: Rule {
    static let keys: Set<String> = ["Description", "Value", "Export", "Condition"]

    static let description = RuleDescription(
        id: "ST-18", name: "output-declarations", family: .structure, severity: .error,
        rationale: "An output is a mapping with a Value (a string, or a function giving one) and only Description, Export (with a Name) and Condition besides; its name is letters and digits; export names are unique in the template, since CloudFormation refuses a second export of the same name.",
        acrossResources: true,
        cfnLint: ["E6001", "E6002", "E6003", "E6004"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  ↓NoValue:\n    Description: nothing\n  One:\n    Value: !Ref Topic\n    Export: {Name: topic}\n  Two:\n    Value: !Ref Topic\n    Export: {Name: ↓topic}\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  TopicArn:\n    Value: !Ref Topic\n    Export: {Name: !Sub '${AWS::StackName}-topic'}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        if let function = template.root["Outputs"]?.intrinsicValue, function.name.rawValue.hasPrefix("Fn::ForEach::"),
           !StructureFacts.hasTransform(template, "AWS::LanguageExtensions") {
            context.report("'\(function.name)' needs the AWS::LanguageExtensions transform; without it, it is not a valid output name", at: template.root["Outputs"]!.location,
                           path: [.key("Outputs"), .key(function.name.rawValue)])
        }
        var exports: [String: String] = [:]
        for entry in template.outputs?.entries ?? [] {
            let path: [PathComponent] = [.key("Outputs"), .key(entry.key)]
            if !Template.isAlphanumericName(entry.key) {
                context.report("'\(entry.key)' is not a valid output name: letters and digits only", at: entry.keyLocation, path: path)
            }
            guard let body = entry.value.objectValue else {
                context.report("the output \(entry.key) must be a mapping with a Value", at: entry.value.location.isKnown ? entry.value.location : entry.keyLocation, path: path)
                continue
            }
            if body["Value"] == nil { context.report("the output \(entry.key) has no Value", at: entry.keyLocation, path: path) }
            for key in body.entries where !Self.keys.contains(key.key) {
                context.report("'\(key.key)' is not an output property", at: key.keyLocation, path: path + [.key(key.key)])
            }
            if let export = body["Export"] {
                guard let name = export.objectValue?["Name"] else {
                    context.report("Export needs a Name", at: export.location, path: path + [.key("Export")])
                    continue
                }
                let key = name.scalarText ?? String(decoding: JSONWriter.compact(name), as: UTF8.self)
                if let first = exports[key] {
                    context.report("the export name of \(entry.key) is also \(first)'s", at: name.location, path: path + [.key("Export"), .key("Name")])
                } else {
                    exports[key] = entry.key
                }
            }
        }
    }
}
