/// A rule's or a tool finding's id: `LC-01`, `RDS-16`, `PS-02`. Its group is the letters
/// before the dash (`LC`), which a suppression may name to mean every rule of the group; a
/// partial id (`LC-0`) names nothing.
public struct RuleID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    /// The letters before the dash: `LC` of `LC-01`; the whole id when it has no dash.
    public var group: Substring { rawValue[..<(rawValue.firstIndex(of: "-") ?? rawValue.endIndex)] }

    /// True for the reader's own findings (`PS-*`): the file was not read as a template.
    public var isReadError: Bool { group == "PS" }

    /// The number after the dash: 16 of `RDS-16`.
    public var number: Int? {
        guard let dash = rawValue.firstIndex(of: "-") else { return nil }
        return Int(rawValue[rawValue.index(after: dash)...])
    }

    /// Ids compare as their text (reports sort by it; the listing sorts by number).
    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Case-insensitive equality with what a user typed (`lc-01`).
    public func isNamed(by text: String) -> Bool { rawValue.uppercased() == text.uppercased() }
}

/// An intrinsic function's long-form name. The constants are the functions CloudFormation
/// (and its `AWS::LanguageExtensions` transform) defines; a template may hold any other
/// `Fn::` name, which the structure rules report.
public struct IntrinsicName: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    public static let ref: IntrinsicName = "Ref"
    public static let getAtt: IntrinsicName = "Fn::GetAtt"
    public static let sub: IntrinsicName = "Fn::Sub"
    public static let join: IntrinsicName = "Fn::Join"
    public static let select: IntrinsicName = "Fn::Select"
    public static let split: IntrinsicName = "Fn::Split"
    public static let `if`: IntrinsicName = "Fn::If"
    public static let equals: IntrinsicName = "Fn::Equals"
    public static let not: IntrinsicName = "Fn::Not"
    public static let and: IntrinsicName = "Fn::And"
    public static let or: IntrinsicName = "Fn::Or"
    public static let findInMap: IntrinsicName = "Fn::FindInMap"
    public static let base64: IntrinsicName = "Fn::Base64"
    public static let cidr: IntrinsicName = "Fn::Cidr"
    public static let getAZs: IntrinsicName = "Fn::GetAZs"
    public static let importValue: IntrinsicName = "Fn::ImportValue"
    public static let transform: IntrinsicName = "Fn::Transform"
    public static let length: IntrinsicName = "Fn::Length"
    public static let toJsonString: IntrinsicName = "Fn::ToJsonString"
    public static let forEach: IntrinsicName = "Fn::ForEach"

    /// The `Fn::` part dropped: `GetAtt`, the YAML short tag's name.
    public var shortName: String { rawValue.hasPrefix("Fn::") ? String(rawValue.dropFirst(4)) : rawValue }
}
