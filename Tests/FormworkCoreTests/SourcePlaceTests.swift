import Foundation
@testable import FormworkCore
import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkRDS
import FormworkSNS
import FormworkTemplate
import Testing

/// Findings about a property land on the Swift expression that set it; about a resource, on
/// its `add` call; made by a helper, on the helper's caller.
@Suite struct SourcePlaceTests {
    /// The line and column of `text` in this file (written once in it), as swiftc counts them.
    static func place(of text: String, file: String = #filePath) throws -> (line: Int, column: Int) {
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        let hits = lines.enumerated().filter { $0.element.contains(text) && !$0.element.contains("place(of:") }
        try #require(hits.count == 1, "'\(text)' is written \(hits.count) times in \(file)")
        let line = hits[0]
        return (line.offset + 1, line.element.utf8.distance(from: line.element.startIndex, to: line.element.range(of: text)!.lowerBound) + 1)
    }

    static func errors(_ stack: Stack) -> [Diagnostic] {
        do {
            _ = try stack.compile()
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func at(_ diagnostics: [Diagnostic], _ property: String) -> (line: Int, column: Int)? {
        diagnostics.first { $0.path.last == .key(property) }.map { ($0.location.line, $0.location.column) }
    }

    @Test func aPropertyInTheTrailingClosureIsFoundAtItsAssignment() throws {
        let stack = Stack()
        stack.add("Database", RDS.DBInstance {
            $0.dbInstanceClass = "db.r6g.large"
            $0.backupRetentionPeriod = 41
        })
        let found = try #require(Self.at(Self.errors(stack), "BackupRetentionPeriod"))
        let expected = try Self.place(of: "backupRetentionPeriod = 41")
        #expect(found == expected)
    }

    @Test func anInitializerArgumentIsFoundAtItsLabel() throws {
        let stack = Stack()
        let long = String(repeating: "x", count: 300)
        stack.add("Group", EC2.SecurityGroup(groupDescription: .literal(long)) { $0.groupName = "group" })
        let found = try #require(Self.at(Self.errors(stack), "GroupDescription"))
        #expect(found == (try Self.place(of: "groupDescription: .literal(long)")))
    }

    @Test func anAssignmentOnAValueDeclaredBeforeTheCallIsFound() throws {
        let stack = Stack()
        var database = RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large" }
        database.backupRetentionPeriod = 42
        stack.add("Database", database)
        let found = try #require(Self.at(Self.errors(stack), "BackupRetentionPeriod"))
        #expect(found == (try Self.place(of: "backupRetentionPeriod = 42")))
    }

    @Test func aNestedPropertyIsFoundInItsListItem() throws {
        let stack = Stack()
        stack.add("Group", EC2.SecurityGroup(groupDescription: "web") {
            $0.securityGroupIngress = [
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp") { $0.fromPort = -3 },
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp") { $0.fromPort = -2 },
            ]
        })
        let diagnostics = Self.errors(stack)
        let second = try #require(diagnostics.first { $0.path.contains(.index(1)) && $0.path.last == .key("FromPort") })
        #expect((second.location.line, second.location.column) == (try Self.place(of: "fromPort = -2")))
        let first = try #require(diagnostics.first { $0.path.contains(.index(0)) && $0.path.last == .key("FromPort") })
        #expect((first.location.line, first.location.column) == (try Self.place(of: "fromPort = -3")))
    }

    @Test func aNestedObjectHeldInAVariableIsFound() throws {
        let stack = Stack()
        let dimension = CloudWatch.Alarm.Dimension(name: .literal(String(repeating: "n", count: 300)), value: "x")
        stack.add("Alarm", CloudWatch.Alarm {
            $0.comparisonOperator = .greaterThanThreshold
            $0.evaluationPeriods = 1
            $0.dimensions = [dimension]
        })
        let found = try #require(Self.at(Self.errors(stack), "Name"))
        #expect(found == (try Self.place(of: "name: .literal(String(repeating: \"n\"")))
    }

    @Test func aResourceAttributeIsFoundAtItsArgument() throws {
        let stack = Stack()
        stack.add("Database", RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large"; $0.engine = "postgres" },
                  deletionPolicy: .retain)
        do {
            _ = try stack.compile(profile: .ephemeral)
            Issue.record("a retained database compiled")
        } catch {
            let retain = try #require(error.diagnostics.first { $0.ruleID == "LC-01" })
            #expect((retain.location.line, retain.location.column) == (try Self.place(of: "deletionPolicy: .retain)")))
            #expect(retain.file == "Tests/FormworkCoreTests/SourcePlaceTests.swift")
        }
    }

    /// The pattern docs/swift-diagnostics.md documents: a helper forwards its caller's place.
    func addDatabase(_ id: String, to stack: Stack, retention: Value<Int>,
                     file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        stack.add(id, RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large"; $0.backupRetentionPeriod = retention },
                  at: CallSite(file: file, line: line, column: column))
    }

    @Test func aHelperCalledTwiceReportsAtBothCallers() throws {
        let stack = Stack()
        addDatabase("First", to: stack, retention: 50)
        addDatabase("Second", to: stack, retention: 60)
        let diagnostics = Self.errors(stack).filter { $0.ruleID == "CP-04" }
        #expect(diagnostics.count == 2)
        let first = try #require(diagnostics.first { $0.path[1] == .key("First") })
        let second = try #require(diagnostics.first { $0.path[1] == .key("Second") })
        // Each at its caller's call (the helper's parenthesis, as `#column` records it).
        #expect((first.location.line, first.location.column) == (try Self.place(of: "(\"First\", to: stack")))
        #expect((second.location.line, second.location.column) == (try Self.place(of: "(\"Second\", to: stack")))
    }

    /// The scan's cost (docs/swift-diagnostics.md records it): 300 findings placed with the
    /// scan of this file, against the same 300 at an unreadable call site.
    @Test func theScanCostIsSmall() throws {
        func compile(scanned: Bool) -> (Duration, [Diagnostic]) {
            let stack = Stack()
            for index in 0..<300 {
                let site = scanned ? nil : CallSite(file: "/nonexistent/Infra.swift", line: 1, column: 1)
                let database = RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large"; $0.backupRetentionPeriod = 44 }
                if let site { stack.add("Database\(index)", database, at: site) } else { stack.add("Database\(index)", database) }
            }
            var found: [Diagnostic] = []
            let time = ContinuousClock().measure { found = Self.errors(stack) }
            return (time, found)
        }
        let (plain, unplaced) = compile(scanned: false)
        let (scanned, placed) = compile(scanned: true)
        #expect(unplaced.count == 300 && placed.count == 300)
        #expect(placed.allSatisfy { $0.location.line != unplaced[0].location.line })
        print("compile with 300 findings: \(plain) at the call site, \(scanned) placed by the scan")
    }

    @Test func anUnreadableSourceKeepsTheCallSite() throws {
        let stack = Stack()
        let site = CallSite(file: "/nonexistent/Infra.swift", line: 12, column: 18)
        stack.add("Database", RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large"; $0.backupRetentionPeriod = 43 }, at: site)
        let found = try #require(Self.at(Self.errors(stack), "BackupRetentionPeriod"))
        #expect(found == (12, 18))
    }

    @Test func theScanSkipsStringsCommentsAndInterpolations() {
        let source = """
            stack.add("Topic", SNS.Topic { // $0.topicName = "comment"
                $0.displayName = "a \\("nested \\(1)") $0.topicName = x"
                /* $0.topicName = 1 */ $0.topicName = #"raw "$0.topicName = y""#
            })
            """
        let scan = SwiftSourceScan(source: source)
        let place = scan.place(below: [.key("Properties"), .key("TopicName")], callAt: CallSite(file: "x", line: 1, column: 10))
        #expect(place?.line == 3)
        #expect(place?.column == 31)
    }

    /// The scan compares names with case, `_` and backticks ignored; every generated property
    /// must match its registry name that way (read from the generated models' accessors).
    @Test func everyGeneratedPropertyNameMatchesItsRegistryName() throws {
        let models = Support.root + "/Sources/Models"
        let files = try #require(FileManager.default.enumerator(atPath: models)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") })
        let accessor = /public var (`?[A-Za-z0-9_]+`?): [^{\n]+\{ get \{ storage\.[a-zA-Z]+\("([^"]+)"\)/
        var checked = 0
        for file in files {
            let text = try String(contentsOfFile: models + "/" + file, encoding: .utf8)
            for match in text.matches(of: accessor) {
                checked += 1
                let swift = String(match.1).replacingOccurrences(of: "`", with: "")
                #expect(SwiftSourceScan.normalized(swift) == SwiftSourceScan.normalized(String(match.2)), "\(file): \(swift) for \(match.2)")
            }
        }
        #expect(checked > 10_000)
    }
}
