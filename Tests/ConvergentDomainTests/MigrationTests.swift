@testable import ConvergentDomain
import ConvergentDemo
import Foundation
import Testing

/// An installed family contract with one mobile play per key in `lines`.
func installedMobile(_ id: String, customer: String, lines: [String], status: InstalledStatus = .active) -> Doc.Contract {
    contract(customer, id, "MOBILE-CONTRACT", installed: status, lines.map { line in
        comp(line, "MOBILE-PLAY", installed: status, [
            comp("\(line)-offer", "MOBILE-LINE-OFFER", installed: status, [
                comp("\(line)-voice", "MOBILE-VOICE-DATA", installed: status, attributes: ["msisdn": "+3247\(line.count)"], [
                    comp("\(line)-svc", "MOBILE-LINE", installed: status),
                ]),
            ]),
        ])
    })
}

/// The home contract of `installedHome` on DSL 20 instead of fibre.
func installedDSLHome(_ id: String = "h1", customer: String = "CUST-JANE") -> Doc.Contract {
    contract(customer, id, "HOME-CONTRACT", installed: .active, [
        comp("\(id)-bb", "BB-PLAY", installed: .active, [
            comp("\(id)-inet", "INTERNET-OFFER", installed: .active, [
                comp("\(id)-dsl", "DSL-20", installed: .active, [comp("\(id)-net", "NET-ACCESS", installed: .active)]),
            ]),
        ]),
    ])
}

extension Configuration {
    func parentKey(of key: String) -> String? { instance(key: key)?.parent.flatMap { instance($0)?.key } }
    func contractKey(of key: String) -> String? { instance(key: key).flatMap { instance($0.contract)?.key } }
}

