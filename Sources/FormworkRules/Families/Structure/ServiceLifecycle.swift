import FormworkRuleKit
import FormworkTemplate

/// The lifecycle of AWS services whose resource types CloudFormation still lists: shut down
/// (the type can no longer be created), sunsetting (shut down on a date) or in maintenance
/// (no new features). cfn-lint 1.51.0's registry schemas (their `lifecycle` key), as data.
enum ServiceLifecycle {
    enum Status: String, Sendable { case shutdown, sunset, maintenance }

    static let table: [(status: Status, date: String?, types: [String])] = [
        (.maintenance, "2024-07-25", ["AWS::Cloud9::EnvironmentEC2"]),
        (.maintenance, "2024-07-29", ["AWS::Forecast::Dataset", "AWS::Forecast::DatasetGroup"]),
        (.maintenance, "2024-10-01", ["AWS::AutoScaling::LaunchConfiguration"]),
        (.maintenance, "2025-06-20", ["AWS::Timestream::Database", "AWS::Timestream::ScheduledQuery", "AWS::Timestream::Table"]),
        (.maintenance, "2025-10-07", ["AWS::CodeGuruReviewer::RepositoryAssociation"]),
        (.shutdown, "2022-11-09", ["AWS::IoTThingsGraph::FlowTemplate"]),
        (.shutdown, "2024-05-01", ["AWS::OpsWorks::App", "AWS::OpsWorks::ElasticLoadBalancerAttachment", "AWS::OpsWorks::Instance", "AWS::OpsWorks::Layer", "AWS::OpsWorks::Stack", "AWS::OpsWorks::UserProfile", "AWS::OpsWorks::Volume"]),
        (.shutdown, "2024-06-30", ["AWS::NimbleStudio::Studio"]),
        (.shutdown, "2024-07-25", ["AWS::CodeStar::GitHubRepository"]),
        (.shutdown, "2025-07-31", ["AWS::QLDB::Ledger", "AWS::QLDB::Stream"]),
        (.shutdown, "2025-10-17", ["AWS::Evidently::Experiment", "AWS::Evidently::Feature", "AWS::Evidently::Launch", "AWS::Evidently::Project", "AWS::Evidently::Segment"]),
        (.shutdown, "2025-12-15", ["AWS::IoTAnalytics::Channel", "AWS::IoTAnalytics::Dataset", "AWS::IoTAnalytics::Datastore", "AWS::IoTAnalytics::Pipeline"]),
        (.shutdown, "2026-05-20", ["AWS::IoTEvents::AlarmModel", "AWS::IoTEvents::DetectorModel", "AWS::IoTEvents::Input"]),
        (.sunset, nil, ["AWS::WAF::ByteMatchSet", "AWS::WAF::IPSet", "AWS::WAF::Rule", "AWS::WAF::SizeConstraintSet", "AWS::WAF::SqlInjectionMatchSet", "AWS::WAF::WebACL", "AWS::WAF::XssMatchSet", "AWS::WAFRegional::ByteMatchSet", "AWS::WAFRegional::GeoMatchSet", "AWS::WAFRegional::IPSet", "AWS::WAFRegional::RateBasedRule", "AWS::WAFRegional::RegexPatternSet", "AWS::WAFRegional::Rule", "AWS::WAFRegional::SizeConstraintSet", "AWS::WAFRegional::SqlInjectionMatchSet", "AWS::WAFRegional::WebACL", "AWS::WAFRegional::WebACLAssociation", "AWS::WAFRegional::XssMatchSet"]),
        (.sunset, "2025-11-07", ["AWS::FraudDetector::Detector", "AWS::FraudDetector::EntityType", "AWS::FraudDetector::EventType", "AWS::FraudDetector::Label", "AWS::FraudDetector::List", "AWS::FraudDetector::Outcome", "AWS::FraudDetector::Variable"]),
        (.sunset, "2025-11-13", ["AWS::MediaStore::Container"]),
        (.sunset, "2026-05-20", ["AWS::Inspector::AssessmentTarget", "AWS::Inspector::AssessmentTemplate", "AWS::Inspector::ResourceGroup", "AWS::SimSpaceWeaver::Simulation"]),
        (.sunset, "2026-09-30", ["AWS::AppMesh::GatewayRoute", "AWS::AppMesh::Mesh", "AWS::AppMesh::Route", "AWS::AppMesh::VirtualGateway", "AWS::AppMesh::VirtualNode", "AWS::AppMesh::VirtualRouter", "AWS::AppMesh::VirtualService"]),
        (.sunset, "2026-10-01", ["AWS::Greengrass::ConnectorDefinition", "AWS::Greengrass::ConnectorDefinitionVersion", "AWS::Greengrass::CoreDefinition", "AWS::Greengrass::CoreDefinitionVersion", "AWS::Greengrass::DeviceDefinition", "AWS::Greengrass::DeviceDefinitionVersion", "AWS::Greengrass::FunctionDefinition", "AWS::Greengrass::FunctionDefinitionVersion", "AWS::Greengrass::Group", "AWS::Greengrass::GroupVersion", "AWS::Greengrass::LoggerDefinition", "AWS::Greengrass::LoggerDefinitionVersion", "AWS::Greengrass::ResourceDefinition", "AWS::Greengrass::ResourceDefinitionVersion", "AWS::Greengrass::SubscriptionDefinition", "AWS::Greengrass::SubscriptionDefinitionVersion"]),
        (.sunset, "2026-10-07", ["AWS::FinSpace::Environment", "AWS::Proton::EnvironmentAccountConnection", "AWS::Proton::EnvironmentTemplate", "AWS::Proton::ServiceTemplate"]),
        (.sunset, "2026-10-30", ["AWS::Pinpoint::ADMChannel", "AWS::Pinpoint::APNSChannel", "AWS::Pinpoint::APNSSandboxChannel", "AWS::Pinpoint::APNSVoipChannel", "AWS::Pinpoint::APNSVoipSandboxChannel", "AWS::Pinpoint::App", "AWS::Pinpoint::ApplicationSettings", "AWS::Pinpoint::BaiduChannel", "AWS::Pinpoint::Campaign", "AWS::Pinpoint::EmailChannel", "AWS::Pinpoint::EmailTemplate", "AWS::Pinpoint::EventStream", "AWS::Pinpoint::GCMChannel", "AWS::Pinpoint::InAppTemplate", "AWS::Pinpoint::PushTemplate", "AWS::Pinpoint::SMSChannel", "AWS::Pinpoint::Segment", "AWS::Pinpoint::SmsTemplate", "AWS::Pinpoint::VoiceChannel"])
    ]

