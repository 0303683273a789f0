// Imported by `formwork import` from sc-ec2-linux-ra.json.
import Formwork
import FormworkEC2
import FormworkIAM
import FormworkSSM

/// Imported from ../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/ec2/sc-ec2-linux-ra.json.
/// Service Catalog: EC2 Reference Architecture(fdp-1qj64b3gb).
func scEc2LinuxRa() -> Stack {
    let stack = Stack(description: "Service Catalog: EC2 Reference Architecture(fdp-1qj64b3gb).", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                [
                    "Label": ["default": "General Configuration"],
                    "Parameters": ["VPC", "KeyPair", "RemoteAccessCIDR"],
                ],
                [
                    "Label": ["default": "Linux Instance Configuration"],
                    "Parameters": ["LinuxInstanceType", "LinuxSubnet", "LinuxSSHPort", "LatestAmiId"],
                ],
            ],
            "ParameterLabels": [
                "VPC": ["default": "VPC"],
                "KeyPair": ["default": "Key Pair"],
                "RemoteAccessCIDR": ["default": "Remote Access CIDR Block"],
                "LinuxInstanceType": ["default": "Linux Instance Type"],
                "LinuxSubnet": ["default": "Linux Subnet"],
                "LinuxSSHPort": ["default": "Linux SSH Port"],
                "LatestAmiId": ["default": "SSM key to the latest Amazon linux AMI"],
            ],
        ],
    ])

    // Parameters
    let vpc = stack.parameter("VPC", ParameterDefinition<String>.raw([
        "Type": "AWS::EC2::VPC::Id",
        "Description": "Select the VPC where the EC2 instances will be created",
        "ConstraintDescription": "must be an existing VPC",
    ]))
    let linuxSubnet = stack.parameter("LinuxSubnet", ParameterDefinition<String>.raw([
        "Type": "AWS::EC2::Subnet::Id",
        "Description": "Select subnet for Linux Instance",
        "ConstraintDescription": "must be an existing subnet",
    ]))
    let remoteAccessCIDR = stack.parameter("RemoteAccessCIDR", .string(description: "CIDR block to allow access to linux instances", allowedPattern: "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})", constraintDescription: "must be a valid IP CIDR range of the form x.x.x.x/x."))
    let linuxInstanceType = stack.parameter("LinuxInstanceType", .string(description: "Amazon EC2 Linux Instance Type", default: "t3.micro", allowedValues: ["t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t2.nano", "t2.micro", "t2.small", "t2.medium", "t2.large"]))
    let linuxSSHPort = stack.parameter("LinuxSSHPort", .integer(description: "Linux SSH Port Number", default: 22, constraintDescription: "must be 22 or a number from 1024 to 65535"))
    let keyPair = stack.parameter("KeyPair", .awsSpecific("AWS::EC2::KeyPair::KeyName", description: "Name of existing EC2 key pair for Linux Instances"))
    let latestAmiId = stack.parameter("LatestAmiId", .awsSpecific("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", default: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"))

    // Resources
    let instancePatchingRole = stack.add("InstancePatchingRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["Service": ["ec2.amazonaws.com"]],
                    "Action": ["sts:AssumeRole"],
                ],
            ],
        ]),
    ) {
        $0.path = "/"
        $0.managedPolicyArns = [
            "arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM",
            "arn:aws:iam::aws:policy/AmazonSSMFullAccess",
        ]
    })
    let patchingInstanceProfile = stack.add("PatchingInstanceProfile", IAM.InstanceProfile(roles: [instancePatchingRole.ref]) {
        $0.path = "/"
    })
    let linuxSecurityGroup = stack.add("LinuxSecurityGroup", EC2.SecurityGroup(groupDescription: "Enables SSH Access to Linux EC2 Instance") {
        $0.vpcId = vpc.ref
        $0.securityGroupIngress = [
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.description = "allow SSH"
                $0.fromPort = linuxSSHPort.ref
                $0.toPort = linuxSSHPort.ref
                $0.cidrIp = remoteAccessCIDR.ref
            },
            EC2.SecurityGroup.Ingress(ipProtocol: "icmp") {
                $0.description = "allow icmp"
                $0.fromPort = -1
                $0.toPort = -1
                $0.cidrIp = remoteAccessCIDR.ref
            },
        ]
        $0.securityGroupEgress = [
            EC2.SecurityGroup.Egress(ipProtocol: "-1") {
                $0.description = "allow all outgoing"
                $0.cidrIp = "0.0.0.0/0"
            },
        ]
    })
    let linuxInstance = stack.add("LinuxInstance", EC2.Instance {
        $0.imageId = latestAmiId.ref
        $0.instanceType = Value(linuxInstanceType.ref)
        $0.subnetId = linuxSubnet.ref
        $0.securityGroupIds = [linuxSecurityGroup.ref]
        $0.keyName = keyPair.ref
        $0.iamInstanceProfile = patchingInstanceProfile.ref
        $0.tags = .tags(["Name": "SC-RA-Linux-\(linuxSubnet)", "Description": "Service-Catalog-EC2-Reference-Architecture"])
        $0.blockDeviceMappings = [
            EC2.Instance.BlockDeviceMapping(deviceName: "/dev/xvdh") {
                $0.ebs = EC2.Instance.Ebs {
                    $0.encrypted = true
                    $0.volumeSize = 50
                }
            },
        ]
    })
    let linuxPatchBaseline = stack.add("LinuxPatchBaseline", SSM.PatchBaseline(name: "sc-ec2-ra-linux-patch-baseline") {
        $0.operatingSystem = .amazonLinux
        $0.approvalRules = SSM.PatchBaseline.RuleGroup {
            $0.patchRules = [
                SSM.PatchBaseline.Rule {
                    $0.approveAfterDays = 0
                    $0.complianceLevel = .critical
                    $0.enableNonSecurity = true
                    $0.patchFilterGroup = SSM.PatchBaseline.PatchFilterGroup {
                        $0.patchFilters = [
                            SSM.PatchBaseline.PatchFilter {
                                $0.key = .product
                                $0.values = ["AmazonLinux2017.09"]
                            },
                            SSM.PatchBaseline.PatchFilter {
                                $0.key = .classification
                                $0.values = ["Security", "Bugfix", "Enhancement", "Recommended"]
                            },
                            SSM.PatchBaseline.PatchFilter {
                                $0.key = .severity
                                $0.values = ["Critical", "Important", "Medium", "Low"]
                            },
                        ]
                    }
                },
            ]
        }
        $0.description = "Service Catalog EC2 Reference Architecture Patch Baseline for Amazon Linux instace"
    })
    let maintenanceWindowRole = stack.add("MaintenanceWindowRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]],
                    "Action": ["sts:AssumeRole"],
                ],
            ],
        ]),
    ) {
        $0.path = "/"
        $0.managedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"]
    })
    let maintenanceWindow = stack.add("MaintenanceWindow", SSM.MaintenanceWindow(
        allowUnassociatedTargets: false,
        cutoff: 2,
        duration: 6,
        name: "sc-ec2-ra-linux-maintenance-window",
        schedule: "cron(* 17 * * ? *)",
    ) {
        $0.description = "Maintenance window to allow for patching Amazon Linux instances"
    })
    stack.add("LinuxMainteanceWindowTarget", SSM.MaintenanceWindowTarget(
        ResourceType: .instance,
        targets: [SSM.MaintenanceWindowTarget.Targets(key: "InstanceIds", values: [linuxInstance.ref])],
        windowId: maintenanceWindow.ref,
    ) {
        $0.ownerInformation = "Service Catalog EC2 Reference Architecture"
        $0.description = "Service Catalog EC2 Reference Architecture - Patch Maintenance for Amazon Linux Instances"
        $0.name = "sc-ec2-ra-linux-patch-targets"
    })
    stack.add("LinuxMaintenanceWindowTaskScan", SSM.MaintenanceWindowTask(priority: 1, taskArn: "AWS-RunPatchBaseline", taskType: .runCommand, windowId: maintenanceWindow.ref) {
        $0.maxErrors = "1"
        $0.description = "Service Catalog EC2 Reference Architecture Maintenance Window Task: Scan for update for Amazon Linux Instance"
        $0.serviceRoleArn = maintenanceWindowRole.arn
        $0.maxConcurrency = "1"
        $0.targets = [SSM.MaintenanceWindowTask.Target(key: "InstanceIds", values: [linuxInstance.ref])]
        $0.name = "patch-sc-ec2-ra-linux-instances"
        $0.taskParameters = ["Operation": ["Values": ["Scan"]]]
    })
    stack.add("LinuxMaintenanceWindowTaskInstall", SSM.MaintenanceWindowTask(priority: 2, taskArn: "AWS-RunPatchBaseline", taskType: .runCommand, windowId: maintenanceWindow.ref) {
        $0.maxErrors = "1"
        $0.description = "Service Catalog EC2 Reference Architecture Maintenance Window Task: Install update for Amazon Linux Instance"
        $0.serviceRoleArn = maintenanceWindowRole.arn
        $0.maxConcurrency = "1"
        $0.targets = [SSM.MaintenanceWindowTask.Target(key: "InstanceIds", values: [linuxInstance.ref])]
        $0.name = "patch-sc-ec2-ra-linux-instances"
        $0.taskParameters = ["Operation": ["Values": ["Install"]]]
    })

    // Outputs
    stack.output("TemplateID", "service-catalog-reference-architectures/sc-ec2-ra" as Value<String>)
    stack.output("AWSRegionName", Pseudo.region)
    stack.output("LinuxInstanceId", linuxInstance.ref)
    stack.output("LinuxInstancePrivateIpAddress", linuxInstance.privateIp)
    stack.output("LinuxInstanceAvailabilityZone", linuxInstance.availabilityZone)
    stack.output("KeyPair", keyPair.ref)
    stack.output("LinuxSSHPort", Value(raw: JSON(linuxSSHPort.ref)) as Value<String>)
    stack.output("LinuxSubet", linuxSubnet.ref)
    stack.output("LinuxInstanceType", linuxInstanceType.ref)
    stack.output("RemoteAccessCIDR", remoteAccessCIDR.ref)
    stack.output("VPC", vpc.ref)
    stack.output("IAMInstancePatchingRole", instancePatchingRole.ref)
    stack.output("IAMPatchingInstanceProfile", patchingInstanceProfile.ref)
    stack.output("SSMMaintenaceWindowRole", maintenanceWindowRole.ref)
    stack.output("SSMLinuxPatchBaseline", linuxPatchBaseline.ref)
    return stack
}
