import FormworkRuleKit
import FormworkTemplate

/// What the rules ask of an Fn::Sub's variables (`SubTemplate.variables` finds them), on
/// bytes where that is cheaper: several rules read every Sub of a template.
enum SubVariableScan {
    /// The names of an Fn::Sub's own variables (`[text, {Name: value}]`), as
    /// `Intrinsic.subLocals` gives them; a list, since Subs have few.
    static func locals(_ function: Intrinsic) -> [String] {
        guard function.name == .sub, let parts = function.argument.arrayValue, parts.count == 2 else { return [] }
        return parts[1].objectValue?.keys ?? []
    }

    /// The logical id a `${Name}` or `${Name.Attribute}` names: the part before the first dot.
    static func head(_ variable: String) -> String {
        var text = variable
        // Without a dot byte there is no dot character: the variable itself (most are). In
        // ASCII, characters are bytes: the first run of non-dots, as `split` gives it.
        let ascii: String?? = text.withUTF8 { bytes in
            guard bytes.contains(UInt8(ascii: ".")) else { return .some(nil) }
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var start = 0
            while start < bytes.count, bytes[start] == UInt8(ascii: ".") { start += 1 }
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ".") { end += 1 }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        switch ascii {
        case .some(.none): return variable
        case .some(.some(let head)): return head
        case .none: return String(variable.split(separator: ".", maxSplits: 1).first ?? "")
        }
    }

    /// Whether the text holds a `.` byte (the generic `utf8.contains` costs ten times more).
    static func hasDot(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte == UInt8(ascii: ".") { return true }
            return false
        }
    }
}

/// The names each resource's Ref, Fn::GetAtt and Fn::Sub (its `${...}` heads, its own
/// variables left out) name, as `CircularDependencies.references` finds them, by position
/// in `template.resources`. Read off the shared walk of the template's functions, so that
/// ST-13 and RDS-16 do not walk every resource again (each did, once per template or per
/// database group).
struct ResourceReferenceIndex: Sendable {
    /// The rules that read it (the linter makes it once for all groups when several do).
    static let readers: Set<RuleID> = Set(([CircularDependencies.self, DatabaseSecurityGroup.self] as [any Rule.Type]).map { $0.description.id })

    /// The names below each resource's Properties.
    let properties: [[String]]
    /// The names below each resource's CreationPolicy and UpdatePolicy.
    let policies: [[String]]

    init(_ resources: [Resource], _ functions: [RuleContext.FunctionUse]) {
        var properties = [[String]](repeating: [], count: resources.count)
        var policies = [[String]](repeating: [], count: resources.count)
        // The ids compared in place of each Resource (a copy of its body per comparison).
        let ids = resources.map(\.logicalID)
        var position = 0
        // Each use read in place, not copied whole.
        for offset in functions.indices {
            let path = functions[offset].path
            guard path.count >= 3, case .key("Resources") = path[0], case .key(let id) = path[1], case .key(let attribute) = path[2] else { continue }
            let inProperties = attribute == "Properties"
            guard inProperties || attribute == "CreationPolicy" || attribute == "UpdatePolicy" else { continue }
            // The walk visits the resources in order: the position only moves forward.
            if position >= ids.count || ids[position] != id {
                guard let found = ids[position...].firstIndex(of: id) ?? ids.firstIndex(of: id) else { continue }
                position = found
            }
            let function = functions[offset].function
            switch function.name {
            case .ref:
                if let name = function.argument.stringValue {
                    if inProperties { properties[position].append(name) } else { policies[position].append(name) }
                }
            case .getAtt:
                if let name = function.argument.arrayValue?.first?.stringValue {
                    if inProperties { properties[position].append(name) } else { policies[position].append(name) }
                }
            case .sub:
                let locals = SubVariableScan.locals(function)
                for variable in functions[offset].subVariables where !locals.contains(variable) {
                    let name = SubVariableScan.head(variable)
                    if inProperties { properties[position].append(name) } else { policies[position].append(name) }
                }
            default: break
            }
        }
        self.properties = properties
        self.policies = policies
    }
}

enum ResourceReferencesKey: RuleContextKey {
    static func value(in context: RuleContext) -> ResourceReferenceIndex { ResourceReferenceIndex(context.template.resources, context.functions) }
}

extension RuleContext {
    /// What each resource's Ref, GetAtt and Sub name, found once per template.
    var resourceReferences: ResourceReferenceIndex { memo(ResourceReferencesKey.self) }
}