    static let byType: [String: (status: Status, date: String?)] = {
        var found: [String: (status: Status, date: String?)] = [:]
        for row in table { for type in row.types { found[type] = (row.status, row.date) } }
        return found
    }()

    static func message(_ type: String, _ status: Status, _ date: String?) -> String {
        switch status {
        case .shutdown: return "\(type) is from a service AWS has shut down\(date.map { " (on \($0))" } ?? ""): it can no longer be created"
        case .sunset: return "\(type) is from a service AWS \(date.map { "shuts down on \($0)" } ?? "is shutting down"): plan to migrate to an alternative"
        case .maintenance: return "\(type) is from a service in maintenance mode\(date.map { " since \($0)" } ?? ""): consider migrating to an alternative"
        }
    }

    static func check(_ template: Template, _ context: RuleContext, _ statuses: Set<Status>) {
        for resource in template.resources {
            guard let typeValue = resource.body["Type"], let type = typeValue.stringValue, let found = byType[type], statuses.contains(found.status) else { continue }
            context.report(message(type, found.status, found.date), at: typeValue.location, path: Places.resourcePath(resource, .key("Type")))
        }
    }
}

/// ST-41: resource types of services AWS has shut down.
struct RetiredServices: Rule {
    static let description = RuleDescription(
        id: "ST-41", name: "retired-services", family: .structure, severity: .error,
        rationale: "A resource type of a service AWS has shut down (OpsWorks on 2024-05-01, CodeStar, QLDB, Evidently, IoT Analytics, IoT Events, Nimble Studio, IoT Things Graph, with the dates cfn-lint 1.51.0's registry records) is still in the registry, so the type passes ST-03, but the service creates nothing any more: the deployment fails.",
        cfnLint: ["E3710"],
        triggering: [
            "Resources:\n  Stack:\n    Type: ↓AWS::OpsWorks::Stack\n    Properties:\n      Name: app\n      ServiceRoleArn: arn:aws:iam::111111111111:role/opsworks\n      DefaultInstanceProfileArn: arn:aws:iam::111111111111:instance-profile/opsworks\n  Ledger:\n    Type: ↓AWS::QLDB::Ledger\n    Properties:\n      PermissionsMode: STANDARD\n",
        ],
        nonTriggering: [
            "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        ServiceLifecycle.check(template, context, [.shutdown])
    }
}

/// ST-42: resource types of services that AWS is shutting down or keeps in maintenance.
struct SunsettingServices: Rule {
    static let description = RuleDescription(
        id: "ST-42", name: "sunsetting-services", family: .structure, severity: .warning,
        rationale: "A resource type of a service AWS will shut down (AppMesh, Pinpoint, Greengrass V1, Inspector Classic, WAF Classic, MediaStore, ...) or keeps in maintenance mode (EC2 launch configurations, Cloud9, Forecast, Timestream for LiveAnalytics) still deploys today, but the stack will have to move: the warning names the date cfn-lint 1.51.0's registry records.",
        cfnLint: ["W3696", "W3697"],
        triggering: [
            "Resources:\n  Launch:\n    Type: ↓AWS::AutoScaling::LaunchConfiguration\n    Properties:\n      ImageId: ami-0123456789abcdef0\n      InstanceType: t3.micro\n  Mesh:\n    Type: ↓AWS::AppMesh::Mesh\n",
        ],
        nonTriggering: [
            "Resources:\n  Launch:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.micro}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        ServiceLifecycle.check(template, context, [.sunset, .maintenance])
    }
}
