import FormworkTemplate
import Synchronization

/// The constraints cfn-lint keeps as JSON schemas beside the registry (an S3 bucket with an
/// ACL needs OwnershipControls, an HTTPS listener needs certificates, the DB engines and
/// versions that exist, ...), each with the cfn-lint rule that applies it and the property
/// path it applies at; generated into FormworkSchemaData by `make models`. One line per type,
/// `TYPE [{id, path, file, schema}, ...]` in the generator's encoding (`CompactData`: no JSON
/// is parsed at run time), sorted; a type is decoded when first asked for, once per process.
public final class ExtensionConstraints: Sendable {
    public struct Constraint: Sendable {
        /// The cfn-lint rule (`E3045`); its letter is the severity.
        public var cfnLintID: String
        /// Below `Properties`; `*` stands for every item of a list.
        public var path: [String]
        /// cfn-lint's file, `aws_s3_bucket/ownershipcontrols.json`.
        public var file: String
        public let schema: Node
        /// `schema` compiled, once per process (when the type is first asked for).
        let program: ConstraintProgram

        init(cfnLintID: String, path: [String], file: String, schema: Node) {
            self.cfnLintID = cfnLintID
            self.path = path
            self.file = file
            self.schema = schema
            program = ConstraintProgram(schema)
        }

        /// What the value breaks of this constraint's schema.
        public func violations(_ value: Node) -> [ConstraintEvaluator.Violation] {
            ConstraintEvaluator.violations(program, value)
        }
    }

    public let source: String
    private let text: StaticString
    private let decoded: Mutex<[String: [Constraint]]> = Mutex([:])

    public init(text: StaticString, source: String) {
        self.text = text
        self.source = source
    }

    public static let none = ExtensionConstraints(text: "", source: "none")

    public func constraints(for typeName: String) -> [Constraint] {
        if let known = decoded.withLock({ $0[typeName] }) { return known }
        var found: [Constraint] = []
        if text.utf8CodeUnitCount > 0, let range = SortedLines.find(typeName, in: text) {
            var reader = CompactReader(text, range)
            let list = reader.node().arrayValue ?? []
            for item in list {
                guard let id = item["id"]?.stringValue, let schema = item["schema"] else { continue }
                found.append(Constraint(cfnLintID: id, path: item["path"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                        file: item["file"]?.stringValue ?? "", schema: schema))
            }
        }
        decoded.withLock { $0[typeName] = found }
        return found
    }
}

/// JSON Schema, as cfn-lint's extension schemas use it, judged against a template's values.
/// A value CloudFormation computes (a Ref, a GetAtt, an Fn::If, ...) is not known here: every
/// check on it passes, and an `if` that depends on it applies neither branch, so nothing
/// unknown becomes a finding. Scalars compare as CloudFormation converts them ("5" is 5).
public enum ConstraintEvaluator {
    public struct Violation: Sendable {
        /// Below the value the schema was applied to.
        public var path: [PathComponent]
        public var message: String
    }

    public static func violations(_ schema: Node, _ value: Node) -> [Violation] {
        violations(ConstraintProgram(schema), value)
    }

    /// The same for a constraint whose schema is compiled already (``ExtensionConstraints``
    /// compiles each once per process).
    static func violations(_ program: ConstraintProgram, _ value: Node) -> [Violation] {
        var unknown = false
        return check(program, value, [], &unknown, root: program)
    }

    /// Whether the value meets the schema: nil when that depends on a value not known here.
    static func matches(_ schema: ConstraintProgram, _ value: Node, root: ConstraintProgram) -> Bool? {
        var unknown = false
        let found = check(schema, value, [], &unknown, root: root, describing: false)
        if !found.isEmpty { return false }
        return unknown ? nil : true
    }

    static func isComputed(_ value: Node) -> Bool {
        if case .intrinsic = value.kind { return true }
        return false
    }

