import ConvergentDomain
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore
import Crypto
import Foundation
import Testing

@Suite("Storage v2: frozen migrations, history as changes, rows for what is queried")
struct StorageV2Tests {
    /// The SHA-256 of every migration on main. A migration is never edited once it is here: a
    /// change to the schema is a new migration (and a new line).
    static let frozen: [String: [Int: String]] = [
        "sqlite": [
            1: "109797aa257b4ae2d928922b4443107752bb42371caa965c6c9e58b8dfc41179",
            2: "c63deffbec9bbe8b42617a81fd320fc580ad5945ca84f961c825063cdd8e23c1",
            3: "76806891564a7fde853d2a11233f87e162a86a05dfe219997a806e45de1f814a",
            4: "09b2db9acd9c50deba28c2272235ad445bb4ea8faa19241722d7bb0da1e1ab59",
            5: "9aac2123b9663cc1145b544045841e257fb5c9ea2c08b49fd51cb909db563393",
            6: "416e9e891a81809ceda0729a4837347a51ca68aac5a3eba0c16e422b40060017",
            7: "58e0bbf764af393192a290996464c07c50511e5ca553a4ddb7b8b8375cedc06d",
            8: "39c57d5f1122581a930157c412d2476b8b05ba4fd057e29ddcfdbe8bc469ea9c",
            9: "b4f3e3fbdd7225d514cf07017bdb0cee457b9b46bc9acb427c9d712997e2886f",
            10: "dccc04c1a6c4146f12c84dccd01652be6a70f8701fef138fb65b7570db194fff",
            11: "1f5301b31f8b4abba3316ef12bc616e497016514687299899762979f30e709a4",
            12: "3233523404423fb3bf510a8b327be71ee41ad0cd626005b5ad83e63e4bbb6d1b",
            13: "04feec35aa26aaba137eae8d2d75542d66dd57de9fe4b533ab4c50355a01ab50",
            14: "6de4997df1b994515cdcf6f6d53f219cf53966f4f252a5120b0647dbfc2bc0cf",
            15: "d910e11ef1262dee390a81d28dcbffac7ecaf30fa89710a0d169bcf4972f6d74",
        ],
        "postgresql": [
            1: "0a8d8bda0b93f33bef9c6c881a558aab52d1b04f30a3635887966affe8dfd07b",
            2: "c63deffbec9bbe8b42617a81fd320fc580ad5945ca84f961c825063cdd8e23c1",
            3: "fe3ddaf5d7d2a0818ddac402b98c5d82ad21cdb98a109fe5581b7f72049e1d8e",
            4: "286fe1e9f8742ea2efd29eaa84f52495b1cff760977d4d40d72a823cbebfc39c",
            5: "832c0c4222844462a502ae1d374ae034066957ec883601806c949d3d73551b4c",
            6: "747a1457d6369f6d7665410d784b58c95c8010a502f78b48a999ae9893615d36",
            7: "15dd71bd3698d5769752fa3789c80f90cb679c530c7a713f1c77885b8c24859b",
            8: "ce20a6a4f80d8291c8c41757c065b8a88964d71caea13add66c41613571c4cd1",
            9: "87407fb2c4abc7b7796a52e006364bd2ddab580e26830c736ecd99d2ea5ac553",
            10: "590ee0c4f530203839222e19283d0dc0af16025f50ba7004bf9fb3246ef74f0e",
            11: "25c474624e525abab5dda1566ed3f82792fae1c6c5877a87503b8ca4030d362d",
            12: "fb6248ceb1f366793e2618bacdae36fc1e3ef629cfbcbd1c0c5287e4290bc840",
            13: "3acc24242a113143d93f33d7361a7426911630a03034210de510fe568944fe2c",
            14: "5c00f79c2dbbf831aa4fda7c75d2150e48bb5607436365cac3a141cba5b33474",
            15: "012cc00a8266b8c92aaa363e9d784d2882b12e789a30c81c134099e238a9ba50",
        ],
    ]

