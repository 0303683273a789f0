import FormworkRuleKit
import FormworkTemplate

/// One ingress rule of a security group: an item of a group's SecurityGroupIngress, or an
/// AWS::EC2::SecurityGroupIngress resource (whose group may come from anywhere: the opening
/// is written here).
struct IngressRule {
    var owner: Resource
    /// The group the rule opens, when it is the template's.
    var group: String?
    var rule: Node
    var path: [PathComponent]
    var place: Location

    static func all(in template: Template) -> [IngressRule] {
        var found: [IngressRule] = []
        for resource in template.resources {
            switch resource.type {
            case "AWS::EC2::SecurityGroup":
                for (rule, path) in Branches.items(resource.properties?["SecurityGroupIngress"], Places.resourcePath(resource, .key("Properties"), .key("SecurityGroupIngress"))) {
                    found.append(IngressRule(owner: resource, group: resource.logicalID, rule: rule, path: path, place: rule.objectValue?.entries.first?.keyLocation ?? rule.location))
                }
            case "AWS::EC2::SecurityGroupIngress":
                guard let properties = resource.properties else { continue }
                let group = ResourceReferences.targets(properties["GroupId"]).first { template.resource($0)?.type == "AWS::EC2::SecurityGroup" }
                found.append(IngressRule(owner: resource, group: group, rule: Node(.object(properties), at: resource.location), path: Places.resourcePath(resource, .key("Properties")),
                                         place: properties.entries.first?.keyLocation ?? resource.keyLocation))
            default: break
            }
        }
        return found
    }

    /// The world ranges (0.0.0.0/0, ::/0) the rule admits, for every value a parameter allows,
    /// each with where it comes from.
    func worldSources(_ context: RuleContext) -> [(text: String, via: PossibleValues.Via?)] {
        var found: [(text: String, via: PossibleValues.Via?)] = []
        for key in ["CidrIp", "CidrIpv6"] {
            for candidate in context.values.candidates(rule[key]) {
                guard case .literal(let value, let via) = candidate, let cidr = value.stringValue, cidr == "0.0.0.0/0" || cidr == "::/0" else { continue }
                found.append((cidr + (via.map { " (\($0))" } ?? ""), via))
            }
        }
        return found
    }

    /// Whether the rule admits TCP on `port`: protocol tcp (6) or every protocol (-1), and a
    /// port range that holds it (-1, or no range with every protocol, is every port).
    func admits(port: Int, _ context: RuleContext) -> Bool {
        let protocols = context.literals(rule["IpProtocol"]).map { $0.text.lowercased() }
        guard !protocols.isEmpty else { return false }
        if protocols.contains(where: { $0 == "-1" || $0 == "all" }) { return true }
        guard protocols.contains(where: { $0 == "tcp" || $0 == "6" }) else { return false }
        let froms = context.literals(rule["FromPort"]).compactMap { Int($0.text) }, tos = context.literals(rule["ToPort"]).compactMap { Int($0.text) }
        guard !froms.isEmpty, !tos.isEmpty else { return false }
        // One parameter for both ends is one port, whichever value it takes.
        if let from = rule["FromPort"], from.intrinsicValue != nil, from == rule["ToPort"] { return froms.contains { $0 == -1 || $0 == port } }
        return froms.contains { from in tos.contains { to in from == -1 || to == -1 || (from...max(from, to)).contains(port) } }
    }
}

