/// The DB instance classes the reference systems use, with the hardware facts the tuning
/// is computed from (rule-catalogue.md §5.1: awsdocs `Concepts.DBInstanceClass.md`,
/// hardware specifications). A class outside the catalogue cannot be named, so every
/// parameter group and alarm threshold is derived from facts, never typed in.
public enum InstanceClass: String, Sendable, CaseIterable {
    case t3Micro = "db.t3.micro"
    case t3Medium = "db.t3.medium"
    case m5Large = "db.m5.large"
    case m5XLarge = "db.m5.xlarge"
    case m5TwoXLarge = "db.m5.2xlarge"
    case r5Large = "db.r5.large"
    case r5XLarge = "db.r5.xlarge"
    case r5TwoXLarge = "db.r5.2xlarge"
    case m6gLarge = "db.m6g.large"
    case r6gLarge = "db.r6g.large"
    case r6gXLarge = "db.r6g.xlarge"
    case r6gTwoXLarge = "db.r6g.2xlarge"

    public enum Processor: String, Sendable {
        case intel = "Intel x86"
        case intelBurstable = "Intel x86, burstable"
        case graviton2 = "Graviton2"
    }

    public var vCPU: Int {
        switch self {
        case .t3Micro, .t3Medium, .m5Large, .r5Large, .m6gLarge, .r6gLarge: return 2
        case .m5XLarge, .r5XLarge, .r6gXLarge: return 4
        case .m5TwoXLarge, .r5TwoXLarge, .r6gTwoXLarge: return 8
        }
    }

    /// Nominal memory in GiB.
    public var memoryGiB: Int {
        switch self {
        case .t3Micro: return 1
        case .t3Medium: return 4
        case .m5Large, .m6gLarge: return 8
        case .m5XLarge, .r5Large, .r6gLarge: return 16
        case .m5TwoXLarge, .r5XLarge, .r6gXLarge: return 32
        case .r5TwoXLarge, .r6gTwoXLarge: return 64
        }
    }

    public var processor: Processor {
        switch self {
        case .t3Micro, .t3Medium: return .intelBurstable
        case .m5Large, .m5XLarge, .m5TwoXLarge, .r5Large, .r5XLarge, .r5TwoXLarge: return .intel
        case .m6gLarge, .r6gLarge, .r6gXLarge, .r6gTwoXLarge: return .graviton2
        }
    }

    public var isGraviton: Bool { processor == .graviton2 }

    public var memoryBytes: Int { memoryGiB * 1_073_741_824 }

    /// RDS's own default, `LEAST({DBInstanceClassMemory/9531392}, 5000)`, on nominal memory:
    /// an upper bound, since the memory RDS counts is somewhat lower (§5.1).
    public var defaultMaxConnections: Int { min(memoryBytes / 9_531_392, 5000) }
}
