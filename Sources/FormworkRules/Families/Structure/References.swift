import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-09: Ref names something.
struct RefTargets: Rule {
    static let description = RuleDescription(
        id: "ST-09", name: "ref-targets", family: .structure, severity: .error,
        rationale: "A Ref must name a parameter, a resource of the template or a pseudo parameter (in Conditions and Rules, only parameters and pseudo parameters): anything else fails validation before the stack is touched.",
        acrossResources: true,
        cfnLint: ["E1020"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ↓{Ref: TopicNameParameter}\n",
            "Parameters:\n  Size:\n    Type: String\nRules:\n  ProductionSize:\n    RuleCondition: !Equals [↓!Ref Environment, prod]\n    Assertions:\n      - Assert: !Contains [[large], !Ref Size]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ],
        nonTriggering: [
            "Parameters:\n  Name:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Name\n      DisplayName: !Ref AWS::StackName\n",
        ])

    /// Parameter types whose value is a list (`CommaDelimitedList`, `List<...>`, and SSM
    /// parameters of those).
    static func isListType(_ type: String) -> Bool {
        type == "CommaDelimitedList" || type.hasPrefix("List<") || type.hasPrefix("AWS::SSM::Parameter::Value<List<")
            || type == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
    }

    func check(_ template: Template, _ context: RuleContext) {
        let names = context.names
        guard !names.transformed else { return }
        for use in context.functions {
            let (function, value, path, inConditions) = (use.function, use.value, use.path, use.inConditions)
            guard function.name == .ref else { continue }
            guard let name = function.argument.stringValue else {
                context.report("Ref takes the name of a parameter or resource", at: value.location, path: path)
                continue
            }
            if !names.isReferable(name, inConditions: inConditions) {
                context.report("Ref to '\(name)', which is not \(inConditions ? "a parameter" : "a parameter, resource") or pseudo parameter of this template", at: value.location, path: path)
            }
        }
        TemplateNames.ruleFunctions(in: template) { function, value, path in
            guard function.name == .ref, let name = function.argument.stringValue, !names.isReferable(name, inConditions: true) else { return }
            context.report("Ref to '\(name)', which is not a parameter or pseudo parameter of this template (a rule judges parameters)", at: value.location, path: path)
        }
    }
}

/// ST-10: Fn::GetAtt names a resource and one of its attributes.
struct GetAttTargets: Rule {
    static let description = RuleDescription(
        id: "ST-10", name: "getatt-targets", family: .structure, severity: .error,
        rationale: "Fn::GetAtt takes a resource of the template and an attribute its type has: the return values CloudFormation documents, as cfn-lint knows them (the registry schema's read-only properties, and for some types every property: SQS QueueName, VPC CidrBlock, DocumentDB Port, ...); custom resources and modules take any, a nested stack Outputs.*. A misspelt attribute fails validation.",
        acrossResources: true,
        cfnLint: ["E1010"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt [↓Missing, Arn]\n      RedriveAllowPolicy: {Fn::GetAtt: [Topic, ↓TopicArnn]}\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt [Cluster, ↓Endpoint.HostedZoneId]\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Topic.TopicArn\n",
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Vpc:\n    Type: AWS::EC2::VPC\n  Stack:\n    Type: AWS::CloudFormation::Stack\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Join ['-', [!GetAtt Queue.QueueName, !GetAtt Vpc.CidrBlock, !GetAtt Stack.Outputs.Name]]\n",
        ])

    /// Parameter types whose value is a list (`CommaDelimitedList`, `List<...>`, and SSM
    /// parameters of those).
    static func isListType(_ type: String) -> Bool {
        type == "CommaDelimitedList" || type.hasPrefix("List<") || type.hasPrefix("AWS::SSM::Parameter::Value<List<")
            || type == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
    }