/// NW-08: no administration or plain-web port open to the world.
struct WorldOpenPorts: Rule {
    static let description = RuleDescription(
        id: "NW-08", name: "world-open-ports", family: .network, severity: .error,
        rationale: "A security group that admits 0.0.0.0/0 or ::/0 on SSH (22) or RDP (3389) puts a login prompt on the internet, where it is scanned within minutes: reach instances through Session Manager, a bastion with a narrow range, or a VPN. Plain HTTP (80) open to the world is a warning: it serves traffic unencrypted. On a load balancer's group (a balancer runs no SSH or RDP server: its admin ports count only where a listener forwards them), port 80 is judged by the balancer's listeners: silent when every port-80 listener redirects to HTTPS, a warning when one serves plain HTTP, and information (what to check) when the template shows none of its listeners. Every group is judged (RDS-16 judges the database's own more strictly), in its inline rules and in AWS::EC2::SecurityGroupIngress resources, for every value a parameter allows; a rule of every protocol (-1) opens every port.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_24"), .checkov("CKV_AWS_25"), .checkov("CKV_AWS_260"), .guardRule("INCOMING_SSH_DISABLED"), .guardRule("RESTRICTED_INCOMING_TRAFFIC"), .cfnNag("W2"), .cfnNag("W9")],
        triggering: [
            "Resources:\n  Bastion:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: bastion\n      SecurityGroupIngress:\n        - ↓IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n        - ↓IpProtocol: '-1'\n          CidrIpv6: ::/0\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n  WebHttp:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      ↓GroupId: !Ref Web\n      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIp: 0.0.0.0/0\n",
        ],
        nonTriggering: [
            "Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/16}\n  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      SecurityGroups: [!Ref Front]\n  Front:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: the load balancer, which redirects HTTP to HTTPS\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}\n  Redirect:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Balancer\n      Port: 80\n      Protocol: HTTP\n      DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]\n",
        ])

    static let adminPorts = [(22, "SSH"), (3389, "RDP")]

    func check(_ template: Template, _ context: RuleContext) {
        let balancerGroups = Self.loadBalancerGroups(template)
        for ingress in IngressRule.all(in: template) {
            let sources = ingress.worldSources(context)
            guard !sources.isEmpty else { continue }
            let world = sources.map(\.text).joined(separator: ", ")
            // A deployment value among them places the finding at that value.
            let via = sources.first { $0.via?.deploymentValue != nil }?.via
            // A load balancer runs no SSH or RDP server: its group's admin ports matter only
            // where one of its listeners forwards them.
            let balancer = ingress.group.map(balancerGroups.contains) ?? false
            let admin = Self.adminPorts.filter { ingress.admits(port: $0.0, context) && (!balancer || Self.listens(on: $0.0, ingress.group ?? "", template, context)) }
            // A load balancer's port 80 is judged by what its listeners do with it.
            var plainHTTP = ingress.admits(port: 80, context)
            var unknownListeners = false
            if plainHTTP, let group = ingress.group, balancerGroups.contains(group) {
                switch Self.servesPlainHTTP(group, template, context) {
                case true?: break
                case false?: plainHTTP = false
                case nil: plainHTTP = false; unknownListeners = admin.isEmpty
                }
            }
            if unknownListeners {
                context.report("\(ingress.owner.logicalID) admits HTTP (80) from the world (\(world)) to a load balancer whose listeners the template does not show: check that port 80 redirects to HTTPS",
                               at: ingress.place, path: ingress.path, severity: .info, via: via)
                continue
            }
            guard !admin.isEmpty || plainHTTP else { continue }
            let ports = (admin.map { "\($0.1) (\($0.0))" } + (plainHTTP ? ["plain HTTP (80)"] : [])).joined(separator: ", ")
            if admin.isEmpty {
                context.report("\(ingress.owner.logicalID) admits \(ports) from the world (\(world)): traffic unencrypted", at: ingress.place, path: ingress.path,
                               severity: .warning, hint: "serve HTTPS, or redirect HTTP to it", via: via)
            } else {
                context.report("\(ingress.owner.logicalID) admits \(ports) from the world (\(world))", at: ingress.place, path: ingress.path,
                               hint: "admit a narrow range, or reach instances through Session Manager", via: via)
            }
        }
    }

    /// Whether the load balancers that carry `group` serve plain HTTP on port 80: a classic
    /// balancer's HTTP listener on 80, or a port-80 listener that does not redirect to HTTPS
    /// (true); only redirects or nothing on 80 (false); nil when the template shows none of
    /// their listeners.
    static func servesPlainHTTP(_ group: String, _ template: Template, _ context: RuleContext) -> Bool? {
        var balancers = Set<String>()
        for balancer in template.resources where ResourceReferences.names(balancer.properties?["SecurityGroups"], group) {
            if balancer.type == "AWS::ElasticLoadBalancing::LoadBalancer" {
                let listeners = Branches.items(balancer.properties?["Listeners"], [])
                if listeners.contains(where: { listener, _ in
                    context.literals(listener["LoadBalancerPort"]).contains { $0.text == "80" } && context.literals(listener["Protocol"]).contains { $0.text.uppercased() == "HTTP" }
                }) { return true }
                if !listeners.isEmpty { return false }
            } else if balancer.type == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
                balancers.insert(balancer.logicalID)
            }
        }
        let listeners = template.resources.filter { $0.type == "AWS::ElasticLoadBalancingV2::Listener" && !ResourceReferences.targets($0.properties?["LoadBalancerArn"]).isDisjoint(with: balancers) }
        guard !listeners.isEmpty else { return nil }
        for listener in listeners {
            guard let properties = listener.properties, context.literals(properties["Port"]).contains(where: { $0.text == "80" }) else { continue }
            if !LoadBalancerTLS.redirectsToHTTPS(properties, context) { return true }
        }
        return false
    }

    /// Whether a load balancer that carries `group` has a listener on `port`.
    static func listens(on port: Int, _ group: String, _ template: Template, _ context: RuleContext) -> Bool {
        let balancers = template.resources.filter { ResourceReferences.names($0.properties?["SecurityGroups"], group) }
        let names = Set(balancers.map(\.logicalID))
        if balancers.contains(where: { balancer in
            Branches.items(balancer.properties?["Listeners"], []).contains { listener, _ in context.literals(listener["LoadBalancerPort"]).contains { $0.text == String(port) } }
        }) { return true }
        return template.resources.contains { listener in
            listener.type == "AWS::ElasticLoadBalancingV2::Listener" && !ResourceReferences.targets(listener.properties?["LoadBalancerArn"]).isDisjoint(with: names)
                && context.literals(listener.properties?["Port"]).contains { $0.text == String(port) }
        }
    }

    /// The template's groups that load balancers carry.
    static func loadBalancerGroups(_ template: Template) -> Set<String> {
        var found = Set<String>()
        for balancer in template.resources where balancer.type == "AWS::ElasticLoadBalancingV2::LoadBalancer" || balancer.type == "AWS::ElasticLoadBalancing::LoadBalancer" {
            found.formUnion(ResourceReferences.targets(balancer.properties?["SecurityGroups"]))
        }
        return found
    }
}

