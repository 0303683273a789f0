import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-19: the shapes of the other intrinsic functions.
struct FunctionShapes: Rule {
    /// Functions whose value is a list.
    static let listFunctions: Set<IntrinsicName> = [.getAZs, .split, .cidr, .findInMap, .getAtt, .ref, .if, .importValue, .transform]
    /// Functions that may stand where a key or index goes (resolved before use).
    static let keyFunctions: Set<IntrinsicName> = [.ref, .findInMap, .sub, .select, .join, .if, .importValue]
    /// Every function CloudFormation and its AWS transforms define (the Rules section's
    /// own included); `Fn::ForEach::NAME` loops are matched by their prefix.
    static let definedFunctions: Set<IntrinsicName> = YAMLWriter.shortForms.union([.length, .toJsonString, "Fn::GetStackOutput"])

    static let description = RuleDescription(
        id: "ST-19", name: "function-shapes", family: .structure, severity: .error,
        rationale: "A one-key mapping whose key starts with Fn:: is a function call, and CloudFormation refuses a name it does not define (`Fn::Rain::Embed`, which another tool expands before deploying, or a typo such as `Fn::Joins`): \"encountered unsupported function\". Fn::Select takes an integer index and a list, Fn::Join a delimiter and a list, Fn::Split a delimiter and a string, Fn::Base64 a string, Fn::Cidr an address block, a count (1 to 256) and host bits (1 to 128), Fn::GetAZs a region or '', Fn::FindInMap a mapping of the template with its keys (literal keys must exist; resource attributes cannot be keys, since mappings are resolved before resources exist), Fn::ImportValue an export name (a string, or a Sub, Join, Select, Split, If, FindInMap or Ref of one; not another import), and Fn::GetStackOutput a mapping of StackName and OutputName (and RoleArn, Region). CloudFormation refuses anything else before it starts.",
        acrossResources: true,
        cfnLint: ["E1011", "E1015", "E1016", "E1017", "E1018", "E1021", "E1022", "E1024", "E1033", "E3012"],
        triggering: [
            "Mappings:\n  Sizes:\n    prod: {Instance: m5.large}\nResources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      InstanceType: !FindInMap [Sizes, ↓test, Instance]\n      AvailabilityZone: !Select [↓a, !GetAZs '']\n      UserData: ↓{Fn::Base64: [text]}\n      KeyName: ↓{Fn::Join: [',', ↓a, b]}\n",
            "Transform: AWS::LanguageExtensions\nResources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::111111111111:role/app\n      Runtime: python3.12\n      Handler: index.handler\n      Code:\n        ZipFile: ↓{Fn::Rain::Embed: handler.py}\n",
        ],
        nonTriggering: [
            "Mappings:\n  Sizes:\n    prod: {Instance: m5.large}\nResources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      InstanceType: !FindInMap [Sizes, prod, Instance]\n      AvailabilityZone: !Select [0, !GetAZs '']\n      UserData: !Base64 'echo hello'\n      KeyName: !Join [',', [a, b]]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        reportUndefinedFunctions(template, context)
        guard template.transforms.isEmpty else { return }
        let mappings = template.mappings ?? ObjectMap()
        for use in context.functions {
            let (function, value, path) = (use.function, use.value, use.path)
            let items = function.argument.arrayValue
            func report(_ message: String, _ at: Node, _ extra: [PathComponent] = []) {
                context.report(message, at: at.location.isKnown ? at.location : value.location, path: path + extra)
            }
            switch function.name {
            case .select:
                guard let items, items.count >= 2 else { report("Fn::Select takes [index, list]", value); continue }
                if items.count != 2 { report("Fn::Select takes [index, list], not \(items.count) items", value) }
                if !Self.isInteger(items[0]) { report("Fn::Select's index must be an integer", items[0], [.index(0)]) }
                if !Self.isList(items[1]) { report("Fn::Select picks from a list", items[1], [.index(1)]) }
                if let list = items[1].arrayValue, let number = items[0].numberValue, number.checkedInt.map({ $0 >= list.count || $0 < 0 }) ?? true {
                    report("Fn::Select's index \(items[0].scalarText ?? "?") is outside the list of \(list.count)", items[0], [.index(0)])
                }
            case .join:
                guard let items, items.count >= 2 else { report("Fn::Join takes [delimiter, list]", value); continue }
                if items.count != 2 { report("Fn::Join takes [delimiter, list], not \(items.count) items", value) }
                if items[0].stringValue == nil { report("Fn::Join's delimiter must be a string", items[0], [.index(0)]) }
                if !Self.isList(items[1]) { report("Fn::Join joins a list", items[1], [.index(1)]) }
            case .split:
                guard let items, items.count == 2 else { report("Fn::Split takes [delimiter, string]", value); continue }
                if items[0].stringValue == nil { report("Fn::Split's delimiter must be a string", items[0], [.index(0)]) }
                if items[1].arrayValue != nil || items[1].objectValue != nil { report("Fn::Split splits a string", items[1], [.index(1)]) }
            case .base64:
                if function.argument.arrayValue != nil || function.argument.objectValue != nil { report("Fn::Base64 encodes a string", value) }
            case .getAZs:
                switch function.argument.kind {
                case .string(let region):
                    if !region.isEmpty, PatternCache.matches("^[a-z]{2}(-[a-z]+)+-[0-9]$", region) == false {
                        report("Fn::GetAZs takes a region name or '', not '\(region)'", function.argument)
                    }
                case .intrinsic: break
                // At the argument: in JSON the call's `{` is often on the line before.
                default: report("Fn::GetAZs takes a region name or ''", function.argument)
                }
            case .cidr:
                guard let items, items.count == 3 else { report("Fn::Cidr takes [ip block, count, cidr bits]", value); continue }
                if let count = items[1].numberValue, !(1...256).contains(count) { report("Fn::Cidr's count must be 1 to 256", items[1], [.index(1)]) }
                if let bits = items[2].numberValue, !(1...128).contains(bits) { report("Fn::Cidr's cidr bits must be 1 to 128", items[2], [.index(2)]) }
            case .findInMap:
                guard let items, (3...4).contains(items.count) else { report("Fn::FindInMap takes [mapping, top-level key, second-level key]", value); continue }
                for (index, item) in items.prefix(3).enumerated() {
                    switch item.kind {
                    case .string, .number, .bool: break
                    case .intrinsic(let inner) where Self.keyFunctions.contains(inner.name): break
                    default: report("Fn::FindInMap's keys are strings or Ref, Fn::FindInMap, Fn::Sub values", item, [.index(index)])
                    }
                }
                guard let mappingName = items[0].stringValue else { continue }
                guard let mapping = mappings[mappingName]?.objectValue else {
                    report("Fn::FindInMap names the mapping '\(mappingName)', which is not defined", items[0], [.index(0)]); continue
                }
                guard let top = items[1].scalarText else { continue }
                guard let second = mapping[top]?.objectValue else {
                    report("the mapping \(mappingName) has no key '\(top)'", items[1], [.index(1)]); continue
                }
                if let key = items[2].scalarText, second[key] == nil, items.count == 3 {
                    report("the mapping \(mappingName).\(top) has no key '\(key)'", items[2], [.index(2)])
                }
            case .importValue:
                switch function.argument.kind {
                case .string: break
                case .intrinsic(let inner) where [.sub, .join, .select, .split, .if, .findInMap, .ref, .base64].contains(inner.name): break
                default: report("Fn::ImportValue takes an export name (a string, or a function that gives one), not \(function.argument.arrayValue != nil ? "a list" : function.argument.intrinsicValue.map { $0.name.rawValue } ?? "this")", value)
                }
            case "Fn::GetStackOutput":
                guard let map = function.argument.objectValue else { report("Fn::GetStackOutput takes a mapping of StackName and OutputName", value); continue }
                for key in ["StackName", "OutputName"] where map[key] == nil { report("Fn::GetStackOutput needs \(key)", value) }
                for entry in map.entries where !["StackName", "OutputName", "RoleArn", "Region"].contains(entry.key) {
                    context.report("'\(entry.key)' is not a key of Fn::GetStackOutput (StackName, OutputName, RoleArn, Region)", at: entry.keyLocation, path: path + [.key(entry.key)])
                }
            default:
                break
            }
        }
    }

    /// Function names CloudFormation does not define. A macro (a transform of the template's
    /// own, or `Fn::Transform`) may consume names of its own, so what it sees is not judged.
    func reportUndefinedFunctions(_ template: Template, _ context: RuleContext) {
        let transforms = template.transforms
        guard template.root["Transform"] == nil || !transforms.isEmpty,
              transforms.allSatisfy({ $0.hasPrefix("AWS::") && $0 != "AWS::Include" }) else { return }
        for use in context.functions {
            let name = use.function.name
            guard !Self.definedFunctions.contains(name), !name.rawValue.hasPrefix("Fn::ForEach::"),
                  !use.path.contains(.key(IntrinsicName.transform.rawValue)) else { continue }
            context.report("\(name.rawValue) is not a function CloudFormation defines: it refuses the template (\"encountered unsupported function\")",
                           at: use.value.location, path: use.path)
        }
    }

    static func isInteger(_ value: Node) -> Bool {
        switch value.kind {
        case .number(let literal), .string(let literal): return Double(literal).map { $0 == $0.rounded() } ?? false
        case .intrinsic(let function): return keyFunctions.contains(function.name)
        default: return false
        }
    }

    static func isList(_ value: Node) -> Bool {
        switch value.kind {
        case .array: return true
        case .intrinsic(let function): return listFunctions.contains(function.name)
        default: return false
        }
    }
}
