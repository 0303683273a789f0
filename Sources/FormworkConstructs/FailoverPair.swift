import Formwork
import FormworkCloudWatch
import FormworkRoute53

/// A Route 53 failover pair for one name: a PRIMARY record answered while its health check
/// passes and a SECONDARY answered when it fails, with distinct set identifiers and a TTL of
/// 60 s at most (R5-01). The health check follows a CloudWatch alarm (CLOUDWATCH_METRIC), since
/// Route 53's checkers on the internet cannot reach a private endpoint (R5-02), keeps its last
/// status while the alarm has no data, and carries the scope's tags (R5-04). The pair lives
/// in the stack that must work when the primary's region does not: the standby's.
public final class FailoverPair {
    /// The health check as it is rendered.
    public var healthCheck: Route53.HealthCheck
    /// The PRIMARY record as it is rendered.
    public var primaryRecord: Route53.RecordSet
    /// The SECONDARY record as it is rendered.
    public var secondaryRecord: Route53.RecordSet

    /// Records `name` (CNAME) in `hostedZoneId`: `primary` while `healthAlarm` (an alarm of
    /// this stack's region that fires when the primary fails) is OK, `secondary` otherwise.
    public init(_ scope: Scope, _ id: String, name: Value<String>, hostedZoneId: Value<String>, primary: Value<String>, secondary: Value<String>,
                healthAlarm: ResourceHandle<CloudWatch.Alarm>, ttlSeconds: Int = 60,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        let config = Route53.HealthCheck.HealthCheckConfig(type: .cloudwatchMetric) {
            // An alarm's Ref is its name.
            $0.alarmIdentifier = Route53.HealthCheck.AlarmIdentifier(name: healthAlarm.ref, region: .init(Pseudo.region))
            $0.insufficientDataHealthStatus = .lastKnownStatus
        }
        healthCheck = Route53.HealthCheck(healthCheckConfig: config) { $0.healthCheckTags = scope.tags(name: "\(id.lowercased())-health") }
        func record(_ side: String, _ target: Value<String>) -> Route53.RecordSet {
            Route53.RecordSet(name: name, type: "CNAME") {
                $0.failover = .literal(side.uppercased())
                $0.hostedZoneId = hostedZoneId
                $0.resourceRecords = [target]
                $0.setIdentifier = .literal(side)
                $0.ttl = .literal(String(min(ttlSeconds, 60)))
            }
        }
        primaryRecord = record("primary", primary)
        secondaryRecord = record("secondary", secondary)
        let health = ResourceHandle<Route53.HealthCheck>(logicalID: "\(id)HealthCheck")
        primaryRecord.healthCheckId = health.ref
        scope.stack.finally { [self] in
            scope.add(health.logicalID, healthCheck, at: site)
            scope.add("\(id)PrimaryRecord", primaryRecord, at: site)
            scope.add("\(id)SecondaryRecord", secondaryRecord, at: site)
        }
    }
}
