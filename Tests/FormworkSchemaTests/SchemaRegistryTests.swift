import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

@Suite struct SchemaRegistryTests {
    let registry = SchemaRegistry.shared

    @Test func holdsTheWholeUSEast1Registry() {
        #expect(registry.typeNames.count >= 1500)
        #expect(registry.typeNames == registry.typeNames.sorted())
        #expect(registry.contains("AWS::RDS::DBInstance"))
        #expect(!registry.contains("AWS::RDS::DBInstancee"))
        #expect(registry.schema(for: "AWS::Nope::Nothing") == nil)
        #expect(registry.source.hasPrefix("cfn-lint 1.51.0"))
    }

    @Test func dbInstanceMetadataMatchesTheRegistry() throws {
        let schema = try #require(registry.schema(for: "AWS::RDS::DBInstance"))
        for name in ["DBInstanceIdentifier", "KmsKeyId", "StorageEncrypted", "DBSubnetGroupName", "MasterUsername"] {
            #expect(schema.createOnly.contains("/properties/" + name), "\(name)")
        }
        for name in ["MultiAZ", "DBParameterGroupName", "BackupRetentionPeriod", "StorageType", "SourceDBInstanceIdentifier"] {
            #expect(schema.conditionalCreateOnly.contains("/properties/" + name), "\(name)")
        }
        #expect(!schema.createOnly.contains("/properties/DBInstanceClass"))
        let attributes = schema.attributes.map(\.name)
        #expect(attributes.contains("Endpoint.Address"))
        #expect(attributes.contains("Endpoint.Port"))
        #expect(attributes.contains("DBInstanceArn"))
        #expect(schema.unorderedArrays.contains("/properties/Tags"))
        #expect(schema.taggable)
        #expect(schema.tagProperty == "/properties/Tags")
        #expect(schema.stateful)
        #expect(schema.property("MultiAZ")?.types == [.boolean])
        #expect(schema.shape(at: "/properties/Endpoint/Address")?.types == [.string])
    }

    @Test func patchLayerIsApplied() throws {
        let schema = try #require(registry.schema(for: "AWS::RDS::DBInstance"))
        #expect(schema.property("MonitoringInterval")?.enumValues?.count == 7)
        #expect(schema.property("BackupRetentionPeriod")?.maximum == 35)
    }

    @Test func otherTypesOfTheSeeds() throws {
        let group = try #require(registry.schema(for: "AWS::EC2::SecurityGroup"))
        #expect(group.required == ["GroupDescription"])
        #expect(group.createOnly.contains("/properties/GroupDescription"))
        #expect(group.attributes.map(\.name).contains("GroupId"))
        let bucket = try #require(registry.schema(for: "AWS::S3::Bucket"))
        #expect(bucket.stateful)
        #expect(bucket.createOnly.contains("/properties/BucketName"))
        let alarm = try #require(registry.schema(for: "AWS::CloudWatch::Alarm"))
        #expect(!alarm.stateful)
        #expect(alarm.attributes.map(\.name) == ["Arn"])
        let role = try #require(registry.schema(for: "AWS::IAM::Role"))
        #expect(role.unorderedArrays.contains("/properties/ManagedPolicyArns"))
    }

    @Test func decodesOnlyWhatIsAskedFor() {
        // `CompactData`'s encoding of {"typeName": ..., "properties": {...}} (kj typeName, kC properties, kA type).
        let fresh = SchemaRegistry(text: "AWS::A::One {2:kjs11:AWS::A::OnekC{0:\nAWS::B::Two {2:kjs11:AWS::B::TwokC{1:s1:X{1:kAs6:string\n",
                                   stateful: [], source: "test")
        #expect(fresh.typeNames == ["AWS::A::One", "AWS::B::Two"])
        #expect(fresh.decodedTypeCount == 0)
        #expect(fresh.schema(for: "AWS::B::Two")?.propertyNames == ["X"])
        #expect(fresh.decodedTypeCount == 1)
    }

    @Test func safeFromManyThreads() async {
        let names = ["AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::SNS::Topic", "AWS::IAM::Role", "AWS::Lambda::Function"]
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask { SchemaRegistry.shared.schema(for: names[index % names.count]) != nil }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test func schemaReportHasTheDocumentedKeys() throws {
        let schema = try #require(registry.schema(for: "AWS::RDS::DBInstance"))
        let report = try #require(SchemaReport.json(schema).objectValue)
        for key in ["type", "properties", "required", "attributes", "createOnly", "conditionalCreateOnly"] {
            #expect(report[key] != nil, "\(key)")
        }
    }
}

@Suite struct TypeSummaryTests {
    /// Every embedded schema decodes (a `\#` in a pattern once broke the raw literal), and
    /// the generated summary says what the full schema says, for every type (but for its GetAtt
    /// names, which are cfn-lint's).
    @Test func summariesAgreeWithTheSchemas() throws {
        let registry = SchemaRegistry.shared
        var checked = 0
        for name in registry.typeNames {
            let schema = try #require(registry.schema(for: name))
            var summary = try #require(registry.summary(for: name))
            let fromSchema = TypeSummary(schema: schema)
            // The GetAtt names are cfn-lint's, not the schema's read-only properties (GetAttNamesTests).
            summary.attributes = fromSchema.attributes
            #expect(summary == fromSchema, "\(name)")
            checked += 1
        }
        #expect(registry.summary(for: "AWS::RDS::DBInstance")?.nameProperties == ["DBInstanceIdentifier"])
        #expect(registry.summary(for: "AWS::SNS::Topic")?.nameProperties == ["TopicName"])
        #expect(registry.summary(for: "AWS::EC2::Route")?.nameProperties == [])
        #expect(registry.summary(for: "AWS::RDS::DBInstance")?.maxLength(of: "DBInstanceIdentifier") == 63)
    }
}
