import ConvergentCatalogFiles
import ConvergentDemo
@testable import ConvergentDomain
import Foundation
import Testing

let demoIndex = CatalogIndex(CatalogFiles.validate(DemoCatalog.files).catalog!)
let today = Day("2026-11-22")!

typealias Doc = ConfigurationDocument
typealias Comp = ConfigurationDocument.Component

func contract(_ customer: String, _ id: String, _ product: ProductID, installed: InstalledStatus? = nil, _ children: [Comp] = []) -> Doc.Contract {
    Doc.Contract(customer: customer, root: Comp(id: id, product: product, installedStatus: installed, components: children))
}

func comp(_ id: String, _ product: ProductID, installed: InstalledStatus? = nil, attributes: [String: String]? = nil, _ children: [Comp] = []) -> Comp {
    Comp(id: id, product: product, installedStatus: installed, attributes: attributes, components: children.isEmpty ? nil : children)
}

/// An installed home contract of Jane's with Fibre 500 (and its network access).
func installedHome(_ id: String = "h1", customer: String = "CUST-JANE", status: InstalledStatus = .active) -> Doc.Contract {
    contract(customer, id, "HOME-CONTRACT", installed: status, [
        comp("\(id)-bb", "BB-PLAY", installed: status, [
            comp("\(id)-inet", "INTERNET-OFFER", installed: status, [
                comp("\(id)-f500", "FIBER-500", installed: status, attributes: ["installation": "self"], [
                    comp("\(id)-net", "NET-ACCESS", installed: status),
                ]),
            ]),
        ]),
    ])
}

func configuration(_ contracts: [Doc.Contract], date: Day = today, links: [Doc.Link]? = nil, catalog: CatalogIndex = demoIndex) throws -> Configuration {
    try Configuration(document: Doc(productSellingDate: date, contracts: contracts, links: links), catalog: catalog, today: today)
}

extension Configuration {
    var messages: [VerificationMessage] {
        let r = report()
        return r.contractMessages + r.elements.flatMap { $0.errors + $0.warnings }
    }
    func rules(_ severity: Severity? = nil) -> Set<String> {
        Set(messages.filter { severity == nil || $0.severity == severity }.map(\.rule))
    }
    func keys(of product: ProductID) -> [String] {
        allInstances.filter { $0.productID == product && !$0.deleted }.map(\.key)
    }
    func applied(_ outcome: OperationOutcome) throws -> [String] {
        guard case let .applied(created, _) = outcome else { throw ConfigurationError(.invalidPlacement, "expected applied, got \(outcome)") }
        return created
    }
}

@Suite("R-4 configuration engine")
struct ConfigurationTests {
    @Test("R-4.2: adding a component selects its missing ancestors and the functional components it sells")
    func addSelectsAncestors() throws {
        var config = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT")])
        #expect(config.status == .invalid) // a home contract needs its broadband play
        let created = try config.applied(config.add("FIBER-500", toContract: "c1"))
        let products = created.compactMap { config.instance(key: $0)?.productID }
        #expect(Set(products) == ["BB-PLAY", "INTERNET-OFFER", "FIBER-500", "NET-ACCESS", "MODEM-RENTAL", "HOME-GATEWAY"])
        let fibre = try #require(config.instance(key: config.keys(of: "FIBER-500")[0]))
        #expect(config.instance(fibre.parent!)?.productID == "INTERNET-OFFER")
        #expect(fibre.attributes["installation"] == "technician") // default
        #expect(config.status == .valid)
    }

