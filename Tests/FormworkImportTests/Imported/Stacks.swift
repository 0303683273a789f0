// Imported by `formwork import` from stacks.yaml.
import Formwork
import FormworkCloudFormation

/// Imported from ../shared/corpus/cfn-lint/templates/good/resources/cloudformation/stacks.yaml.
func stacks() -> Stack {
    let stack = Stack()

    // Conditions
    _ = stack.condition("IsUsEast1", .equals(Pseudo.region, "us-east-1"))

    // Resources
    // Doesn't fail on normal process
    stack.add("StackNormal", CloudFormation.Stack(templateURL: "./stack_nested.yaml") {
        $0.parameters = ["One": "a", "Two": "b"]
    })
    // Doesn't fail on TemplateURL for web url
    stack.add("StackIsWebUrl", CloudFormation.Stack(templateURL: "https://someurl.com") {
        $0.parameters = ["One": "a", "Two": "b"]
    })
    // Doesn't fail on TemplateURL for web url
    stack.add("StackUrlIsObject", CloudFormation.Stack(templateURL: "\(Pseudo.region)/template.yaml") {
        $0.parameters = ["One": "a", "Two": "b"]
    })
    // Don't fail when template not found
    stack.add("StackInvalidPath", CloudFormation.Stack(templateURL: "./invalid_stack.yaml") {
        $0.parameters = ["One": "a", "Two": "b"]
    })
    // Doesn't fail on scenarios
    stack.add("Stack3", CloudFormation.Stack(templateURL: "./stack_nested.yaml") {
        $0.parameters = ["Fn::If": [
                "IsUsEast1",
                ["One": "a", "Two": "b"],
                ["Fn::If": ["IsUsEast1", ["One": "c", "Two": "d"], ["One": "e", "Two": "f"]]],
            ]]
    })
    return stack
}
