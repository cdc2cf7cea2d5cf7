import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Foundation
import Testing

/// A small valid catalog to break in one place per test.
let miniCatalog = """
catalog:
  version: "t1"
  effective: 2026-01-01
products:
  - id: C
    name: Contract
    kind: contract
    components:
      - {product: P, min: 1, max: 1}
  - id: P
    name: Play
    kind: play
    components:
      - {product: O, min: 1, max: 2}
  - id: O
    name: Offer
    kind: offer
    components:
      - {product: A, min: 0, max: 1}
  - id: A
    name: Atomic
    kind: atomicOffer
    sells: [F]
  - id: F
    name: Functional
    kind: functional
rules:
  - id: R1
    kind: exclusion
    first: A
    second: O
    message: no
"""

func problems(_ text: String) -> [CatalogProblem] {
    CatalogFiles.validate([CatalogFile(name: "cat.yaml", text: text)]).problems
}

@Suite("R-1.13 catalog files: import checks, export, diff, versions")
struct CatalogFilesTests {
    @Test("R-1.13: a valid catalog imports with no problem")
    func valid() {
        #expect(problems(miniCatalog).isEmpty)
    }

    /// One row per integrity check: the text to change, the expected code and the line reported.
    @Test("R-1.13: every integrity check reports its code with file and line", arguments: [
        ("    components:\n      - {product: P, min: 1, max: 1}", "    components:\n      - {product: NOPE, min: 1, max: 1}", CatalogProblem.Code.unknownReference, 9),
        ("      - {product: A, min: 0, max: 1}", "      - {product: A, min: 0, max: 1}\n  - id: X\n    name: X\n    kind: offer\n    components:\n      - {product: Y}\n  - id: Y\n    name: Y\n    kind: offer\n    components:\n      - {product: X}", .levelOrder, 24),
        ("      - {product: O, min: 1, max: 2}", "      - {product: O, min: 3, max: 2}", .minAboveMax, 14),
        ("  - id: P\n", "  - id: C\n", .duplicateID, 10),
        ("    first: A\n    second: O", "    first: A\n    second: C", .ruleNotApplicable, 31),
        ("    sells: [F]", "    sells: [F]\n    sellingPeriod: {start: 2026-05-01, end: 2026-04-01}", .invertedPeriod, 24),
        ("    sells: [F]", "    sells: [O]", .invalidSells, 23),
        ("    message: no", "    message: no\n    active: {start: 2026-05-01, end: 2026-04-01}", .invertedPeriod, 33),
        ("    kind: functional", "    kind: functional\n    colour: red", .unknownField, 27),
        ("      - {product: O, min: 1, max: 2}", "      - {product: O, min: one, max: 2}", .wrongType, 14),
        ("    name: Offer\n", "", .missingField, 15),
    ])
    func integrity(original: String, replacement: String, code: CatalogProblem.Code, line: Int) throws {
        #expect(miniCatalog.contains(original))
        let found = problems(miniCatalog.replacingOccurrences(of: original, with: replacement))
        let match = try #require(found.first { $0.code == code }, "expected \(code), got \(found.map(\.description))")
        #expect(match.file == "cat.yaml")
        #expect(match.line == line, "\(match)")
    }

    /// commitments, R-1.8 billing definitions and prices, R-1.1 attribute definitions.
    @Test("R-1.7, R-1.8: commitment, billing, price and attribute definitions are checked", arguments: [
        ("    sells: [F]", "    sells: [F]\n    billing:\n      accountSelectable: true\n      splitBilling: false\n      rows:\n        - {sequence: 1, purpose: a}\n        - {sequence: 2, purpose: b}", CatalogProblem.Code.invalidBilling, 27),
        ("    sells: [F]", "    sells: [F]\n    billing:\n      accountSelectable: true\n      splitBilling: true\n      rows:\n        - {sequence: 1, purpose: a, primary: true}\n        - {sequence: 2, purpose: b, primary: true}", .invalidBilling, 27),
        ("    sells: [F]", "    sells: [F]\n    prices:\n      - {type: recurring, amount: -5, currency: EUR}", .invalidPrice, 25),
        ("    sells: [F]", "    sells: [F]\n    prices:\n      - {type: oneTime, amount: 5, currency: euro}", .invalidPrice, 25),
        ("    kind: functional", "    kind: commitment", .invalidCommitment, 26),
        ("    kind: functional", "    kind: commitment\n    commitment: {duration: 0, unit: months, penalty: {amount: 10, currency: EUR}}", .invalidCommitment, 27),
        ("    kind: functional", "    kind: commitment\n    commitment: {duration: 12, unit: months}", .invalidCommitment, 27),
        ("    sells: [F]", "    sells: [F]\n    attributes:\n      - {name: speed, type: enum}", .invalidAttribute, 25),
        ("    sells: [F]", "    sells: [F]\n    attributes:\n      - {name: speed, type: number, default: fast}", .invalidAttribute, 25),
    ])
    func definitions(original: String, replacement: String, code: CatalogProblem.Code, line: Int) throws {
        let found = problems(miniCatalog.replacingOccurrences(of: original, with: replacement))
        let match = try #require(found.first { $0.code == code }, "expected \(code), got \(found.map(\.description))")
        #expect(match.line == line, "\(match)")
    }

