import FormworkTemplate

/// The three renderings of a diff: text like `cdk diff`, JSON for tools, Markdown for
/// pull-request comments. All deterministic.
public enum DiffReports {
    // MARK: Text

    public static func text(_ report: DiffReport, colour: Bool) -> String {
        // Everything from the templates and exports is made printable before colour is added.
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text.printable)\u{1B}[0m" : text.printable }
        guard report.hasDifferences || !report.drift.isEmpty || !report.liveDrift.isEmpty || !report.notes.isEmpty else { return "There were no differences\n" }
        var lines: [String] = []
        if !report.parameters.isEmpty {
            lines.append(paint("Parameters", "1;4"))
            for parameter in report.parameters { lines.append(entryLine(parameter, paint)) }
            lines.append("")
        }
        if !report.resources.isEmpty || !report.changeSetOnly.isEmpty {
            lines.append(paint("Resources", "1;4"))
            for resource in report.resources + report.changeSetOnly {
                let symbol: String
                switch resource.action {
                case .add: symbol = paint("[+]", "32")
                case .remove: symbol = paint("[-]", "31")
                case .orphan: symbol = paint("[-]", "33")
                case .modify, .rename: symbol = paint("[~]", "33")
                }
                var headline = "\(symbol) \(resource.type.printable) \(resource.logicalID.printable)"
                if let physical = resource.physicalID { headline += " (\(physical.printable))" }
                if let previous = resource.previousLogicalID { headline += " renamed from \(previous.printable)" }
                switch resource.action {
                case .orphan: headline += " orphaned: removed from the stack, kept in the account"
                case .modify, .rename:
                    switch resource.replacement {
                    case .will: headline += " " + paint("replace", "1;31")
                    case .may: headline += " " + paint("may be replaced", "31")
                    case .interruption: headline += " " + paint("interruption (reboot or failover)", "33")
                    case .fails: headline += " " + paint("cannot be updated: the update fails", "1;31")
                    case .none: break
                    }
                default: break
                }
                switch resource.data {
                case .lost?: headline += " " + paint(resource.replacement == .may ? "POSSIBLE DATA LOSS" : "DATA LOSS", "1;41;37")
                case .snapshot?: headline += " " + paint(resource.replacement == .may ? "POSSIBLY DATA ONLY IN A SNAPSHOT" : "DATA ONLY IN A SNAPSHOT", "1;41;37")
                default: break
                }
                lines.append(headline)
                if let change = resource.changeSet {
                    var line = " ├─ change set: \(change.action)"
                    if let replacement = change.replacement { line += ", Replacement \(replacement)" }
                    if let policy = change.policyAction { line += ", PolicyAction \(policy)" }
                    lines.append(line.printable)
                    // Beside Formwork's own changes: what CloudFormation says of each property.
                    if !resource.changes.contains(where: { $0.source == .changeSet }) {
                        for detail in change.details {
                            var text = " │   CloudFormation: \(detail.path) RequiresRecreation \(detail.requiresRecreation ?? "-")"
                            if detail.before != nil || detail.after != nil { text += ": \(detail.before ?? "(absent)") -> \(detail.after ?? "(absent)")" }
                            lines.append(text.printable)
                        }
                    }
                }
                for (index, change) in resource.changes.enumerated() {
                    let last = index == resource.changes.count - 1 && resource.notes.isEmpty
                    let branch = last ? " └─" : " ├─"
                    var line = "\(branch) [~] \(change.pathText.printable)"
                    switch change.replacement {
                    case .will: line += " " + paint("(requires replacement)", "31")
                    case .may: line += " " + paint("(may require replacement)", "31")
                    case .interruption: line += " " + paint("(interruption)", "33")
                    case .fails: line += " " + paint("(cannot be updated)", "1;31")
                    case .none: break
                    }
                    line += ": " + change.reason.printable
                    lines.append(line)
                    let indent = last ? "     " : " │   "
                    if change.before != nil || change.after != nil, !(change.before.map { a in change.after.map { $0 == a } ?? false } ?? false) {
                        lines.append(indent + paint("- " + (change.before.map(render) ?? "(absent)"), "31"))
                        lines.append(indent + paint("+ " + (change.after.map(render) ?? "(absent)"), "32"))
                    }
                }
                for (index, note) in resource.notes.enumerated() {
                    lines.append((index == resource.notes.count - 1 ? " └─ " : " ├─ ") + paint("note: ", "1") + note.printable)
                }
            }
            lines.append("")
        }
        if !report.outputs.isEmpty {
            lines.append(paint("Outputs", "1;4"))
            for output in report.outputs { lines.append(entryLine(output, paint)) }
            lines.append("")
        }
        if !report.security.isEmpty {
            lines.append(paint("Security", "1;4"))
            lines += securityTable(report.security).map { row in row.printable }
            lines.append("")
        }
        func section(_ title: String, _ notes: [String]) {
            guard !notes.isEmpty else { return }
            lines.append(paint(title, "1;4"))
            for note in notes { lines.append("  " + note.printable) }
            lines.append("")
        }
        section("The change set and Formwork disagree", report.disagreements)
        if !report.liveDrift.isEmpty {
            lines.append(paint("Drift of the live resources", "1;4"))
            for drift in report.liveDrift {
                lines.append("  \(drift.logicalID.printable) (\(drift.type.printable)) \(drift.status.printable)")
                for property in drift.properties {
                    let values = "expected \(property.expected ?? "(absent)"), actual \(property.actual ?? "(absent)")"
                    lines.append("    \(property.differenceType) \(property.path): \(values)\(property.overwritten ? "; the update overwrites it" : "")".printable)
                }
                for note in drift.notes { lines.append("    note: " + note.printable) }
            }
            lines.append("")
        }
        section("Drift between the deployed template and the stack's resources", report.drift)
        section("Not compared", report.notes)
        if !report.findings.isEmpty {
            lines.append(paint("Findings", "1;4"))
            for finding in report.findings { lines.append(finding.text) }
            lines.append("")
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func entryLine(_ entry: EntryDiff, _ paint: (String, String) -> String) -> String {
        let symbol: String
        switch entry.action {
        case .add: symbol = paint("[+]", "32")
        case .remove: symbol = paint("[-]", "31")
        case .modify: symbol = paint("[~]", "33")
        }
        var line = "\(symbol) \(entry.name.printable)"
        if entry.action == .modify || entry.action == .add, let after = entry.after { line += ": " + render(after).printable }
        if let deployed = entry.deployedValue { line += " (deployed value: \(deployed.printable))" }
        if !entry.notes.isEmpty { line += "; " + entry.notes.joined(separator: "; ").printable }
        return line
    }

    public static func summary(_ report: DiffReport) -> String {
        let all = report.resources + report.changeSetOnly
        let replaced = all.filter { ($0.action == .modify || $0.action == .rename) && $0.replacement == .will }.count
        let maybe = all.filter { $0.action == .modify && $0.replacement == .may }.count
        let lost = all.filter(\.dataLoss).count
        let snapshot = all.filter { $0.data == .snapshot }.count
        let failing = all.filter { $0.replacement == .fails }.count
        let renamed = all.filter { $0.action == .rename }.count
        var counts = "\(replaced) replaced, \(maybe) may be replaced, \(lost) with data loss"
        if snapshot > 0 { counts += ", \(snapshot) with data only in a snapshot" }
        if failing > 0 { counts += ", \(failing) that cannot be updated" }
        if renamed > 0 { counts += ", \(renamed) renamed" }
        if !report.disagreements.isEmpty { counts += ", \(report.disagreements.count) disagreement\(report.disagreements.count == 1 ? "" : "s") with the change set" }
        return "\(all.count) resource\(all.count == 1 ? " differs" : "s differ") (\(counts)), \(report.parameters.count) parameter\(report.parameters.count == 1 ? "" : "s"), \(report.outputs.count) output\(report.outputs.count == 1 ? "" : "s")"
    }

    /// The security changes as aligned rows: `+`/`-`, resource, kind, effect, principal, action, target.
    static func securityTable(_ changes: [SecurityChange]) -> [String] {
        let rows = [["", "resource", "kind", "effect", "principal / peer", "action / ports", "resource / condition"]] + changes.map { change in
            [change.change == .added ? "+" : "-", change.resource, change.kind.rawValue, change.effect, change.principal, change.action, change.target]
        }
        let widths = (0..<7).map { column in min(48, rows.map { $0[column].count }.max() ?? 0) }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let text = cell.count > 48 ? String(cell.prefix(45)) + "..." : cell
                return index == 6 ? text : text + String(repeating: " ", count: max(0, widths[index] - text.count))
            }.joined(separator: "  ").trimmingSpaces
        }
    }

