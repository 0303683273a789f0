import FormworkYAML

/// Which key or item each comment of a YAML template belongs to, and where it goes in the
/// canonical output, so that `fmt` keeps comments (libyaml's events carry none).
///
/// Every key, item and value of the input is a *place* (its mark and its parent), sorted by
/// position. A comment after a value belongs to the last key or value started before it
/// and is written at the end of that place's output line (when two meet on one line, the
/// earlier goes on its own line above it). A comment on a line of its own belongs to the
/// next key or item and is written on its own line above it, at its indentation; unless it
/// is indented deeper than that next key, where it closes the block it is indented for and
/// is written after that block's last line. Comments before the first key stay at the top
/// of the file, comments after the last at the end. A comment travels with its key when
/// the canonical order moves the key.
///
/// A comment on its own line between a key and a value the canonical form writes on the
/// key's line (a scalar, a function, `{}` or `[]`) goes on its own line above the key.
/// Refused (FMT-02, nothing written): a comment inside a flow collection (the canonical
/// form rewrites it, in block style or on one line, so no item keeps a line of its own).
struct CommentPlan {
    enum Slot: UInt8 { case before, lineEnd, after }

    /// A comment that has no place in the canonical form: `fmt` refuses the file.
    struct Refusal: Error {
        var message: String
        var location: Location
    }

    private struct Place {
        /// The order of places at one mark: a comment above `- Name: x` belongs to the item,
        /// one after `Name:` to the key, never to the mapping that starts at its first key.
        enum Kind: UInt8 {
            case item
            /// A mapping's value, the root, or a function's argument.
            case value
            case key
        }

        var mark: Mark
        /// The place of the enclosing collection or function; -1 for the root.
        var parent: Int32
        var component: PathComponent?
        var kind: Kind
        /// For a mapping or sequence: the column of its keys or dashes.
        var entryColumn: Int32
        /// A block the canonical form writes over lines of its own, so that a comment can
        /// close it: a non-empty mapping or sequence outside any function (a function's
        /// lists may be written in flow style, `!GetAtt [A, B]` even as one scalar).
        var closable: Bool
        /// A value the canonical form writes on its key's line (not a non-empty mapping or plain sequence).
        var inline: Bool
        var depth: Int32
    }

    private var places: [Place] = []
    /// Place indexes in source order (marks ascending, ties by kind).
    private var order: [Int32] = []
    private(set) var comments: [YAMLComment]
    private var targets: [(place: Int32, slot: Slot)] = []

    /// Attaches each comment of `source`'s tree; refuses a comment it cannot place.
    init(root: borrowing Node, comments: [YAMLComment]) throws(Refusal) {
        self.comments = comments
        places.reserveCapacity(256)
        add(root, parent: -1, component: nil, kind: .value, depth: 0)
        order = Array(places.indices.map(Int32.init))
        order.sort { a, b in
            let x = places[Int(a)], y = places[Int(b)]
            if x.mark != y.mark { return x.mark < y.mark }
            if x.kind != y.kind { return x.kind.rawValue < y.kind.rawValue }
            return a < b
        }
        // An alias's copy keeps its anchor's marks below its root: the first (the anchored
        // original) is the place a comment there belongs to.
        var unique: [Int32] = []
        unique.reserveCapacity(order.count)
        for index in order {
            if let last = unique.last, places[Int(last)].mark == places[Int(index)].mark, places[Int(last)].kind == places[Int(index)].kind { continue }
            unique.append(index)
        }
        order = unique
        targets.reserveCapacity(comments.count)
        var cache: (prev: Int32, next: Int32, candidates: [Int32], minima: [Int32])?
        for comment in comments {
            targets.append(try attach(comment, &cache))
        }
    }

    // MARK: places of the input

    private mutating func add(_ node: Node, parent: Int32, component: PathComponent?, kind: Place.Kind, depth: Int32, inFunction: Bool = false) {
        let index = Int32(places.count)
        let inline = Self.isInline(node)
        let isCollection = node.objectValue != nil || node.arrayValue != nil
        places.append(Place(mark: node.location, parent: parent, component: component, kind: kind,
                            entryColumn: Int32(Self.entryColumn(node)), closable: isCollection && !inline && !inFunction,
                            inline: inline, depth: depth))
        let inFunction = inFunction || node.intrinsicValue != nil
        switch node.kind {
        case .object(let map):
            for entry in map.entries {
                places.append(Place(mark: entry.keyLocation, parent: index, component: .key(entry.key), kind: .key,
                                    entryColumn: 0, closable: false, inline: false, depth: depth + 1))
                add(entry.value, parent: index, component: .key(entry.key), kind: .value, depth: depth + 1, inFunction: inFunction)
            }
        case .array(let items):
            for (offset, item) in items.enumerated() {
                add(item, parent: index, component: .index(offset), kind: .item, depth: depth + 1, inFunction: inFunction)
            }
        case .intrinsic(let function):
            add(function.argument, parent: index, component: .key(function.name.rawValue), kind: .value, depth: depth + 1, inFunction: true)
        default:
            break
        }
    }

