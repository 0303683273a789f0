import Formwork
import FormworkIAM

/// Something a grant can be given to: a role, or a construct that runs as one.
public protocol Grantee: AnyObject {
    /// The principal resource policies name (the role's ARN).
    var principal: Principal { get }
    /// Adds a statement to what the grantee may do (its identity policy).
    func allow(_ statement: Statement)
}

/// An IAM role that a service assumes, with the statements grants give it. The grants are
/// written to an `AWS::IAM::Policy` of their own, not inline: a key or bucket policy that
/// names the role and a role policy that names the key would otherwise depend on each
/// other (a circular dependency CloudFormation refuses).
public final class Role: Grantee {
    /// The role's handle (`arn`, `ref`).
    public let handle: ResourceHandle<IAM.Role>
    /// The role as it is rendered: set any property before synth.
    public var model: IAM.Role
    /// What the role may do: grants append here; rendered as `<id>Policy`.
    public var policy = PolicyDocument([])
    private let scope: Scope

    /// A role `service` assumes (trusted by it, for this account's resources only when the
    /// service acts for a resource).
    public convenience init(_ scope: Scope, _ id: String, purpose: String, assumedBy service: ServicePrincipal, description: String,
                managedPolicies: [Value<String>] = [],
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        self.init(scope, id, purpose: purpose, assumedBy: service, description: description, managedPolicies: managedPolicies,
                  at: CallSite(file: file, line: line, column: column))
    }

    /// A role for a construct that recorded its caller's place.
    init(_ scope: Scope, _ id: String, purpose: String, assumedBy service: ServicePrincipal, description: String,
         managedPolicies: [Value<String>] = [], at site: CallSite) {
        self.scope = scope
        handle = ResourceHandle(logicalID: id)
        model = IAM.Role(assumeRolePolicyDocument: [.assumeRole(by: [.service(service)])]) {
            $0.description = .literal(description)
            if !managedPolicies.isEmpty { $0.managedPolicyArns = .list(managedPolicies) }
            // IAM names are global: the region keeps the stacks of a multi-region system apart.
            $0.roleName = "\(literal: scope.system)-\(literal: purpose)-\(Pseudo.region)-\(scope.suffix)"
            $0.tags = scope.tags(name: purpose)
        }
        scope.stack.finally { [self] in
            scope.add(id, model, at: site)
            guard !policy.statements.isEmpty else { return }
            scope.add("\(id)Policy", IAM.Policy(policyDocument: policy, policyName: scope.name("\(purpose)-grants")) {
                $0.roles = [handle.ref]
            }, at: site)
        }
    }

    /// The `AWS::IAM::Policy` holding the grants (written when there is one): what a
    /// resource that needs them at creation (an event source mapping) depends on.
    public var policyHandle: ResourceHandle<IAM.Policy> { ResourceHandle(logicalID: "\(handle.logicalID)Policy") }

    /// The role's ARN.
    public var arn: Value<String> { handle.arn }
    /// Resource policies name the role by its ARN.
    public var principal: Principal { .aws(handle.arn) }
    /// Adds a statement to the role's policy.
    public func allow(_ statement: Statement) { policy.add(statement) }
}

/// The ARN of an AWS managed policy (`service-role/AWSLambdaBasicExecutionRole`).
public func managedPolicy(_ path: String) -> Value<String> {
    "arn:\(Pseudo.partition):iam::aws:policy/\(literal: path)"
}
