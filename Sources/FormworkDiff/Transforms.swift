import FormworkTemplate

/// The transforms CloudFormation applies before it compares: `Fn::ForEach` loops
/// (AWS::LanguageExtensions) expanded as `formwork lint` expands them, and the SAM resources
/// (AWS::Serverless) mapped to the resource the SAM transform makes under the same logical id,
/// so that a SAM function and the plain Lambda function it stands for compare as one type.
enum DiffTransforms {
    /// `values`: the side's parameter values (a loop over a list parameter uses them).
    static func applied(_ template: Template, values: [String: String]) -> Template {
        var result = template
        if template.transforms.contains("AWS::LanguageExtensions") {
            // The loop's collection from this side's value of a list parameter, not its Default.
            var source = template
            if var parameters = template.parameters {
                for entry in parameters.entries {
                    guard let value = values[entry.key], var declaration = entry.value.objectValue else { continue }
                    declaration.set("Default", .string(value))
                    parameters.set(entry.key, .object(declaration, at: entry.value.location), keyLocation: entry.keyLocation)
                }
                source.root.set("Parameters", .object(parameters))
            }
            let expanded = LoopExpansion.expanded(source).template
            if var resources = expanded.root["Resources"]?.objectValue {
                // The loops stay beside what they make in lint's expansion; here only what they make.
                for key in resources.keys where key.hasPrefix("Fn::ForEach::") { resources.remove(key) }
                result.root.set("Resources", .object(resources, at: expanded.root["Resources"]!.location))
            }
        }
        if template.transforms.contains(where: { $0.hasPrefix("AWS::Serverless") }) {
            result = SAMResources.mapped(result)
        }
        return result
    }
}

/// What the SAM transform makes of its resources, as far as an update's verdict goes: the main
/// resource under the same logical id, with the properties it is given. (The transform's
/// other resources, roles, permissions, stages and versions, are not made here.)
enum SAMResources {
    /// SAM type -> the type of the resource the transform makes under the same logical id.
    static let mainTypes: [String: String] = [
        "AWS::Serverless::Function": "AWS::Lambda::Function",
        "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
        "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
        "AWS::Serverless::LayerVersion": "AWS::Lambda::LayerVersion",
        "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
        "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
    ]

    /// SAM property -> generated property, where only the name changes.
    static let renamed: [String: [String: String]] = [
        "AWS::Serverless::Function": ["DeadLetterQueue": "DeadLetterConfig", "Tracing": "TracingConfig"],
        "AWS::Serverless::Api": ["DefinitionBody": "Body", "DefinitionUri": "BodyS3Location"],
        "AWS::Serverless::HttpApi": ["DefinitionBody": "Body", "DefinitionUri": "BodyS3Location"],
        "AWS::Serverless::LayerVersion": ["ContentUri": "Content"],
        "AWS::Serverless::StateMachine": ["Name": "StateMachineName", "Role": "RoleArn", "Type": "StateMachineType",
                                          "Logging": "LoggingConfiguration", "Tracing": "TracingConfiguration", "DefinitionUri": "DefinitionS3Location"],
        "AWS::Serverless::Application": ["Location": "TemplateURL"],
    ]

    /// SAM-only properties that make other resources (events, aliases, policies), or that the
    /// transform reads and drops.
    static let dropped: [String: Set<String>] = [
        "AWS::Serverless::Function": ["Events", "Policies", "AutoPublishAlias", "AutoPublishCodeSha256", "AutoPublishAliasAllProperties", "DeploymentPreference",
                                      "ProvisionedConcurrencyConfig", "EventInvokeConfig", "FunctionUrlConfig", "VersionDescription", "AssumeRolePolicyDocument",
                                      "PermissionsBoundary", "RolePath", "CodeUri", "InlineCode", "ImageUri", "Tags", "Tracing", "DeadLetterQueue"],
        "AWS::Serverless::Api": ["StageName", "Auth", "Cors", "CacheClusterEnabled", "CacheClusterSize", "Variables", "MethodSettings", "AccessLogSetting",
                                 "CanarySetting", "TracingEnabled", "OpenApiVersion", "Domain", "GatewayResponses", "Models", "EndpointConfiguration", "Tags", "AlwaysDeploy", "MergeDefinitions"],
        "AWS::Serverless::HttpApi": ["StageName", "Auth", "CorsConfiguration", "StageVariables", "AccessLogSettings", "DefaultRouteSettings", "RouteSettings",
                                     "Domain", "Tags"],
        "AWS::Serverless::SimpleTable": ["PrimaryKey", "Tags"],
        "AWS::Serverless::LayerVersion": ["RetentionPolicy", "ContentUri"],
        "AWS::Serverless::StateMachine": ["Events", "Policies", "Definition", "AutoPublishAlias", "DeploymentPreference", "PermissionsBoundary", "RolePath", "Tags"],
        "AWS::Serverless::Application": ["Tags"],
    ]

