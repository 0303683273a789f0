import FormworkRuleKit
import FormworkTemplate

/// SM-04: no secrets in EC2 user data.
struct NoSecretsInUserData: Rule {
    static let description = RuleDescription(
        id: "SM-04", name: "no-secrets-in-user-data", family: .secrets, severity: .error,
        rationale: "User data is no secret store: anyone allowed ec2:DescribeInstanceAttribute reads it, it stays in the launch template's versions, and cloud-init copies it to /var/lib/cloud on the instance. An access key, a private key, a password or token assigned a literal value (`DB_PASSWORD=...`, `--password ...`), or a secret resolved into it with {{resolve:secretsmanager:...}}, is exposed: give the instance a role and fetch the secret at boot (`aws secretsmanager get-secret-value`). Judged in the user data of instances, launch templates and launch configurations, through Fn::Base64, Fn::Sub and Fn::Join; a value that is a shell or Sub variable (`$PASSWORD`, `${DbPassword}`) is a reference, not a secret. Findings never print the value.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_46")],
        triggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      UserData:\n        Fn::Base64: ↓|\n          #!/bin/bash\n          export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n          export DB_PASSWORD=hunter2hunter2\n  Template:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        UserData: !Base64\n          Fn::Sub: ↓'#!/bin/bash\n\n            mysql --password {{resolve:secretsmanager:db:SecretString:password}} -e status\n\n            '\n",
        ],
        nonTriggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      UserData:\n        Fn::Base64: !Sub |\n          #!/bin/bash\n          DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id ${Secret} --query SecretString --output text)\n          export PGPASSWORD=$DB_PASSWORD\n          echo \"password_file=/etc/app/secret\" >> /etc/app.conf\n  Secret:\n    Type: AWS::SecretsManager::Secret\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            let userData: Node?
            let path: [PathComponent]
            switch resource.type {
            case "AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration":
                userData = resource.properties?["UserData"]
                path = Places.resourcePath(resource, .key("Properties"), .key("UserData"))
            case "AWS::EC2::LaunchTemplate":
                userData = resource.properties?["LaunchTemplateData"]?["UserData"]
                path = Places.resourcePath(resource, .key("Properties"), .key("LaunchTemplateData"), .key("UserData"))
            default: continue
            }
            guard let userData else { continue }
            Strings.walk(userData, path: path) { text, location, at in
                let kinds = Self.secrets(in: text)
                guard !kinds.isEmpty else { return }
                context.report("\(resource.logicalID)'s user data holds \(kinds.joined(separator: ", "))", at: location, path: at,
                               hint: "give the instance a role and read the secret at boot from Secrets Manager")
            }
        }
    }

    /// What kinds of secret a piece of user data holds (never the values).
    static func secrets(in text: String) -> [String] {
        var found: [String] = []
        if text.has("{{resolve:secretsmanager:") || text.has("{{resolve:ssm-secure:") { found.append("a secret resolved by a dynamic reference") }
        if text.has("PRIVATE KEY-----") { found.append("a private key") }
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        if words.contains(where: isAccessKeyID) { found.append("an AWS access key id") }
        if hasLiteralAssignment(text) { found.append("a password or token assigned a literal value") }
        return found
    }

    /// AKIA..., ASIA... followed by 16 upper-case letters or digits.
    static func isAccessKeyID(_ word: Substring) -> Bool {
        guard word.utf8.count == 20, ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"].contains(where: { word.hasPrefix($0) }) else { return false }
        return word.allSatisfy { ($0.isUppercase && $0.isASCII) || $0.isNumber }
    }

    /// `NAME=value`, `NAME: value` or `--name value` where the name is a secret word and the
    /// value is written out (not a variable, a command substitution or empty).
    static func hasLiteralAssignment(_ text: String) -> Bool {
        for line in text.split(separator: "\n") {
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            for (index, token) in tokens.enumerated() {
                var name = Substring(token), value: Substring?
                if let equals = token.firstIndex(of: "=") {
                    name = token[..<equals]
                    value = token[token.index(after: equals)...]
                } else if token.hasSuffix(":") {
                    name = token.dropLast()
                    value = index + 1 < tokens.count ? tokens[index + 1] : nil
                } else if token.hasPrefix("--") {
                    value = index + 1 < tokens.count ? tokens[index + 1] : nil
                    if value?.hasPrefix("-") == true { value = nil }
                } else {
                    continue
                }
                // The names LM-08 takes for secrets: ending with the secret word.
                let key = String(name.uppercased().filter { $0.isLetter || $0.isNumber })
                guard NoSecretsInEnvironment.secretWords.contains(where: { key.hasSuffix($0) }), let written = value?.strippingCharacters("\"';,"), written.count >= 4 else { continue }
                if let first = written.first, "$%<{(`/".contains(first) { continue }
                if written.has("{{resolve:") { continue }  // reported as a dynamic reference
                return true
            }
        }
        return false
    }
}

extension StringProtocol {
    /// The text without these characters at either end.
    func strippingCharacters(_ set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