    @Test("R-1.13: a problem prints as file:line: message, the form editors and CI logs read")
    func problemFormat() throws {
        let problem = try #require(problems(miniCatalog.replacingOccurrences(of: "product: O, min: 1", with: "product: Q, min: 1")).first)
        #expect(problem.description.hasPrefix("cat.yaml:14: "))
        #expect(problem.description.contains("unknown-reference"))
    }

    @Test("R-1.2: a cycle in a bundle tree is found and named")
    func cycle() throws {
        let text = miniCatalog.replacingOccurrences(of: "    kind: atomicOffer\n", with: "    kind: atomicOffer\n")
            .replacingOccurrences(of: "      - {product: A, min: 0, max: 1}", with: "      - {product: A, min: 0, max: 1}\n      - {product: O2, min: 0, max: 1}")
            + "\n  - id: O2\n    name: O2\n    kind: offer\n    components:\n      - {product: O}\n"
        // Offers cannot hold offers (level order), but the cycle O → O2 → O is reported as a cycle too.
        let rulesMoved = text.replacingOccurrences(of: "rules:\n  - id: R1\n    kind: exclusion\n    first: A\n    second: O\n    message: no\n", with: "") + "rules: []\n"
        let found = problems(rulesMoved)
        let cycle = try #require(found.first { $0.code == .bundleCycle })
        #expect(cycle.message.contains("O → O2 → O") || cycle.message.contains("O2 → O → O2"))
        #expect(cycle.line != nil)
    }

    @Test("R-1.13: YAML syntax errors give the line")
    func syntax() throws {
        let found = problems("catalog:\n  version: [unclosed\n  effective: 2026-01-01\n")
        let problem = try #require(found.first)
        #expect(problem.code == .syntax)
        #expect(problem.line != nil)
    }

    @Test("R-1.13: export writes files that re-import unchanged and re-export identically")
    func roundTrip() throws {
        let original = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        let exported = try CatalogFiles.render(original)
        let reread = CatalogFiles.validate(exported)
        #expect(reread.problems.isEmpty)
        #expect(reread.catalog == original)
        #expect(try CatalogFiles.render(try #require(reread.catalog)) == exported)
        // Text that plain YAML would read as a number stays text for any YAML tool.
        #expect(exported[0].text.contains("version: \"2026.1\""))
        #expect(exported[1].text.contains("default: \"500\""))
        #expect(exported[1].text.contains("sellingPeriod: {start: 2020-01-01}"))
    }