    @Test("R-15.4 frozen migrations: no migration on main changed (SHA-256 of each), numbers run 1, 2, 3… on both backends")
    func frozenMigrations() {
        for (backend, migrations) in [("sqlite", SQLiteStore.migrations), ("postgresql", PostgresStore.migrations)] {
            #expect(migrations.map(\.number) == Array(1...migrations.count), "\(backend)")
            for migration in migrations {
                let digest = SHA256.hash(data: Data(migration.sql.utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(Self.frozen[backend]?[migration.number] == digest,
                        "\(backend) migration \(migration.number) (\(migration.name)) changed or is new: a migration on main is never edited; add its checksum only when it is new")
            }
            #expect(Set(migrations.map(\.number)) == Set(Self.frozen[backend]!.keys), "\(backend): a frozen migration was removed")
        }
    }

    @Test("R-15.5 history as changes: a JSON Patch between snapshots every 16 versions; every version reads back equal, as of its time", arguments: Backend.available)
    func historyAsChanges(backend: Backend) async throws {
        try await backend.withStore { store in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            var customer = Customer(id: "C-9", kind: .person, name: "Version 1")
            try await store.insert(customer, context: ChangeContext(actor: "alice", at: start))
            var written: [Int: Customer] = [1: customer]
            for version in 2...40 {
                customer.name = "Version \(version)"
                try await store.update(customer, expectedVersion: version - 1, context: ChangeContext(actor: "bob", at: start + Double(version), reason: "rename \(version)"))
                written[version] = customer
            }
            let rows = try await store.historyRows(.customer, id: "C-9", from: 1, through: nil)
            #expect(rows.map(\.version) == Array(1...40))
            #expect(rows.filter { $0.format == .snapshot }.map(\.version) == [1, 17, 33])
            #expect(rows.first { $0.version == 2 }!.data.count < rows.first { $0.version == 1 }!.data.count / 2, "a patch is smaller than a copy")
            #expect(rows.first?.event == "customer.created" && rows.last?.event == "customer.updated")
            #expect(try await store.historySnapshot(.customer, id: "C-9", atOrBefore: 40) == 33)
            // Every version, as of the moment it was written and between two writes.
            for version in 1...40 {
                let at = start + Double(version == 1 ? 0 : version)
                let read = try #require(try await store.get(Customer.self, id: "C-9", asOf: at + 0.5))
                #expect(read.value == written[version] && read.version == version && read.createdAt == start)
            }
            #expect(try await store.get(Customer.self, id: "C-9", asOf: start - 1) == nil)
            // The whole history, and a page of it, each entry with its document and change.
            let entries = try await store.history(.customer, id: "C-9")
            #expect(try entries.map { try JSONDecoder().decode(Customer.self, from: Data($0.data.utf8)) } == (1...40).map { written[$0]! })
            #expect(entries[1].change == [JSONPatchOperation(op: .replace, path: "/name", value: .string("Version 2"))])
            #expect(entries[1].reason == "rename 2" && entries[1].actor == "bob")
            let page = try await store.history(.customer, id: "C-9", afterVersion: 20, limit: 5)
            #expect(page.map(\.version) == [21, 22, 23, 24, 25])
            #expect(try page.map { try JSONDecoder().decode(Customer.self, from: Data($0.data.utf8)) } == (21...25).map { written[$0]! })
        }
    }

    @Test("R-3.1 readable ids: the number is drawn in the transaction that stores; a refused commit takes none", arguments: Backend.available)
    func numberingInTheTransaction(backend: Backend) async throws {
        try await backend.withStore { store in
            let first = try await store.commit(numbering: "thing", context: context()) { n in [try .insert(Customer(id: "N-\(n)", kind: .person, name: "N"))] }
            #expect(first.number == 1 && first.versions == [1])
            await storeError(.duplicate) {
                _ = try await store.commit(numbering: "thing", context: context()) { _ in [try .insert(Customer(id: "N-1", kind: .person, name: "again"))] }
            }
            let next = try await store.commit(numbering: "thing", context: context()) { n in [try .insert(Customer(id: "N-\(n)", kind: .person, name: "N"))] }
            #expect(next.number == 2, "the refused commit took no number")
            #expect(try await store.get(Customer.self, id: "N-2") != nil)
        }
    }

    @Test("R-15.5 history events: a change of the aggregate's status is named by it (job.running); others are updated", arguments: Backend.available)
    func historyEvents(backend: Backend) async throws {
        try await backend.withStore { store in
            let at = Date(timeIntervalSince1970: 1_790_000_000)
            let raw = { (status: String) in Data(#"{"id":"X-1","status":"\#(status)","note":"n"}"#.utf8) }
            try await store.commit([.insert(kind: .setting, id: "X-1", data: raw("pending"), columns: ["name": "x"])], context: ChangeContext(actor: "a", at: at))
            try await store.commit([.update(kind: .setting, id: "X-1", expectedVersion: 1, data: raw("running"), columns: ["name": "x"])], context: ChangeContext(actor: "a", at: at))
            try await store.commit([.update(kind: .setting, id: "X-1", expectedVersion: 2, data: Data(#"{"id":"X-1","status":"running","note":"m"}"#.utf8),
                                            columns: ["name": "x"])], context: ChangeContext(actor: "a", at: at))
            #expect(try await store.history(.setting, id: "X-1").map(\.event) == ["setting.created", "setting.running", "setting.updated"])
        }
    }

    @Test("R-7.6 installed-product status: every move of the transition table is allowed, every other refused; Disconnected is final")
    func statusTable() {
        for from in InstalledStatus.allCases {
            for to in InstalledStatus.allCases {
                let allowed = from == to || InstalledStatus.transitions[from]!.contains(to)
                #expect(from.canMove(to: to) == allowed)
                #expect(IndexTable.installedProducts.allows(from: from.rawValue, to: to.rawValue) == allowed)
            }
        }
        #expect(InstalledStatus.allCases.allSatisfy { InstalledStatus.transitions[$0] != nil })
        #expect(InstalledStatus.transitions[.disconnected]!.isEmpty)
        #expect(!InstalledStatus.active.canMove(to: .pendingActivation) && InstalledStatus.pendingSuspension.canMove(to: .suspended))
    }

    @Test("R-7.6: installed products are rows (contract, customer, product, parent, status, dates) with their status changes; links by target; orders by contract", arguments: Backend.available)
    func indexRows(backend: Backend) async throws {
        try await backend.withStore { store in
            let at = Date(timeIntervalSince1970: 1_790_000_000)
            var contract = InstalledContract(id: "IC-1", customer: "C-1", status: .pendingActivation, root: .init(
                id: "IC-1", product: "HOME", status: .pendingActivation,
                components: [.init(id: "IC-1.1", product: "BB", status: .pendingActivation), .init(id: "IC-1.2", product: "TV", status: .pendingActivation)]))
            contract.links = [InstalledLink(from: "IC-1.2", to: "IC-1.1", status: .pendingActivation)]
            try await store.insert(contract, context: ChangeContext(actor: "fulfil", at: at))
            contract.root.status = .active
            contract.root.components[0].status = .active
            contract.root.components[1].status = .active
            contract.root.components[0].installedOn = Day("2026-12-01")
            try await store.update(contract, expectedVersion: 1, context: ChangeContext(actor: "fulfil", at: at + 60, reason: "provisioned"))
            contract.root.components[1].status = .pendingSuspension
            try await store.update(contract, expectedVersion: 2, context: ChangeContext(actor: "agent", at: at + 90, reason: "unpaid"))
            contract.root.components[1].status = .suspended
            try await store.update(contract, expectedVersion: 3, context: ChangeContext(actor: "agent", at: at + 120, reason: "unpaid"))
            // DESIGN principle 7: a move the installed-product table forbids is refused, and nothing is written.
            var resurrected = contract
            resurrected.root.components[1].status = .pendingActivation
            await storeError(.invalidTransition) { try await store.update(resurrected, expectedVersion: 4, context: context()) }
            #expect(try await store.get(InstalledContract.self, id: "IC-1")?.version == 4)

            let products = try await store.indexRows(.installedProducts, where: "contract", in: ["IC-1"], equals: [:], after: nil, limit: 10)
            #expect(products.map(\.id) == ["IC-1", "IC-1.1", "IC-1.2"])
            #expect(products[1]["parent"] == "IC-1" && products[1]["product"] == "BB" && products[1]["installed_on"] == "2026-12-01")
            #expect(products.map { $0["status"] } == ["active", "active", "suspended"])
            let suspended = try await store.indexRows(.installedProducts, where: "customer", in: ["C-1"], equals: ["status": "suspended"], after: nil, limit: 10)
            #expect(suspended.map(\.id) == ["IC-1.2"])
            let tv = try await store.indexEvents(.installedProducts, subject: "IC-1.2", afterVersion: nil, limit: 10)
            #expect(tv.map(\.value) == ["pendingActivation", "active", "pendingSuspension", "suspended"])
            #expect(tv.map(\.version) == [1, 2, 3, 4] && tv.last?.actor == "agent" && tv.last?.reason == "unpaid")
            #expect(tv.last?.event == "installedProduct.suspended")
            #expect(try await store.indexEvents(.installedProducts, subject: "IC-1.1", afterVersion: nil, limit: 10).map(\.version) == [1, 2])
            let links = try await store.indexRows(.installedLinks, where: "to_id", in: ["IC-1.1"], equals: [:], after: nil, limit: 10)
            #expect(links.map { $0["contract"] } == ["IC-1"])
            // The status events are append-only, as history is.
            let raw: (String) async throws -> Void = { sql in
                if let s = store as? SQLiteStore { try await s.unsafeExecute(sql) }
                if let p = store as? PostgresStore { try await p.unsafeExecute(sql.replacingOccurrences(of: "installed_product_events", with: "\(p.schema).installed_product_events")) }
            }
            await #expect(throws: (any Error).self) { try await raw("DELETE FROM installed_product_events") }
            await #expect(throws: (any Error).self) { try await raw("UPDATE installed_product_events SET actor = 'mallory'") }
            // A stale write changes no row.
            await storeError(.conflict) { try await store.update(contract, expectedVersion: 1, context: context()) }
            #expect(try await store.indexEvents(.installedProducts, subject: "IC-1.2", afterVersion: 2, limit: 10).count == 2)
        }
    }

    @Test("R-2.1 search rows: a customer's words (name, contacts, addresses, folded to lower case without accents) are rows written with it; a prefix is a byte-order range paged by id", arguments: Backend.available)
    func customerTerms(backend: Backend) async throws {
        try await backend.withStore { store in
            var zoe = Customer(id: "C-10", kind: .person, name: "Zoë Smithson",
                               contacts: [.init(id: "CT-1", name: "Zoë", email: "zoe.s@example.org", phone: "+44 20 7946 0000")],
                               addresses: [.init(id: "AD-1", purpose: "home", line1: "1 Rue Ångström", city: "Lyon", postalCode: "69001", country: "FR")])
            try await store.insert(zoe, context: context())
            try await store.insert(Customer(id: "C-1", kind: .company, name: "Smith & Sons Ltd"), context: context())
            try await store.insert(Customer(id: "C-2", kind: .person, name: "Ann Smyth"), context: context())
            func found(_ prefix: String, after cursor: String? = nil, limit: Int = 10) async throws -> [String] {
                try await store.indexRows(.customerTerms, where: "term", startingWith: prefix, after: cursor, limit: limit).compactMap { $0["customer"] }
            }
            // Byte order: C-10|… sorts before C-1|… ('0' < '|'), and each customer's rows are next to each other.
            #expect(try await found("smith") == ["C-10", "C-1"])
            #expect(try await found("sm") == ["C-10", "C-1", "C-2"])
            #expect(try await found("zoe") == ["C-10"], "once, though in the name and the e-mail")
            for word in ["angstrom", "lyon", "69001", "rue"] { #expect(try await found(word) == ["C-10"], "\(word)") }
            #expect(try await found("442079460000") == ["C-10"], "a phone number is also one word of its digits")
            #expect(try await found("smith", limit: 1) == ["C-10"])
            #expect(try await found("smith", after: "C-10|\u{10FFFF}") == ["C-1"])
            #expect(try await found("x").isEmpty)
            #expect(try await found("").isEmpty)
            // A change writes the new words with the customer (the old ones stay; readers check the customer).
            zoe.name = "Zoë Durand"
            try await store.update(zoe, expectedVersion: 1, context: context())
            #expect(try await found("durand") == ["C-10"])
            await storeError(.conflict) {
                var stale = zoe
                stale.name = "Nobody Else"
                try await store.update(stale, expectedVersion: 1, context: context())
            }
            #expect(try await found("nobody").isEmpty, "a refused write leaves no word")
        }
    }
}
