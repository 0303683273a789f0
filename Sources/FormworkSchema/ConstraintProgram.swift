import FormworkTemplate
import Synchronization

/// An extension constraint's JSON schema with its keywords worked out once per process: each
/// schema object becomes a list of steps in the schema's own order, with its subschemas,
/// limits, names and messages' parts ready. ``ConstraintEvaluator`` runs it; judging a
/// template then costs no keyword comparison, schema lookup or copy of schema nodes (ST-23 was
/// the costliest rule of a lint). What it finds is exactly what evaluating the JSON gives,
/// step for step (the same patterns are matched, so the same pattern budget is spent).
///
/// A program is compiled straight from the generator's encoding (`CompactData`), one schema
/// object at a time, when a template first reaches it: a subschema is only where it starts
/// until then. A constraint lists every engine's versions, every instance class, and a
/// template meets one engine: decoding and compiling all of it at the first lint was a
/// third of a process's first-use work.
final class ConstraintProgram: @unchecked Sendable {
    enum Bound { case minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf }

    /// The JSON type names a `type` keyword may list (`other`: a name no value has).
    enum TypeName: String {
        case string, integer, number, boolean, array, object, null, other

        init(_ name: String) { self = TypeName(rawValue: name) ?? .other }
    }

    enum Step {
        /// `$ref` to the root's `definitions` (by name).
        case ref(String)
        case type([TypeName], shown: String)
        /// `strings`: the allowed values as bytes when every one is a string (a set lookup
        /// instead of a comparison per value).
        case enumeration([Node], strings: Set<ScalarKey>?)
        case const(Node)
        case pattern(String)
        case bound(Bound, Double)
        case minLength(Int), maxLength(Int)
        case required([String])
        case properties([(name: String, schema: ConstraintProgram)])
        /// `schema` nil: `additionalProperties: false`.
        case additionalProperties(declared: Set<String>, schema: ConstraintProgram?)
        case propertyNames(ConstraintProgram)
        case dependentRequired([(name: String, needs: [String])])
        case dependentExcluded([(name: String, excludes: [String])])
        case items(ConstraintProgram)
        case minItems(Int), maxItems(Int)
        case contains(ConstraintProgram)
        case allOf([ConstraintProgram])
        case anyOf([ConstraintProgram]), oneOf([ConstraintProgram])
        /// The schema itself is decoded only for the message of a value that matches it.
        case not(ConstraintProgram)
        case conditional(ConstraintProgram, then: ConstraintProgram?, otherwise: ConstraintProgram?)
    }

    enum Form {
        /// `true` or `false` as a schema.
        case boolean(Bool)
        case object([Step])
        /// Anything else: no schema, judges nothing.
        case inert
    }

    /// What compiling the schema gives.
    final class Compiled {
        let form: Form
        /// The root's `definitions` (empty below the root).
        let definitions: [ScalarKey: ConstraintProgram]

        init(form: Form, definitions: [ScalarKey: ConstraintProgram]) {
            self.form = form
            self.definitions = definitions
        }
    }

    /// Encoded bytes a program made from a `Node` reads (generated data needs no owner).
    private final class Encoded {
        let bytes: UnsafeMutableBufferPointer<UInt8>

        init(_ value: Node) {
            var out: [UInt8] = []
            CompactData.encode(value, into: &out)
            bytes = .allocate(capacity: max(out.count, 1))
            _ = bytes.initialize(from: out)
        }

        deinit { bytes.deallocate() }
    }

    /// Where the schema's encoding is: the value at `start`, read no further than `end`.
    private let base: UnsafePointer<UInt8>
    private let start: Int
    private let end: Int
    private let isRoot: Bool
    private let owner: Encoded?
    /// Set once, by the first thread that compiles (one that races it drops its own).
    private let compiledSlot = Atomic<Unmanaged<Compiled>?>(nil)

