"""The failover function against moto (RDS, Route 53, SNS, SQS to read what SNS sent).

moto accepts promote_read_replica but does not model it (the replica keeps its source), so
the success path wraps the moto client and clears the source after the promotion call, as
RDS does when the promotion finishes."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

try:
    import boto3  # noqa: E402
    from botocore.exceptions import ClientError  # noqa: E402
    from moto import mock_aws  # noqa: E402

    import failover  # noqa: E402
except ImportError as missing:  # reported by the runner as skipped, with the reason
    raise unittest.SkipTest(f"{missing.name} is not installed (make python-deps installs moto and boto3)")

REGION = "ap-southeast-1"


class FakeClock:
    """Time that moves only when the code sleeps: the budget is tested without waiting."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class PromotingRDS:
    """The moto client, plus what moto leaves out: a promoted replica loses its source."""

    def __init__(self, client, fail_first=0):
        self.client = client
        self.promoted = set()
        self.promote_calls = 0
        self.fail_first = fail_first

    def promote_read_replica(self, **arguments):
        self.promote_calls += 1
        if self.promote_calls <= self.fail_first:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "PromoteReadReplica")
        result = self.client.promote_read_replica(**arguments)
        self.promoted.add(arguments["DBInstanceIdentifier"])
        return result

    def describe_db_instances(self, **arguments):
        result = self.client.describe_db_instances(**arguments)
        for instance in result["DBInstances"]:
            if instance["DBInstanceIdentifier"] in self.promoted:
                instance.pop("ReadReplicaSourceDBInstanceIdentifier", None)
                instance["DBInstanceStatus"] = "available"
        return result


@mock_aws
class FailoverTests(unittest.TestCase):
    def setUp(self):
        self.rds = boto3.client("rds", region_name=REGION)
        self.route53 = boto3.client("route53", region_name=REGION)
        self.sns = boto3.client("sns", region_name=REGION)
        sqs = boto3.client("sqs", region_name=REGION)
        self.rds.create_db_instance(DBInstanceIdentifier="primary-test", DBInstanceClass="db.t3.medium", Engine="postgres",
                                    MasterUsername="postgres", MasterUserPassword="password123", AllocatedStorage=20,
                                    BackupRetentionPeriod=7)
        self.rds.create_db_instance_read_replica(DBInstanceIdentifier="replica-test", SourceDBInstanceIdentifier="primary-test",
                                                 DBInstanceClass="db.t3.medium")
        self.zone = self.route53.create_hosted_zone(Name="example.internal", CallerReference="test")["HostedZone"]["Id"]
        self.topic = self.sns.create_topic(Name="failover-test")["TopicArn"]
        self.queue = sqs.create_queue(QueueName="notices")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.sns.subscribe(TopicArn=self.topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
        self.sqs = sqs
        os.environ.update({"REPLICA_ID": "replica-test", "HOSTED_ZONE_ID": self.zone, "RECORD_NAME": "db.example.internal",
                           "SET_IDENTIFIER": "primary", "TOPIC_ARN": self.topic, "BUDGET_SECONDS": "300", "POLL_SECONDS": "15",
                           "AWS_DEFAULT_REGION": REGION})

    def notices(self):
        messages = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]

    def record(self):
        sets = self.route53.list_resource_record_sets(HostedZoneId=self.zone)["ResourceRecordSets"]
        return [entry for entry in sets if entry["Type"] == "CNAME"]

    def run_handler(self, rds, clock):
        clients = {"rds": rds, "route53": self.route53, "sns": self.sns}
        return failover.handler({"reason": "test"}, None, clients=clients, clock=clock, sleep=clock.sleep)

    def test_promotes_switches_the_record_and_notifies(self):
        clock, rds = FakeClock(), PromotingRDS(self.rds)
        result = self.run_handler(rds, clock)
        self.assertEqual(result["result"], "promoted")
        self.assertEqual(rds.promote_calls, 1)
        records = self.record()
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["Failover"], "PRIMARY")
        self.assertEqual(records[0]["ResourceRecords"][0]["Value"], result["endpoint"])
        notices = self.notices()
        self.assertEqual([notice["result"] for notice in notices], ["promoted"])
        self.assertLessEqual(sum(clock.sleeps), 300)

    def test_retries_throttling_with_backoff(self):
        clock, rds = FakeClock(), PromotingRDS(self.rds, fail_first=2)
        result = self.run_handler(rds, clock)
        self.assertEqual(result["result"], "promoted")
        self.assertEqual(rds.promote_calls, 3)
        self.assertEqual(clock.sleeps[:2], [1.0, 2.0])

    def test_already_promoted_is_not_promoted_again(self):
        clock, rds = FakeClock(), PromotingRDS(self.rds)
        rds.promoted.add("replica-test")
        result = self.run_handler(rds, clock)
        self.assertEqual(result["result"], "already-promoted")
        self.assertEqual(rds.promote_calls, 0)
        self.assertEqual(len(self.record()), 1)

    def test_gives_up_within_the_budget_and_says_so(self):
        # Plain moto: the replica never loses its source, as if the promotion hung.
        clock = FakeClock()
        with self.assertRaises(failover.FailoverError):
            self.run_handler(self.rds, clock)
        self.assertLessEqual(clock.now - 1000.0, 300)
        self.assertEqual(self.record(), [])
        notices = self.notices()
        self.assertEqual([notice["result"] for notice in notices], ["failed"])

    def test_missing_replica_fails_and_notifies(self):
        os.environ["REPLICA_ID"] = "no-such-replica"
        with self.assertRaises(ClientError):
            self.run_handler(self.rds, FakeClock())
        self.assertEqual([notice["result"] for notice in self.notices()], ["failed"])


if __name__ == "__main__":
    unittest.main()