    func check(_ template: Template, _ context: RuleContext) {
        let names = context.names
        guard !names.transformed else { return }
        for use in context.functions {
            let (function, path) = (use.function, use.path)
            guard function.name == .getAtt, let parts = function.argument.arrayValue, parts.count == 2 else { continue }
            guard let id = parts[0].stringValue else { continue }
            guard let type = names.resources[id] else {
                if names.isModuleResource(id) { continue }
                context.report("Fn::GetAtt of '\(id)', which is not a resource of this template", at: parts[0].location, path: path + [.index(0)])
                continue
            }
            guard let attribute = parts[1].stringValue else { continue }
            if StructureFacts.isExempt(type, serverless: true) { continue }
            guard let summary = context.registry.summary(for: type) else { continue }
            if !summary.acceptsAttribute(attribute) {
                let known = summary.attributes
                context.report("\(type) has no attribute '\(attribute)'\(known.isEmpty ? "" : "; it has \(known.prefix(8).joined(separator: ", "))\(known.count > 8 ? ", ..." : "")")",
                               at: parts[1].location, path: path + [.index(1)])
            }
        }
    }
}

/// ST-11: the variables of Fn::Sub name something; `${Name}` outside a Sub is a bug.
struct SubVariables: Rule {
    static let description = RuleDescription(
        id: "ST-11", name: "sub-variables", family: .structure, severity: .error,
        rationale: "Each ${Name} in an Fn::Sub is a variable of the Sub's own map, a parameter, a resource (or Resource.Attribute) or a pseudo parameter; anything else fails validation, and so does a list parameter (CommaDelimitedList, List<...>), which has no text form until joined. The same ${Name} in a plain string is not substituted: it reaches the resource as literal text.",
        acrossResources: true,
        cfnLint: ["E1019", "E1029"],
        triggering: [
            "Parameters:\n  Ami:\n    Type: String\nResources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ↓'${Ami}'\n      UserData: ↓{Fn::Sub: 'install ${Package}'}\n",
            "Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\nOutputs:\n  Placement:\n    Value: ↓!Sub 'subnets ${Subnets}'\n  Joined:\n    Value: !Sub ['subnets ${List}', {List: !Join [',', !Ref Subnets]}]\n",
        ],
        nonTriggering: [
            "Parameters:\n  Ami:\n    Type: String\nResources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !Sub '${Ami}'\n      UserData: !Sub ['install ${Package} ${!Literal}', {Package: httpd}]\n",
            "Resources:\n  Everywhere:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n      StackSetName: baseline\n      PermissionModel: SELF_MANAGED\n      TemplateBody: \"Resources:\\n  Topic:\\n    Type: AWS::SNS::Topic\\n    Properties:\\n      TopicName: !Sub 'alerts-${AWS::Region}'\\n\"\n",
        ])

    /// Parameter types whose value is a list (`CommaDelimitedList`, `List<...>`, and SSM
    /// parameters of those).
    static func isListType(_ type: String) -> Bool {
        type == "CommaDelimitedList" || type.hasPrefix("List<") || type.hasPrefix("AWS::SSM::Parameter::Value<List<")
            || type == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
    }

    func check(_ template: Template, _ context: RuleContext) {
        let names = context.names
        guard !names.transformed else { return }
        let parameters = template.parameters
        for use in context.functions {
            guard use.function.name == .sub else { continue }
            let (function, value, path) = (use.function, use.value, use.path)
            // The variables of the string form or the list form's text (`subText`, scanned once
            // for all rules); those of an Fn::Sub written otherwise are not read.
            var local: [String] = []
            if function.argument.stringValue != nil {
            } else if let parts = function.argument.arrayValue, parts.count == 2 {
                local = parts[1].objectValue?.keys ?? []
            } else if function.argument.intrinsicValue == nil {
                context.report("Fn::Sub takes a string, or a string and a map of variables", at: value.location, path: path)
                continue
            } else {
                continue
            }
            for variable in use.subVariables where !local.contains(variable) {
                // `isReferable`, with the parameter test kept for the list test below.
                let isParameter = names.parameters.contains(variable)
                if isParameter || Template.pseudoParameters.contains(variable) || names.resources[variable] != nil || names.isModuleResource(variable)
                    || (SubVariableScan.hasDot(variable) && variable.contains(".") && names.resources[SubVariableScan.head(variable)] != nil) {
                    // A list parameter has no text form: CloudFormation refuses to substitute it.
                    if isParameter, let type = parameters?[variable]?["Type"]?.stringValue, Self.isListType(type) {
                        context.report("Fn::Sub uses ${\(variable)}, a \(type) parameter: a list cannot be substituted into text",
                                       at: value.location, path: path, hint: "join it first: !Join [',', !Ref \(variable)], in the Sub's variable map")
                    }
                    continue
                }
                context.report("Fn::Sub uses ${\(variable)}, which is not a variable, parameter, resource or pseudo parameter", at: value.location, path: path)
            }
        }
        // ${Name} in a plain string, where Name is something a Sub would substitute; not in
        // the properties that hold a template or a document for another engine, where
        // `${...}` is that engine's syntax (a StackSet's TemplateBody, a state machine's
        // DefinitionString with its DefinitionSubstitutions, an OpenAPI Body, ...).
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] {
            guard let properties = entry.value["Properties"]?.objectValue else {
                if let properties = entry.value["Properties"] {
                    var path: [PathComponent] = [.key("Resources"), .key(entry.key), .key("Properties")]
                    plainStrings(properties, &path, names, context)
                }
                continue
            }
            let embedded = Self.embeddedDocuments[entry.value["Type"]?.stringValue ?? ""] ?? []
            var path: [PathComponent] = [.key("Resources"), .key(entry.key), .key("Properties")]
            for property in properties.entries where !embedded.contains(property.key) {
                path.append(.key(property.key))
                plainStrings(property.value, &path, names, context)
                path.removeLast()
            }
        }
        for entry in template.outputs?.entries ?? [] {
            var path: [PathComponent] = [.key("Outputs"), .key(entry.key)]
            plainStrings(entry.value, &path, names, context)
        }
    }