    @Test("R-1.13: diff names what was added, removed and changed")
    func diff() throws {
        let a = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        var b = a
        b.header.version = "2026.2"
        b.products.removeAll { $0.id == "KIDS-PACK" }
        b.products[b.products.firstIndex { $0.id == "TV-FLEX-OFFER" }!].components.removeAll { $0.product == "KIDS-PACK" }
        b.products[b.products.firstIndex { $0.id == "FIBER-500" }!].prices[1].amount = 34.9
        b.products.append(Product(id: "FIBER-2000", name: "Fibre 2000", kind: .atomicOffer))
        b.rules[0].severity = .warning
        let diff = CatalogDiff(from: a, to: b)
        let lines = Set(diff.entries.map(\.description))
        #expect(lines == ["- product KIDS-PACK", "~ product TV-FLEX-OFFER (components[KIDS-PACK])", "~ product FIBER-500 (prices)",
                          "+ product FIBER-2000", "~ rule BOC-FIBER-MODEM (severity)"])
        #expect(CatalogDiff(from: a, to: a).isEmpty)
        var c = a
        c.migrations[0].target = "SUPPORT-8-5"
        c.migrations.removeLast()
        #expect(Set(CatalogDiff(from: a, to: c).entries.map(\.description)) == ["~ migration SUPPORT-UPGRADE (target)", "- migration TV-PACK-TO-SPORTS"])
    }

    /// A second file for `miniCatalog`: one more atomic offer and migration actions, valid as given.
    static let migrationsFile = """
    products:
      - id: B
        name: Other atomic
        kind: atomicOffer
        sells: [F, G]
      - id: G
        name: Other functional
        kind: functional
      - id: O2
        name: Other offer
        kind: offer
        components:
          - {product: B, min: 0, max: 1}
    migrations:
      - id: M1
        name: A to B
        kind: transformation
        source: A
        target: B
        eligibility: {customerKinds: [person], roles: [agent]}
      - id: M2
        name: Move the offer
        kind: reparenting
        source: O
        target: O
        script: [M3, M4]
      - id: M3
        name: A to B inside M2
        kind: transformation
        visibility: private
        source: A
        target: B
      - id: M4
        name: Inner move
        kind: reparenting
        visibility: private
        source: O
        target: O
    """

    func migrationProblems(_ text: String) -> [CatalogProblem] {
        CatalogFiles.validate([CatalogFile(name: "cat.yaml", text: miniCatalog), CatalogFile(name: "mig.yaml", text: text)]).problems
    }

    @Test("R-1.6: migration actions are read with their script, eligibility and active period, and export re-imports them unchanged")
    func migrationActions() throws {
        let validation = CatalogFiles.validate([CatalogFile(name: "cat.yaml", text: miniCatalog), CatalogFile(name: "mig.yaml", text: Self.migrationsFile)])
        #expect(validation.problems.isEmpty, "\(validation.problems)")
        let catalog = try #require(validation.catalog)
        #expect(catalog.migrations.map(\.id) == ["M1", "M2", "M3", "M4"])
        #expect(catalog.migrations[1].script == ["M3", "M4"] && catalog.migrations[1].kind == .reparenting)
        #expect(catalog.migrations[2].visibility == .private && catalog.migrations[0].visibility == .public)
        #expect(catalog.migrations[0].eligibility == MigrationAction.Eligibility(customerKinds: ["person"], roles: ["agent"]))
        let exported = try CatalogFiles.render(catalog)
        #expect(exported.map(\.name) == ["catalog.yaml", "products.yaml", "rules.yaml", "migrations.yaml"])
        let reread = try #require(CatalogFiles.validate(exported).catalog)
        #expect(reread == catalog)
        #expect(try CatalogFiles.render(reread) == exported)
        // Stored catalogs from before migration actions decode with none.
        var json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(catalog)) as! [String: Any]
        json.removeValue(forKey: "migrations")
        #expect(try JSONDecoder().decode(Catalog.self, from: try JSONSerialization.data(withJSONObject: json)).migrations.isEmpty)
    }

    @Test("R-1.13, hostile input: a catalog file that is not UTF-8 is refused with the line of the first bad byte, never read with replacements")
    func invalidUTF8() throws {
        var bytes = Array("catalog:\n  version: \"t1\"\nproducts:\n  - id: X".utf8)
        bytes += [0xE2, 0x28, 0xA1]
        bytes += Array("\n    kind: contract\n".utf8)
        #expect(throws: CatalogProblem(.encoding, "the file is not valid UTF-8 (line 4 holds bytes that are not UTF-8)", path: "", file: "bad.yaml", line: 4)) {
            try CatalogFile(name: "bad.yaml", bytes: bytes)
        }
        #expect(try CatalogFile(name: "good.yaml", bytes: Array("products: [] # é\n".utf8)).text == "products: [] # é\n")
    }

    @Test("R-1.13: the catalog as one YAML document (the API's YAML export) reads back to the same catalog")
    func oneDocument() throws {
        let catalog = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        let one = try CatalogFiles.renderOne(catalog)
        #expect(!one.text.contains("\n---"))
        #expect(CatalogFiles.validate([one]).catalog == catalog)
    }

    /// One row integrity check: the text to change, the code, and the line (of `marker`) reported.
    @Test("R-1.6: every migration-action integrity check reports its code with file and line", arguments: [
        ("    source: A\n    target: B\n    eligibility", "    source: NOPE\n    target: B\n    eligibility", CatalogProblem.Code.unknownReference, "source: NOPE"),
        ("    source: A\n    target: B\n    eligibility", "    source: A\n    target: F\n    eligibility", .invalidMigration, "target: F"),
        ("    kind: reparenting\n    source: O\n    target: O\n    script", "    kind: reparenting\n    source: O\n    target: P\n    script", .invalidMigration, "target: P"),
        ("    target: B\n    eligibility", "    target: B\n    script: [M3]\n    eligibility", .invalidMigration, "script: [M3]"),
        ("    script: [M3, M4]", "    script: [M3, M4, M1]", .invalidMigration, "script: [M3, M4, M1]"),
        ("    script: [M3, M4]", "    script: [M3, M5]", .unknownReference, "script: [M3, M5]"),
        ("    visibility: private\n    source: O\n    target: O", "    visibility: private\n    source: O\n    target: O\n    script: [M2]", .invalidMigration, "script: [M2]"),
        ("    sells: [F, G]", "    sells: [G]", .invalidMigration, "  - id: M1"),
        ("    name: A to B\n", "    name: A to B\n    active: {start: 2026-05-01, end: 2026-04-01}\n", .invertedPeriod, "active: {start"),
        ("roles: [agent]", "roles: [wizard]", .invalidValue, "eligibility: {"),
        ("  - id: M4", "  - id: M3", .duplicateID, "  - id: M3\n    name: Inner"),
        // Issue 11 item 15: a transformation into a product that sits under no parent at the source's parents' level.
        ("    kind: offer\n    components:\n      - {product: B, min: 0, max: 1}\n", "    kind: offer\n", .invalidMigration, "target: B\n    eligibility"),
    ])
    func migrationIntegrity(original: String, replacement: String, code: CatalogProblem.Code, marker: String) throws {
        #expect(Self.migrationsFile.contains(original))
        let text = Self.migrationsFile.replacingOccurrences(of: original, with: replacement)
        let found = migrationProblems(text)
        let match = try #require(found.first { $0.code == code }, "expected \(code), got \(found.map(\.description))")
        #expect(match.file == "mig.yaml")
        let before = try #require(text.range(of: marker), "marker \(marker)")
        #expect(match.line == text[..<before.lowerBound].filter { $0 == "\n" }.count + 1, "\(match)")
    }

    @Test("R-6.1, R-1.5: migrations are offered when public, active today and eligible; not for new components or suspended contracts")
    func migrationOptions() throws {
        let jane = try #require(DemoInstalledBase.contracts.first { $0.id == "IC-JANE-1" })
        let newContract = ConfigurationDocument.Contract(customer: "CUST-ACME", root: .init(id: "N1", product: "MOBILE-CONTRACT"))
        func options(_ installed: InstalledContract = jane, catalog: CatalogIndex = demoIndex, on day: Day = today,
                     kind: String? = "person", role: String? = "agent") throws -> [String: PossibleMigration] {
            let configuration = try Configuration(document: ConfigurationDocument(productSellingDate: today, contracts: [installed.configuration, newContract]),
                                                  catalog: catalog, today: today)
            let found = PossibleMigration.options(for: "IC-JANE-1.1", in: configuration.report(), catalog: catalog, today: day,
                                                      facts: EligibilityFacts(customerKind: kind, user: role.map { User(id: "u", name: "U", role: Role(rawValue: $0)!) }))
            return Dictionary(uniqueKeysWithValues: found.map { ($0.action, $0) })
        }
        let move = try #require(try options()["MOBILE-LINE-MOVE"])
        #expect(move.kind == .reparenting && move.inSession.map(\.parent) == ["N1"] && move.newContracts == ["MOBILE-CONTRACT"])
        #expect(try options(role: nil)["MOBILE-LINE-MOVE"] == nil) // eligibility names roles
        var catalog = demoIndex.catalog
        catalog.migrations[catalog.migrations.firstIndex { $0.id == "MOBILE-LINE-MOVE" }!].activePeriod = Period(start: Day("2027-01-01"))
        #expect(try options(catalog: CatalogIndex(catalog))["MOBILE-LINE-MOVE"] == nil) // not active today
        #expect(try options(catalog: CatalogIndex(catalog), on: Day("2027-02-01")!)["MOBILE-LINE-MOVE"] != nil)
        catalog.migrations[catalog.migrations.firstIndex { $0.id == "MOBILE-LINE-MOVE" }!].visibility = .private
        #expect(try options(catalog: CatalogIndex(catalog), on: Day("2027-02-01")!).isEmpty) // private: only inside scripts
        var suspended = jane
        suspended.root.status = .suspended
        #expect(try options(suspended).isEmpty)
    }

    @Test("R-1.6: a migration action that nests itself through scripts is found, with the cycle")
    func migrationCycle() throws {
        let text = Self.migrationsFile.replacingOccurrences(of: "    visibility: private\n    source: O\n    target: O",
                                                            with: "    visibility: private\n    source: O\n    target: O\n    script: [M5]")
            + "\n  - {id: M5, name: back, kind: reparenting, visibility: private, source: O, target: O, script: [M4]}\n"
        let cycle = try #require(migrationProblems(text).first { $0.code == .migrationCycle })
        #expect(cycle.message.contains("M4 → M5 → M4"))
        // A functional component the target does not sell is fine once the action says how it is replaced.
        let replaced = Self.migrationsFile.replacingOccurrences(of: "    sells: [F, G]", with: "    sells: [G]")
            .replacingOccurrences(of: "    eligibility: {customerKinds: [person], roles: [agent]}",
                                  with: "    eligibility: {customerKinds: [person], roles: [agent]}\n    functional:\n      - {source: F, target: G}")
        #expect(migrationProblems(replaced).filter { $0.message.contains("M1") }.isEmpty, "\(migrationProblems(replaced))")
    }

    @Test("R-1.13: the version active on a date is the latest activated one effective by then")
    func activeVersion() {
        let v1 = CatalogVersionSummary(version: "1", effectiveFrom: Day("2026-01-01")!, status: .active, activationSequence: 1)
        let v2 = CatalogVersionSummary(version: "2", effectiveFrom: Day("2026-07-01")!, status: .active, activationSequence: 2)
        let v3 = CatalogVersionSummary(version: "3", effectiveFrom: Day("2026-03-01")!, status: .validated)
        let v4 = CatalogVersionSummary(version: "4", effectiveFrom: Day("2026-07-01")!, status: .active, activationSequence: 3)
        let all = [v1, v2, v3, v4]
        #expect(CatalogVersions.active(on: Day("2025-12-31")!, among: all) == nil)
        #expect(CatalogVersions.active(on: Day("2026-01-01")!, among: all)?.version == "1")
        #expect(CatalogVersions.active(on: Day("2026-04-01")!, among: all)?.version == "1") // 3 is not activated
        #expect(CatalogVersions.active(on: Day("2026-07-01")!, among: all)?.version == "4") // same day, activated later
    }

    @Test("R-11.1: selling status of a period against a date", arguments: [
        (nil, nil, "2026-05-01", SellingStatus.current),
        ("2026-06-01", nil, "2026-05-31", .future),
        ("2026-06-01", nil, "2026-06-01", .current),
        ("2026-01-01", "2026-03-31", "2026-03-31", .current),
        ("2026-01-01", "2026-03-31", "2026-04-01", .past),
        ("2026-01-01", "2026-03-31", "2025-12-31", .future),
    ] as [(String?, String?, String, SellingStatus)])
    func sellingStatus(start: String?, end: String?, day: String, expected: SellingStatus) {
        let period = (start == nil && end == nil) ? nil : Period(start: start.flatMap(Day.init), end: end.flatMap(Day.init))
        #expect(SellingStatus.of(period, on: Day(day)!) == expected)
    }

    @Test("Day parses, prints and rejects impossible dates")
    func days() {
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("2025-02-29") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day("2026-11-22")!.adding(days: 10).description == "2026-12-02")
    }
}