/// NW-09: load balancers serve HTTPS with TLS 1.2 or later.
struct LoadBalancerTLS: Rule {
    static let description = RuleDescription(
        id: "NW-09", name: "load-balancer-tls", family: .network, severity: .error,
        rationale: "An Application Load Balancer listener on HTTP sends requests and session cookies in the clear: it either serves HTTPS or redirects to it (a redirect action with Protocol HTTPS). An HTTPS or TLS listener names an SslPolicy of TLS 1.2 or later (ELBSecurityPolicy-TLS13-1-2-*, -TLS-1-2-*, -FS-1-2-*): without one, the listener gets ELBSecurityPolicy-2016-08, which still negotiates TLS 1.0 and 1.1. TCP, UDP and GENEVE listeners pass traffic through and are not judged; every value a parameter allows is.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_2"), .checkov("CKV_AWS_103"), .guardRule("ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"), .cfnNag("W56")],
        triggering: [
            "Resources:\n  Plain:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1\n      Port: 80\n      Protocol: ↓HTTP\n      DefaultActions: [{Type: forward, TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1}]\n  Old:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1\n      Port: 443\n      Protocol: ↓HTTPS\n      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/1}]\n      DefaultActions: [{Type: forward, TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1}]\n",
        ],
        nonTriggering: [
            "Resources:\n  Redirect:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1\n      Port: 80\n      Protocol: HTTP\n      DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]\n  Secure:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1\n      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/1}]\n      DefaultActions: [{Type: forward, TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1}]\n",
        ])

    /// Whether every default action of a listener (both ways of an Fn::If) redirects to HTTPS.
    static func redirectsToHTTPS(_ properties: ObjectMap, _ context: RuleContext) -> Bool {
        let actions = Branches.items(properties["DefaultActions"], [])
        return !actions.isEmpty && actions.allSatisfy { action, _ in
            context.literals(action["Type"]).allSatisfy { $0.text == "redirect" }
                && !context.literals(action["RedirectConfig"]?["Protocol"]).isEmpty
                && context.literals(action["RedirectConfig"]?["Protocol"]).allSatisfy { $0.text == "HTTPS" }
        }
    }

    /// The ELB security policies that allow nothing older than TLS 1.2.
    static let modernPolicyPrefixes = ["ELBSecurityPolicy-TLS13-", "ELBSecurityPolicy-TLS-1-2-", "ELBSecurityPolicy-FS-1-2-"]

    func check(_ template: Template, _ context: RuleContext) {
        for listener in template.resources where listener.type == "AWS::ElasticLoadBalancingV2::Listener" {
            guard let properties = listener.properties else { continue }
            for (protocolName, node) in context.literals(properties["Protocol"]) {
                let path = Places.resourcePath(listener, .key("Properties"), .key("Protocol"))
                switch protocolName {
                case "HTTP":
                    if !Self.redirectsToHTTPS(properties, context) {
                        context.report("\(listener.logicalID) serves HTTP without redirecting to HTTPS: requests travel in the clear", at: node.location, path: path,
                                       hint: "DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]")
                    }
                case "HTTPS", "TLS":
                    let policies = context.literals(properties["SslPolicy"])
                    if properties["SslPolicy"] == nil {
                        context.report("\(listener.logicalID) has no SslPolicy, so it gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1", at: node.location, path: path,
                                       hint: "SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06")
                    }
                    for (policy, policyNode) in policies where !Self.modernPolicyPrefixes.contains(where: { policy.hasPrefix($0) }) {
                        context.report("\(listener.logicalID)'s SslPolicy \(policy) accepts TLS older than 1.2", at: policyNode.location,
                                       path: Places.resourcePath(listener, .key("Properties"), .key("SslPolicy")), hint: "SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06")
                    }
                default: break
                }
            }
        }
    }
}

