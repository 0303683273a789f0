// Imported by `formwork import` from minimal.yaml.
import Formwork
import FormworkS3

/// Imported from ../shared/corpus/cfn-lint/templates/good/modules/minimal.yaml.
func minimal() -> Stack {
    let stack = Stack()

    // Resources
    let iamRoleModule = stack.add("IamRoleModule", RawResource(type: "Some::IAM::Role::MODULE", properties: ["RoleName": "test"]), deletionPolicy: .delete, updateReplacePolicy: .delete)
    stack.add("OtherResource", S3.Bucket(), dependsOn: [iamRoleModule])
    return stack
}
