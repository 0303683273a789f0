// Imported by `formwork import` from functions_findinmap.yaml.
import Formwork
import FormworkEC2

/// Imported from ../shared/corpus/cfn-lint/templates/good/functions_findinmap.yaml.
/// Test Good Sub Strings
func functionsFindinmap() -> Stack {
    let stack = Stack(description: "Test Good Sub Strings\n")

    // Mappings
    _ = stack.mapping("myMap", [
        "us-east-1": ["32": "ami-1234567", "64": "ami-abcdefg"],
    ])

    // Resources
    let myInstance1 = stack.add("myInstance1", EC2.Instance {
        $0.imageId = Value(raw: ["Fn::FindInMap": [["Fn::FindInMap": ["myMap", JSON(Pseudo.region), JSON(Pseudo.region)]], JSON(Pseudo.region), 32]])
    })
    stack.add("myInstance2", EC2.Instance {
        $0.imageId = Value(raw: ["Fn::FindInMap": [
                ["Fn::FindInMap": ["myMap", JSON(Pseudo.region), JSON(Pseudo.region)]],
                ["Fn::FindInMap": ["myMap", JSON(Pseudo.region), JSON(Pseudo.region)]],
                ["Fn::FindInMap": ["myMap", JSON(Pseudo.region), JSON(Pseudo.region)]],
            ]])
    })
    stack.add("myInstance3", EC2.Instance {
        $0.imageId = Value(raw: ["Fn::FindInMap": [JSON(myInstance1.ref), JSON(myInstance1.ref), JSON(myInstance1.ref)]])
    })
    return stack
}