/// NW-10: instances require IMDSv2.
struct InstanceMetadataV2: Rule {
    static let description = RuleDescription(
        id: "NW-10", name: "instance-metadata-v2", family: .network, severity: .warning,
        rationale: "IMDSv1 answers any GET from the instance, so a server-side request forgery in an application hands out the instance role's credentials; IMDSv2 needs a session token obtained with a PUT. A launch template or launch configuration sets MetadataOptions HttpTokens: required (or turns the endpoint off with HttpEndpoint: disabled). A warning, not an error: an account default or an AMI flagged for IMDSv2 (ImdsSupport v2.0, as Amazon Linux 2023's) may require it already, which the template cannot show.",
        peers: [.checkov("CKV_AWS_79"), .guardRule("EC2_IMDSV2_CHECK")],
        triggering: [
            "Resources:\n  ↓Template:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        InstanceType: t3.micro\n  Legacy:\n    Type: AWS::AutoScaling::LaunchConfiguration\n    Properties:\n      ImageId: ami-12345678\n      InstanceType: t3.micro\n      MetadataOptions: {HttpTokens: ↓optional}\n",
        ],
        nonTriggering: [
            "Resources:\n  Template:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        InstanceType: t3.micro\n        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}\n  Off:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        MetadataOptions: {HttpEndpoint: disabled}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            let options: Node?
            let base: [PathComponent]
            switch resource.type {
            case "AWS::EC2::LaunchTemplate":
                options = resource.properties?["LaunchTemplateData"]?["MetadataOptions"]
                base = Places.resourcePath(resource, .key("Properties"), .key("LaunchTemplateData"), .key("MetadataOptions"))
            case "AWS::AutoScaling::LaunchConfiguration":
                options = resource.properties?["MetadataOptions"]
                base = Places.resourcePath(resource, .key("Properties"), .key("MetadataOptions"))
            default: continue
            }
            if context.always(options?["HttpEndpoint"], is: "disabled") { continue }
            let tokens = context.literals(options?["HttpTokens"])
            if options?["HttpTokens"] == nil {
                context.report("\(resource.logicalID) leaves HttpTokens unset, so instances answer IMDSv1", at: resource.keyLocation, path: base, hint: "MetadataOptions: {HttpTokens: required}")
            }
            for (value, node) in tokens where value != "required" {
                context.report("\(resource.logicalID) sets HttpTokens \(value), so instances answer IMDSv1", at: node.location, path: base + [.key("HttpTokens")],
                               hint: "MetadataOptions: {HttpTokens: required}")
            }
        }
    }
}

