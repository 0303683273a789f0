import FormworkSchema
import Testing

@Suite struct SwiftNamesTests {
    @Test func swiftNamesReadWell() {
        let cases = [
            ("DBInstanceIdentifier", "dbInstanceIdentifier"), ("VPCSecurityGroups", "vpcSecurityGroups"), ("MultiAZ", "multiAZ"),
            ("KmsKeyId", "kmsKeyId"), ("EnableIAMDatabaseAuthentication", "enableIAMDatabaseAuthentication"), ("Tags", "tags"),
            ("S3Bucket", "s3Bucket"), ("Protocol", "`protocol`"), ("IPv6CidrBlock", "iPv6CidrBlock"), ("ID", "id"),
        ]
        for (schemaName, swiftName) in cases {
            #expect(SwiftNames.property(schemaName) == swiftName, "\(schemaName)")
        }
    }

    /// A nested attribute's segments each start a word.
    @Test func attributeNamesReadWell() {
        let cases = [("Endpoint.Address", "endpointAddress"), ("RedrivePolicy.deadLetterTargetArn", "redrivePolicyDeadLetterTargetArn"),
                     ("Arn", "arn"), ("DBClusterArn", "dbClusterArn"), ("CertificateDetails.CAIdentifier", "certificateDetailsCAIdentifier")]
        for (attribute, swiftName) in cases {
            #expect(SwiftNames.attribute(attribute) == swiftName, "\(attribute)")
        }
    }
}