    /// Values in compact long-form JSON, cut at 120 characters.
    static func render(_ value: Node) -> String {
        let out = JSONWriter.compact(value, spaced: true)
        let text = String(decoding: out, as: UTF8.self)
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }

    // MARK: JSON

    public static func json(_ report: DiffReport) -> Node {
        var root = ObjectMap()
        root.set("resources", .array(report.resources.map(resourceJSON)))
        if !report.changeSetOnly.isEmpty { root.set("changeSetOnly", .array(report.changeSetOnly.map(resourceJSON))) }
        func strings(_ list: [String]) -> Node { .array(list.map { .string($0) }) }
        root.set("renames", .array(report.renames.map { rename in
            .object(ObjectMap(["from": .string(rename.from), "to": .string(rename.to), "type": .string(rename.type), "keptNames": strings(rename.keptNames)]))
        }))
        root.set("removedExports", .array(report.removedExports.map { export in
            var map = ObjectMap(["name": .string(export.name), "output": .string(export.output)])
            if let renamed = export.renamedTo { map.set("renamedTo", .string(renamed)) }
            return .object(map)
        }))
        if !report.disagreements.isEmpty { root.set("disagreements", strings(report.disagreements)) }
        if !report.notes.isEmpty { root.set("notes", strings(report.notes)) }
        if !report.liveDrift.isEmpty {
            root.set("liveDrift", .array(report.liveDrift.map { drift in
                .object(ObjectMap([
                    "logicalId": .string(drift.logicalID), "type": .string(drift.type), "status": .string(drift.status),
                    "properties": .array(drift.properties.map { property in
                        .object(ObjectMap(["path": .string(property.path), "expected": property.expected.map { .string($0) } ?? .null,
                                           "actual": property.actual.map { .string($0) } ?? .null, "differenceType": .string(property.differenceType),
                                           "overwritten": .bool(property.overwritten)]))
                    }),
                    "notes": strings(drift.notes),
                ]))
            }))
        }
        return jsonRest(report, root)
    }