/// NW-11: message brokers and data warehouses are not publicly accessible.
struct NoPublicBrokersOrWarehouses: Rule {
    static let description = RuleDescription(
        id: "NW-11", name: "private-mq-and-redshift", family: .network, severity: .error,
        rationale: "An Amazon MQ broker or a Redshift cluster with PubliclyAccessible true gets an address on the internet, and its security group is then all that stands between the world and its login: keep them in private subnets and reach them through the VPC. Judged for every value a parameter allows. A Redshift cluster without the property is private (Redshift's default since January 2025), as is an MQ broker (where the property is required).",
        peers: [.checkov("CKV_AWS_69"), .checkov("CKV_AWS_87"), .guardRule("REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK")],
        triggering: [
            "Resources:\n  Broker:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n      BrokerName: orders\n      EngineType: RABBITMQ\n      HostInstanceType: mq.t3.micro\n      DeploymentMode: SINGLE_INSTANCE\n      AutoMinorVersionUpgrade: true\n      PubliclyAccessible: ↓true\n      Users: [{Username: app, Password: '{{resolve:secretsmanager:mq:SecretString:password}}'}]\n  Warehouse:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      ClusterType: single-node\n      NodeType: ra3.xlplus\n      DBName: analytics\n      MasterUsername: admin\n      ManageMasterPassword: true\n      PubliclyAccessible: ↓true\n",
        ],
        nonTriggering: [
            "Resources:\n  Warehouse:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      ClusterType: single-node\n      NodeType: ra3.xlplus\n      DBName: analytics\n      MasterUsername: admin\n      ManageMasterPassword: true\n  Broker:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n      BrokerName: orders\n      EngineType: RABBITMQ\n      HostInstanceType: mq.t3.micro\n      DeploymentMode: SINGLE_INSTANCE\n      AutoMinorVersionUpgrade: true\n      PubliclyAccessible: false\n      Users: [{Username: app, Password: '{{resolve:secretsmanager:mq:SecretString:password}}'}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::AmazonMQ::Broker" || resource.type == "AWS::Redshift::Cluster" {
            let what = resource.type == "AWS::AmazonMQ::Broker" ? "broker" : "cluster"
            for candidate in context.values.candidates(resource.properties?["PubliclyAccessible"]) {
                guard case .literal(let value, let via) = candidate, value.scalarText?.lowercased() == "true" else { continue }
                context.report("\(resource.logicalID), a \(what), is publicly accessible\(via.map { " (\($0))" } ?? "")", at: value.location.isKnown ? value.location : resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("PubliclyAccessible")), hint: "PubliclyAccessible: false", via: via)
            }
        }
    }
}
