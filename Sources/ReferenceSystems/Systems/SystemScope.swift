import Formwork
import FormworkConstructs

/// What every reference template starts from: a scope under the system's profile (the
/// `EnvironmentSuffix` parameter, the required tags), the alert topic (and a recovery topic
/// where the system keeps them apart) encrypted with a key of their own, the network, and the
/// key of the database, its logs and its backups.
struct SystemScope {
    let scope: Scope
    let alarms: EncryptedTopic
    let recoveries: EncryptedTopic
    let network: Network
    let key: EncryptionKey
    var stack: Stack { scope.stack }

    init(_ system: String, profile: Profile, keyUsedBy: String, description: String, tags: KeyValuePairs<String, Value<String>> = [:],
         secondOctet: Int = 0, separateRecoveryTopic: Bool = false) {
        scope = Scope(Stack(description: description), system: system, profile: profile, tags: tags)
        let email = scope.stack.parameter("AlertEmail", .string(
            description: "Where alarm notifications are sent (an email subscription, confirmed by its owner)",
            allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", constraintDescription: "an email address")).ref
        let alertKey = EncryptionKey(scope, "AlertKey", purpose: "alerts-key", usedBy: "alert topics encryption key")
        alarms = EncryptedTopic(scope, "Alarm", purpose: "alarms", email: email, key: alertKey)
        recoveries = separateRecoveryTopic ? EncryptedTopic(scope, "Recovery", purpose: "recovery", email: email, key: alertKey) : alarms
        network = Network(scope, secondOctet: secondOctet)
        key = EncryptionKey(scope, "DBEncryptionKey", purpose: "db-key", usedBy: "\(keyUsedBy) encryption key")
    }

    /// The primary `<system>-db-primary-<suffix>`, on the stack's key and network.
    func primary(_ instanceClass: DatabaseClass, engineVersion: String, maxStorageGiB: Int = 500, databaseName: String? = nil,
                 credentials: PostgresInstance.Credentials = .managedByRDS) -> PostgresInstance {
        PostgresInstance(scope, "PrimaryDB", purpose: "db-primary", network: network, instanceClass: instanceClass, engineVersion: engineVersion,
                         key: key, maxAllocatedStorageGiB: maxStorageGiB, databaseName: databaseName, credentials: credentials)
    }

    /// The outputs every system gives (flat names, for cfn-outputs/flat-outputs.json).
    func outputs(_ primary: PostgresInstance) {
        stack.output("VPCId", network.vpc.ref, description: "The VPC")
        stack.output("ApplicationSubnetIds", network.applicationSubnets.refs, description: "Where the database's clients run")
        stack.output("PrimaryDBEndpoint", primary.endpoint, description: "Where clients connect (TLS required)")
        stack.output("PrimaryDBPort", primary.handle.endpointPort, description: "The PostgreSQL port")
        stack.output("PrimaryDBIdentifier", primary.handle.ref, description: "The DB instance identifier")
        stack.output("PrimaryDBArn", primary.handle.dbInstanceArn, description: "The DB instance ARN")
        stack.output("KMSKeyArn", key.arn, description: "The key of the storage, backups and Performance Insights")
        stack.output("AlarmTopicArn", alarms.arn, description: "The topic every alarm notifies")
    }
}
