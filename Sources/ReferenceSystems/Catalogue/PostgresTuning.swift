/// The parameter group a class gets: memory settings as RDS formulas (so a class change
/// keeps them right), `max_connections` set explicitly (it is static, and the connections
/// alarm must know it), and the alarm threshold computed from it.
public struct PostgresTuning: Sendable, Equatable {
    public let instanceClass: InstanceClass
    /// PostgreSQL major version: the parameter group family and the `rds.force_ssl` default.
    public let majorVersion: Int

    public init(_ instanceClass: InstanceClass, majorVersion: Int) {
        self.instanceClass = instanceClass
        self.majorVersion = majorVersion
    }

    public var family: String { "postgres\(majorVersion)" }

    /// 25 % of memory in 8 kB pages: bytes / 8192 / 4.
    public static let sharedBuffersFormula = "{DBInstanceClassMemory/32768}"
    /// 75 % of memory in 8 kB pages: bytes * 3 / 8192 / 4.
    public static let effectiveCacheSizeFormula = "{DBInstanceClassMemory*3/32768}"

    /// shared_buffers on this class, in 8 kB pages (nominal memory).
    public var sharedBuffersPages: Int { instanceClass.memoryBytes / 32768 }
    public var effectiveCacheSizePages: Int { instanceClass.memoryBytes * 3 / 32768 }

    /// Set explicitly, below RDS's nominal default by the 5 % the real class memory falls
    /// short of nominal (§5.1: field measurements sit 3–8 % below), so that the alarm's
    /// 80 % is of a number the server really accepts.
    public var maxConnections: Int { instanceClass.defaultMaxConnections * 95 / 100 }

    /// The DatabaseConnections alarm fires at this fraction of max_connections.
    public static let connectionsAlarmFraction = 0.8

    public var connectionsAlarmThreshold: Int { Int(Double(maxConnections) * Self.connectionsAlarmFraction) }

    /// The parameters, in a fixed order. `rds.force_ssl` is explicit on every family: on 14
    /// and older its default is 0.
    public var parameters: [(String, String)] {
        [
            ("shared_buffers", Self.sharedBuffersFormula),
            ("effective_cache_size", Self.effectiveCacheSizeFormula),
            ("max_connections", String(maxConnections)),
            ("rds.force_ssl", "1"),
            ("log_min_duration_statement", "1000"),
            ("log_connections", "1"),
            ("log_disconnections", "1"),
            ("shared_preload_libraries", "pg_stat_statements"),
        ]
    }
}
