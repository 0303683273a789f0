import FormworkCore
import FormworkRuleKit
import FormworkRules

/// One system of an app: stacks compiled together under one profile into one folder of the
/// output (`<out>/<name>/`), with a manifest when they are deployed to several regions.
public struct System: Sendable {
    /// The folder under the output, and how `synth NAME` and `diff NAME` name the system.
    public var name: String
    /// One line for `list`.
    public var summary: String
    /// The conventions every stack of the system is validated under.
    public var profile: Profile
    /// Builds the stacks (called on each compile, so that each gets fresh `Stack`s).
    public var stacks: @Sendable () -> [AppStack]
    /// How the stacks are deployed together, written as `manifest.json` (multi-region).
    public var deployment: Deployment?
    /// Extra facts the manifest records after the profile (`seed: ...`).
    public var manifestInfo: [ManifestField]

    public init(name: String, summary: String = "", profile: Profile, deployment: Deployment? = nil, manifestInfo: [ManifestField] = [],
                stacks: @escaping @Sendable () -> [AppStack]) {
        self.name = name
        self.summary = summary
        self.profile = profile
        self.deployment = deployment
        self.manifestInfo = manifestInfo
        self.stacks = stacks
    }

    /// A system of one stack, written as `<file>.yml` and `.json`.
    public init(name: String, summary: String = "", profile: Profile, file: String, stack: @escaping @Sendable () -> Stack) {
        self.init(name: name, summary: summary, profile: profile) { [AppStack(file: file, stack: stack())] }
    }

    public var isMultiRegion: Bool { deployment != nil }
}

/// A `(key, value)` line of a manifest.
public struct ManifestField: Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One stack of a system: the file it is written to (without extension), the region it is
/// deployed to (nil for a single-region system) and its role in the deployment.
public struct AppStack {
    public var file: String
    public var region: String?
    public var role: String
    public var stack: Stack

    public init(file: String, region: String? = nil, role: String = "main", stack: Stack) {
        self.file = file
        self.region = region
        self.role = role
        self.stack = stack
    }
}

/// `manifest.json` of a multi-region system: which stack goes to which region, in which
/// order, and which outputs feed which parameters.
public struct Deployment: Sendable {
    public struct StackEntry: Sendable {
        public var role: String
        public var region: String
        public var stackName: String
        /// The template's file (without extension); by default `TapStack.<region>`.
        public var file: String

        public init(role: String, region: String, stackName: String, file: String? = nil) {
            self.role = role
            self.region = region
            self.stackName = stackName
            self.file = file ?? "TapStack.\(region)"
        }
    }

    public struct Input: Sendable {
        public var parameter: String
        /// An output of another stack, or the region of a stack (`output` nil).
        public var fromRole: String
        public var output: String?

        public init(parameter: String, fromRole: String, output: String?) {
            self.parameter = parameter
            self.fromRole = fromRole
            self.output = output
        }
    }

    public struct Step: Sendable {
        public var role: String
        public var inputs: [Input]
        public var why: String

        public init(role: String, inputs: [Input], why: String) {
            self.role = role
            self.inputs = inputs
            self.why = why
        }
    }

    public var stacks: [StackEntry]
    public var steps: [Step]
    public var notes: [String]

    public init(stacks: [StackEntry], steps: [Step], notes: [String] = []) {
        self.stacks = stacks
        self.steps = steps
        self.notes = notes
    }
}