    static func resourceJSON(_ resource: ResourceDiff) -> Node {
            // Entries in order, the map made once: thousands of resources in a large diff.
            var entries: [ObjectMap.Entry] = [
                ObjectMap.Entry(key: "logicalId", value: .string(resource.logicalID)),
                ObjectMap.Entry(key: "type", value: .string(resource.type)),
                ObjectMap.Entry(key: "action", value: .string(resource.action.rawValue)),
                ObjectMap.Entry(key: "replacement", value: .string(resource.replacement.rawValue)),
                ObjectMap.Entry(key: "dataLoss", value: .bool(resource.dataLoss)),
            ]
            if let data = resource.data { entries.append(ObjectMap.Entry(key: "data", value: .string(data.rawValue))) }
            if let previous = resource.previousType { entries.append(ObjectMap.Entry(key: "previousType", value: .string(previous))) }
            if let previous = resource.previousLogicalID { entries.append(ObjectMap.Entry(key: "previousLogicalId", value: .string(previous))) }
            if let physical = resource.physicalID { entries.append(ObjectMap.Entry(key: "physicalId", value: .string(physical))) }
            entries.append(ObjectMap.Entry(key: "changes", value: .array(resource.changes.map { change in
                .object(ObjectMap([
                    ObjectMap.Entry(key: "path", value: .string(change.pathText)),
                    ObjectMap.Entry(key: "before", value: change.before.map(plain) ?? .null),
                    ObjectMap.Entry(key: "after", value: change.after.map(plain) ?? .null),
                    ObjectMap.Entry(key: "replacement", value: .string(change.replacement.rawValue)),
                    ObjectMap.Entry(key: "reason", value: .string(change.reason)),
                    ObjectMap.Entry(key: "source", value: .string(change.source.rawValue)),
                ]))
            })))
            var map = ObjectMap(entries)
            if let change = resource.changeSet {
                var set = ObjectMap(["action": .string(change.action)])
                if let replacement = change.replacement { set.set("replacement", .string(replacement)) }
                if let policy = change.policyAction { set.set("policyAction", .string(policy)) }
                set.set("details", .array(change.details.map { detail in
                    var item = ObjectMap(["path": .string(detail.path)])
                    for (key, value) in [("requiresRecreation", detail.requiresRecreation), ("before", detail.before), ("after", detail.after),
                                         ("evaluation", detail.evaluation), ("changeSource", detail.changeSource), ("causingEntity", detail.causingEntity)] {
                        if let value { item.set(key, .string(value)) }
                    }
                    return .object(item)
                }))
                map.set("changeSet", .object(set))
            }
            map.set("notes", .array(resource.notes.map { .string($0) }))
            return .object(map)
    }

