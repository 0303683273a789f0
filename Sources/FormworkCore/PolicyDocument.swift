import FormworkTemplate

/// An IAM policy document, typed: statements with a typed effect, principals, actions,
/// resources and conditions. Every generated property that holds a policy document
/// (`KeyPolicy`, `PolicyDocument`, `AssumeRolePolicyDocument`, a secret's `ResourcePolicy`)
/// takes one; a dictionary literal or `PolicyDocument(json:)` is the untyped escape.
///
/// ```swift
/// let read = PolicyDocument([
///     Statement(actions: [.s3.getObject], resources: ["\(bucket.arn)/*"]),
/// ])
/// ```
public struct PolicyDocument: CFNType, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    /// The statements, in order.
    public var statements: [Statement]
    /// A document given as JSON, as written; typed statements are appended to its
    /// `Statement` list when it has one.
    private var raw: Node?

    /// A document of these statements (`Version` 2012-10-17).
    public init(_ statements: [Statement]) {
        self.statements = statements
    }

    /// A document of the statements listed.
    public init(arrayLiteral statements: Statement...) {
        self.init(statements)
    }

    /// The untyped escape: a document as JSON (or an intrinsic that yields one).
    public init(json: JSON) {
        statements = []
        raw = json.node
    }

    /// The untyped escape as a literal: `["Version": "2012-10-17", "Statement": [...]]`.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(json: .object(elements.map { ($0.0, $0.1) }))
    }

    /// Appends a statement.
    public mutating func add(_ statement: Statement) {
        statements.append(statement)
    }

    /// This document with `statement` appended.
    public func adding(_ statement: Statement) -> PolicyDocument {
        var copy = self
        copy.add(statement)
        return copy
    }

    /// The document as the template holds it.
    public var json: JSON { JSON(node) }

    package var node: Node {
        let typed = statements.map(\.node)
        guard let raw else {
            return .object(ObjectMap(["Version": .string("2012-10-17"), "Statement": .array(typed)]))
        }
        guard !typed.isEmpty, var map = raw.objectValue else { return raw }
        if let existing = map["Statement"] {
            map.set("Statement", .array((existing.arrayValue ?? [existing]) + typed))
        } else {
            map.set("Statement", .array(typed))
        }
        return .object(map)
    }
}

/// One statement of a policy document.
public struct Statement: Sendable {
    /// Allow or deny.
    public enum Effect: String, Sendable {
        /// Grants the actions.
        case allow = "Allow"
        /// Refuses the actions, whatever else allows them.
        case deny = "Deny"
    }

    /// The statement's id (`Sid`), unique within its document.
    public var sid: String?
    /// Allow (the default) or deny.
    public var effect: Effect
    /// Who the statement is about; empty in an identity policy (the role it is attached to).
    public var principals: [Principal]
    /// The actions (`.s3.getObject`, `.kms.decrypt`; `IAMAction("s3:Get*")` for a pattern).
    public var actions: [IAMAction]
    /// The resources' ARNs (`bucket.arn`, `"\(bucket.arn)/*"`, `"*"`); empty writes none (a
    /// trust policy has none).
    public var resources: [Value<String>]
    /// The conditions, all of which must hold.
    public var conditions: [PolicyCondition]

    /// A statement; the effect is Allow unless given.
    public init(sid: String? = nil, _ effect: Effect = .allow, principals: [Principal] = [], actions: [IAMAction],
                resources: [Value<String>] = [], conditions: [PolicyCondition] = []) {
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }

    /// A trust statement: `principals` may assume the role (`sts:AssumeRole`).
    public static func assumeRole(by principals: [Principal], conditions: [PolicyCondition] = []) -> Statement {
        Statement(principals: principals, actions: [IAMAction("sts:AssumeRole")], conditions: conditions)
    }

    package var node: Node {
        var map = ObjectMap()
        if let sid { map.set("Sid", .string(sid)) }
        map.set("Effect", .string(effect.rawValue))
        if !principals.isEmpty { map.set("Principal", Principal.node(principals)) }
        map.set("Action", Self.oneOrMany(actions.map { .string($0.name) }))
        if !resources.isEmpty { map.set("Resource", Self.oneOrMany(resources.map(\.node))) }
        if !conditions.isEmpty { map.set("Condition", PolicyCondition.node(conditions)) }
        return .object(map)
    }