    /// Properties whose strings are templates or documents read by another engine.
    static let embeddedDocuments: [String: Set<String>] = [
        "AWS::CloudFormation::StackSet": ["TemplateBody"],
        "AWS::CloudFormation::Stack": ["TemplateBody"],
        "AWS::StepFunctions::StateMachine": ["DefinitionString", "Definition"],
        "AWS::ApiGateway::RestApi": ["Body"],
        "AWS::ApiGatewayV2::Api": ["Body"],
        "AWS::SSM::Document": ["Content"],
        "AWS::ImageBuilder::Component": ["Data"],
        "AWS::AppSync::Resolver": ["RequestMappingTemplate", "ResponseMappingTemplate", "Code"],
        "AWS::AppSync::FunctionConfiguration": ["RequestMappingTemplate", "ResponseMappingTemplate", "Code"],
        "AWS::AppSync::GraphQLSchema": ["Definition"],
        "AWS::Glue::Job": ["DefaultArguments"],
        "AWS::CodeBuild::Project": ["Source"],
        "AWS::Serverless::StateMachine": ["Definition"],
        "AWS::Pipes::Pipe": ["TargetParameters"],
        "AWS::Events::Rule": ["EventPattern"],
        "AWS::IoT::TopicRule": ["TopicRulePayload"],
        "AWS::Scheduler::Schedule": ["Target"],
    ]

    /// One path array, pushed and popped: most values hold no `${`.
    private func plainStrings(_ value: Node, _ path: inout [PathComponent], _ names: TemplateNames, _ context: RuleContext) {
        switch value.kind {
        case .string(let text) where text.has("${") && text.contains("${"):  // the byte search first: most strings have no `${`
            for variable in SubTemplate.variables(text) {
                guard names.isReferable(variable, inConditions: false)
                        || (SubVariableScan.hasDot(variable) && variable.contains(".") && names.resources[SubVariableScan.head(variable)] != nil) else { continue }
                context.report("'${\(variable)}' is outside an Fn::Sub: it stays literal text", at: value.location, path: path)
            }
        case .object(let map):
            for entry in map.entries {
                path.append(.key(entry.key))
                plainStrings(entry.value, &path, names, context)
                path.removeLast()
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                plainStrings(item, &path, names, context)
                path.removeLast()
            }
        case .intrinsic(let function) where function.name != .sub:
            path.append(.key(function.name.rawValue))
            plainStrings(function.argument, &path, names, context)
            path.removeLast()
        default:
            break
        }
    }
}

