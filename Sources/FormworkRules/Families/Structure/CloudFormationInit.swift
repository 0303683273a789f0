import FormworkRuleKit
import FormworkTemplate

/// ST-40: a resource's Metadata, and the cfn-init configuration in it, have the shape
/// cfn-init reads.
struct CloudFormationInitMetadata: Rule {
    static let description = RuleDescription(
        id: "ST-40", name: "cfn-init-metadata", family: .structure, severity: .error,
        rationale: "A resource's Metadata is a mapping (or a list) whose entries have values, and AWS::CloudFormation::Init in it is what cfn-init runs on the instance: configSets, and configs of packages (apt, msi, python, rpm, rubygems, yum, zypper), sources, files (content, source, encoding plain or base64, mode as six octal digits such as '000644', owner, group, authentication, context), commands (command, env, cwd, test, ignoreErrors, waitAfterCompletion), services (sysvinit, systemd, windows; enabled, ensureRunning, files, sources, packages, commands), users (groups, uid, homeDir) and groups (gid). A key cfn-init does not know, a section written empty (null) or a value of the wrong kind fails the instance's bootstrap after the stack has created it, far from the template. Scalars are converted as CloudFormation converts them; functions are not judged. cfn-lint asks a command to be a string; cfn-init also takes a list (its documentation says so), so a list passes here.",
        acrossResources: true,
        cfnLint: ["E3009", "E3028"],
        triggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Metadata:\n      AWS::CloudFormation::Init:\n        configSets:\n          default: [setup]\n        setup:\n          packages:\n            yum: {httpd: []}\n            ↓brew: {}\n          files:\n            /etc/app.conf:\n              content: x\n              mode: ↓'644'\n              encoding: ↓utf8\n          services:\n            sysvinit:\n              httpd: {enabled: ↓maybe}\n          users:\n            app: {uid: '500', ↓shell: /bin/bash}\n        empty:\n          ↓files:\n    Properties:\n      ImageId: ami-0123456789abcdef0\n",
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Metadata:\n      ↓Owner:\n      AWS::CloudFormation::Init: ↓[config]\n    Properties:\n      ImageId: ami-0123456789abcdef0\n",
        ],
        nonTriggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Metadata:\n      Owner: platform\n      AWS::CloudFormation::Init:\n        configSets:\n          default: [setup]\n        setup:\n          packages:\n            yum: {httpd: [], php: '7.4'}\n          sources:\n            /opt/app: https://example.com/app.tar.gz\n          files:\n            /etc/app.conf:\n              content: !Sub 'region=${AWS::Region}'\n              mode: '000644'\n              owner: root\n              group: root\n          commands:\n            01-migrate: {command: [./migrate, --yes], cwd: /opt/app, env: {STAGE: prod}, ignoreErrors: 'false'}\n          services:\n            sysvinit:\n              httpd: {enabled: true, ensureRunning: 'true', files: [/etc/app.conf]}\n          users:\n            app: {uid: 500, groups: [web], homeDir: /opt/app}\n          groups:\n            web: {gid: '45'}\n    Properties:\n      ImageId: ami-0123456789abcdef0\n",
        ])

    /// What each part of a cfn-init configuration may be (cfn-lint's cfn_init.json, and
    /// cfn-init's documentation).
    indirect enum Shape: Sendable {
        case string, boolean, strings, stringOrStrings, stringOrObject, anything
        case oneOf(Set<String>)
        case mode
        /// A mapping of free names to values of one shape.
        case names(Shape)
        /// A mapping of known keys only.
        case keys([String: Shape])

        var summary: String {
            switch self {
            case .string: return "a string"
            case .boolean: return "true or false"
            case .strings: return "a list of strings"
            case .stringOrStrings: return "a string or a list of strings"
            case .stringOrObject: return "a string or a mapping"
            case .anything: return "a value"
            case .oneOf(let values): return "one of \(values.sorted().joined(separator: ", "))"
            case .mode: return "six octal digits ('000644')"
            case .names, .keys: return "a mapping"
            }
        }
    }

    static let service: Shape = .keys(["commands": .strings, "enabled": .boolean, "ensureRunning": .boolean, "files": .strings,
                                       "packages": .names(.strings), "sources": .strings])
    static let packageManagers = ["apt", "msi", "python", "rpm", "rubygems", "yum", "zypper"]
    static let config: [String: Shape] = [
        "commands": .names(.keys(["command": .stringOrStrings, "cwd": .string, "env": .names(.string), "ignoreErrors": .boolean,
                                  "test": .string, "waitAfterCompletion": .string])),
        "files": .names(.keys(["authentication": .anything, "content": .stringOrObject, "context": .anything, "encoding": .oneOf(["plain", "base64"]),
                               "group": .string, "mode": .mode, "owner": .string, "source": .string])),
        "groups": .names(.keys(["gid": .string])),
        "packages": .keys(Dictionary(uniqueKeysWithValues: packageManagers.map { ($0, Shape.names(.stringOrStrings)) })),
        "services": .keys(["systemd": .names(service), "sysvinit": .names(service), "windows": .names(service)]),
        "sources": .names(.string),
        "users": .names(.keys(["groups": .strings, "homeDir": .string, "uid": .string])),
    ]

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let metadata = resource.body["Metadata"] else { continue }
            let path = Places.resourcePath(resource, .key("Metadata"))
            switch metadata.kind {
            case .object(let map):
                for entry in map.entries {
                    if case .null = entry.value.kind {
                        context.report("the Metadata entry \(entry.key) of \(resource.logicalID) is empty", at: entry.keyLocation.isKnown ? entry.keyLocation : entry.value.location,
                                       path: path + [.key(entry.key)])
                    }
                }
                if let initialization = map["AWS::CloudFormation::Init"] { checkInit(initialization, path + [.key("AWS::CloudFormation::Init")], context) }
            case .array, .intrinsic: break
            default:
                context.report("the Metadata of \(resource.logicalID) must be a mapping", at: metadata.location.isKnown ? metadata.location : resource.keyLocation, path: path)
            }
        }
    }

    func checkInit(_ value: Node, _ path: [PathComponent], _ context: RuleContext) {
        for (map, branch) in Self.mappings(value, path, context) {
            for entry in map.entries {
                let place = branch + [.key(entry.key)]
                if entry.key == "configSets" {
                    _ = Self.mappings(entry.value, place, context, at: entry.keyLocation)
                    continue
                }
                // A config: its known sections are judged; cfn-init ignores other keys.
                for (sections, configPath) in Self.mappings(entry.value, place, context, at: entry.keyLocation) {
                    for section in sections.entries {
                        guard let shape = Self.config[section.key] else { continue }
                        Self.judge(section.value, shape, configPath + [.key(section.key)], context, keyLocation: section.keyLocation)
                    }
                }
            }
        }
    }

    /// The mappings a value can be (both branches of an Fn::If), reporting anything else
    /// except another function.
    static func mappings(_ value: Node, _ path: [PathComponent], _ context: RuleContext, at keyLocation: Location = .none) -> [(ObjectMap, [PathComponent])] {
        let found = Branches.objects(value, path)
        if found.isEmpty, !isFunction(value) {
            report(value, "a mapping", path, context, keyLocation)
        }
        return found
    }

    static func isFunction(_ value: Node) -> Bool {
        if case .intrinsic = value.kind { return true }
        return false
    }

    /// A value of the wrong kind; an empty (null) one says so.
    static func report(_ value: Node, _ summary: String, _ path: [PathComponent], _ context: RuleContext, _ keyLocation: Location) {
        var empty = false
        if case .null = value.kind { empty = true }
        // An empty value has no text of its own: its key is the place.
        let place = (empty && keyLocation.isKnown) || !value.location.isKnown ? keyLocation : value.location
        context.report("\(name(path)) \(empty ? "is empty; it must be" : "must be") \(summary)", at: place, path: path)
    }

    /// The path from the Init key on, for messages.
    static func name(_ path: [PathComponent]) -> String {
        let keys = path.compactMap { component -> String? in
            if case .key(let key) = component, key != "Fn::If" { return key }
            return nil
        }
        guard let start = keys.firstIndex(of: "AWS::CloudFormation::Init") else { return keys.joined(separator: ": ") }
        let rest = keys[(start + 1)...]
        return rest.isEmpty ? "AWS::CloudFormation::Init" : rest.joined(separator: ": ")
    }

    static func judge(_ value: Node, _ shape: Shape, _ path: [PathComponent], _ context: RuleContext, keyLocation: Location) {
        if let function = value.intrinsicValue {
            guard function.name == .if, let parts = function.argument.arrayValue, parts.count == 3 else { return }
            for index in 1...2 where !(parts[index].intrinsicValue?.name == .ref && parts[index].intrinsicValue?.argument.stringValue == "AWS::NoValue") {
                judge(parts[index], shape, path + [.key("Fn::If"), .index(index)], context, keyLocation: keyLocation)
            }
            return
        }
        let wrong = { report(value, shape.summary, path, context, keyLocation) }
        switch shape {
        case .anything:
            if case .null = value.kind { wrong() }
        case .string:
            if !isScalar(value) { wrong() }
        case .boolean:
            switch value.kind {
            case .bool: break
            case .string(let text) where ["true", "false"].contains(text.lowercased()): break
            default: wrong()
            }
        case .oneOf(let allowed):
            guard isScalar(value) else { return wrong() }
            if let text = value.scalarText, !allowed.contains(text) { context.report("\(name(path)) '\(text)' is not \(shape.summary)", at: value.location, path: path) }
        case .mode:
            guard isScalar(value) else { return wrong() }
            // A YAML number (000644 unquoted is octal 420) is converted by CloudFormation; as
            // cfn-lint does, only the written string is judged.
            if case .string(let text) = value.kind, text.count != 6 || !text.allSatisfy({ ("0"..."7").contains($0) }) {
                context.report("\(name(path)) '\(text)' is not \(shape.summary)", at: value.location, path: path)
            }
        case .strings:
            guard let items = value.arrayValue else { return wrong() }
            for (index, item) in items.enumerated() { judge(item, .string, path + [.index(index)], context, keyLocation: item.location) }
        case .stringOrStrings:
            if let items = value.arrayValue {
                for (index, item) in items.enumerated() { judge(item, .string, path + [.index(index)], context, keyLocation: item.location) }
            } else if !isScalar(value) { wrong() }
        case .stringOrObject:
            if case .object = value.kind { return }
            if !isScalar(value) { wrong() }
        case .names(let inner):
            guard let map = value.objectValue else { return wrong() }
            for entry in map.entries { judge(entry.value, inner, path + [.key(entry.key)], context, keyLocation: entry.keyLocation) }
        case .keys(let known):
            guard let map = value.objectValue else { return wrong() }
            for entry in map.entries {
                guard let inner = known[entry.key] else {
                    context.report("'\(entry.key)' is not a key of \(name(path)) (\(known.keys.sorted().joined(separator: ", ")))", at: entry.keyLocation, path: path + [.key(entry.key)])
                    continue
                }
                judge(entry.value, inner, path + [.key(entry.key)], context, keyLocation: entry.keyLocation)
            }
        }
    }

    static func isScalar(_ value: Node) -> Bool {
        switch value.kind {
        case .string, .number, .bool: return true
        default: return false
        }
    }
}