@Suite("R-6 package component migration in a configuration")
struct MigrationTests {
    @Test("R-6.2 reparenting: a mobile line moves with its descendants to another family contract; reversing puts it back")
    func reparentingAndReverse() throws {
        var config = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1", "a2"]),
                                        installedMobile("ec2", customer: "CUST-JANE", lines: ["b1"])])
        let before = config.document()
        try config.apply(.migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2")))
        #expect(config.parentKey(of: "a1") == "ec2")
        #expect(config.contractKey(of: "a1-svc") == "ec2")
        #expect(config.instance(key: "a1")?.removed == false)
        let m = try #require(config.migrations.first)
        #expect(m.id == "M1" && m.kind == .reparenting && m.sourceContract == "ec1" && m.targetContract == "ec2" && m.target == "a1")
        #expect(m.moved == [.init(instance: "a1", from: "ec1", position: 0)] && m.removed.isEmpty && m.emptied == nil && !m.crossCustomer)
        #expect(config.document().migrations?.count == 1)

        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.parentKey(of: "a1") == "ec1")
        #expect(config.migrations.isEmpty)
        #expect(config.document().contracts == before.contracts)
    }

    @Test("R-3.6: migrating every component out of a contract disconnects it; reversing reconnects it")
    func emptiedContract() throws {
        var config = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1"]),
                                        installedMobile("ec2", customer: "CUST-ACME", lines: ["b1"])])
        try config.apply(.migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2")))
        #expect(config.instance(key: "ec1")?.removed == true)
        let m = try #require(config.migrations.first)
        #expect(m.emptied == ["ec1"])
        // across customers: the mobile commitment covering the voice line is broken; the line now belongs to ACME.
        #expect(m.crossCustomer && m.brokenCommitments == ["COMMIT-12M-MOBILE"])
        #expect(config.instance(key: "a1-voice")?.customer == "CUST-ACME")
        // Nothing migrates into a contract this session disconnects.
        var other = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1"]),
                                       installedMobile("ec2", customer: "CUST-JANE", lines: ["b1", "b2"])])
        try other.apply(.migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2")))
        #expect(throws: ConfigurationError.self) { try other.apply(.migrate(instance: "b1", action: "MOBILE-LINE-MOVE", destination: .parent("ec1"))) }
        do {
            try other.apply(.migrate(instance: "b1", action: "MOBILE-LINE-MOVE", destination: .parent("ec1")))
        } catch {
            #expect(error.code == .migrationIntoDisconnected)
        }
        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.instance(key: "ec1")?.removed == false)
        #expect(config.instance(key: "a1-voice")?.customer == "CUST-JANE")
    }

    @Test("R-6.1: a migration into a new contract creates it for the chosen customer; reversing takes it away")
    func newContract() throws {
        var config = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1", "a2"])])
        let outcome = try config.apply(.migrate(instance: "a2", action: "MOBILE-LINE-MOVE", destination: .newContract(product: "MOBILE-CONTRACT", customer: "CUST-ACME")))
        let m = try #require(config.migrations.first)
        #expect(m.createdContract == true && m.created.count == 1 && outcome == .applied(created: m.created, removed: []))
        #expect(config.contracts.count == 2)
        #expect(config.contractKey(of: "a2") == m.targetContract && m.targetContract == m.created[0])
        #expect(config.instance(key: "a2")?.customer == "CUST-ACME")
        #expect(config.status != .invalid, "\(config.messages)")
        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.contracts.count == 1 && config.parentKey(of: "a2") == "ec1")
    }

    @Test("R-6.2 transformation: DSL 20 becomes Fibre 500; the network access it sells moves to the new offer (Sells removed and added)")
    func transformationMovesFunctional() throws {
        var config = try configuration([installedDSLHome()])
        try config.apply(.migrate(instance: "h1-dsl", action: "DSL-TO-FIBRE", destination: .parent("h1-inet")))
        let m = try #require(config.migrations.first)
        let fibre = try #require(config.instance(key: m.target))
        #expect(fibre.productID == "FIBER-500" && fibre.isNew)
        #expect(config.parentKey(of: "h1-net") == m.target)
        #expect(config.instance(key: "h1-dsl")?.removed == true)
        #expect(m.moved == [.init(instance: "h1-net", from: "h1-dsl", position: 0)] && m.removed == ["h1-dsl"])
        // No second network access: the fresh one the new offer sells gave way to the installed one.
        #expect(config.allInstances.filter { !$0.deleted && $0.productID == "NET-ACCESS" }.count == 1)
        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.parentKey(of: "h1-net") == "h1-dsl" && config.instance(key: "h1-dsl")?.removed == false)
        #expect(!config.allInstances.contains { !$0.deleted && $0.productID == "FIBER-500" })
        #expect(config.document().contracts == [installedDSLHome()])
    }

    @Test("R-6.1, R-6.2: a transformation into a new contract creates the contract with the target's missing ancestors; the functional component moves there; reversal takes it all away")
    func transformationIntoNewContract() throws {
        var config = try configuration([installedDSLHome()])
        try config.apply(.migrate(instance: "h1-dsl", action: "DSL-TO-FIBRE", destination: .newContract(product: "HOME-CONTRACT", customer: "CUST-ACME")))
        let m = try #require(config.migrations.first)
        #expect(m.createdContract == true && m.created == [m.targetContract] && m.targetCustomer == "CUST-ACME" && m.crossCustomer)
        #expect(config.instance(key: m.targetParent)?.productID == "INTERNET-OFFER" && config.contractKey(of: m.targetParent) == m.targetContract)
        #expect(config.contractKey(of: "h1-net") == m.targetContract && config.instance(key: "h1-net")?.customer == "CUST-ACME")
        #expect(config.instance(key: "h1-dsl")?.removed == true && config.instance(key: "h1")?.removed == false, "the BB play and internet offer stay")
        #expect(m.brokenCommitments == nil, "no commitment covers DSL 20 or its network access")
        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.contracts.count == 1 && config.document().contracts == [installedDSLHome()])
    }

    @Test("R-1.6, R-6.2: a migration script's private action transforms a child inside the migrated offer; what the target cannot hold is removed")
    func scriptedTransformation() throws {
        let home = contract("CUST-JANE", "h1", "HOME-CONTRACT", installed: .active, [
            installedHome().root.components![0],
            comp("h1-tv", "TV-PLAY", installed: .active, [
                comp("h1-tvb", "TV-BASIC-OFFER", installed: .active, [
                    comp("h1-pack", "TV-BASIC-PACK", installed: .active, [comp("h1-tvsvc", "TV-SERVICE", installed: .active)]),
                    comp("h1-stb", "STB-HD", installed: .active),
                ]),
            ]),
        ])
        var config = try configuration([home], links: [Doc.Link(from: "h1-tvsvc", to: "h1-net")])
        try config.apply(.migrate(instance: "h1-tvb", action: "TV-TO-FLEX", destination: .parent("h1-tv")))
        let m = try #require(config.migrations.first)
        #expect(config.instance(key: m.target)?.productID == "TV-FLEX-OFFER")
        let sports = try #require(config.allInstances.first { !$0.deleted && $0.productID == "SPORTS-PACK" })
        #expect(config.parentKey(of: sports.key) == m.target)
        #expect(config.parentKey(of: "h1-tvsvc") == sports.key)
        #expect(m.script == ["h1-pack → TV-PACK-TO-SPORTS"])
        #expect(Set(m.removed) == ["h1-tvb", "h1-pack", "h1-stb"])
        // The TV service's link to the network access stays: both are still in the contract.
        #expect(config.document().links == [Doc.Link(from: "h1-tvsvc", to: "h1-net")])
    }

    @Test("R-6.1 negative cases: private or foreign actions, new and functional components, suspended contracts, a target without the level, an obsolete target")
    func refusals() throws {
        func code(_ config: Configuration, _ op: ConfigurationOperation) -> ConfigurationErrorCode? {
            var copy = config
            do { try copy.apply(op) } catch { return error.code }
            return nil
        }
        let config = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1"]), installedHome("h1"),
                                        installedMobile("ec2", customer: "CUST-JANE", lines: ["b1"])])
        #expect(code(config, .migrate(instance: "a1", action: "TV-PACK-TO-SPORTS", destination: .parent("ec2"))) == .migrationNotOffered)
        #expect(code(config, .migrate(instance: "a1", action: "DSL-TO-FIBRE", destination: .parent("ec2"))) == .migrationNotOffered)
        #expect(code(config, .migrate(instance: "a1", action: "NOPE", destination: .parent("ec2"))) == .migrationNotOffered)
        #expect(code(config, .migrate(instance: "h1-net", action: "MOBILE-LINE-MOVE", destination: .parent("ec2"))) == .notMigratable)
        #expect(code(config, .migrate(instance: "ec1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2"))) == .notMigratable)
        // The target structure has no mobile play at that level.
        #expect(code(config, .migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("h1"))) == .notInBundle)
        #expect(code(config, .migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("ec1"))) == .invalidPlacement)
        #expect(code(config, .reverseMigration(migration: "M9")) == .unknownMigration)
        var added = config
        try added.apply(.add(product: "DATA-BOOST-OFFER", contract: "ec1", parent: "a1", placements: [:]))
        let fresh = try #require(added.allInstances.first { $0.productID == "DATA-BOOST-OFFER" })
        #expect(code(added, .migrate(instance: fresh.key, action: "MOBILE-LINE-MOVE", destination: .parent("ec2"))) == .notMigratable)
        // A suspended contract anywhere in the session stops migrations.
        let suspended = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1"]),
                                           installedMobile("ec2", customer: "CUST-JANE", lines: ["b1"], status: .suspended)])
        #expect(code(suspended, .migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2"))) == .suspendedContract)
        // An obsolete membership: copper voice is obsolete in the voice offer since 2026-03-01.
        var catalog = demoIndex.catalog
        catalog.migrations.append(MigrationAction(id: "VOIP-TO-COPPER", name: "back to copper", kind: .transformation, source: "VOIP-LINE",
                                                  target: "COPPER-VOICE", functional: [.init(source: "VOIP-SERVICE", target: nil)]))
        let voice = contract("CUST-JANE", "h2", "HOME-CONTRACT", installed: .active, [
            installedHome("h2").root.components![0],
            comp("h2-vp", "VOICE-PLAY", installed: .active, [comp("h2-vo", "VOICE-OFFER", installed: .active, [
                comp("h2-voip", "VOIP-LINE", installed: .active, [comp("h2-vsvc", "VOIP-SERVICE", installed: .active)]),
            ])]),
        ])
        let old = try configuration([voice], catalog: CatalogIndex(catalog))
        #expect(code(old, .migrate(instance: "h2-voip", action: "VOIP-TO-COPPER", destination: .parent("h2-vo"))) == .targetObsolete)
    }

    @Test("R-3.6: what a migration stands on cannot be removed, and an earlier migration is not reversed under a later one")
    func removalAndReverseOrder() throws {
        var config = try configuration([installedMobile("ec1", customer: "CUST-JANE", lines: ["a1", "a2"])])
        try config.apply(.migrate(instance: "a1", action: "MOBILE-LINE-MOVE", destination: .newContract(product: "MOBILE-CONTRACT", customer: "CUST-JANE")))
        let nc = try #require(config.migrations.first?.targetContract)
        try config.apply(.migrate(instance: "a2", action: "MOBILE-LINE-MOVE", destination: .parent(nc)))
        var copy = config
        #expect(throws: ConfigurationError.self) { try copy.apply(.remove(instance: "a1")) }
        #expect(throws: ConfigurationError.self) { try copy.apply(.reverseMigration(migration: "M1")) }
        #expect(config.instance(key: "ec1")?.removed == true, "both lines left: the contract is disconnected")
        try config.apply(.reverseMigration(migration: "M2"))
        #expect(config.instance(key: "ec1")?.removed == false)
        try config.apply(.reverseMigration(migration: "M1"))
        #expect(config.contracts.count == 1 && config.migrations.isEmpty)
    }

    @Test("R-5.2 MLCMV: a component that comes back to a contract it left, through three contracts, is a cycle; a move within one contract and a transfer between two contracts are not")
    func migrationCycles() throws {
        let contracts = ["a": "ec1", "b": "ec2", "c": "ec3"].mapValues { installedMobile($0, customer: "CUST-JANE", lines: ["\($0)-p1", "\($0)-p2"]) }
        var config = try configuration(["a", "b", "c"].map { contracts[$0]! })
        var o = try order()
        var lines: [String: Int] = [:]
        for key in ["ec1", "ec2", "ec3"] {
            let installed = InstalledContract(id: key, customer: "CUST-JANE", root: InstalledProduct(loading: contracts.values.first { $0.root.id == key }!.root))
            lines[key] = try o.addLine(product: "MOBILE-CONTRACT", action: .change, installed: installed, catalog: demoIndex).number
        }
        // A transfer (ec1 → ec2 and ec2 → ec1, different lines) is not a cycle.
        try config.apply(.migrate(instance: "ec1-p2", action: "MOBILE-LINE-MOVE", destination: .parent("ec2")))
        try config.apply(.migrate(instance: "ec2-p2", action: "MOBILE-LINE-MOVE", destination: .parent("ec1")))
        try o.recordMigrations(config.migrations, lines: lines)
        #expect(o.migrationCycles().isEmpty)
        // One line round ec1 → ec2 → ec3 → ec1 is.
        try config.apply(.migrate(instance: "ec1-p1", action: "MOBILE-LINE-MOVE", destination: .parent("ec2")))
        try config.apply(.migrate(instance: "ec1-p1", action: "MOBILE-LINE-MOVE", destination: .parent("ec3")))
        try o.recordMigrations(config.migrations, lines: lines)
        #expect(o.migrationCycles().isEmpty, "not back yet")
        try config.apply(.migrate(instance: "ec1-p1", action: "MOBILE-LINE-MOVE", destination: .parent("ec1")))
        try o.recordMigrations(config.migrations, lines: lines)
        #expect(o.migrationCycles().map(\.migration.id) == ["M3", "M4", "M5"])
        let holds = HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today))
        #expect(holds.first { $0.code == .MLCMV }?.lines == [1, 2, 3])
        // neither the lines nor the related customer whose lines take part can be removed.
        #expect(throws: OrderError.self) { try o.removeLine(2) }
        // Nor can a new contract a migration created be cloned (the copy would hold the migrated line twice).
        var split = try order()
        let source = try split.addLine(product: "MOBILE-CONTRACT", action: .change, installed: InstalledContract(id: "ec1", customer: "CUST-JANE", root: InstalledProduct(loading: contracts["a"]!.root)), catalog: demoIndex)
        var moved = try configuration([contracts["a"]!])
        try moved.apply(.migrate(instance: "ec1-p1", action: "MOBILE-LINE-MOVE", destination: .newContract(product: "MOBILE-CONTRACT", customer: "CUST-JANE")))
        let created = try split.addMigrationLine(product: "MOBILE-CONTRACT", customer: "CUST-JANE", catalog: demoIndex)
        try split.recordMigrations(moved.migrations, lines: ["ec1": source.number, moved.migrations[0].targetContract: created.number])
        #expect(split.lines.first { $0.number == created.number }?.createdByMigration == true)
        do {
            try split.cloneLine(created.number)
            Issue.record("a contract created by a migration was cloned")
        } catch {
            #expect(error.code == .migrationInProgress)
        }
        var related = try order(related: ["CUST-ACME"])
        let acme = InstalledContract(id: "ec9", customer: "CUST-ACME", root: InstalledProduct(loading: installedMobile("ec9", customer: "CUST-ACME", lines: ["x"]).root))
        let jane = InstalledContract(id: "ec1", customer: "CUST-JANE", root: InstalledProduct(loading: contracts["a"]!.root))
        let l1 = try related.addLine(product: "MOBILE-CONTRACT", action: .change, installed: jane, catalog: demoIndex).number
        let l2 = try related.addLine(product: "MOBILE-CONTRACT", action: .change, installed: acme, catalog: demoIndex).number
        var both = try configuration([contracts["a"]!, installedMobile("ec9", customer: "CUST-ACME", lines: ["x"])])
        try both.apply(.migrate(instance: "x", action: "MOBILE-LINE-MOVE", destination: .parent("ec1")))
        try related.recordMigrations(both.migrations, lines: ["ec1": l1, "ec9": l2])
        #expect(related.lines.first { $0.number == l2 }?.action == .disconnect)
        do {
            try related.removeRelatedCustomer("CUST-ACME", confirmed: true)
            Issue.record("a customer whose line takes part in a migration was removed")
        } catch {
            #expect(error.code == .migrationInProgress)
        }
    }
}

