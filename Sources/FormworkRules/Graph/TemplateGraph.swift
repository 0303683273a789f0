import FormworkSchema
import FormworkTemplate

/// A template as a graph (`formwork graph`): parameters, resources and outputs, with an edge
/// from each to what it refers to (Ref, GetAtt, a `${}` of Sub, DependsOn), resources grouped
/// by service and stateful ones (the registry's list: databases, buckets, keys, ...) marked.
public struct TemplateGraph: Sendable {
    public enum Kind: String, Sendable { case parameter, resource, output }
    public enum EdgeKind: String, Sendable, Comparable {
        case ref = "Ref", getAtt = "GetAtt", sub = "Sub", dependsOn = "DependsOn"
        public static func < (a: EdgeKind, b: EdgeKind) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Vertex: Sendable {
        public var name: String
        public var kind: Kind
        /// The resource type, or the parameter's type; nil for outputs.
        public var type: String?
        /// `RDS` for `AWS::RDS::DBInstance`; `Parameters` and `Outputs` for the others.
        public var group: String
        public var stateful: Bool
    }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var kind: EdgeKind
    }

    public private(set) var vertices: [Vertex] = []
    public private(set) var edges: [Edge] = []

    /// `parameters: false` leaves parameters out (every name Refs the suffix parameter: in a
    /// picture those edges hide the rest).
    public init(_ template: Template, registry: SchemaRegistry, parameters: Bool = true) {
        var index: [String: Int] = [:]
        func add(_ vertex: Vertex) {
            index[Self.key(vertex.kind, vertex.name)] = vertices.count
            vertices.append(vertex)
        }
        for entry in parameters ? template.parameters?.entries ?? [] : [] {
            add(Vertex(name: entry.key, kind: .parameter, type: entry.value["Type"]?.stringValue, group: "Parameters", stateful: false))
        }
        for resource in template.resources {
            let type = resource.type ?? "?"
            let parts = type.split(separator: "::")
            let group = parts.count >= 3 ? String(parts[1]) : (type.hasPrefix("Custom::") ? "Custom" : "Other")
            add(Vertex(name: resource.logicalID, kind: .resource, type: type, group: group, stateful: registry.isStateful(type)))
        }
        for entry in template.outputs?.entries ?? [] {
            add(Vertex(name: entry.key, kind: .output, type: nil, group: "Outputs", stateful: false))
        }
        var found = Set<Edge>()
        func target(_ name: String) -> Int? { index[Self.key(.resource, name)] ?? index[Self.key(.parameter, name)] }
        func link(_ from: Int, _ value: Node) {
            Self.references(value) { name, kind in
                if let to = target(name), to != from { found.insert(Edge(from: from, to: to, kind: kind)) }
            }
        }
        for resource in template.resources {
            let from = index[Self.key(.resource, resource.logicalID)]!
            for name in resource.dependsOn {
                if let to = index[Self.key(.resource, name)] { found.insert(Edge(from: from, to: to, kind: .dependsOn)) }
            }
            for entry in resource.body.entries where entry.key != "DependsOn" { link(from, entry.value) }
        }
        for entry in template.outputs?.entries ?? [] { link(index[Self.key(.output, entry.key)]!, entry.value) }
        edges = found.sorted { ($0.from, $0.to, $0.kind) < ($1.from, $1.to, $1.kind) }
    }

    static func key(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue):\(name)" }

    /// Every name a value refers to, with how.
    static func references(_ value: Node, _ found: (String, EdgeKind) -> Void) {
        switch value.kind {
        case .object(let map): for entry in map.entries { references(entry.value, found) }
        case .array(let items): for item in items { references(item, found) }
        case .intrinsic(let function):
            switch function.name {
            case .ref: if let name = function.argument.stringValue { found(name, .ref) }
            case .getAtt: if let name = function.argument.arrayValue?.first?.stringValue { found(name, .getAtt) }
            case .sub:
                let local = function.subLocals
                for variable in SubTemplate.variables(function.subText ?? "") where !local.contains(variable) {
                    let name = String(variable.split(separator: ".", maxSplits: 1).first ?? "")
                    if !local.contains(name) { found(name, .sub) }
                }
            default: break
            }
            references(function.argument, found)
        default: break
        }
    }

    /// Groups in drawing order: parameters, the services by name, outputs.
    var groups: [(name: String, members: [Int])] {
        var byGroup: [String: [Int]] = [:]
        for (index, vertex) in vertices.enumerated() { byGroup[vertex.group, default: []].append(index) }
        let services = byGroup.keys.filter { $0 != "Parameters" && $0 != "Outputs" }.sorted()
        return (["Parameters"] + services + ["Outputs"]).compactMap { name in byGroup[name].map { (name, $0) } }
    }

    /// Graphviz DOT: one cluster per group, stateful resources as bold cylinders. `newrank`:
    /// the classic ranking fails ("trouble in init_rank") on labelled edges between clusters.
    public func dot(title: String) -> String {
        func escaped(_ text: String) -> String { text.printable.replacingScalars(["\\": "\\\\", "\"": "\\\""]) }
        func quoted(_ text: String) -> String { "\"" + escaped(text) + "\"" }
        var lines = ["digraph \(quoted(title)) {", "  rankdir=LR; newrank=true;", "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=rounded];",
                     "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];"]
        for (number, group) in groups.enumerated() {
            lines.append("  subgraph cluster_\(number) {")
            lines.append("    label=\(quoted(group.name)); style=dashed; color=\"#999999\";")
            for index in group.members {
                let vertex = vertices[index]
                // DOT's own line break, `\n`, between the name and the type.
                var attributes = ["label=\"" + escaped(vertex.name) + (vertex.type.map { "\\n" + escaped($0) } ?? "") + "\""]
                switch vertex.kind {
                case .parameter: attributes.append("shape=note")
                case .output: attributes.append("shape=cds")
                case .resource where vertex.stateful: attributes += ["shape=cylinder", "style=\"bold,filled\"", "fillcolor=\"#fde2e2\""]
                case .resource: break
                }
                lines.append("    n\(index) [\(attributes.joined(separator: ", "))];")
            }
            lines.append("  }")
        }
        for edge in edges {
            lines.append("  n\(edge.from) -> n\(edge.to) [label=\(quoted(edge.kind.rawValue))\(edge.kind == .dependsOn ? ", style=dashed" : "")];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid flowchart: one subgraph per group, stateful resources as cylinders.
    public func mermaid() -> String {
        func label(_ text: String) -> String { "\"" + text.printable.replacingScalars(["\"": "#quot;", "<": "#lt;", ">": "#gt;"]) + "\"" }
        var lines = ["flowchart LR"]
        for (number, group) in groups.enumerated() {
            lines.append("  subgraph g\(number)[\(label(group.name))]")
            for index in group.members {
                let vertex = vertices[index]
                let text = vertex.type.map { label(vertex.name).dropLast() + "<br/>" + label($0).dropFirst() } ?? label(vertex.name)
                switch vertex.kind {
                case .parameter: lines.append("    n\(index)[/\(text)/]")
                case .output: lines.append("    n\(index)>\(text)]")
                case .resource where vertex.stateful: lines.append("    n\(index)[(\(text))]")
                case .resource: lines.append("    n\(index)(\(text))")
                }
            }
            lines.append("  end")
        }
        for edge in edges {
            lines.append("  n\(edge.from) \(edge.kind == .dependsOn ? "-.->" : "-->")|\(edge.kind.rawValue)| n\(edge.to)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