    @Test("R-1.4 brings on creation: adding A adds B; with several possible places the answer is a question")
    func bringsOnCreationAsksWhenAmbiguous() throws {
        var config = try configuration([contract("CUST-JANE", "m1", "MOBILE-CONTRACT", [
            comp("line1", "MOBILE-PLAY", [comp("line1-o", "MOBILE-LINE-OFFER", [comp("line1-v", "MOBILE-VOICE-DATA", attributes: ["msisdn": "+32470000001"])])]),
            comp("line2", "MOBILE-PLAY", [comp("line2-o", "MOBILE-LINE-OFFER", [comp("line2-v", "MOBILE-VOICE-DATA", attributes: ["msisdn": "+32470000002"])])]),
        ])])
        #expect(config.status == .valid)
        let before = config.instanceCount
        guard case let .question(question) = try config.add("FAMILY-SHARED-DATA", toContract: "m1") else {
            Issue.record("expected a question")
            return
        }
        #expect(question.rule == "BOC-FAMILY-DATASIM")
        #expect(question.product == "DATA-SIM")
        #expect(Set(question.candidates.map(\.instance)) == ["line1-o", "line2-o"])
        #expect(config.instanceCount == before) // nothing was added while asking
        _ = try config.applied(config.add("FAMILY-SHARED-DATA", toContract: "m1", placements: ["DATA-SIM": "line2-o"]))
        let sim = try #require(config.instance(key: config.keys(of: "DATA-SIM")[0]))
        #expect(config.instance(sim.parent!)?.key == "line2-o")
        #expect(config.keys(of: "FAMILY-SHARED-DATA").count == 1)
    }

    @Test("R-1.4 brings and removes: removing A removes the B it brought; brings on creation leaves B")
    func bringsAndRemoves() throws {
        var config = try configuration([installedHome()])
        _ = try config.applied(config.add("TV-BASIC-PACK", toContract: "h1"))
        #expect(config.keys(of: "STB-HD").count == 1)
        let pack = config.keys(of: "TV-BASIC-PACK")[0]
        _ = try config.remove(pack)
        #expect(config.keys(of: "STB-HD").isEmpty)

        var home = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT")])
        _ = try home.applied(home.add("FIBER-500", toContract: "c1"))
        _ = try home.remove(home.keys(of: "FIBER-500")[0])
        #expect(home.keys(of: "MODEM-RENTAL").count == 1) // brings on creation does not remove
    }

    @Test("R-1.4 brings and removes: what was brought is remembered across save and reload of the document")
    func bringsAndRemovesSurvivesDocument() throws {
        var config = try configuration([installedHome()])
        _ = try config.applied(config.add("TV-BASIC-PACK", toContract: "h1"))
        let document = config.document()
        var reloaded = try Configuration(document: document, catalog: demoIndex, today: today)
        #expect(reloaded.keys(of: "STB-HD").count == 1)
        _ = try reloaded.remove(reloaded.keys(of: "TV-BASIC-PACK")[0])
        #expect(reloaded.keys(of: "STB-HD").isEmpty)
    }

    @Test("R-1.4 commercial prerequisite: B without A is an error until A is added")
    func prerequisite() throws {
        var config = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT")])
        _ = try config.applied(config.add("STATIC-IP", toContract: "c1", placements: [:]))
        #expect(config.rules(.error).contains("PRQ-STATICIP-FIBER"))
        let message = try #require(config.messages.first { $0.rule == "PRQ-STATICIP-FIBER" })
        #expect(message.product == "STATIC-IP")
        #expect(message.message == "A static IP address needs a Fibre 500 connection in the same contract.")
        _ = try config.applied(config.add("FIBER-500", toContract: "c1"))
        #expect(!config.rules().contains("PRQ-STATICIP-FIBER"))
        #expect(config.status == .valid)
    }

    @Test("R-1.4 exclusion: A and B in one contract is reported with the rule's severity")
    func exclusion() throws {
        var dsl = installedHome()
        dsl.root.components![0].components![0].components![0].product = "DSL-20"
        dsl.root.components![0].components![0].components![0].attributes = nil
        var config = try configuration([dsl])
        #expect(config.status == .valid)
        _ = try config.applied(config.add("FIBER-500", toContract: "h1"))
        let message = try #require(config.messages.first { $0.rule == "EXC-FIBER-DSL" })
        #expect(message.severity == .error)
        #expect(config.status == .invalid)
    }

    @Test("R-4.4: installed products count as active in these statuses only", arguments: InstalledStatus.allCases)
    func installedStatusesCount(status: InstalledStatus) throws {
        var dsl = installedHome(status: status)
        dsl.root.installedStatus = .active
        dsl.root.components![0].components![0].components![0].product = "DSL-20"
        dsl.root.components![0].components![0].components![0].attributes = nil
        var config = try configuration([dsl])
        _ = try config.applied(config.add("FIBER-500", toContract: "h1", under: "h1-inet"))
        let counts = [.active, .pendingActivation, .suspended, .pendingSuspension, .pendingResumption].contains(status)
        #expect(config.rules().contains("EXC-FIBER-DSL") == counts)
    }