    /// Compiles `schema`; `isRoot`: it is the whole constraint, whose `definitions` `$ref`s name.
    convenience init(_ schema: Node, isRoot: Bool = true) {
        let encoded = Encoded(schema)
        self.init(base: UnsafePointer(encoded.bytes.baseAddress!), range: 0..<encoded.bytes.count, isRoot: isRoot, owner: encoded)
    }

    /// The schema encoded at `range` of bytes that outlive the program (generated data).
    convenience init(base: UnsafePointer<UInt8>, range: Range<Int>) {
        self.init(base: base, range: range, isRoot: true, owner: nil)
    }

    private init(base: UnsafePointer<UInt8>, range: Range<Int>, isRoot: Bool, owner: Encoded?) {
        self.base = base
        start = range.lowerBound
        end = range.upperBound
        self.isRoot = isRoot
        self.owner = owner
    }

    deinit { compiledSlot.load(ordering: .acquiring)?.release() }

    // Read without a retain of what compiling made (the program holds it): the walk asks
    // for a program's form at every value it checks.
    var form: Form { compiled._withUnsafeGuaranteedRef { $0.form } }
    /// The root's definition named `name` (what `$ref: #/definitions/name` means).
    func definition(_ name: ScalarKey) -> ConstraintProgram? { compiled._withUnsafeGuaranteedRef { $0.definitions[name] } }

    /// The schema as JSON (a `not`'s message shows it).
    var schema: Node {
        var reader = CompactReader(base: base, range: start..<end)
        return reader.node()
    }

    private var compiled: Unmanaged<Compiled> {
        if let ready = compiledSlot.load(ordering: .acquiring) { return ready }
        let fresh = Unmanaged.passRetained(compile())
        let (stored, current) = compiledSlot.compareExchange(expected: nil, desired: fresh, ordering: .acquiringAndReleasing)
        if stored { return fresh }
        fresh.release()
        return current!
    }

    /// The subschema at `offset` of the same bytes (compiled when first checked).
    private func program(at offset: Int) -> ConstraintProgram {
        ConstraintProgram(base: base, range: offset..<end, isRoot: false, owner: owner)
    }

    /// The subschema at the reader's place, stepped over.
    private func sub(_ reader: inout CompactReader) -> ConstraintProgram {
        defer { reader.skip() }
        return program(at: reader.offset)
    }