    /// The column of a collection's keys or dashes (a block sequence's dash is two columns
    /// before its item); a function's is its argument's; 0 for a scalar.
    static func entryColumn(_ node: Node) -> Int {
        switch node.kind {
        case .object(let map):
            guard let first = map.entries.first else { return node.location.column }
            return first.keyLocation.column
        case .array(let items):
            guard let first = items.first else { return node.location.column }
            return max(first.location.column - 2, 1)
        case .intrinsic(let function):
            return entryColumn(function.argument)
        default:
            return 0
        }
    }

    private static func isInline(_ node: Node) -> Bool {
        switch node.kind {
        case .object(let map): return map.isEmpty
        case .array(let items): return items.isEmpty
        default: return true
        }
    }

    // MARK: attaching

    /// The first position in `order` whose mark is after `mark`.
    private func firstAfter(_ mark: Mark) -> Int {
        var low = 0, high = order.count
        while low < high {
            let middle = (low + high) / 2
            if places[Int(order[middle])].mark <= mark { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func attach(_ comment: YAMLComment, _ cache: inout (prev: Int32, next: Int32, candidates: [Int32], minima: [Int32])?) throws(Refusal) -> (place: Int32, slot: Slot) {
        if comment.inFlow {
            throw Refusal(message: "a comment inside a flow collection ([...] or {...}) cannot be kept: the canonical form rewrites the collection, so the comment has no line of its own; move it above the key", location: comment.mark)
        }
        let after = firstAfter(comment.mark)
        guard after > 0 else { return (0, .before) } // above the first key: the top of the file
        let prev = order[after - 1]
        var nextPosition = after
        // Skip a mapping that starts where its first key does: the key is the one meant.
        while nextPosition + 1 < order.count, places[Int(order[nextPosition])].kind == .value,
              places[Int(order[nextPosition + 1])].mark == places[Int(order[nextPosition])].mark {
            nextPosition += 1
        }
        let next: Int32? = nextPosition < order.count ? order[nextPosition] : nil
        // After a marker (`- # c`, `... # c`): the next item, or the end of the document.
        if comment.afterMarker { return next.map { ($0, .lineEnd) } ?? (0, .after) }
        // After a value on its line: the last place started before it, even on an earlier
        // line (the end of a quoted scalar or flow collection that spans lines).
        if !comment.ownLine { return (prev, .lineEnd) }
        // Between a key and a value the canonical form writes on the key's line: the comment
        // has no line of its own there, so it goes on its own line above the key, as one
        // after the key does when the canonical form joins the key's line and the value's.
        if places[Int(prev)].kind == .key, Int(prev) + 1 < places.count, places[Int(prev) + 1].inline,
           places[Int(prev) + 1].mark > comment.mark {
            return (prev, .before)
        }
        guard let next else {
            return (chooseClosing(from: prev, to: nil, column: comment.mark.column, &cache) ?? 0, .after)
        }
        let following = places[Int(next)]
        var nextColumn = following.mark.column
        if following.kind == .item, following.parent >= 0 { nextColumn = Int(places[Int(following.parent)].entryColumn) }
        if comment.mark.column <= nextColumn { return (next, .before) }
        if let closing = chooseClosing(from: prev, to: next, column: comment.mark.column, &cache) { return (closing, .after) }
        return (next, .before)
    }

    /// The collection a comment indented to `column` closes: of the collections that end
    /// between the places `prev` and `next`, the innermost whose entries are at or left of
    /// the comment, else the outermost. Candidates are found once per gap, and chosen by a
    /// binary search, so that many comments in one gap cost no more than linear time.
    private func chooseClosing(from prev: Int32, to next: Int32?, column: Int,
                               _ cache: inout (prev: Int32, next: Int32, candidates: [Int32], minima: [Int32])?) -> Int32? {
        let nextKey = next ?? -1
        if cache == nil || cache!.prev != prev || cache!.next != nextKey {
            var enclosingNext = Set<Int32>()
            var walk = next ?? -1
            while walk >= 0 {
                enclosingNext.insert(walk)
                walk = places[Int(walk)].parent
            }
            var candidates: [Int32] = []
            var current = places[Int(prev)].kind == .key ? places[Int(prev)].parent : prev
            while current >= 0, !enclosingNext.contains(current) {
                let place = places[Int(current)]
                if place.closable { candidates.append(current) }
                current = place.parent
            }
            if next == nil, candidates.last != 0 { candidates.append(0) }
            // minima[i]: the smallest entry column among candidates[0...i], for the search.
            var minima: [Int32] = []
            minima.reserveCapacity(candidates.count)
            for candidate in candidates {
                minima.append(min(minima.last ?? .max, places[Int(candidate)].entryColumn))
            }
            cache = (prev, nextKey, candidates, minima)
        }
        let (_, _, candidates, minima) = cache!
        guard !candidates.isEmpty else { return nil }
        var low = 0, high = minima.count
        while low < high {
            let middle = (low + high) / 2
            if Int(minima[middle]) <= column { high = middle } else { low = middle + 1 }
        }
        return low < candidates.count ? candidates[low] : candidates.last
    }

    // MARK: writing

    /// The canonical `output` (written from the same tree, without comments) with every
    /// comment inserted, the comment texts in the order they were written, and the tree
    /// `output` reads back to (for the self-check).
    func insert(into output: [UInt8]) throws(Refusal) -> (text: [UInt8], order: [String], readBack: Node) {
        guard let tree = TemplateReader.read(output, limits: .selfCheck, requireMapping: false).root else {
            throw Refusal(message: "the canonical output does not read back, so comments cannot be placed", location: Location(line: 1, column: 1))
        }
        let placed = try insert(into: output, layout: OutputLayout(readBack: tree))
        return (placed.text, placed.order, tree)
    }

    /// The same with the places of the output's nodes already known: `layout`, from the
    /// self-check's walk of the output. Also the place of every `#` written, in order.
    func insert(into output: [UInt8], layout: OutputLayout) throws(Refusal) -> (text: [UInt8], order: [String], marks: [Mark]) {
        var lines: [ArraySlice<UInt8>] = output.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        // libyaml ends a document whose last scalar keeps its final breaks (`|+`) with `...`:
        // comments at the end go before it, with the content they follow.
        let contentLines = lines.last.map { Array($0) == Array("...".utf8) } == true ? lines.count - 1 : lines.count
        // Arrays by place and by line, not dictionaries: each dictionary type a process first
        // meets costs a scan of the binary's conformance records (about 0.26 M instructions).
        var resolved = [OutputLayout.Handle?](repeating: nil, count: places.count)
        resolved[0] = layout.top
        // Many comments may share a target (a long run of comments closing one block): its
        // last line plus one, 0 until known.
        var lastLines = [Int](repeating: 0, count: places.count)
        // (gap: insertion before this 1-based line, group, depth order, source order, comment)
        var inserts: [(gap: Int, group: Int, rank: Int, source: Int, indent: Int)] = []
        var trailing = [Int](repeating: -1, count: lines.count + 2) // line -> comment index written at its end
        for (index, target) in targets.enumerated() {
            let place = places[Int(target.place)]
            switch target.slot {
            case .before, .lineEnd:
                let line = try outputLine(of: target.place, layout, &resolved, index)
                if target.slot == .lineEnd {
                    let earlier = line < trailing.count ? trailing[line] : -1
                    if earlier >= 0 {
                        // Two comments for one line end: the earlier goes on its own line above.
                        inserts.append((line, 1, 0, earlier, indentation(of: lines, line)))
                    }
                    if line < trailing.count { trailing[line] = index }
                } else {
                    inserts.append((target.place == 0 ? 1 : line, 1, 0, index, target.place == 0 ? 0 : indentation(of: lines, line)))
                }
            case .after:
                let node = try resolve(target.place, layout, &resolved, index)
                let last: Int
                if target.place == 0 {
                    last = contentLines
                } else if lastLines[Int(target.place)] > 0 {
                    last = lastLines[Int(target.place)] - 1
                } else {
                    last = try lastLine(of: target.place, layout, &resolved, index, lineCount: contentLines)
                    lastLines[Int(target.place)] = last + 1
                }
                let column = target.place == 0 ? 1 : max(Self.entryColumn(node, layout), 1)
                inserts.append((last + 1, 0, -Int(place.depth), index, column - 1))
            }
        }
        inserts.sort { ($0.gap, $0.group, $0.rank, $0.source) < ($1.gap, $1.group, $1.rank, $1.source) }
        var text: [UInt8] = []
        text.reserveCapacity(output.count + comments.reduce(0) { $0 + $1.text.utf8.count + 8 })
        var written: [String] = []
        var marks: [Mark] = []
        var next = 0
        var outputLine = 1
        let spaces = [UInt8](repeating: 0x20, count: inserts.map(\.indent).max() ?? 0)
        func flush(upTo gap: Int) {
            while next < inserts.count, inserts[next].gap <= gap {
                let item = inserts[next]
                text.append(contentsOf: spaces[..<item.indent])
                text.append(UInt8(ascii: "#"))
                text.append(contentsOf: comments[item.source].text.utf8)
                text.append(0x0A)
                written.append(comments[item.source].text)
                marks.append(Mark(line: outputLine, column: item.indent + 1))
                outputLine += 1
                next += 1
            }
        }
        for (offset, line) in lines.enumerated() {
            flush(upTo: offset + 1)
            text.append(contentsOf: line)
            if trailing[offset + 1] >= 0 {
                let index = trailing[offset + 1]
                // Columns count Unicode scalars, as libyaml's marks do.
                let scalars = line.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
                text.append(contentsOf: " #".utf8)
                text.append(contentsOf: comments[index].text.utf8)
                written.append(comments[index].text)
                marks.append(Mark(line: outputLine, column: scalars + 2))
            }
            text.append(0x0A)
            outputLine += 1
        }
        flush(upTo: .max)
        marks.sort()
        return (text, written, marks)
    }

    /// The output node at an input place (the place's own value; a key's is its value's).
    private func resolve(_ place: Int32, _ layout: OutputLayout, _ resolved: inout [OutputLayout.Handle?], _ comment: Int) throws(Refusal) -> OutputLayout.Handle {
        if let known = resolved[Int(place)] { return known }
        let info = places[Int(place)]
        let parent = try resolve(info.parent, layout, &resolved, comment)
        guard let component = info.component, let found = layout.child(parent, component) else { throw unplaced(comment) }
        if info.kind != .key { resolved[Int(place)] = found }
        return found
    }

    private func outputLine(of place: Int32, _ layout: OutputLayout, _ resolved: inout [OutputLayout.Handle?], _ comment: Int) throws(Refusal) -> Int {
        let info = places[Int(place)]
        if place == 0 { return 1 }
        if info.kind == .key, case .key(let key)? = info.component {
            let parent = try resolve(info.parent, layout, &resolved, comment)
            if let map = parent.node.objectValue, let position = map.position(of: key) {
                let location = layout.keyLocation(parent, position: position)
                if location.isKnown { return location.line }
            }
            if parent.location.isKnown { return parent.location.line }
            throw unplaced(comment)
        }
        let node = try resolve(place, layout, &resolved, comment)
        guard node.location.isKnown else { throw unplaced(comment) }
        return node.location.line
    }

    /// The last output line of the value at `place`: the line before its next sibling (or
    /// an ancestor's next sibling) starts, or the last line.
    private func lastLine(of place: Int32, _ layout: OutputLayout, _ resolved: inout [OutputLayout.Handle?], _ comment: Int, lineCount: Int) throws(Refusal) -> Int {
        var current = place
        while current > 0 {
            let info = places[Int(current)]
            let parent = try resolve(info.parent, layout, &resolved, comment)
            switch (info.component, parent.node.kind) {
            case (.key(let key)?, .object(let map)):
                if let at = map.position(of: key), at + 1 < map.count {
                    return layout.keyLocation(parent, position: at + 1).line - 1
                }
            case (.index(let index)?, .array(let items)):
                if index + 1 < items.count { return layout.itemLocation(parent, index: index + 1).line - 1 }
            default:
                break
            }
            current = info.parent
        }
        return lineCount
    }

    /// `entryColumn` of an output node, from the layout's places.
    private static func entryColumn(_ handle: OutputLayout.Handle, _ layout: OutputLayout) -> Int {
        switch handle.node.kind {
        case .object(let map):
            guard !map.isEmpty else { return handle.location.column }
            return layout.keyLocation(handle, position: 0).column
        case .array(let items):
            guard !items.isEmpty else { return handle.location.column }
            return max(layout.itemLocation(handle, index: 0).column - 2, 1)
        case .intrinsic(let function):
            guard let argument = layout.child(handle, .key(function.name.rawValue)) else { return 0 }
            return entryColumn(argument, layout)
        default:
            return 0
        }
    }

    private func indentation(of lines: [ArraySlice<UInt8>], _ line: Int) -> Int {
        guard line >= 1, line <= lines.count else { return 0 }
        return lines[line - 1].prefix { $0 == 0x20 }.count
    }

    private func unplaced(_ comment: Int) -> Refusal {
        Refusal(message: "the comment's key or item has no place in the canonical output", location: comments[comment].mark)
    }
}