    @Test("R-1.2 cardinality: package component min and max, and cardinality rules per contract")
    func cardinality() throws {
        let config = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT", [comp("p1", "BB-PLAY"), comp("p2", "BB-PLAY")])])
        #expect(config.rules(.error).contains("cardinality:HOME-CONTRACT/BB-PLAY"))
        #expect(config.rules(.error).contains("cardinality:BB-PLAY/INTERNET-OFFER")) // each play lacks its offer

        var tv = try configuration([installedHome()])
        _ = try tv.applied(tv.add("TV-BASIC-PACK", toContract: "h1"))
        let offer = tv.instance(key: tv.keys(of: "STB-HD")[0])!.parent!
        _ = try tv.applied(tv.add("STB-HD", toContract: "h1", under: tv.instance(offer)!.key))
        #expect(!tv.rules().contains("CARD-STB"))
        _ = try tv.applied(tv.add("STB-HD", toContract: "h1", under: tv.instance(offer)!.key))
        #expect(tv.rules(.error).contains("CARD-STB")) // three boxes: membership allows 3, the rule 2

        // A cardinality rule with a minimum applies even when the product is absent.
        let mobile = try configuration([contract("CUST-JANE", "m1", "MOBILE-CONTRACT", [comp("l1", "MOBILE-PLAY", [comp("o1", "MOBILE-LINE-OFFER")])])])
        #expect(mobile.rules(.error).contains("CARD-MOBILE-VOICE"))
    }

    @Test("R-1.4 relies on: links within the scope, across contracts and customers")
    func reliesOn() throws {
        // Shared scope: Jane's data boost relies on the family pool of another customer's contract.
        var config = try configuration([
            contract("CUST-ACME", "fam", "MOBILE-CONTRACT", installed: .active, [
                comp("fam-l1", "MOBILE-PLAY", installed: .active, [comp("fam-o", "MOBILE-LINE-OFFER", installed: .active, [
                    comp("fam-v", "MOBILE-VOICE-DATA", installed: .active, attributes: ["msisdn": "+3247"], [comp("fam-ml", "MOBILE-LINE", installed: .active)]),
                ])]),
                comp("fam-x", "FAMILY-PLAY", installed: .active, [comp("fam-xo", "FAMILY-OFFER", installed: .active, [
                    comp("fam-sd", "FAMILY-SHARED-DATA", installed: .active, [comp("fam-pool", "SHARED-DATA-POOL", installed: .active)]),
                ])]),
            ]),
            contract("CUST-JANE", "jm", "MOBILE-CONTRACT", [comp("jl", "MOBILE-PLAY", [comp("jo", "MOBILE-LINE-OFFER", [comp("jv", "MOBILE-VOICE-DATA", attributes: ["msisdn": "+3248"])])])]),
        ])
        let created = try config.applied(config.add("DATA-10GB", toContract: "jm"))
        let data = try #require(created.first { config.instance(key: $0)?.productID == "MOBILE-DATA" })
        #expect(config.report().links.contains(.init(from: data, to: "fam-pool", rule: "REL-DATA-POOL")))

        // Customer scope: TV in a second home relies on one of Jane's two network accesses: no guess.
        var homes = try configuration([installedHome("h1"), installedHome("h2")])
        _ = try homes.applied(homes.add("TV-BASIC-PACK", toContract: "h2"))
        let tv = homes.keys(of: "TV-SERVICE")[0]
        #expect(homes.rules(.error).contains("REL-TV-NET"))
        #expect(Set(try homes.linkTargets(for: tv)) == ["h1-net", "h2-net"])
        try homes.link(tv, to: "h1-net") // across contracts, same customer
        #expect(!homes.rules().contains("REL-TV-NET"))
        #expect(homes.status == .valid)

        // Contract scope: VoIP cannot apply on another contract's network access.
        _ = try homes.applied(homes.add("VOIP-LINE", toContract: "h2"))
        let voip = homes.keys(of: "VOIP-SERVICE")[0]
        #expect(homes.report().links.contains(.init(from: voip, to: "h2-net", rule: "REL-VOIP-NET")))
        #expect(throws: ConfigurationError.self) { try homes.link(voip, to: "h1-net") }

        // Removing the target leaves the source without a link: an error again.
        _ = try homes.remove("h1-f500")
        #expect(homes.rules(.error).contains("REL-TV-NET"))
    }