    private static func jsonRest(_ report: DiffReport, _ start: ObjectMap) -> Node {
        var root = start
        func entries(_ list: [EntryDiff]) -> Node {
            .array(list.map { entry in
                var map = ObjectMap()
                map.set("name", .string(entry.name))
                map.set("action", .string(entry.action.rawValue))
                map.set("before", entry.before.map(plain) ?? .null)
                map.set("after", entry.after.map(plain) ?? .null)
                map.set("deployedValue", entry.deployedValue.map { .string($0) } ?? .null)
                map.set("notes", .array(entry.notes.map { .string($0) }))
                if let export = entry.exportName { map.set("export", .string(export)) }
                return .object(map)
            })
        }
        root.set("parameters", entries(report.parameters))
        root.set("outputs", entries(report.outputs))
        root.set("drift", .array(report.drift.map { .string($0) }))
        root.set("security", .array(report.security.map { change in
            .object(ObjectMap([
                ObjectMap.Entry(key: "change", value: .string(change.change.rawValue)),
                ObjectMap.Entry(key: "resource", value: .string(change.resource)),
                ObjectMap.Entry(key: "kind", value: .string(change.kind.rawValue)),
                ObjectMap.Entry(key: "effect", value: .string(change.effect)),
                ObjectMap.Entry(key: "principal", value: .string(change.principal)),
                ObjectMap.Entry(key: "action", value: .string(change.action)),
                ObjectMap.Entry(key: "target", value: .string(change.target)),
            ]))
        }))
        root.set("findings", .array(report.findings.map { finding in
            .object(ObjectMap([
                ObjectMap.Entry(key: "rule", value: .string(finding.ruleID.rawValue)),
                ObjectMap.Entry(key: "severity", value: .string(finding.severity.rawValue)),
                ObjectMap.Entry(key: "message", value: .string(finding.message)),
                ObjectMap.Entry(key: "line", value: .number(String(finding.location.line))),
                ObjectMap.Entry(key: "column", value: .number(String(finding.location.column))),
                ObjectMap.Entry(key: "path", value: .array(finding.path.map { component in
                    switch component {
                    case .key(let key): return .string(key)
                    case .index(let index): return .number(String(index))
                    }
                })),
            ]))
        }))
        root.set("summary", .string(summary(report)))
        return .object(root)
    }

    /// Values without places (JSON output is read by tools, which want long forms).
    static func plain(_ value: Node) -> Node { Node(value.kind) }

    // MARK: Markdown

