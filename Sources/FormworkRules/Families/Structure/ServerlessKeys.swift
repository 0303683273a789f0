import FormworkSchema
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