    /// The types the SAM transform makes beside the main resource (roles, stages, deployments,
    /// permissions, versions, aliases, event sources), named after the SAM resource.
    static let companionTypes: Set<String> = [
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage",
        "AWS::Lambda::Permission", "AWS::Lambda::Version", "AWS::Lambda::Alias", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::Url", "AWS::Events::Rule", "AWS::Scheduler::Schedule", "AWS::SNS::Subscription", "AWS::SQS::QueuePolicy",
        "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup", "AWS::ApiGateway::DomainName", "AWS::ApiGateway::BasePathMapping",
        "AWS::ApiGatewayV2::DomainName", "AWS::ApiGatewayV2::ApiMapping", "AWS::Logs::SubscriptionFilter", "AWS::S3::BucketNotification",
    ]

    /// Resources of `other` that the SAM transform made from a SAM resource of `template` (a
    /// processed template against an original one): id -> the SAM resource. They are not
    /// compared, since the original template does not declare them.
    static func companions(of template: Template, in other: Template) -> [String: String] {
        guard template.transforms.contains(where: { $0.hasPrefix("AWS::Serverless") }),
              let mine = template.root["Resources"]?.objectValue, let theirs = other.root["Resources"]?.objectValue else { return [:] }
        let sources = mine.entries.filter { ($0.value["Type"]?.stringValue).map { mainTypes[$0] != nil } ?? false }.map(\.key)
        guard !sources.isEmpty else { return [:] }
        var found: [String: String] = [:]
        for entry in theirs.entries where mine[entry.key] == nil {
            guard let type = entry.value["Type"]?.stringValue, companionTypes.contains(type),
                  let source = sources.filter({ entry.key.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { continue }
            found[entry.key] = source
        }
        return found
    }

    static func mapped(_ template: Template) -> Template {
        guard let resources = template.root["Resources"]?.objectValue else { return template }
        let globals = template.root["Globals"]?.objectValue
        var result = template
        var map = ObjectMap()
        for entry in resources.entries {
            guard var body = entry.value.objectValue, let type = body["Type"]?.stringValue, let made = mainTypes[type] else {
                map.set(entry.key, entry.value, keyLocation: entry.keyLocation)
                continue
            }
            var properties = body["Properties"]?.objectValue ?? ObjectMap()
            // Globals apply under what the resource sets itself.
            let section = type.split(separator: ":").last.map(String.init) ?? ""
            for global in globals?[section]?.objectValue?.entries ?? [] where properties[global.key] == nil {
                properties.set(global.key, global.value, keyLocation: global.keyLocation)
            }
            body.set("Type", .string(made, at: body["Type"]!.location))
            body.set("Properties", .object(generated(type, properties, id: entry.key), at: body["Properties"]?.location ?? entry.value.location))
            if type == "AWS::Serverless::LayerVersion", body["DeletionPolicy"] == nil {
                // RetentionPolicy (default Retain) becomes the version's DeletionPolicy.
                let retention = properties["RetentionPolicy"]?.scalarText?.lowercased() == "delete" ? "Delete" : "Retain"
                body.set("DeletionPolicy", .string(retention))
            }
            map.set(entry.key, .object(body, at: entry.value.location), keyLocation: entry.keyLocation)
        }
        result.root.set("Resources", .object(map, at: template.root["Resources"]!.location))
        result.root.remove("Globals")
        return result
    }

    static func generated(_ type: String, _ properties: ObjectMap, id: String) -> ObjectMap {
        var out = ObjectMap()
        let drop = dropped[type] ?? []
        for entry in properties.entries {
            if let name = renamed[type]?[entry.key] {
                switch (type, entry.key) {
                case ("AWS::Serverless::Function", "Tracing"):
                    out.set(name, .object(ObjectMap(["Mode": entry.value])), keyLocation: entry.keyLocation)
                case ("AWS::Serverless::Function", "DeadLetterQueue"):
                    out.set(name, .object(ObjectMap(["TargetArn": entry.value["TargetArn"] ?? entry.value])), keyLocation: entry.keyLocation)
                case (_, "ContentUri"), (_, "DefinitionUri"):
                    out.set(name, s3Location(entry.value, type: type), keyLocation: entry.keyLocation)
                default:
                    out.set(name, entry.value, keyLocation: entry.keyLocation)
                }
                continue
            }
            if drop.contains(entry.key) { continue }
            out.set(entry.key, entry.value, keyLocation: entry.keyLocation)
        }
        switch type {
        case "AWS::Serverless::Function":
            if let inline = properties["InlineCode"] {
                out.set("Code", .object(ObjectMap(["ZipFile": inline])))
            } else if let image = properties["ImageUri"] {
                out.set("Code", .object(ObjectMap(["ImageUri": image])))
                if out["PackageType"] == nil { out.set("PackageType", .string("Image")) }
            } else if let code = properties["CodeUri"] {
                out.set("Code", s3Location(code, type: type))
            }
            // Without Role the transform makes `<id>Role` and reads its Arn.
            if out["Role"] == nil { out.set("Role", .intrinsic(.getAtt, .array([.string(id + "Role"), .string("Arn")]))) }
            out.set("Tags", tagList(properties["Tags"], createdBy: "lambda:createdBy"))
        case "AWS::Serverless::Api":
            if let endpoint = properties["EndpointConfiguration"] {
                let kind = endpoint.scalarText.map { Node.string($0) } ?? endpoint["Type"]
                var configuration = ObjectMap()
                if let kind { configuration.set("Types", .array([kind])) }
                if let endpoints = endpoint["VPCEndpointIds"] { configuration.set("VpcEndpointIds", endpoints) }
                out.set("EndpointConfiguration", .object(configuration))
            }
            if out["Name"] == nil { out.set("Name", .intrinsic(.ref, .string("AWS::StackName"))) }
            if let tags = properties["Tags"] { out.set("Tags", tagList(tags)) }
        case "AWS::Serverless::HttpApi":
            if out["Body"] == nil, out["BodyS3Location"] == nil { out.set("ProtocolType", .string("HTTP")) }
            if let tags = properties["Tags"] { out.set("Tags", tags) }
        case "AWS::Serverless::SimpleTable":
            // PrimaryKey (default `id` of type String) is the table's hash key.
            let key = properties["PrimaryKey"]
            let name = key?["Name"] ?? .string("id")
            let kinds = ["String": "S", "Number": "N", "Binary": "B"]
            let kind = key?["Type"]?.scalarText.map { Node.string(kinds[$0] ?? $0) } ?? .string("S")
            out.set("KeySchema", .array([.object(ObjectMap(["AttributeName": name, "KeyType": .string("HASH")]))]))
            out.set("AttributeDefinitions", .array([.object(ObjectMap(["AttributeName": name, "AttributeType": kind]))]))
            if out["ProvisionedThroughput"] == nil, out["BillingMode"] == nil { out.set("BillingMode", .string("PAY_PER_REQUEST")) }
            if let tags = properties["Tags"] { out.set("Tags", tagList(tags)) }
        case "AWS::Serverless::StateMachine":
            if let definition = properties["Definition"] { out.set("Definition", definition) }
            if let tags = properties["Tags"] { out.set("Tags", tagList(tags, createdBy: "stateMachine:createdBy")) }
        case "AWS::Serverless::Application":
            if let tags = properties["Tags"] { out.set("Tags", tagList(tags)) }
        default:
            break
        }
        return out
    }

    /// `s3://bucket/key` or `{Bucket, Key, Version}` as the generated resource's S3 location.
    static func s3Location(_ value: Node, type: String) -> Node {
        let (bucketKey, keyKey, versionKey): (String, String, String)
        switch type {
        case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::StateMachine": (bucketKey, keyKey, versionKey) = ("Bucket", "Key", "Version")
        default: (bucketKey, keyKey, versionKey) = ("S3Bucket", "S3Key", "S3ObjectVersion")
        }
        if let text = value.stringValue, text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            guard let slash = rest.firstIndex(of: "/") else { return value }
            return .object(ObjectMap([bucketKey: .string(String(rest[..<slash])), keyKey: .string(String(rest[rest.index(after: slash)...]))]))
        }
        guard let map = value.objectValue else { return value }
        var out = ObjectMap()
        if let bucket = map["Bucket"] { out.set(bucketKey, bucket) }
        if let key = map["Key"] { out.set(keyKey, key) }
        if let version = map["Version"] { out.set(versionKey, version) }
        return .object(out)
    }

    /// SAM's `{Key: Value}` tags as a tag list; a function's and a state machine's also carry
    /// the transform's own `lambda:createdBy: SAM` / `stateMachine:createdBy: SAM`.
    static func tagList(_ tags: Node?, createdBy: String? = nil) -> Node {
        var items: [Node] = []
        for entry in tags?.objectValue?.entries ?? [] {
            items.append(.object(ObjectMap(["Key": .string(entry.key), "Value": entry.value])))
        }
        if let list = tags?.arrayValue { items = list }
        if let createdBy { items.append(.object(ObjectMap(["Key": .string(createdBy), "Value": .string("SAM")]))) }
        return .array(items)
    }
}
