import FormworkSchema

/// Which types hold data, and which can leave a snapshot, each with where it comes from.
public enum DataFacts {
    /// The DeletionPolicy attribute page of the CloudFormation User Guide: "For resources that
    /// support snapshots (AWS::EC2::Volume, AWS::ElastiCache::CacheCluster,
    /// AWS::ElastiCache::ReplicationGroup, AWS::Neptune::DBCluster, AWS::RDS::DBCluster,
    /// AWS::RDS::DBInstance, AWS::Redshift::Cluster), CloudFormation creates a snapshot". For
    /// any other type a Snapshot policy is not honoured: the resource is deleted.
    public static let snapshotTypes: Set<String> = [
        "AWS::EC2::Volume", "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::Neptune::DBCluster",
        "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Redshift::Cluster",
    ]
    public static let snapshotSource = "DeletionPolicy attribute page (User Guide): Snapshot applies to the types that support snapshots"

    /// Types that hold data beyond cfn-lint's StatefulResources.json (the registry's stateful
    /// list), each with what the data is, from the service's own documentation.
    public static let moreDataTypes: [String: String] = [
        "AWS::MSK::Cluster": "MSK Developer Guide: a cluster's brokers store the topics' messages",
        "AWS::MSK::ServerlessCluster": "MSK Developer Guide: a serverless cluster stores the topics' messages",
        "AWS::DocDB::DBCluster": "DocumentDB Developer Guide: the cluster volume holds the databases",
        "AWS::DocDBElastic::Cluster": "DocumentDB Developer Guide: an elastic cluster's shards hold the collections",
        "AWS::Neptune::DBCluster": "Neptune User Guide: the cluster volume holds the graph",
        "AWS::DynamoDB::GlobalTable": "DynamoDB Developer Guide: the replicas hold the items",
        "AWS::ElastiCache::ServerlessCache": "ElastiCache User Guide: the cache holds the keys (lost when deleted without a final snapshot)",
        "AWS::MemoryDB::Cluster": "MemoryDB Developer Guide: a durable in-memory database",
        "AWS::Kinesis::Stream": "Kinesis Data Streams Developer Guide: the stream retains its records for the retention period",
        "AWS::KinesisVideo::Stream": "Kinesis Video Streams Developer Guide: the stream retains its media",
        "AWS::Timestream::Database": "Timestream Developer Guide: the database holds its tables",
        "AWS::Timestream::Table": "Timestream Developer Guide: the table holds the records",
        "AWS::Cassandra::Table": "Amazon Keyspaces Developer Guide: the table holds the rows",
        "AWS::Cassandra::Keyspace": "Amazon Keyspaces Developer Guide: deleting a keyspace deletes its tables",
        "AWS::OpenSearchServerless::Collection": "OpenSearch Service Developer Guide: a collection holds the indexes",
        "AWS::S3Express::DirectoryBucket": "S3 User Guide: a directory bucket holds objects",
        "AWS::RedshiftServerless::Namespace": "Redshift Management Guide: the namespace holds the databases",
        "AWS::ECR::Repository": "ECR User Guide: the repository holds the images",
        "AWS::CodeCommit::Repository": "CodeCommit User Guide: the repository holds the commits",
        "AWS::Glacier::Vault": "S3 Glacier Developer Guide: a vault holds archives",
        "AWS::Lightsail::Database": "Lightsail documentation: a managed database",
        "AWS::Lightsail::Disk": "Lightsail documentation: a block storage disk",
        "AWS::CloudTrail::EventDataStore": "CloudTrail User Guide: the event data store holds the events",
        "AWS::IoTAnalytics::Datastore": "IoT Analytics User Guide: the data store holds the messages",
    ]
}

extension SchemaRegistry {
    /// A type whose replacement or deletion loses data: cfn-lint's stateful list, and
    /// `DataFacts.moreDataTypes`.
    public func isDataBearing(_ type: String) -> Bool { isStateful(type) || DataFacts.moreDataTypes[type] != nil }

    /// Where the data verdict of a type comes from.
    public func dataSource(_ type: String) -> String? {
        if isStateful(type) { return "cfn-lint StatefulResources.json" }
        return DataFacts.moreDataTypes[type]
    }
}
