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
        /// The schema, compiled a part at a time as templates reach it, once per process.
        let program: ConstraintProgram

        /// The constraint's JSON schema (decoded afresh: the lint reads the compiled form).
        public var schema: Node { program.schema }

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
            // Each item's fields read in place; its schema is only where it starts until a
            // template reaches it (`ConstraintProgram`).
            var reader = CompactReader(text, range)
            for _ in 0..<(reader.arrayCount() ?? 0) {
                guard let count = reader.objectCount() else {
                    reader.skip()
                    continue
                }
                var id: String?, path: [String] = [], file = "", schema: Int?
                for _ in 0..<count {
                    switch reader.key().keyword {
                    case .id?: id = reader.string()
                    case .path?: path = reader.node().arrayValue?.compactMap(\.stringValue) ?? []
                    case .file?: file = reader.string() ?? ""
                    case .schema?:
                        schema = reader.offset
                        reader.skip()
                    default: reader.skip()
                    }
                }
                guard let id, let schema else { continue }
                found.append(Constraint(cfnLintID: id, path: path, file: file,
                                        program: ConstraintProgram(base: text.utf8Start, range: schema..<range.upperBound)))
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
        var walk = Walk(root: program, describing: true)
        walk.check(program, value)
        return walk.found
    }

    /// Whether the value meets the schema: nil when that depends on a value not known here.
    static func matches(_ schema: ConstraintProgram, _ value: Node, root: ConstraintProgram) -> Bool? {
        var walk = Walk(root: root, describing: false)
        walk.check(schema, value)
        if walk.failed { return false }
        return walk.unknown ? nil : true
    }

    static func isComputed(_ value: Node) -> Bool {
        if case .intrinsic = value.kind { return true }
        return false
    }

    /// One evaluation: the violations found so far, in the schema's order, and where it is.
    /// One path array is pushed and popped, and subschemas append to one list of violations
    /// (a new path and a new list for every subschema were most of ST-23's cost); a
    /// violation keeps a copy of its path.
    struct Walk {
        /// The whole schema, for `$ref`s to its own `definitions`.
        let root: ConstraintProgram
        /// `matches` wants only whether a value fails: its messages (an enum of hundreds of
        /// engine versions, shown whole) are not built.
        let describing: Bool
        var found: [Violation] = []
        /// Whether anything failed: all that `matches` reads, so that it keeps no list (a
        /// list allocated for each failing subschema of an anyOf, a not, an if).
        var failed = false
        var unknown = false
        var path: [PathComponent] = []

        init(root: ConstraintProgram, describing: Bool) {
            self.root = root
            self.describing = describing
        }

        private mutating func fail(_ message: @autoclosure () -> String) {
            failed = true
            if describing { found.append(Violation(path: path, message: message())) }
        }

        private mutating func fail(_ message: @autoclosure () -> String, below component: PathComponent) {
            failed = true
            if describing { found.append(Violation(path: path + [component], message: message())) }
        }

        private mutating func check(_ schema: ConstraintProgram, _ value: Node, below component: PathComponent) {
            path.append(component)
            check(schema, value)
            path.removeLast()
        }

        private func matches(_ schema: ConstraintProgram, _ value: Node) -> Bool? {
            ConstraintEvaluator.matches(schema, value, root: root)
        }

        mutating func check(_ schema: ConstraintProgram, _ value: Node, depth: Int = 0) {
            let steps: [ConstraintProgram.Step]
            switch schema.form {
            case .boolean(let flag):
                if !flag { fail("no value is allowed here") }
                return
            case .inert: return
            case .object(let list): steps = list
            }
            if isComputed(value) {
                unknown = true
                return
            }
            for step in steps {
                switch step {
                case .ref(let name):
                    // Only the schema's own definitions; anything else is not judged.
                    guard depth < 32, let target = root.definition(ScalarKey(name)) else { break }
                    check(target, value, depth: depth + 1)
                case .type(let names, let shown):
                    if !names.contains(where: { typeMatches($0, value) }) {
                        fail("\(ConstraintEvaluator.shown(value)) is not of type \(shown)")
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
                        check(property.schema, child, below: .key(property.name))
                    }
                case .additionalProperties(let declared, let rule):
                    guard let map = value.objectValue else { break }
                    for item in map.entries where !declared.contains(item.key) {
                        if let rule {
                            check(rule, item.value, below: .key(item.key))
                        } else {
                            fail("Additional properties are not allowed ('\(item.key)' was unexpected)", below: .key(item.key))
                        }
                    }
                case .propertyNames(let rule):
                    guard let map = value.objectValue else { break }
                    for item in map.entries { check(rule, .string(item.key), below: .key(item.key)) }
                case .dependentRequired(let table):
                    guard let map = value.objectValue else { break }
                    for dependency in table where map[dependency.name] != nil {
                        for name in dependency.needs where map[name] == nil { fail("'\(name)' is a dependency of '\(dependency.name)'") }
                    }
                case .dependentExcluded(let table):
                    guard let map = value.objectValue else { break }
                    for dependency in table where map[dependency.name] != nil {
                        for name in dependency.excludes where map[name] != nil { fail("'\(name)' should not be included with '\(dependency.name)'", below: .key(name)) }
                    }
                case .items(let rule):
                    guard let items = value.arrayValue else { break }
                    for (index, item) in items.enumerated() { check(rule, item, below: .index(index)) }
                case .minItems(let limit):
                    if let items = value.arrayValue, items.count < limit { fail("expected at least \(limit) item\(limit == 1 ? "" : "s")") }
                case .maxItems(let limit):
                    if let items = value.arrayValue, items.count > limit { fail("expected at most \(limit) item\(limit == 1 ? "" : "s")") }
                case .contains(let rule):
                    guard let items = value.arrayValue else { break }
                    // Every item is judged (each spends its patterns' steps), then the answers read.
                    var anyUnknown = false, anyMatch = false
                    for item in items {
                        switch matches(rule, item) {
                        case nil: anyUnknown = true
                        case true?: anyMatch = true
                        case false?: break
                        }
                    }
                    if anyUnknown { unknown = true } else if !anyMatch { fail("no item matches the required shape") }
                case .allOf(let parts):
                    for part in parts { check(part, value) }
                case .anyOf(let parts), .oneOf(let parts):
                    var anyUnknown = false, passing = 0
                    for part in parts {
                        switch matches(part, value) {
                        case nil: anyUnknown = true
                        case true?: passing += 1
                        case false?: break
                        }
                    }
                    if anyUnknown { unknown = true; break }
                    if passing == 0 { fail("\(shown(value)) does not match any of the allowed shapes") }
                    if case .oneOf = step, passing > 1 { fail("\(shown(value)) matches more than one of the exclusive shapes") }
                case .not(let rule):
                    switch matches(rule, value) {
                    case true?: fail("\(shown(value)) should not be valid under \(String(decoding: JSONWriter.compact(rule.schema, spaced: false), as: UTF8.self))")
                    case nil: unknown = true
                    default: break
                    }
                case .conditional(let condition, let then, let otherwise):
                    switch matches(condition, value) {
                    case true?: if let then { check(then, value) }
                    case false?: if let otherwise { check(otherwise, value) }
                    case nil: unknown = true
                    }
                }
            }
        }
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
