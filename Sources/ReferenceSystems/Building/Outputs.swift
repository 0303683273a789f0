import Formwork

/// The outputs every system gives (flat names, for cfn-outputs/flat-outputs.json).
enum Outputs {
    static func database(_ system: SystemStack, _ primary: DatabaseInstance, network: Network, key: EncryptionKey) {
        let stack = system.stack
        stack.output("VPCId", network.vpc.ref, description: "The VPC")
        stack.output("ApplicationSubnetIds", network.applicationSubnets.refs, description: "Where the database's clients run")
        stack.output("PrimaryDBEndpoint", primary.handle.endpointAddress, description: "Where clients connect (TLS required)")
        stack.output("PrimaryDBPort", primary.handle.endpointPort, description: "The PostgreSQL port")
        stack.output("PrimaryDBIdentifier", primary.handle.ref, description: "The DB instance identifier")
        stack.output("PrimaryDBArn", primary.handle.dbInstanceArn, description: "The DB instance ARN")
        stack.output("KMSKeyArn", key.arn, description: "The key of the storage, backups and Performance Insights")
        if let topic = system.alertTopic { stack.output("AlarmTopicArn", topic.ref, description: "The topic every alarm notifies") }
    }
}
