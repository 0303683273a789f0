"""Failover: promote the cross-region read replica, point the database record at it, notify.

Runs in the standby region, invoked by the health monitor (or by an operator with an empty
event). Idempotent: a replica that is already standalone is not promoted again, and the DNS
UPSERT is the same every time. Everything happens within BUDGET_SECONDS (the seeds' 5-minute
execution budget inside a 15-minute recovery time objective); what is not done by then is
reported as a failure, so that a person takes over.

Environment: REPLICA_ID, HOSTED_ZONE_ID, RECORD_NAME, SET_IDENTIFIER, TOPIC_ARN, and
optionally BUDGET_SECONDS (default 300), POLL_SECONDS (default 15) and BACKUP_RETENTION_DAYS
(default 7: the promoted instance takes backups from the start, it is the primary now).
"""
import json
import os
import time

import boto3
from botocore.exceptions import ClientError

RETRYABLE = {"Throttling", "ThrottlingException", "InvalidDBInstanceState", "PriorRequestNotComplete",
             "ServiceUnavailable", "InternalFailure"}


class FailoverError(Exception):
    pass


def retry(call, deadline, clock=time.monotonic, sleep=time.sleep):
    """Calls `call` until it succeeds, backing off on retryable errors, until the deadline."""
    delay = 1.0
    while True:
        try:
            return call()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in RETRYABLE or clock() + delay > deadline:
                raise
            sleep(delay)
            delay = min(delay * 2, 16.0)


def replica_state(rds, replica_id):
    instance = rds.describe_db_instances(DBInstanceIdentifier=replica_id)["DBInstances"][0]
    return instance


def is_promoted(instance):
    return not instance.get("ReadReplicaSourceDBInstanceIdentifier") and instance["DBInstanceStatus"] == "available"


def promote(rds, replica_id, deadline, poll, retention=7, clock=time.monotonic, sleep=time.sleep):
    """Promotes the replica and waits until it is a standalone, available instance."""
    instance = retry(lambda: replica_state(rds, replica_id), deadline, clock, sleep)
    if is_promoted(instance):
        return instance, False
    if instance.get("ReadReplicaSourceDBInstanceIdentifier"):
        retry(lambda: rds.promote_read_replica(DBInstanceIdentifier=replica_id, BackupRetentionPeriod=retention),
              deadline, clock, sleep)
    while clock() + poll <= deadline:
        sleep(poll)
        instance = retry(lambda: replica_state(rds, replica_id), deadline, clock, sleep)
        if is_promoted(instance):
            return instance, True
    raise FailoverError(f"{replica_id} was not a standalone, available instance within the budget "
                        f"(status {instance['DBInstanceStatus']})")


def point_record(route53, zone_id, name, set_identifier, address, deadline, clock=time.monotonic, sleep=time.sleep):
    """Points the PRIMARY failover record at the promoted instance, so that the old primary
    does not take the name back when its region recovers (it is stale now)."""
    change = {
        "Action": "UPSERT",
        "ResourceRecordSet": {
            "Name": name, "Type": "CNAME", "TTL": 60, "SetIdentifier": set_identifier,
            "Failover": "PRIMARY", "ResourceRecords": [{"Value": address}],
        },
    }
    return retry(lambda: route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Comment": "formwork failover", "Changes": [change]}), deadline, clock, sleep)


def notify(sns, topic_arn, subject, detail):
    try:
        sns.publish(TopicArn=topic_arn, Subject=subject[:100], Message=json.dumps(detail, sort_keys=True, default=str))
    except ClientError as error:
        # A failed notification must not hide the failover's own result.
        print(json.dumps({"notify_failed": str(error)}))


def handler(event, context, clients=None, clock=time.monotonic, sleep=time.sleep):
    env = os.environ
    budget = float(env.get("BUDGET_SECONDS", "300"))
    poll = float(env.get("POLL_SECONDS", "15"))
    deadline = clock() + budget
    if context is not None and hasattr(context, "get_remaining_time_in_millis"):
        deadline = min(deadline, clock() + context.get_remaining_time_in_millis() / 1000.0 - 5)
    clients = clients or {}
    rds = clients.get("rds") or boto3.client("rds")
    route53 = clients.get("route53") or boto3.client("route53")
    sns = clients.get("sns") or boto3.client("sns")
    replica_id, topic = env["REPLICA_ID"], env["TOPIC_ARN"]
    reason = (event or {}).get("reason", "invoked")
    try:
        retention = int(env.get("BACKUP_RETENTION_DAYS", "7"))
        instance, promoted = promote(rds, replica_id, deadline, poll, retention, clock, sleep)
        address = instance["Endpoint"]["Address"]
        point_record(route53, env["HOSTED_ZONE_ID"], env["RECORD_NAME"], env["SET_IDENTIFIER"], address, deadline, clock, sleep)
    except (ClientError, FailoverError, KeyError) as error:
        detail = {"result": "failed", "replica": replica_id, "reason": reason, "error": str(error)}
        print(json.dumps(detail))
        notify(sns, topic, f"Database failover FAILED for {replica_id}", detail)
        raise
    detail = {"result": "promoted" if promoted else "already-promoted", "replica": replica_id,
              "endpoint": address, "record": env["RECORD_NAME"], "reason": reason}
    print(json.dumps(detail))
    notify(sns, topic, f"Database failover completed: {replica_id} is the primary", detail)
    return detail
