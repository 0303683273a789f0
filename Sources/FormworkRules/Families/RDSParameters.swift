import FormworkRuleKit
import FormworkTemplate

/// The parameter group an instance uses, when it is one of the template's.
struct ParameterGroupView {
    let resource: Resource
    var family: String? { resource.properties?["Family"]?.stringValue }
    var parameters: ObjectMap { resource.properties?["Parameters"]?.objectValue ?? ObjectMap() }

    static func of(_ instance: Resource, in template: Template) -> ParameterGroupView? {
        guard let function = instance.properties?["DBParameterGroupName"]?.intrinsicValue, function.name == .ref,
              let name = function.argument.stringValue, let group = template.resource(name),
              group.type == "AWS::RDS::DBParameterGroup" else { return nil }
        return ParameterGroupView(resource: group)
    }

    /// `postgres16` -> 16.
    var majorVersion: Int? {
        guard let family, family.hasPrefix("postgres") else { return nil }
        return Int(family.dropFirst("postgres".count))
    }
}

/// RDS-08: a custom parameter group whose family matches the engine.
struct CustomParameterGroup: Rule {
    static let description = RuleDescription(
        id: "RDS-08", name: "custom-parameter-group", family: .rds, severity: .error,
        rationale: "The default.* groups cannot be changed, so tuning needs a group of the template; its Family must be the engine and major version (postgres16 for 16.x), or the instance cannot use it. An Aurora or Multi-AZ cluster is tuned by its cluster parameter group (DBClusterParameterGroupName), which must not be a default one either.",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EngineVersion: '16.6'\n      DBParameterGroupName: !Ref Tuning\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: ↓postgres14\n      Description: tuning\n",
            "Resources:\n  ↓Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  Other:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n      DBClusterParameterGroupName: ↓default.aurora-postgresql16\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EngineVersion: '16.6'\n      DBParameterGroupName: !Ref Tuning\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n      DBClusterParameterGroupName: !Ref ClusterTuning\n  ClusterTuning:\n    Type: AWS::RDS::DBClusterParameterGroup\n    Properties:\n      Family: aurora-postgresql16\n      Description: tuning\n      Parameters: {rds.force_ssl: 1}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for cluster in template.resources where cluster.type == "AWS::RDS::DBCluster" {
            let name = cluster.properties?["DBClusterParameterGroupName"]
            guard name.map({ $0.stringValue?.hasPrefix("default.") ?? false }) ?? true else { continue }
            context.report("\(cluster.logicalID) uses a default cluster parameter group, which cannot be tuned", at: name?.location ?? cluster.keyLocation,
                           path: Places.resourcePath(cluster, .key("Properties"), .key("DBClusterParameterGroupName")), hint: "add an AWS::RDS::DBClusterParameterGroup and Ref it")
        }
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica {
            let properties = resource.properties ?? ObjectMap()
            guard let group = ParameterGroupView.of(resource, in: template) else {
                if resource.isStandaloneDatabase, properties["DBParameterGroupName"].map({ $0.stringValue?.hasPrefix("default.") ?? true }) ?? true {
                    context.report("\(resource.logicalID) uses a default parameter group, which cannot be tuned", at: properties["DBParameterGroupName"]?.location ?? resource.keyLocation,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("DBParameterGroupName")), hint: "add an AWS::RDS::DBParameterGroup and Ref it")
                }
                continue
            }
            guard let version = properties["EngineVersion"]?.scalarText, let major = version.split(separator: ".").first.flatMap({ Int($0) }),
                  let familyMajor = group.majorVersion, major != familyMajor else { continue }
            let family = group.resource.properties?["Family"]
            context.report("\(group.resource.logicalID) is a \(group.family ?? "?") group, but \(resource.logicalID) runs PostgreSQL \(version)",
                           at: family?.location ?? group.resource.keyLocation, path: Places.resourcePath(group.resource, .key("Properties"), .key("Family")))
        }
    }

}

/// RDS-10: static parameters reboot the instance on every group update.
struct StaticParameters: Rule {
    static let staticParameters: Set<String> = ["shared_buffers", "max_connections", "shared_preload_libraries", "wal_buffers", "max_worker_processes",
                                                "max_wal_senders", "max_locks_per_transaction", "max_prepared_transactions", "huge_pages", "rds.logical_replication"]

