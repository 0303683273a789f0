import FormworkSchema
import FormworkTestSupport
import Testing
@testable import FormworkCodegen

/// The names the models declare follow `SwiftNames`' one rule, over every registry type:
/// camel case where it is free, the registry's own spelling where it is not, nothing renamed
/// with a suffix the user cannot guess.
@Suite struct NamingTests {
    /// One scope of names as the generator declares it.
    struct Scope {
        var place: String
        var names: [String]
        var members: [String]
        var kind: SwiftNames.Scope
    }

    static let scopes: [Scope] = {
        let root = Repository.root
        guard let source = try? RegistrySource(repositoryRoot: root),
              let patches = try? SchemaPatches(path: root + "/" + Generator.patchesPath),
              let attributeNames = try? RegistrySource.getAttNames(repositoryRoot: root),
              let enums = try? ModelWriter.ExtensionEnums(repositoryRoot: root) else { return [] }
        var scopes: [Scope] = []
        try? ModelWriter.forEachModel(source: source, patches: patches, extensionEnums: enums, attributeNames: attributeNames, updates: ModelWriter.UpdateNotes()) { _, _, model in
            let place = model.qualifiedName
            scopes.append(Scope(place: place, names: model.members.map(\.jsonName), members: model.members.map(\.swiftName), kind: .properties))
            for nested in model.nestedTypes {
                scopes.append(Scope(place: place + "." + nested.name, names: nested.members.map(\.jsonName), members: nested.members.map(\.swiftName), kind: .properties))
            }
            let attributes = model.accessibleAttributes
            scopes.append(Scope(place: "handle of " + place, names: attributes, members: SwiftNames.members(attributes, in: .attributes), kind: .attributes))
            for set in model.valueSets {
                scopes.append(Scope(place: place + "." + set.name, names: set.values, members: SwiftNames.members(set.values, in: .values), kind: .values))
            }
        }
        return scopes
    }()

    static func unquoted(_ member: String) -> String {
        member.hasPrefix("`") ? String(member.dropFirst().dropLast()) : member
    }

    @Test func everyRegistryTypeIsNamed() {
        let types = Set(Self.scopes.filter { $0.kind == .attributes }.map(\.place))
        #expect(types.count == 1_584)
    }

    /// Camel case where the name is free; else the registry's spelling (an underscore only
    /// where even that is taken); unique, valid declarations; never a `Value` suffix.
    @Test func membersFollowTheOneRule() {
        var problems: [String] = []
        var counts = (camel: 0, registrySpelling: 0, underscored: 0)
        for scope in Self.scopes {
            let camel = scope.names.map { SwiftNames.camelCase($0, in: scope.kind) }
            let reserved = scope.kind.reserved
            var seen = Set<String>()
            for ((name, camelName), member) in zip(zip(scope.names, camel), scope.members) {
                let bare = Self.unquoted(member)
                if !seen.insert(bare).inserted { problems.append("\(scope.place): \(member) declared twice") }
                if reserved.contains(bare) { problems.append("\(scope.place): \(member) is reserved") }
                let plain = bare.first.map { !$0.isNumber } == true && bare.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                if member.hasPrefix("`") == (plain && !SwiftNames.keywords.contains(bare)) {
                    problems.append("\(scope.place): \(member) is quoted where it need not be, or not where it must")
                }
                let free = camel.filter { $0 == camelName }.count == 1 && !reserved.contains(camelName)
                if free {
                    if bare != camelName { problems.append("\(scope.place): \(name) is \(member), not its camel case \(camelName)") }
                    counts.camel += 1
                } else if bare == name {
                    counts.registrySpelling += 1
                } else if bare.hasPrefix(name) || bare.hasPrefix(camelName), bare.dropFirst(name.count).allSatisfy({ $0 == "_" }) || bare.dropFirst(camelName.count).allSatisfy({ $0 == "_" }) {
                    counts.underscored += 1
                } else {
                    problems.append("\(scope.place): \(name) collides and is \(member), neither its spelling nor its spelling with underscores")
                }
                if scope.kind == .values, bare.hasSuffix("Value"), !name.hasSuffix("Value"), !name.hasSuffix("VALUE"), !name.hasSuffix("value") {
                    problems.append("\(scope.place): \(name) renamed \(member)")
                }
                // A nested attribute's segments each start a word: no `redrivePolicydeadLetterTargetArn`.
                if scope.kind == .attributes, free {
                    let letters = name.filter { $0 != "." }
                    if bare.lowercased() != letters.lowercased() { problems.append("\(scope.place): \(name) is \(member): letters lost") }
                    var offset = 0
                    for segment in name.split(separator: ".").dropLast() {
                        offset += segment.count
                        let next = bare[bare.index(bare.startIndex, offsetBy: offset)]
                        if !next.isUppercase, next.isLetter { problems.append("\(scope.place): \(name) is \(member): a segment does not start a word") }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) names break the rule:\n\(problems.prefix(40).joined(separator: "\n"))")
        // The registry has collisions of every kind the rule settles.
        #expect(counts.camel > 50_000)
        #expect(counts.registrySpelling > 100)
        print("names: \(counts.camel) camel case, \(counts.registrySpelling) the registry's spelling, \(counts.underscored) with underscores")
    }

    /// The cases the issue names, as users write them.
    @Test func namesUsersGuess() {
        func members(_ place: String) -> [String: String] {
            guard let scope = Self.scopes.first(where: { $0.place == place }) else { return [:] }
            return Dictionary(zip(scope.names, scope.members), uniquingKeysWith: { first, _ in first })
        }
        #expect(members("handle of SQS.Queue")["RedrivePolicy.deadLetterTargetArn"] == "redrivePolicyDeadLetterTargetArn")
        #expect(members("handle of RDS.DBInstance")["Endpoint.Address"] == "endpointAddress")
        #expect(members("RDS.DBInstance")["MultiAZ"] == "multiAZ")
        #expect(members("RDS.DBInstance")["DBInstanceIdentifier"] == "dbInstanceIdentifier")
        // Keywords keep their name (written `.default` after a dot).
        #expect(SwiftNames.members(["default", "custom"], in: .values) == ["`default`", "custom"])
        #expect(SwiftNames.valueMember("default", of: ["default", "custom"]) == "default")
        // `.none` is Optional's; a collision takes the registry's spelling.
        #expect(SwiftNames.members(["NONE", "ALL"], in: .values) == ["NONE", "all"])
        #expect(SwiftNames.members(["none", "all"], in: .values) == ["none_", "all"])
        #expect(SwiftNames.members(["GLACIER", "Glacier", "DEEP_ARCHIVE"], in: .values) == ["GLACIER", "Glacier", "deepArchive"])
        #expect(SwiftNames.members(["lowest-price", "lowestPrice"], in: .values) == ["`lowest-price`", "lowestPrice"])
        #expect(SwiftNames.members(["Default", "default"], in: .values) == ["Default", "`default`"])
        #expect(SwiftNames.members(["Storage", "Name"], in: .properties) == ["Storage", "name"])
        #expect(SwiftNames.members(["Ref", "Arn"], in: .attributes) == ["Ref", "arn"])
        #expect(SwiftNames.valueMember("lowest-price", of: ["lowest-price", "lowestPrice"]) == "`lowest-price`")
    }
}