    /// `root` is the whole schema, for `$ref`s to its own `definitions`.
    static func check(_ schema: ConstraintProgram, _ value: Node, _ path: [PathComponent], _ unknown: inout Bool, root: ConstraintProgram, depth: Int = 0,
                      describing: Bool = true) -> [Violation] {
        let steps: [ConstraintProgram.Step]
        switch schema.form {
        case .boolean(let flag): return flag ? [] : [Violation(path: path, message: "no value is allowed here")]
        case .inert: return []
        case .object(let list): steps = list
        }
        if isComputed(value) {
            unknown = true
            return []
        }
        var found: [Violation] = []
        // `matches` wants only whether a value fails: its messages (an enum of hundreds of
        // engine versions, shown whole) are not built.
        func fail(_ message: @autoclosure () -> String, at place: [PathComponent]? = nil) {
            found.append(Violation(path: place ?? path, message: describing ? message() : ""))
        }
        for step in steps {
            switch step {
            case .ref(let name):
                // Only the schema's own definitions; anything else is not judged.
                guard depth < 32, let target = root.definitions[ScalarKey(name)] else { break }
                found += check(target, value, path, &unknown, root: root, depth: depth + 1, describing: describing)
            case .type(let names, let shown):
                if !names.contains(where: { typeMatches($0, value) }) {
                    fail("\(Self.shown(value)) is not of type \(shown)")
                }
            case .enumeration(let allowed, let strings):
                let allowedHere: Bool
                if let strings {
                    // A string is the same as a scalar whose text has its bytes; nothing else is.
                    allowedHere = value.scalarText.map { strings.contains(ScalarKey($0)) } ?? false
                } else {
                    allowedHere = allowed.contains(where: { same($0, value) })
                }
                if !allowedHere { fail("\(shown(value)) is not one of [\(allowed.map(shown).joined(separator: ", "))]") }
            case .const(let expected):
                if !same(expected, value) { fail("\(shown(expected)) was expected") }
            case .pattern(let pattern):
                if let text = value.scalarText, PatternCache.matches(pattern, text) == false {
                    fail("\(shown(value)) does not match '\(pattern)'")
                }
            case .bound(let bound, let limit):
                guard let number = value.numberValue else { break }
                switch bound {
                case .minimum where number < limit: fail("\(shown(value)) is less than the minimum of \(NumberLiteral.text(of: limit))")
                case .maximum where number > limit: fail("\(shown(value)) is greater than the maximum of \(NumberLiteral.text(of: limit))")
                case .exclusiveMinimum where number <= limit: fail("\(shown(value)) is less than or equal to the minimum of \(NumberLiteral.text(of: limit))")
                case .exclusiveMaximum where number >= limit: fail("\(shown(value)) is greater than or equal to the maximum of \(NumberLiteral.text(of: limit))")
                case .multipleOf where limit > 0 && (number / limit).rounded() != number / limit: fail("\(shown(value)) is not a multiple of \(NumberLiteral.text(of: limit))")
                default: break
                }
            case .minLength(let limit):
                if let text = value.stringValue, text.count < limit { fail("\(shown(value)) is shorter than \(limit)") }
            case .maxLength(let limit):
                if let text = value.stringValue, text.count > limit { fail("\(shown(value)) is longer than \(limit)") }
            case .required(let names):
                guard let map = value.objectValue else { break }
                for name in names where map[name] == nil {
                    fail("'\(name)' is a required property")
                }
            case .properties(let properties):
                guard let map = value.objectValue else { break }
                for property in properties {
                    guard let child = map[property.name] else { continue }
                    found += check(property.schema, child, path + [.key(property.name)], &unknown, root: root, describing: describing)
                }
            case .additionalProperties(let declared, let rule):
                guard let map = value.objectValue else { break }
                for item in map.entries where !declared.contains(item.key) {
                    if let rule {
                        found += check(rule, item.value, path + [.key(item.key)], &unknown, root: root, describing: describing)
                    } else {
                        fail("Additional properties are not allowed ('\(item.key)' was unexpected)", at: path + [.key(item.key)])
                    }
                }
            case .propertyNames(let rule):
                guard let map = value.objectValue else { break }
                for item in map.entries { found += check(rule, .string(item.key), path + [.key(item.key)], &unknown, root: root, describing: describing) }
            case .dependentRequired(let table):
                guard let map = value.objectValue else { break }
                for dependency in table where map[dependency.name] != nil {
                    for name in dependency.needs where map[name] == nil { fail("'\(name)' is a dependency of '\(dependency.name)'") }
                }
            case .dependentExcluded(let table):
                guard let map = value.objectValue else { break }
                for dependency in table where map[dependency.name] != nil {
                    for name in dependency.excludes where map[name] != nil { fail("'\(name)' should not be included with '\(dependency.name)'", at: path + [.key(name)]) }
                }
            case .items(let rule):
                guard let items = value.arrayValue else { break }
                for (index, item) in items.enumerated() { found += check(rule, item, path + [.index(index)], &unknown, root: root, describing: describing) }
            case .minItems(let limit):
                if let items = value.arrayValue, items.count < limit { fail("expected at least \(limit) item\(limit == 1 ? "" : "s")") }
            case .maxItems(let limit):
                if let items = value.arrayValue, items.count > limit { fail("expected at most \(limit) item\(limit == 1 ? "" : "s")") }
            case .contains(let rule):
                guard let items = value.arrayValue else { break }
                let results = items.map { matches(rule, $0, root: root) }
                if results.contains(where: { $0 == nil }) { unknown = true } else if !results.contains(true) { fail("no item matches the required shape") }
            case .allOf(let parts):
                for part in parts { found += check(part, value, path, &unknown, root: root, describing: describing) }
            case .anyOf(let parts), .oneOf(let parts):
                let results = parts.map { matches($0, value, root: root) }
                if results.contains(where: { $0 == nil }) { unknown = true; break }
                let passing = results.filter { $0 == true }.count
                if passing == 0 { fail("\(shown(value)) does not match any of the allowed shapes") }
                if case .oneOf = step, passing > 1 { fail("\(shown(value)) matches more than one of the exclusive shapes") }
            case .not(let rule, let schema):
                switch matches(rule, value, root: root) {
                case true?: fail("\(shown(value)) should not be valid under \(String(decoding: JSONWriter.compact(schema, spaced: false), as: UTF8.self))")
                case nil: unknown = true
                default: break
                }
            case .conditional(let condition, let then, let otherwise):
                switch matches(condition, value, root: root) {
                case true?: if let then { found += check(then, value, path, &unknown, root: root, describing: describing) }
                case false?: if let otherwise { found += check(otherwise, value, path, &unknown, root: root, describing: describing) }
                case nil: unknown = true
                }
            }
        }
        return found
    }