    @Test("R-1.1 attributes: checked against their definition; the offer and its functional component together")
    func attributes() throws {
        var config = try configuration([installedHome()])
        #expect(throws: ConfigurationError(.invalidAttribute, "attribute installation of FIBER-500: 'drone' is not one of self, technician", field: "value")) {
            try config.setAttribute("installation", to: "drone", on: "h1-f500")
        }
        #expect(throws: ConfigurationError.self) { try config.setAttribute("colour", to: "red", on: "h1-f500") }
        try config.setAttribute("installation", to: "technician", on: "h1-f500")
        #expect(config.instance(key: "h1-net")?.attributes["installation"] == "technician")

        _ = try config.applied(config.add("VOIP-LINE", toContract: "h1"))
        let line = config.keys(of: "VOIP-LINE")[0]
        #expect(config.rules(.error).contains("attribute:phoneNumber"))
        try config.setAttribute("phoneNumber", to: "+3225550000", on: line)
        #expect(config.status == .valid)
        try config.removeAttribute("phoneNumber", on: line)
        #expect(config.status == .invalid)
    }

    @Test("R-11.2: agents add only current and future products; back-dating the selling date allows past ones")
    func sellingStatusOnAdd() throws {
        var config = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT")])
        #expect(throws: ConfigurationError.self) { try config.add("DSL-20", toContract: "c1") } // past
        _ = try config.applied(config.add("FIBER-1000", toContract: "c1")) // future is allowed
        #expect(config.report().elements.first { $0.product == "FIBER-1000" }?.selling.status == .future)
        var voice = try configuration([installedHome()])
        do {
            _ = try voice.add("COPPER-VOICE", toContract: "h1")
            Issue.record("an obsolete component was added")
        } catch {
            #expect(error.code == .notSellable)
        }
        var backdated = try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT")], date: Day("2025-06-01")!)
        _ = try backdated.applied(backdated.add("DSL-20", toContract: "c1"))
        #expect(backdated.report().elements.first { $0.product == "DSL-20" }?.selling.status == .current)
    }

    @Test("R-1.4: rules count only when active on the product selling date")
    func ruleActivePeriod() throws {
        var now = try configuration([installedHome()])
        _ = try now.applied(now.add("SPORTS-PACK", toContract: "h1", placements: [:]))
        #expect(now.keys(of: "STB-HD").isEmpty) // the 2025 sports rule is not active on the selling date
        var then = try configuration([installedHome()], date: Day("2025-06-01")!)
        _ = try then.applied(then.add("SPORTS-PACK", toContract: "h1"))
        #expect(then.keys(of: "STB-HD").count == 1)
    }

    @Test("R-4.5: brought products skip the selling check; relies-on checks its source and logs a warning")
    func sellingChecksPerRuleKind() throws {
        let text = miniCatalog
            .replacingOccurrences(of: "    sells: [F]\n", with: "    sells: [F]\n  - id: B\n    name: Brought\n    kind: atomicOffer\n    sells: [G]\n  - id: G\n    name: G\n    kind: functional\n    sellingPeriod: {start: 2030-01-01}\n")
            .replacingOccurrences(of: "      - {product: A, min: 0, max: 1}", with: "      - {product: A, min: 0, max: 1}\n      - {product: B, min: 0, max: 1, sellingPeriod: {end: 2020-01-01}}")
            .replacingOccurrences(of: "  - id: R1\n    kind: exclusion\n    first: A\n    second: O\n    message: no", with: "")
            .replacingOccurrences(of: "rules:\n", with: "rules:\n  - {id: BR, kind: bringsOnCreation, source: A, target: B, message: brings}\n  - {id: RL, kind: reliesOn, source: G, target: F, scope: contract, message: relies}\n")
        let validation = CatalogFiles.validate([CatalogFile(name: "t.yaml", text: text)])
        #expect(validation.problems.isEmpty, "\(validation.problems)")
        let index = CatalogIndex(try #require(validation.catalog))
        var config = try configuration([contract("X", "c", "C", [comp("p", "P", [comp("o", "O")])])], catalog: index)
        _ = try config.applied(config.add("A", toContract: "c"))
        #expect(config.keys(of: "B").count == 1) // B is past but brought anyway
        #expect(config.report().links.isEmpty) // G is not sold yet: no link
        let warning = try #require(config.messages.first { $0.rule == "RL" })
        #expect(warning.severity == .warning)
        #expect(config.rules(.error) == [])
        #expect(config.status == .validWithWarning)
    }

    @Test("R-4.1: one configuration holds the contracts of several customers, verified together")
    func severalCustomers() throws {
        let config = try configuration([installedHome("h1", customer: "CUST-JANE"), installedHome("h2", customer: "CUST-ACME")])
        #expect(Set(config.report().elements.map(\.customer)) == ["CUST-JANE", "CUST-ACME"])
        #expect(config.status == .valid)
    }

    @Test("R-4.3: removing an installed component keeps it, marked removed; new ones leave")
    func removeInstalled() throws {
        var config = try configuration([installedHome()])
        _ = try config.remove("h1-f500")
        let fibre = try #require(config.instance(key: "h1-f500"))
        #expect(fibre.removed)
        #expect(config.instance(key: "h1-net")?.removed == true)
        #expect(config.rules(.error).contains("cardinality:HOME-CONTRACT/BB-PLAY") == false)
        #expect(config.document().contracts[0].root.components?[0].components?[0].components?[0].removed == true)
    }

    @Test("R-4.3: refused documents name the field at fault")
    func badDocuments() {
        #expect(throws: ConfigurationError(.notInBundle, "FIBER-500 is not a component of HOME-CONTRACT, nor sold by it", field: "contracts[0].components[0].product")) {
            try configuration([contract("CUST-JANE", "c1", "HOME-CONTRACT", [comp("x", "FIBER-500")])])
        }
        #expect(throws: ConfigurationError.self) { try configuration([contract("CUST-JANE", "c1", "BB-PLAY")]) }
        #expect(throws: ConfigurationError.self) { try configuration([installedHome("h1"), installedHome("h1")]) }
    }

    @Test("R-4.3: incremental re-verification always equals verifying from scratch")
    func incrementalEqualsFull() throws {
        var generator = SeededRandom(seed: 42)
        var config = try configuration([installedHome("h1"), contract("CUST-JANE", "c2", "HOME-CONTRACT"), contract("CUST-ACME", "m1", "MOBILE-CONTRACT")])
        let addable: [ProductID] = ["FIBER-500", "STATIC-IP", "TV-BASIC-PACK", "SPORTS-PACK", "KIDS-PACK", "VOIP-LINE", "STB-HD",
                                    "MOBILE-VOICE-DATA", "DATA-10GB", "FAMILY-SHARED-DATA", "DATA-SIM", "MODEM-RENTAL"]
        for step in 0..<300 {
            let present = config.allInstances.filter { !$0.deleted && !$0.removed && $0.parent != nil && $0.relation == .childOf }
            if step % 3 == 2, let victim = present.randomElement(using: &generator) {
                _ = try? config.remove(victim.key)
            } else {
                let contract = config.contracts.randomElement(using: &generator)!
                let product = addable.randomElement(using: &generator)!
                if case let .question(q) = (try? config.add(product, toContract: config.instance(contract)!.key)) ?? .applied(created: [], removed: []) {
                    _ = try? config.add(product, toContract: config.instance(contract)!.key, placements: [q.product: q.candidates[0].instance])
                }
            }
            #expect(config.coresAreConsistent, "step \(step)")
            var full = config
            full.verifyAll()
            #expect(config.messages.sorted(by: Configuration.order) == full.messages.sorted(by: Configuration.order), "step \(step)")
            #expect(config.status == full.status && config.errorCount == full.errorCount && config.warningCount == full.warningCount)
        }
    }
}