    public static func markdown(_ report: DiffReport) -> String {
        guard report.hasDifferences || !report.drift.isEmpty || !report.liveDrift.isEmpty else { return "**No differences** with the deployed stack.\n" }
        var lines = ["### Stack differences", "", summary(report), ""]
        if !report.findings.isEmpty {
            lines += report.findings.map { "- **\($0.severity.rawValue)** \($0.ruleID.rawValue.markdownText): \($0.message.markdownText)" } + [""]
        }
        if !report.resources.isEmpty || !report.changeSetOnly.isEmpty {
            lines += ["| | resource | type | action | replacement | data loss |", "|---|---|---|---|---|---|"]
            for resource in report.resources + report.changeSetOnly {
                let icon: String
                switch (resource.action, resource.replacement) {
                case (.add, _): icon = "➕"
                case (.remove, _), (.orphan, _): icon = "➖"
                case (.modify, .will), (.modify, .may): icon = "♻️"
                case (.modify, .interruption): icon = "⚠️"
                case (.modify, .fails): icon = "⛔"
                case (.modify, .none): icon = "✏️"
                case (.rename, _): icon = "🔀"
                }
                let data: String
                switch resource.data {
                case .lost?: data = "**yes**"
                case .snapshot?: data = "**only in a snapshot**"
                default: data = "no"
                }
                lines.append("| \(icon) | \(resource.logicalID.markdownCode) | \(resource.type.markdownCode) | \(resource.action.rawValue) | \(resource.replacement.rawValue) | \(data) |")
            }
            lines.append("")
            for resource in report.resources + report.changeSetOnly where !resource.changes.isEmpty || !resource.notes.isEmpty {
                lines.append("<details><summary><code>\(resource.logicalID.markdownText)</code>: \(resource.changes.count) change\(resource.changes.count == 1 ? "" : "s")</summary>")
                lines.append("")
                for change in resource.changes {
                    lines.append("- \(change.pathText.markdownCode) (\(change.replacement.rawValue)): \(change.reason.markdownText)")
                    if change.before != nil || change.after != nil {
                        lines.append("  - before: \((change.before.map(render) ?? "absent").markdownCode)")
                        lines.append("  - after: \((change.after.map(render) ?? "absent").markdownCode)")
                    }
                }
                for note in resource.notes { lines.append("- note: \(note.markdownText)") }
                lines.append("")
                lines.append("</details>")
                lines.append("")
            }
        }
        for (title, list) in [("Parameters", report.parameters), ("Outputs", report.outputs)] where !list.isEmpty {
            lines.append("**\(title)**")
            lines.append("")
            for entry in list {
                lines.append("- \(entry.action.rawValue) \(entry.name.markdownCode)" + (entry.after.map { ": " + render($0).markdownCode } ?? "") + (entry.notes.isEmpty ? "" : " (\(entry.notes.joined(separator: "; ").markdownText))"))
            }
            lines.append("")
        }
        if !report.security.isEmpty {
            lines.append("**Security**")
            lines.append("")
            lines.append("| | resource | kind | effect | principal / peer | action / ports | resource / condition |")
            lines.append("|---|---|---|---|---|---|---|")
            for change in report.security {
                lines.append("| \(change.change == .added ? "➕" : "➖") | \(change.resource.markdownCode) | \(change.kind.rawValue) | \(change.effect.markdownText) | \(change.principal.markdownText) | \(change.action.markdownText) | \(change.target.markdownText) |")
            }
            lines.append("")
        }
        if !report.disagreements.isEmpty {
            lines.append("**The change set and Formwork disagree**")
            lines.append("")
            for note in report.disagreements { lines.append("- \(note.markdownText)") }
            lines.append("")
        }
        if !report.liveDrift.isEmpty {
            lines.append("**Drift of the live resources**")
            lines.append("")
            for drift in report.liveDrift {
                let overwritten = drift.properties.filter(\.overwritten).map(\.path)
                lines.append("- \(drift.logicalID.markdownCode) \(drift.status.markdownText): \(drift.properties.count) propert\(drift.properties.count == 1 ? "y" : "ies") drifted" + (overwritten.isEmpty ? "" : ", the update overwrites \(overwritten.joined(separator: ", ").markdownText)"))
            }
            lines.append("")
        }
        if !report.drift.isEmpty {
            lines.append("**Drift**")
            lines.append("")
            for note in report.drift { lines.append("- \(note.markdownText)") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

/// Which differences make `formwork diff` exit 1.
public enum DiffFailOn: String, Sendable, CaseIterable {
    case any, interruption, replacement, dataLoss = "data-loss"

    private func all(_ report: DiffReport) -> [ResourceDiff] { report.resources + report.changeSetOnly }

    public func triggers(_ report: DiffReport) -> Bool {
        switch self {
        case .any: return report.hasDifferences
        case .interruption: return all(report).contains { $0.replacement >= .interruption || $0.action == .remove || $0.dataLoss } || !report.removedExports.isEmpty
        case .replacement: return all(report).contains { $0.replacement >= .may || $0.action == .remove } || !report.removedExports.isEmpty
        case .dataLoss: return all(report).contains { $0.data == .lost || $0.data == .snapshot }
        }
    }
}