@Suite("R-12.3 the built-in move of an installed item, in a configuration and from a subscription")
struct InstalledItemMoveTests {
    /// Jane's home contract `id` with a router on its internet offer.
    static func homeWithRouter(_ id: String) -> Doc.Contract {
        contract("CUST-JANE", id, "HOME-CONTRACT", installed: .active, [
            comp("\(id)-bb", "BB-PLAY", installed: .active, [
                comp("\(id)-inet", "INTERNET-OFFER", installed: .active, [
                    comp("\(id)-f500", "FIBER-500", installed: .active, attributes: ["installation": "self"], [comp("\(id)-net", "NET-ACCESS", installed: .active)]),
                    comp("\(id)-router", "ROUTER", installed: .active),
                ]),
            ]),
        ])
    }

    @Test("R-12.3, R-6.2: MOVEINSTITEM reparents a device under another product that holds it, in another contract; it moves devices only, and no catalog may define it")
    func builtIn() throws {
        var config = try configuration([Self.homeWithRouter("h1"), installedHome("h2")])
        try config.apply(.migrate(instance: "h1-router", action: MigrationAction.moveInstalledItem, destination: .parent("h2-inet")))
        #expect(config.parentKey(of: "h1-router") == "h2-inet" && config.contractKey(of: "h1-router") == "h2")
        let m = try #require(config.migrations.first)
        #expect(m.action == "MOVEINSTITEM" && m.kind == .reparenting && m.sourceContract == "h1" && m.targetContract == "h2" && m.emptied == nil)
        var offer = try configuration([Self.homeWithRouter("h1"), installedHome("h2")])
        #expect(throws: ConfigurationError.self) { try offer.apply(.migrate(instance: "h1-inet", action: MigrationAction.moveInstalledItem, destination: .parent("h2-bb"))) }
        #expect(offer.migrations.isEmpty)
        var catalog = SubscriptionFixtures.catalog
        catalog.migrations.append(MigrationAction(id: "MOVEINSTITEM", name: "mine", kind: .reparenting, source: "MOBILE-PLAY", target: "MOBILE-PLAY"))
        #expect(CatalogIntegrity.problems(in: catalog).contains { $0.message.contains("'MOVEINSTITEM' is reserved") })
    }