    static let description = RuleDescription(
        id: "RDS-10", name: "static-parameters", family: .rds, severity: .warning,
        rationale: "CloudFormation cannot choose a parameter's apply method: a group holding static parameters (shared_buffers, max_connections, shared_preload_libraries, ...) reboots its instances when it changes. A system that accepts that suppresses this warning with its reason.",
        triggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        ↓shared_buffers: '{DBInstanceClassMemory/32768}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        log_min_duration_statement: '500'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBParameterGroup" {
            let parameters = ParameterGroupView(resource: resource).parameters
            for entry in parameters.entries where Self.staticParameters.contains(entry.key) {
                context.report("\(entry.key) is static: any change to \(resource.logicalID) reboots the instances that use it", at: entry.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("Parameters"), .key(entry.key)))
            }
        }
    }
}

/// RDS-11: TLS required, whatever the engine version's default.
struct ForceSSL: Rule {
    static let description = RuleDescription(
        id: "RDS-11", name: "force-ssl", family: .rds, severity: .error,
        rationale: "rds.force_ssl defaults to 0 up to PostgreSQL 14 and to 1 from 15 on. A group of family postgres14 or older must set it to 1; a newer group must not set it to 0. checkov's CKV2_AWS_69 ignores the version and flags postgres16 groups that rely on the default.",
        peers: [.checkov("CKV2_AWS_69")],
        triggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      ↓Family: postgres14\n      Description: tuning\n",
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n      Parameters:\n        rds.force_ssl: ↓'0'\n",
        ],
        nonTriggering: [
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres16\n      Description: tuning\n",
            "Resources:\n  Tuning:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: postgres14\n      Description: tuning\n      Parameters:\n        rds.force_ssl: '1'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBParameterGroup" {
            let group = ParameterGroupView(resource: resource)
            guard let major = group.majorVersion else { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("Parameters"), .key("rds.force_ssl"))
            guard let value = group.parameters["rds.force_ssl"] else {
                if major <= 14 {
                    let place = resource.properties?.entry("Family")?.keyLocation ?? resource.keyLocation
                    context.report("\(resource.logicalID) (\(group.family!)) leaves rds.force_ssl at its default, 0: connections may skip TLS", at: place, path: path, hint: "rds.force_ssl: '1'")
                }
                continue
            }
            if (value.scalarText ?? "") != "1" {
                context.report("\(resource.logicalID) sets rds.force_ssl to \(value.scalarText ?? "?"): connections may skip TLS", at: value.location, path: path, hint: "rds.force_ssl: '1'")
            }
        }
    }
}

/// RDS-14: no plaintext credentials.
struct Credentials: Rule {
    static let description = RuleDescription(
        id: "RDS-14", name: "credentials", family: .rds, severity: .error,
        rationale: "A password in a template is in every copy of it, in the stack's history and in the console. Use ManageMasterUserPassword: true, or a {{resolve:secretsmanager:...}} reference to an existing secret; never a literal or a parameter with a Default.",
        acrossResources: true,
        cfnLint: ["W2501"],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: postgres\n      MasterUserPassword: ↓hunter2hunter2\n",
            "Parameters:\n  Password:\n    Type: String\n    NoEcho: true\n    Default: ↓changeme\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !Ref Password\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: postgres\n      ManageMasterUserPassword: true\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:secretsmanager:orders-db:SecretString:password}}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster" {
            guard let value = resource.properties?["MasterUserPassword"] else { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("MasterUserPassword"))
            if let text = value.stringValue {
                if !text.hasPrefix("{{resolve:secretsmanager:") {
                    context.report("\(resource.logicalID) has a plaintext MasterUserPassword", at: value.location, path: path, hint: "ManageMasterUserPassword: true")
                }
            } else if let function = value.intrinsicValue, function.name == .ref, let name = function.argument.stringValue,
                      let defaultValue = template.parameters?[name]?["Default"] {
                context.report("the password parameter \(name) has a Default: the password is in the template", at: defaultValue.location,
                               path: [.key("Parameters"), .key(name), .key("Default")])
            } else if let function = value.intrinsicValue, function.name == .sub, function.argument.stringValue?.containsText("{{resolve:secretsmanager:") == true {
                continue
            }
        }
    }
}
