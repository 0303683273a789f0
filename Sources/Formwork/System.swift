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

    /// A system of several stacks (regions, roles), built by `stacks` on each compile.
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

    /// Whether the system is deployed to several regions (it has a deployment).
    public var isMultiRegion: Bool { deployment != nil }
}

/// A `(key, value)` line of a manifest.
public struct ManifestField: Sendable {
    /// The field's name.
    public var key: String
    /// Its value.
    public var value: String

    /// A field of this name and value.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One stack of a system: the file it is written to (without extension), the region it is
/// deployed to (nil for a single-region system) and its role in the deployment.
public struct AppStack {
    /// The file name without extension (`TapStack.us-east-1`).
    public var file: String
    /// The region the stack is deployed to; nil for a single-region system.
    public var region: String?
    /// The stack's role in the deployment (`primary`, `standby`; `main` by default).
    public var role: String
    /// The stack.
    public var stack: Stack

    /// A stack written to `file`, deployed to `region` in `role`.
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
    /// One stack of the deployment.
    public struct StackEntry: Sendable {
        /// The stack's role (`primary`, `standby`).
        public var role: String
        /// The region it is deployed to.
        public var region: String
        /// The CloudFormation stack name.
        public var stackName: String
        /// The template's file (without extension); by default `TapStack.<region>`.
        public var file: String

        /// A stack of this role in `region`, written to `file` (`TapStack.<region>` by default).
        public init(role: String, region: String, stackName: String, file: String? = nil) {
            self.role = role
            self.region = region
            self.stackName = stackName
            self.file = file ?? "TapStack.\(region)"
        }
    }

    /// A parameter of a step's stack fed from another stack.
    public struct Input: Sendable {
        /// The parameter of the stack being deployed.
        public var parameter: String
        /// An output of another stack, or the region of a stack (`output` nil).
        public var fromRole: String
        /// The output of that stack; nil for its region.
        public var output: String?

        /// A parameter fed from another stack's output (or region).
        public init(parameter: String, fromRole: String, output: String?) {
            self.parameter = parameter
            self.fromRole = fromRole
            self.output = output
        }
    }

    /// One step of the deployment order.
    public struct Step: Sendable {
        /// The role of the stack deployed in this step.
        public var role: String
        /// Its parameters fed from stacks deployed before.
        public var inputs: [Input]
        /// Why the step comes where it does.
        public var why: String

        /// A step deploying the stack of `role`.
        public init(role: String, inputs: [Input], why: String) {
            self.role = role
            self.inputs = inputs
            self.why = why
        }
    }

    /// The stacks, one per role and region.
    public var stacks: [StackEntry]
    /// The order they are deployed in.
    public var steps: [Step]
    /// What an operator should know (failover, DNS, ...).
    public var notes: [String]

    /// A deployment of these stacks in these steps.
    public init(stacks: [StackEntry], steps: [Step], notes: [String] = []) {
        self.stacks = stacks
        self.steps = steps
        self.notes = notes
    }
}