    @Test("R-12.3 performed: each item goes under the first product of the target's play with room for it (the TV essentials, up to three boxes); one without room is refused with installed-item-cannot-move")
    func carriage() throws {
        let home = try #require(DemoInstalledBase.contracts.first { $0.id == "IC-HOME-1" })
        let catalog = SubscriptionFixtures.catalog
        var target = SubscriptionFixtures.bedroom()
        target.contract = "IC-HOME-1"
        target.installedProduct = "IC-HOME-1.8"
        let source = SubscriptionFixtures.subscription("SUB-TV", items: [("A", "STB-HD", ["TV-PLATFORM"]), ("B", "STB-HD", ["TV-PLATFORM"]),
                                                                         ("C", "STB-HD", ["TV-PLATFORM"])])
        let two = MoveInstalledItems(items: ["A", "B"], target: target.id).carriage(source: source, target: target, targetContract: home, catalog: catalog, on: SubscriptionFixtures.day)
        #expect(two.refusals.isEmpty && two.carriage == [.init(item: "A", holder: "IC-HOME-1.9"), .init(item: "B", holder: "IC-HOME-1.9")])
        let three = MoveInstalledItems(items: ["A", "B", "C"], target: target.id).carriage(source: source, target: target, targetContract: home, catalog: catalog, on: SubscriptionFixtures.day)
        #expect(three.carriage.count == 2 && three.refusals.map(\.code) == [.itemCannotMove], "the box already there and two more make three")
        target.installedProduct = nil
        #expect(MoveInstalledItems(items: ["A"], target: target.id).carriage(source: source, target: target, targetContract: home, catalog: catalog, on: SubscriptionFixtures.day)
            .refusals.map(\.code) == [.itemCannotMove])
    }
}
