"""Health monitor: is the primary database available? Runs every minute on an EventBridge
schedule in the standby region, so that it keeps running when the primary's region does not.

Each run asks RDS in the primary's region for the primary's status and publishes the answer
as the PrimaryAvailable metric (1 or 0). A Route 53 health check follows the alarm on that
metric. When the primary has now failed FAILURE_THRESHOLD checks in a row (this one and the
previous ones, read back from the metric) and the replica is still a replica, the monitor
starts the failover function and says so on the topic: detection takes FAILURE_THRESHOLD
minutes, the failover at most its own 5-minute budget.

Environment: PRIMARY_ID, PRIMARY_REGION, REPLICA_ID, FAILOVER_FUNCTION, TOPIC_ARN,
METRIC_NAMESPACE, and optionally FAILURE_THRESHOLD (default 3).
"""
import datetime
import json
import os

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# Statuses in which the primary serves connections.
SERVING = {"available", "backing-up", "modifying", "configuring-enhanced-monitoring", "configuring-log-exports",
           "configuring-iam-database-auth", "storage-optimization", "upgrading"}
# A region outage shows as timeouts: fail fast instead of retrying for a minute.
PROBE_CONFIG = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"})


def probe(rds, primary_id):
    """(available, detail) for the primary; any error counts as unavailable."""
    try:
        instance = rds.describe_db_instances(DBInstanceIdentifier=primary_id)["DBInstances"][0]
    except ClientError as error:
        return False, error.response.get("Error", {}).get("Code", "ClientError")
    except BotoCoreError as error:
        return False, type(error).__name__
    status = instance["DBInstanceStatus"]
    return status in SERVING, status


def previous_failures(cloudwatch, namespace, primary_id, minutes, now):
    """How many of the last `minutes` one-minute periods before now reported the primary down,
    counting back until the first healthy (or missing) period."""
    if minutes <= 0:
        return 0
    statistics = cloudwatch.get_metric_statistics(
        Namespace=namespace, MetricName="PrimaryAvailable",
        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": primary_id}],
        StartTime=now - datetime.timedelta(minutes=minutes + 1), EndTime=now,
        Period=60, Statistics=["Maximum"])
    points = sorted(statistics.get("Datapoints", []), key=lambda point: point["Timestamp"], reverse=True)
    streak = 0
    for point in points[:minutes]:
        if point["Maximum"] >= 1:
            break
        streak += 1
    return streak


def replica_is_replica(rds, replica_id):
    instance = rds.describe_db_instances(DBInstanceIdentifier=replica_id)["DBInstances"][0]
    return bool(instance.get("ReadReplicaSourceDBInstanceIdentifier"))


def handler(event, context, clients=None, now=None):
    env = os.environ
    clients = clients or {}
    primary_rds = clients.get("primary_rds") or boto3.client("rds", region_name=env["PRIMARY_REGION"], config=PROBE_CONFIG)
    rds = clients.get("rds") or boto3.client("rds")
    cloudwatch = clients.get("cloudwatch") or boto3.client("cloudwatch")
    lambda_client = clients.get("lambda") or boto3.client("lambda")
    sns = clients.get("sns") or boto3.client("sns")
    primary_id, replica_id = env["PRIMARY_ID"], env["REPLICA_ID"]
    namespace = env["METRIC_NAMESPACE"]
    threshold = max(1, int(env.get("FAILURE_THRESHOLD", "3")))
    now = now or datetime.datetime.now(datetime.timezone.utc)

    available, detail = probe(primary_rds, primary_id)
    cloudwatch.put_metric_data(Namespace=namespace, MetricData=[{
        "MetricName": "PrimaryAvailable", "Value": 1.0 if available else 0.0, "Unit": "Count", "Timestamp": now,
        "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": primary_id}]}])
    result = {"primary": primary_id, "available": available, "status": detail}
    if available:
        print(json.dumps(result))
        return result

    failures = 1 + previous_failures(cloudwatch, namespace, primary_id, threshold - 1, now)
    result["consecutiveFailures"] = failures
    if failures < threshold:
        result["action"] = "waiting"
    elif not replica_is_replica(rds, replica_id):
        result["action"] = "none: the replica is already promoted"
    else:
        reason = f"{primary_id} unavailable ({detail}) for {failures} consecutive checks"
        lambda_client.invoke(FunctionName=env["FAILOVER_FUNCTION"], InvocationType="Event",
                             Payload=json.dumps({"reason": reason}).encode())
        sns.publish(TopicArn=env["TOPIC_ARN"], Subject=f"Database failover started for {primary_id}"[:100],
                    Message=json.dumps(dict(result, reason=reason), sort_keys=True))
        result["action"] = "failover started"
    print(json.dumps(result))
    return result
