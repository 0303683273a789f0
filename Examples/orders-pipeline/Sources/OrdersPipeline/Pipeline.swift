import Formwork
import FormworkConstructs

/// Aurora PostgreSQL behind an RDS Proxy (TLS, IAM authentication), an SQS queue with a
/// dead-letter queue feeding a Lambda worker in the VPC that writes to the database as the
/// `orders_worker` user, and alarms on the database and the dead letters to an encrypted topic.
func pipeline(profile: Profile) -> Stack {
    let stack = Stack(description: "orders pipeline: Aurora PostgreSQL 16, RDS Proxy, SQS, Lambda worker (Examples/orders-pipeline)")
    let scope = Scope(stack, system: "orders", profile: profile)

    let network = Network(scope)
    let key = EncryptionKey(scope, "OrdersKey", purpose: "key", usedBy: "orders database, queue and logs key")
    let database = AuroraPostgresCluster(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6",
                                         readers: 1, key: key, masterUsername: "orders_admin")
    let proxy = database.addProxy()

    let queue = Queue(scope, "Orders", purpose: "orders", key: key)
    let worker = LambdaWorker(scope, "Worker", purpose: "orders-worker", source: workerSource,
                              description: "the orders worker", logKey: key, network: network,
                              environment: ["DB_HOST": proxy.endpoint, "DB_USER": "orders_worker"])
    worker.consume(queue)
    database.grantConnect(to: worker, asUser: "orders_worker")
    if let group = worker.securityGroup { database.allowConnections(from: group, description: "PostgreSQL from the orders worker") }

    let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: key)
    database.addAlarms(topic: topic)
    queue.alarmOnDeadLetters(to: topic, scope: scope, purpose: "orders")

    stack.output("ProxyEndpoint", proxy.endpoint, description: "Where the worker and the services connect (TLS, IAM token)")
    stack.output("QueueUrl", queue.handle.ref, description: "Where orders are sent")
    return stack
}

/// The team's conventions on the house profiles: its tag, class and version.
enum OrdersProfiles {
    static func team(_ name: String, basedOn base: Profile) -> Profile {
        var profile = Profile(name: name, basedOn: base)
        profile.tagging.require("Team", value: "orders")
        profile.rds.instanceClasses = ["db.r6g.large"]
        profile.rds.engineMajorVersion = 16
        return profile
    }

    static let dev = team("orders-dev", basedOn: .ephemeral)
    static let prod = team("orders-prod", basedOn: .production)
}

/// The worker: takes each order from the batch and reports the ones it could not store.
let workerSource = """
import os

def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        if not record.get("body"):
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""