    static func oneOrMany(_ items: [Node]) -> Node { items.count == 1 ? items[0] : .array(items) }
}

/// Who a resource policy or trust policy is about.
public enum Principal: Sendable {
    /// Everyone (`"*"`): only with conditions that narrow it.
    case anyone
    /// An IAM principal by ARN (a role's `arn`, a user's) or an account id.
    case aws(Value<String>)
    /// A whole account: `arn:<partition>:iam::<id>:root`, so that its IAM policies decide.
    case account(Value<String>)
    /// An AWS service (`.service(.cloudWatch)`).
    case service(ServicePrincipal)
    /// A web identity or SAML provider (`cognito-identity.amazonaws.com`, a provider's ARN).
    case federated(Value<String>)

    /// This account (`Pseudo.accountID`'s root).
    public static var thisAccount: Principal { .account(Pseudo.accountID) }

    static func node(_ principals: [Principal]) -> Node {
        if principals.contains(where: { if case .anyone = $0 { return true } else { return false } }) { return .string("*") }
        var map = ObjectMap()
        for (key, items) in [("AWS", principals.compactMap(\.awsNode)), ("Service", principals.compactMap(\.serviceNode)),
                             ("Federated", principals.compactMap(\.federatedNode))] where !items.isEmpty {
            map.set(key, Statement.oneOrMany(items))
        }
        return .object(map)
    }

    private var awsNode: Node? {
        switch self {
        case .aws(let arn): return arn.node
        case .account(let id): return Value<String>("arn:\(Pseudo.partition):iam::\(id):root").node
        default: return nil
        }
    }

    private var serviceNode: Node? {
        if case .service(let service) = self { return service.name.node }
        return nil
    }

    private var federatedNode: Node? {
        if case .federated(let provider) = self { return provider.node }
        return nil
    }
}

/// An AWS service as a principal: the services that call other services for a stack.
public struct ServicePrincipal: Sendable {
    /// The service's principal name (`cloudwatch.amazonaws.com`).
    public let name: Value<String>

    /// A service principal by name.
    public init(_ name: Value<String>) { self.name = name }

    /// CloudWatch alarms (publishing to topics).
    public static let cloudWatch = ServicePrincipal("cloudwatch.amazonaws.com")
    /// EventBridge (rules' targets).
    public static let events = ServicePrincipal("events.amazonaws.com")
    /// RDS event notifications.
    public static let rdsEvents = ServicePrincipal("events.rds.amazonaws.com")
    /// RDS itself (proxies reading secrets, exports).
    public static let rds = ServicePrincipal("rds.amazonaws.com")
    /// RDS Enhanced Monitoring.
    public static let rdsMonitoring = ServicePrincipal("monitoring.rds.amazonaws.com")
    /// Lambda functions' execution roles.
    public static let lambda = ServicePrincipal("lambda.amazonaws.com")
    /// S3 (replication, notifications).
    public static let s3 = ServicePrincipal("s3.amazonaws.com")
    /// SNS (deliveries to queues, functions).
    public static let sns = ServicePrincipal("sns.amazonaws.com")
    /// SQS.
    public static let sqs = ServicePrincipal("sqs.amazonaws.com")
    /// CloudWatch Logs of this stack's region (it calls KMS for encrypted log groups).
    public static var logs: ServicePrincipal { ServicePrincipal("logs.\(Pseudo.region).amazonaws.com") }
}

/// One condition of a statement: an operator, a key and the values it compares with.
public struct PolicyCondition: Sendable {
    /// The condition operators of the IAM policy language.
    public enum Operator: String, Sendable {
        /// Exact string match.
        case stringEquals = "StringEquals"
        /// Not an exact string match.
        case stringNotEquals = "StringNotEquals"
        /// Match with `*` and `?` wildcards.
        case stringLike = "StringLike"
        /// No match with wildcards.
        case stringNotLike = "StringNotLike"
        /// ARN equality.
        case arnEquals = "ArnEquals"
        /// ARN match with wildcards.
        case arnLike = "ArnLike"
        /// ARN mismatch with wildcards.
        case arnNotLike = "ArnNotLike"
        /// Boolean equality (`aws:SecureTransport`).
        case bool = "Bool"
        /// Numeric equality.
        case numericEquals = "NumericEquals"
        /// Numeric less than.
        case numericLessThan = "NumericLessThan"
        /// Numeric greater than or equal.
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        /// IP address in range.
        case ipAddress = "IpAddress"
        /// IP address outside range.
        case notIpAddress = "NotIpAddress"
        /// Key present (`false`) or absent (`true`).
        case null = "Null"
    }

