import FormworkSchema
import FormworkRuleKit
import FormworkTemplate

/// ST-48: a SAM resource's own Description is dropped by the transform.
struct ServerlessDescriptions: Rule {
    static let description = RuleDescription(
        id: "ST-48", name: "sam-dropped-description", family: .structure, severity: .warning,
        rationale: "Under the AWS::Serverless transform, a Description written beside a SAM resource's Type (not in its Properties) is accepted, but the transform drops it: the resources it generates do not carry it, so the author's description is lost. A function's description belongs in Properties.Description. Outside SAM it is no resource attribute at all (ST-02).",
        triggering: [
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    ↓Description: the orders API\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n",
        ],
        nonTriggering: [
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Description: the orders API\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard StructureFacts.hasTransform(template, "AWS::Serverless") else { return }
        for resource in template.resources where resource.type?.hasPrefix("AWS::Serverless::") == true {
            guard let entry = resource.body.entry("Description") else { continue }
            context.report("\(resource.logicalID)'s Description is dropped by the SAM transform; put it in Properties where the type takes one",
                           at: entry.keyLocation, path: Places.resourcePath(resource, .key("Description")))
        }
    }
}

/// ST-49: SAM resources have the SAM specification's properties and values.
struct ServerlessProperties: Rule {
    static let description = RuleDescription(
        id: "ST-49", name: "sam-properties", family: .structure, severity: .error,
        rationale: "Under the AWS::Serverless transform, a SAM resource (AWS::Serverless::Function, Api, HttpApi, SimpleTable, StateMachine, LayerVersion, Application, ...) takes the properties the SAM specification defines, and the transform refuses others; a property it passes unchanged to a CloudFormation resource (a function's Runtime, MemorySize, Timeout, Architectures; an API's TracingEnabled) must be a value that resource's registry schema accepts, so a runtime Lambda does not know fails the deployment. Judged without running the transform, from the schema aws-sam-translator generates (embedded at codegen time); properties Globals supplies are not required of the resource.",
        acrossResources: true,
        triggering: [
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: ↓python2.8\n      Handler: app.handler\n      CodeUri: src/\n      MemorySize: ↓64\n      ↓Memory: 512\n  Config:\n    Type: AWS::Serverless::Application\n    Properties:\n      ↓Parameters: {Stage: prod}\n",
        ],
        nonTriggering: [
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: 30\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      MemorySize: 512\n      Events:\n        Get: {Type: Api, Properties: {Path: /, Method: get}}\n  Config:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: {ApplicationId: 'arn:aws:serverlessrepo:us-east-1:111111111111:applications/app', SemanticVersion: 1.0.0}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard StructureFacts.hasTransform(template, "AWS::Serverless") else { return }
        let serverless = context.registry.serverless
        let globals = template.root["Globals"] != nil
        for resource in template.resources {
            guard let typeName = resource.type, let type = serverless.type(typeName) else { continue }
            let base = Places.resourcePath(resource, .key("Properties"))
            guard let properties = resource.properties else {
                if resource.body["Properties"] == nil, !type.required.isEmpty, !globals {
                    context.report("\(resource.logicalID) (\(typeName)) needs Properties: \(type.required.joined(separator: ", ")) \(type.required.count == 1 ? "is" : "are") required",
                                   at: resource.keyLocation, path: base)
                }
                continue
            }
            let missing = globals ? [] : type.required.filter { properties[$0] == nil }
            if !missing.isEmpty, let node = resource.body["Properties"] {
                context.report("\(resource.logicalID) (\(typeName)) lacks \(missing.joined(separator: ", ")) (required)", at: node.location, path: base)
            }
            for entry in properties.entries {
                if type.closed && !type.properties.contains(entry.key) {
                    context.report("\(entry.key) is not a property of \(typeName)", at: entry.keyLocation, path: base + [.key(entry.key)])
                    continue
                }
                guard let target = type.passThrough[entry.key], let schema = context.registry.schema(for: target.type) else { continue }
                for issue in SchemaValidator.issues(of: entry.value, property: target.property, in: schema, path: base + [.key(entry.key)])
                where issue.kind != .refFormat && issue.kind != .required {
                    context.report("\(issue.message) (SAM passes it to \(target.type)'s \(target.property))", at: issue.location, path: issue.path)
                }
            }
        }
    }
}
