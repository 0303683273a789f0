import Formwork
import FormworkEC2
import FormworkLambda
import FormworkLogs

/// A Lambda function with its own role, its log group (`/aws/lambda/<name>`, declared so that
/// it goes with the stack, LC-06; retention and key, LG-01, LG-02), limits (LM-03) and,
/// when given a network, a place in its application subnets with a security group of its
/// own (LM-05). `consume(_:)` feeds it a queue.
public final class LambdaWorker: Grantee {
    /// The function's handle (`arn`, `ref`).
    public let handle: ResourceHandle<Lambda.Function>
    /// The function as it is rendered.
    public var model: Lambda.Function
    /// The execution role (grants given to the worker land on it).
    public let role: Role
    /// The function's security group, when it runs in a VPC.
    public let securityGroup: ResourceHandle<EC2.SecurityGroup>?
    /// The security group as it is rendered, when the function runs in a VPC.
    public var securityGroupModel: EC2.SecurityGroup?
    /// The function's log group as it is rendered.
    public var logGroupModel: Logs.LogGroup
    /// The event source mappings `consume(_:)` adds, as they are rendered, by logical id.
    public var mappingModels: [(id: String, model: Lambda.EventSourceMapping)] = []
    private let scope: Scope
    private let id: String
    private let site: CallSite

    /// A Python function `<system>-<purpose>-<suffix>` running `source` (inline, `index.handler`).
    /// `logKey` encrypts its log group and its environment variables.
    /// In `network`'s application subnets when given (then with the VPC variant of the basic
    /// execution policy, which adds the network interface calls).
    public init(_ scope: Scope, _ id: String, purpose: String, source: String, description: String, logKey: EncryptionKey,
                network: Network? = nil, timeoutSeconds: Int = 30, memoryMB: Int = 256, logRetentionDays: Int = 30,
                environment: KeyValuePairs<String, Value<String>> = [:],
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.scope = scope
        self.id = id
        self.site = site
        let functionName = scope.name(purpose)
        role = Role(scope, "\(id)Role", purpose: purpose, assumedBy: .lambda, description: "Runs \(description)",
                    managedPolicies: [managedPolicy(network == nil ? "service-role/AWSLambdaBasicExecutionRole" : "service-role/AWSLambdaVPCAccessExecutionRole")],
                    at: site)
        handle = ResourceHandle(logicalID: id)
        if let network {
            securityGroup = ResourceHandle(logicalID: "\(id)SecurityGroup")
            securityGroupModel = EC2.SecurityGroup(groupDescription: .literal("\(description): outbound only")) {
                $0.groupName = scope.name("\(purpose)-sg")
                $0.tags = scope.tags(name: "\(purpose)-sg")
                $0.vpcId = network.vpc.ref
            }
        } else {
            securityGroup = nil
        }
        logGroupModel = LogGroups.model(scope, name: "/aws/lambda/\(functionName)", key: logKey, retentionDays: logRetentionDays)
        let variables: [(String, JSON)] = environment.map { ($0.key, JSON($0.value)) }
        model = Lambda.Function(code: Lambda.Function.Code { $0.zipFile = .literal(source) }, role: role.arn) { [securityGroup] in
            $0.description = .literal(description)
            if !variables.isEmpty { $0.environment = Lambda.Function.Environment { $0.variables = .object(variables) } }
            $0.functionName = functionName
            $0.handler = "index.handler"
            // The environment is encrypted with the team's key, not Lambda's AWS managed one.
            $0.kmsKeyArn = logKey.arn
            $0.memorySize = .literal(memoryMB)
            $0.runtime = .python3_12
            $0.tags = scope.tags(name: purpose)
            $0.timeout = .literal(timeoutSeconds)
            if let network, let securityGroup {
                $0.vpcConfig = Lambda.Function.VpcConfig {
                    $0.securityGroupIds = [securityGroup.groupId]
                    $0.subnetIds = network.applicationSubnets.refs
                }
            }
        }
        logKey.grantLogGroups()
        // Identity side only: the key policy delegates to the account's IAM policies, and a key
        // policy naming the role could name a role that a condition leaves out.
        role.allow(Statement(sid: "DecryptItsEnvironment", actions: [.kms.decrypt], resources: [logKey.arn]))
        scope.stack.finally { [self] in
            if let securityGroup, let securityGroupModel { scope.add(securityGroup.logicalID, securityGroupModel, at: site) }
            let logs = LogGroups.add(scope, [("\(id)LogGroup", logGroupModel)], at: site)
            scope.add(id, model, dependsOn: logs, at: site)
            // The mappings check the role's permissions when they are created.
            for (id, model) in mappingModels { scope.add(id, model, dependsOn: [role.policyHandle], at: site) }
        }
    }

    /// The function's ARN.
    public var arn: Value<String> { handle.arn }
    /// Resource policies name the worker by its role.
    public var principal: Principal { role.principal }
    /// Adds a statement to the worker's role.
    public func allow(_ statement: Statement) { role.allow(statement) }

    /// Feeds the worker `queue`: an event source mapping (batches of `batchSize`, failures
    /// reported per message, at most `maximumConcurrency` functions at once) and the consume
    /// grant. The mapping's limit, not reserved concurrency, bounds the worker: SQS stops
    /// handing out messages instead of throttled invocations sending them to the dead-letter queue.
    public func consume(_ queue: Queue, batchSize: Int = 10, maximumConcurrency: Int = 10) {
        queue.grantConsume(to: self)
        mappingModels.append((id: "\(id)\(queue.handle.logicalID)Mapping", model: Lambda.EventSourceMapping(functionName: handle.ref) {
            $0.batchSize = .literal(batchSize)
            $0.enabled = true
            $0.eventSourceArn = queue.arn
            $0.functionResponseTypes = [.reportBatchItemFailures]
            $0.scalingConfig = Lambda.EventSourceMapping.ScalingConfig { $0.maximumConcurrency = .literal(maximumConcurrency) }
            $0.tags = scope.tags(name: nil)
        }))
    }
}