/// ST-12: DependsOn names resources.
struct DependsOnTargets: Rule {
    static let description = RuleDescription(
        id: "ST-12", name: "depends-on-targets", family: .structure, severity: .error,
        rationale: "DependsOn lists resources of the template, as names (a string or a list of strings); a resource does not depend on itself, nor on a resource with a `Condition` that may be false where the dependent resource is deployed (the stack then fails with an unresolved dependency; the conditions are judged as ST-58 judges them).",
        acrossResources: true,
        cfnLint: ["E3005"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: ↓Queue\n",
            "Parameters:\n  Env:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Condition: IsProd\n  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: [↓Queue]\n  Alarm:\n    Type: AWS::SNS::Topic\n    Condition: IsProd\n    DependsOn: Queue\n",
        ],
        nonTriggering: [
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: [Queue]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let names = context.names
        var availability = ConditionAvailability(template)
        // A transform's resources are not all written here, but SAM's keep the conditions.
        let judgesConditions = !availability.resourceConditions.isEmpty && ConditionAvailability.judges(template)
        guard !names.transformed || judgesConditions else { return }
        for resource in template.resources {
            guard let value = resource.body["DependsOn"] else { continue }
            let base = Places.resourcePath(resource, .key("DependsOn"))
            let items: [(Node, [PathComponent])]
            if let list = value.arrayValue { items = list.enumerated().map { ($0.element, base + [.index($0.offset)]) } } else { items = [(value, base)] }
            for (item, path) in items {
                guard let name = item.stringValue else {
                    if !names.transformed { context.report("DependsOn takes resource names", at: item.location, path: path) }
                    continue
                }
                if names.resources[name] == nil || name == resource.logicalID {
                    guard !names.transformed else { continue }
                    context.report("\(resource.logicalID) depends on '\(name)', which is \(name == resource.logicalID ? "itself" : "not a resource of this template")", at: item.location, path: path)
                } else if judgesConditions, let condition = availability.resourceConditions[name],
                          let missing = availability.missing(name, where: resource.body["Condition"]?.stringValue.map { [ConditionAvailability.Requirement(condition: $0, holds: true)] } ?? []) {
                    context.report("\(resource.logicalID) depends on '\(name)', a resource created only when condition '\(condition)' is true, which may not exist (\(ConditionAvailability.describe(missing))): the stack fails with an unresolved dependency", at: item.location, path: path,
                                   hint: "give \(resource.logicalID) a condition that implies '\(condition)'")
                }
            }
        }
    }
}

/// ST-13: no circular dependencies.
struct CircularDependencies: Rule {
    static let description = RuleDescription(
        id: "ST-13", name: "circular-dependencies", family: .structure, severity: .error,
        rationale: "Resources that reach each other through Ref, Fn::GetAtt, Fn::Sub or DependsOn cannot be created in any order: CloudFormation refuses the template. Each resource in a cycle of up to 10 is reported with the way round; a larger cycle is reported once, at its first member, with the number of members.",
        acrossResources: true,
        cfnLint: ["E3004"],
        triggering: [
            "Resources:\n  ↓A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt B.TopicArn\n  ↓B:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref A\n",
        ],
        nonTriggering: [
            "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt A.TopicArn\n",
            "Parameters:\n  Alerts:\n    Type: String\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Alerts\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let names = context.names
        guard !names.transformed else { return }
        let resources = template.resources
        var index: [String: Int] = [:]
        for (position, resource) in resources.enumerated() { index[resource.logicalID] = position }
        var edges = [[Int]](repeating: [], count: resources.count)
        // A name that is both a parameter and a resource (ST-50 reports it) is not taken for
        // the resource in a Ref or Sub: that would make `X: !Ref X` a cycle of X with itself.
        var clashing = Set<String>()
        for key in template.parameters?.keys ?? [] where index[key] != nil { clashing.insert(key) }
        // What Properties, CreationPolicy and UpdatePolicy name, from the shared index.
        let references = context.resourceReferences
        for position in resources.indices {
            var targets: [Int] = []
            for names in [references.properties[position], references.policies[position]] {
                for name in names where clashing.isEmpty || !clashing.contains(name) {
                    if let target = index[name] { targets.append(target) }
                }
            }
            if let value = resources[position].body["DependsOn"] {
                if let name = value.stringValue, let target = index[name] { targets.append(target) }
                for item in value.arrayValue ?? [] { if let name = item.stringValue, let target = index[name] { targets.append(target) } }
            }
            // Sorted, each once (as from a set of names: one name, one position).
            targets.sort()
            var unique: [Int] = []
            unique.reserveCapacity(targets.count)
            for target in targets where unique.last != target { unique.append(target) }
            edges[position] = unique
        }
        for component in Self.stronglyConnected(edges) {
            let cyclic = component.count > 1 || edges[component[0]].contains(component[0])
            guard cyclic else { continue }
            let inside = Set(component)
            let members = component.sorted()
            // A small cycle is reported at each member, with the way round (as cfn-lint does);
            // a large one once, at its first member, with a count and the first members, so
            // that the report grows with the template and not with its square.
            guard members.count <= Self.reportedPerMember else {
                let first = resources[members[0]]
                let shown = members.prefix(Self.reportedPerMember).map { resources[$0].logicalID }
                context.report("\(members.count) resources are in one circular dependency: \(shown.joined(separator: ", ")), ... (\(members.count - shown.count) more)",
                               at: first.keyLocation, path: Places.resourcePath(first))
                continue
            }
            for position in members {
                let resource = resources[position]
                let cycle = Self.cycle(from: position, edges: edges, within: inside).map { resources[$0].logicalID }
                context.report("\(resource.logicalID) is in a circular dependency: \(cycle.joined(separator: " -> "))", at: resource.keyLocation,
                               path: Places.resourcePath(resource))
            }
        }
    }

    /// Cycles up to this many members are reported at each member; larger ones once.
    static let reportedPerMember = 10

    static func references(_ value: Node, _ isDependsOn: Bool, into targets: inout Set<String>) {
        if isDependsOn {
            if let name = value.stringValue { targets.insert(name) }
            for item in value.arrayValue ?? [] { if let name = item.stringValue { targets.insert(name) } }
            return
        }
        switch value.kind {
        case .object(let map): for entry in map.entries { references(entry.value, false, into: &targets) }
        case .array(let items): for item in items { references(item, false, into: &targets) }
        case .intrinsic(let function):
            switch function.name {
            case .ref: if let name = function.argument.stringValue { targets.insert(name) }
            case .getAtt: if let name = function.argument.arrayValue?.first?.stringValue { targets.insert(name) }
            case .sub:
                let local = SubVariableScan.locals(function)
                for variable in SubTemplate.variables(function.subText ?? "") where !local.contains(variable) {
                    targets.insert(SubVariableScan.head(variable))
                }
            default: break
            }
            references(function.argument, false, into: &targets)
        default: break
        }
    }

    /// The shortest way from a node back to itself inside its component, both ends included.
    static func cycle(from start: Int, edges: [[Int]], within component: Set<Int>) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start], head = 0
        while head < queue.count {
            let node = queue[head]; head += 1
            for next in edges[node] where component.contains(next) {
                if next == start {
                    var path = [start], current = node
                    while current != start { path.append(current); current = previous[current]! }
                    return [start] + path.dropFirst().reversed() + [start]
                }
                if previous[next] == nil { previous[next] = node; queue.append(next) }
            }
        }
        return [start, start]
    }

    /// Tarjan's algorithm, without recursion (templates may be large).
    static func stronglyConnected(_ edges: [[Int]]) -> [[Int]] {
        var indexOf = [Int](repeating: -1, count: edges.count), low = [Int](repeating: 0, count: edges.count)
        var onStack = [Bool](repeating: false, count: edges.count)
        var stack: [Int] = [], result: [[Int]] = [], counter = 0
        for start in edges.indices where indexOf[start] < 0 {
            var work: [(node: Int, next: Int)] = [(start, 0)]
            indexOf[start] = counter; low[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            while let (node, next) = work.last {
                if next < edges[node].count {
                    work[work.count - 1].next += 1
                    let target = edges[node][next]
                    if indexOf[target] < 0 {
                        indexOf[target] = counter; low[target] = counter; counter += 1
                        stack.append(target); onStack[target] = true
                        work.append((target, 0))
                    } else if onStack[target] {
                        low[node] = min(low[node], indexOf[target])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[node]) }
                    if low[node] == indexOf[node] {
                        var component: [Int] = []
                        while let top = stack.popLast() {
                            onStack[top] = false
                            component.append(top)
                            if top == node { break }
                        }
                        result.append(component)
                    }
                }
            }
        }
        return result
    }
}