    /// The operator.
    public var `operator`: Operator
    /// The condition key (`aws:SourceAccount`, `kms:ViaService`).
    public var key: ConditionKey
    /// The values; more than one matches any of them.
    public var values: [Value<String>]

    /// A condition of any operator.
    public init(_ operator: Operator, _ key: ConditionKey, _ values: [Value<String>]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }

    /// `StringEquals`.
    public static func stringEquals(_ key: ConditionKey, _ values: Value<String>...) -> PolicyCondition { .init(.stringEquals, key, values) }
    /// `StringLike`.
    public static func stringLike(_ key: ConditionKey, _ values: Value<String>...) -> PolicyCondition { .init(.stringLike, key, values) }
    /// `ArnEquals`.
    public static func arnEquals(_ key: ConditionKey, _ values: Value<String>...) -> PolicyCondition { .init(.arnEquals, key, values) }
    /// `ArnLike`.
    public static func arnLike(_ key: ConditionKey, _ values: Value<String>...) -> PolicyCondition { .init(.arnLike, key, values) }
    /// `Bool`.
    public static func bool(_ key: ConditionKey, _ value: Bool) -> PolicyCondition { .init(.bool, key, [.literal(value ? "true" : "false")]) }

    /// The caller acts for this account (`aws:SourceAccount`): the confused-deputy guard a
    /// service principal's statement needs.
    public static var sourceAccountIsThisAccount: PolicyCondition { .stringEquals(.sourceAccount, Pseudo.accountID) }

    static func node(_ conditions: [PolicyCondition]) -> Node {
        var byOperator: [(String, ObjectMap)] = []
        for condition in conditions {
            let value = Statement.oneOrMany(condition.values.map(\.node))
            if let index = byOperator.firstIndex(where: { $0.0 == condition.operator.rawValue }) {
                byOperator[index].1.set(condition.key.name, value)
            } else {
                byOperator.append((condition.operator.rawValue, ObjectMap([ObjectMap.Entry(key: condition.key.name, value: value)])))
            }
        }
        return .object(ObjectMap(byOperator.map { ObjectMap.Entry(key: $0.0, value: .object($0.1)) }))
    }
}

/// A condition key: the global ones as constants, any other by its name.
public struct ConditionKey: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The key's name (`aws:SourceArn`).
    public let name: String

    /// A key by name.
    public init(stringLiteral name: String) { self.name = name }

    /// The account of the resource a service acts for.
    public static let sourceAccount: ConditionKey = "aws:SourceAccount"
    /// The ARN of the resource a service acts for.
    public static let sourceArn: ConditionKey = "aws:SourceArn"
    /// Whether the request came over TLS.
    public static let secureTransport: ConditionKey = "aws:SecureTransport"
    /// The account of the calling principal.
    public static let principalAccount: ConditionKey = "aws:PrincipalAccount"
    /// The service a KMS request came through (`s3.<region>.amazonaws.com`).
    public static let kmsViaService: ConditionKey = "kms:ViaService"
    /// The account a KMS request came through.
    public static let kmsCallerAccount: ConditionKey = "kms:CallerAccount"
}

/// An IAM action (`s3:GetObject`). The constants (`.s3.getObject`) are generated from the
/// IAM action table the linter reads; a string literal names any other, or a pattern.
public struct IAMAction: Sendable, Hashable, ExpressibleByStringLiteral {
    /// `service:Action`.
    public let name: String

    /// An action by its full name.
    public init(stringLiteral name: String) { self.name = name }

    /// An action by its full name.
    public init(_ name: String) { self.name = name }
}

extension JSON {
    /// A typed policy document where a property is typed loosely.
    public init(_ document: PolicyDocument) { self.init(document.node) }
}

extension PropertyStorage {
    /// A policy-document property, read back as its JSON (the escape form).
    package func policyDocument(_ key: String) -> PolicyDocument? { json(key).map { PolicyDocument(json: $0) } }
    package mutating func setPolicyDocument(_ key: String, _ value: PolicyDocument?) { set(key, value?.node) }
}
