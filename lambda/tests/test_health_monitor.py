"""The health monitor against moto (RDS in two regions, CloudWatch, SNS); the failover
function's invocation is recorded, not run (moto would need Docker to run it)."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

try:
    import boto3  # noqa: E402
    from moto import mock_aws  # noqa: E402

    import health_monitor  # noqa: E402
except ImportError as missing:  # reported by the runner as skipped, with the reason
    raise unittest.SkipTest(f"{missing.name} is not installed (make python-deps installs moto and boto3)")

PRIMARY_REGION, STANDBY_REGION = "ap-southeast-2", "ap-southeast-1"
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)


class RecordingLambda:
    def __init__(self):
        self.invocations = []

    def invoke(self, **arguments):
        self.invocations.append(arguments)
        return {"StatusCode": 202}


@mock_aws
class HealthMonitorTests(unittest.TestCase):
    def setUp(self):
        self.primary_rds = boto3.client("rds", region_name=PRIMARY_REGION)
        self.rds = boto3.client("rds", region_name=STANDBY_REGION)
        self.cloudwatch = boto3.client("cloudwatch", region_name=STANDBY_REGION)
        self.sns = boto3.client("sns", region_name=STANDBY_REGION)
        self.lambda_client = RecordingLambda()
        self.primary_rds.create_db_instance(DBInstanceIdentifier="primary-test", DBInstanceClass="db.t3.medium", Engine="postgres",
                                            MasterUsername="postgres", MasterUserPassword="password123", AllocatedStorage=20,
                                            BackupRetentionPeriod=7)
        arn = self.primary_rds.describe_db_instances(DBInstanceIdentifier="primary-test")["DBInstances"][0]["DBInstanceArn"]
        self.rds.create_db_instance_read_replica(DBInstanceIdentifier="replica-test", SourceDBInstanceIdentifier=arn,
                                                 DBInstanceClass="db.t3.medium", SourceRegion=PRIMARY_REGION)
        topic = self.sns.create_topic(Name="failure-test")["TopicArn"]
        os.environ.update({"PRIMARY_ID": "primary-test", "PRIMARY_REGION": PRIMARY_REGION, "REPLICA_ID": "replica-test",
                           "FAILOVER_FUNCTION": "failover-test", "TOPIC_ARN": topic, "METRIC_NAMESPACE": "Formwork/Test",
                           "FAILURE_THRESHOLD": "3", "AWS_DEFAULT_REGION": STANDBY_REGION})

    def run_monitor(self, now=NOW):
        clients = {"primary_rds": self.primary_rds, "rds": self.rds, "cloudwatch": self.cloudwatch,
                   "lambda": self.lambda_client, "sns": self.sns}
        return health_monitor.handler({}, None, clients=clients, now=now)

    def published(self):
        statistics = self.cloudwatch.get_metric_statistics(
            Namespace="Formwork/Test", MetricName="PrimaryAvailable",
            Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "primary-test"}],
            StartTime=NOW - datetime.timedelta(minutes=10), EndTime=NOW + datetime.timedelta(minutes=1),
            Period=60, Statistics=["Maximum"])
        return sorted(statistics["Datapoints"], key=lambda point: point["Timestamp"])

    def record_down(self, minutes_ago):
        self.cloudwatch.put_metric_data(Namespace="Formwork/Test", MetricData=[{
            "MetricName": "PrimaryAvailable", "Value": 0.0, "Unit": "Count",
            "Timestamp": NOW - datetime.timedelta(minutes=minutes_ago),
            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "primary-test"}]}])

    def test_available_primary_publishes_one_and_does_nothing(self):
        result = self.run_monitor()
        self.assertTrue(result["available"])
        self.assertEqual([point["Maximum"] for point in self.published()], [1.0])
        self.assertEqual(self.lambda_client.invocations, [])

    def test_one_failed_check_waits(self):
        self.primary_rds.delete_db_instance(DBInstanceIdentifier="primary-test", SkipFinalSnapshot=True)
        result = self.run_monitor()
        self.assertFalse(result["available"])
        self.assertEqual(result["status"], "DBInstanceNotFound")
        self.assertEqual(result["action"], "waiting")
        self.assertEqual(self.lambda_client.invocations, [])

    def test_consecutive_failures_start_the_failover(self):
        self.primary_rds.delete_db_instance(DBInstanceIdentifier="primary-test", SkipFinalSnapshot=True)
        self.record_down(2)
        self.record_down(1)
        result = self.run_monitor()
        self.assertEqual(result["consecutiveFailures"], 3)
        self.assertEqual(result["action"], "failover started")
        self.assertEqual(len(self.lambda_client.invocations), 1)
        self.assertEqual(self.lambda_client.invocations[0]["InvocationType"], "Event")
        self.assertEqual(self.lambda_client.invocations[0]["FunctionName"], "failover-test")

    def test_a_healthy_check_in_between_resets_the_count(self):
        self.primary_rds.delete_db_instance(DBInstanceIdentifier="primary-test", SkipFinalSnapshot=True)
        self.record_down(2)
        self.cloudwatch.put_metric_data(Namespace="Formwork/Test", MetricData=[{
            "MetricName": "PrimaryAvailable", "Value": 1.0, "Unit": "Count", "Timestamp": NOW - datetime.timedelta(minutes=1),
            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "primary-test"}]}])
        result = self.run_monitor()
        self.assertEqual(result["consecutiveFailures"], 1)
        self.assertEqual(self.lambda_client.invocations, [])

    def test_no_second_failover_once_promoted(self):
        self.primary_rds.delete_db_instance(DBInstanceIdentifier="primary-test", SkipFinalSnapshot=True)
        os.environ["FAILURE_THRESHOLD"] = "1"
        self.rds.create_db_instance(DBInstanceIdentifier="standalone", DBInstanceClass="db.t3.medium", Engine="postgres",
                                    MasterUsername="postgres", MasterUserPassword="password123", AllocatedStorage=20)
        os.environ["REPLICA_ID"] = "standalone"
        result = self.run_monitor()
        self.assertEqual(result["action"], "none: the replica is already promoted")
        self.assertEqual(self.lambda_client.invocations, [])


if __name__ == "__main__":
    unittest.main()
