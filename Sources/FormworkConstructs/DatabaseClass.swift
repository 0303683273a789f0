/// A DB instance class with the memory the tuning is computed from (the User Guide's
/// hardware specifications), so that parameters and alarm thresholds are derived, never
/// typed in. Any class can be named with its memory: `DatabaseClass("db.x2g.large", memoryGiB: 32)`.
public struct DatabaseClass: Sendable, Hashable {
    /// The class (`db.r6g.large`).
    public let name: String
    /// Nominal memory in GiB.
    public let memoryGiB: Int

    /// A class and its nominal memory.
    public init(_ name: String, memoryGiB: Int) {
        self.name = name
        self.memoryGiB = memoryGiB
    }

    /// 2 vCPU, 4 GiB, burstable Graviton2.
    public static let t4gMedium = DatabaseClass("db.t4g.medium", memoryGiB: 4)
    /// 2 vCPU, 4 GiB, burstable Intel.
    public static let t3Medium = DatabaseClass("db.t3.medium", memoryGiB: 4)
    /// 2 vCPU, 8 GiB, Graviton2.
    public static let m6gLarge = DatabaseClass("db.m6g.large", memoryGiB: 8)
    /// 2 vCPU, 8 GiB, Intel.
    public static let m5Large = DatabaseClass("db.m5.large", memoryGiB: 8)
    /// 2 vCPU, 16 GiB, Graviton2.
    public static let r6gLarge = DatabaseClass("db.r6g.large", memoryGiB: 16)
    /// 4 vCPU, 32 GiB, Graviton2.
    public static let r6gXLarge = DatabaseClass("db.r6g.xlarge", memoryGiB: 32)
    /// 2 vCPU, 16 GiB, Graviton3.
    public static let r7gLarge = DatabaseClass("db.r7g.large", memoryGiB: 16)

    /// Nominal memory in bytes.
    public var memoryBytes: Int { memoryGiB * 1_073_741_824 }

    /// RDS's default `max_connections`, `LEAST({DBInstanceClassMemory/9531392}, 5000)`, less
    /// the 5 % by which the memory RDS counts falls short of nominal: the number the
    /// connections alarm takes its share of.
    public var maxConnections: Int { min(memoryBytes / 9_531_392, 5000) * 95 / 100 }
}