    private func compile() -> Compiled {
        var reader = CompactReader(base: base, range: start..<end)
        switch reader.next {
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return Compiled(form: .boolean(reader.next == UInt8(ascii: "t")), definitions: [:])
        case UInt8(ascii: "{"): break
        default: return Compiled(form: .inert, definitions: [:])
        }
        func subs() -> [ConstraintProgram] {
            guard let count = reader.arrayCount() else {
                reader.skip()
                return []
            }
            return (0..<count).map { _ in sub(&reader) }
        }
        func names() -> [String] { reader.node().arrayValue?.compactMap(\.stringValue) ?? [] }
        func table() -> [(String, [String])]? {
            guard let count = reader.objectCount() else {
                reader.skip()
                return nil
            }
            return (0..<count).map { _ in (reader.key().name, names()) }
        }

        // One pass over the keywords, in the schema's order; `additionalProperties` needs its
        // sibling `properties`' names and `if` its `then` and `else`, wherever they are: their
        // steps are finished after the pass.
        var steps: [Step] = []
        var definitions: [ScalarKey: ConstraintProgram] = [:]
        var declared: Set<String>?, then: Int?, otherwise: Int?
        var additional: [(step: Int, schema: ConstraintProgram?)] = [], conditions: [(step: Int, condition: ConstraintProgram)] = []
        for _ in 0..<(reader.objectCount() ?? 0) {
            guard let keyword = reader.key().keyword else {
                reader.skip()
                continue
            }
            switch keyword {
            case .definitions where isRoot && definitions.isEmpty:
                guard let count = reader.objectCount() else {
                    reader.skip()
                    continue
                }
                for _ in 0..<count {
                    let name = ScalarKey(reader.key().name)
                    if definitions[name] == nil { definitions[name] = sub(&reader) } else { reader.skip() }
                }
            case .ref:
                if let reference = reader.node().stringValue, reference.hasPrefix("#/definitions/") {
                    steps.append(.ref(String(reference.dropFirst("#/definitions/".count))))
                }
            case .type:
                let value = reader.node()
                let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
                if !names.isEmpty { steps.append(.type(names.map(TypeName.init), shown: names.map { "'\($0)'" }.joined(separator: ", "))) }
            case .enumValues:
                if let allowed = reader.node().arrayValue {
                    let strings = allowed.allSatisfy { $0.stringValue != nil } ? Set(allowed.map { ScalarKey($0.stringValue!) }) : nil
                    steps.append(.enumeration(allowed, strings: strings))
                }
            case .constValue: steps.append(.const(reader.node()))
            case .pattern: if let pattern = reader.node().stringValue { steps.append(.pattern(pattern)) }
            case .minimum: if let limit = reader.node().numberValue { steps.append(.bound(.minimum, limit)) }
            case .maximum: if let limit = reader.node().numberValue { steps.append(.bound(.maximum, limit)) }
            case .exclusiveMinimum: if let limit = reader.node().numberValue { steps.append(.bound(.exclusiveMinimum, limit)) }
            case .exclusiveMaximum: if let limit = reader.node().numberValue { steps.append(.bound(.exclusiveMaximum, limit)) }
            case .multipleOf: if let limit = reader.node().numberValue { steps.append(.bound(.multipleOf, limit)) }
            case .minLength: if let limit = reader.node().intValue { steps.append(.minLength(limit)) }
            case .maxLength: if let limit = reader.node().intValue { steps.append(.maxLength(limit)) }
            case .required: steps.append(.required(names()))
            case .properties:
                guard let count = reader.objectCount() else {
                    reader.skip()
                    continue
                }
                let properties = (0..<count).map { _ in (name: reader.key().name, schema: sub(&reader)) }
                if declared == nil { declared = Set(properties.map(\.name)) }
                steps.append(.properties(properties))
            case .additionalProperties:
                switch reader.next {
                case UInt8(ascii: "f"):
                    additional.append((steps.count, nil))
                    steps.append(.additionalProperties(declared: [], schema: nil))
                case UInt8(ascii: "{"):
                    additional.append((steps.count, program(at: reader.offset)))
                    steps.append(.additionalProperties(declared: [], schema: nil))
                default: break
                }
                reader.skip()
            case .propertyNames: steps.append(.propertyNames(sub(&reader)))
            case .dependentRequired: if let table = table() { steps.append(.dependentRequired(table.map { ($0.0, $0.1) })) }
            case .dependentExcluded: if let table = table() { steps.append(.dependentExcluded(table.map { ($0.0, $0.1) })) }
            case .items: steps.append(.items(sub(&reader)))
            case .minItems: if let limit = reader.node().intValue { steps.append(.minItems(limit)) }
            case .maxItems: if let limit = reader.node().intValue { steps.append(.maxItems(limit)) }
            case .contains: steps.append(.contains(sub(&reader)))
            case .allOf: steps.append(.allOf(subs()))
            case .anyOf: steps.append(.anyOf(subs()))
            case .oneOf: steps.append(.oneOf(subs()))
            case .not: steps.append(.not(sub(&reader)))
            case .ifSchema:
                conditions.append((steps.count, sub(&reader)))
                steps.append(.allOf([]))
            case .thenSchema:
                if then == nil { then = reader.offset }
                reader.skip()
            case .elseSchema:
                if otherwise == nil { otherwise = reader.offset }
                reader.skip()
            default: reader.skip()
            }
        }
        for (step, schema) in additional { steps[step] = .additionalProperties(declared: declared ?? [], schema: schema) }
        for (step, condition) in conditions { steps[step] = .conditional(condition, then: then.map(program), otherwise: otherwise.map(program)) }
        return Compiled(form: .object(steps), definitions: definitions)
    }
}