    /// Types as CloudFormation converts scalars: a string is also what a number or a boolean becomes.
    static func typeMatches(_ name: ConstraintProgram.TypeName, _ value: Node) -> Bool {
        switch (name, value.kind) {
        case (.string, .string), (.string, .number), (.string, .bool): return true
        case (.integer, .number): return value.numberValue.map { $0 == $0.rounded() } ?? false
        case (.integer, .string): return value.numberValue.map { $0 == $0.rounded() } ?? false
        case (.number, .number): return true
        case (.number, .string): return value.numberValue != nil
        case (.boolean, .bool): return true
        case (.boolean, .string(let text)): return ["true", "false"].contains(text.lowercased())
        case (.array, .array), (.object, .object), (.null, .null): return true
        default: return false
        }
    }

    static func same(_ a: Node, _ b: Node) -> Bool {
        if let x = a.scalarText, let y = b.scalarText, a.objectValue == nil, b.objectValue == nil, a.arrayValue == nil, b.arrayValue == nil {
            // The kind first: a string's numberValue is a strtod, and enums list hundreds.
            if case .number = a.kind, let p = a.numberValue, let q = b.numberValue { return p == q }
            return x.sameScalars(as: y)
        }
        return a == b
    }

    static func shown(_ value: Node) -> String {
        if case .string(let text) = value.kind { return "'\(text.printable)'" }
        let text = String(decoding: JSONWriter.compact(value, spaced: false), as: UTF8.self)
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}

extension ExtensionConstraints {
    /// Every cfn-lint rule id the data holds (for the test that keeps ST-23's overlaps current).
    public var allCfnLintIDs: Set<String> {
        var ids = Set<String>()
        for line in Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)).split(separator: 0x0A) {
            guard let space = line.firstIndex(of: 0x20) else { continue }
            var reader = CompactReader(text, (space + 1)..<line.endIndex)
            let list = reader.node().arrayValue ?? []
            for item in list { if let id = item["id"]?.stringValue { ids.insert(id) } }
        }
        return ids
    }
}
