import FormworkModels

/// A built-in system: what synth compiles into templates/<name>/.
public struct ReferenceSystem: Sendable {
    public let name: String
    /// The seed file it realises (../shared/seeds/).
    public let seed: String
    public let summary: String
    /// The lint profile the templates name in their Metadata.
    public let profile: String
    /// The templates, one per region for a multi-region system.
    public let build: @Sendable () -> [RegionalTemplate]
    /// How the regional stacks are deployed together (multi-region systems only).
    public let deployment: Deployment?

    public var isMultiRegion: Bool { deployment != nil }

    public static let all: [ReferenceSystem] = [UserAPI.system, PaymentsHA.system, PostgresDR.system, ActivePassive.system, Ecommerce.system]

    public static func named(_ name: String) -> ReferenceSystem? { all.first { $0.name == name } }
}

/// One template of a system: the region it is for (nil for a single-region system, whose
/// region comes from the deployment) and its role there.
public struct RegionalTemplate {
    public let region: String?
    public let role: String
    public let stack: Stack

    public init(region: String? = nil, role: String = "main", stack: Stack) {
        self.region = region
        self.role = role
        self.stack = stack
    }
}

/// manifest.json of a multi-region system: which stack goes to which region, in which
/// order, and which outputs feed which parameters.
public struct Deployment: Sendable {
    public struct StackEntry: Sendable {
        public let role: String
        public let region: String
        public let stackName: String
    }

    public struct Input: Sendable {
        public let parameter: String
        /// An output of another stack, or the region of a stack (`region` of role).
        public let fromRole: String
        public let output: String?
    }

    public struct Step: Sendable {
        public let role: String
        public let inputs: [Input]
        public let why: String
    }

    public let stacks: [StackEntry]
    public let steps: [Step]
    public let notes: [String]
}
