import ConvergentDomain
import Foundation

/// `convergent bench verify`: builds a configuration of about `components` instances against a
/// catalog with `rules` rules, then times a full verification and re-verification after one
/// add or remove.
public enum VerifyBenchmark {
    public struct Result: Codable, Sendable {
        public var components: Int
        public var rules: Int
        public var contracts: Int
        public var iterations: Int
        public var verify_median_ms: Double
        public var verify_p99_ms: Double
        public var reverify_median_ms: Double
        public var reverify_p99_ms: Double
        public var status: String
    }

    /// A synthetic operator catalog: one contract product with `plays` plays (by default one per
    /// 500 rules, at least 20, so a larger catalog carries more rules but not more rules per
    /// product), four offers per play, five atomic offers per offer, each selling its own
    /// functional component; and `rules` rules of every verifying kind.
    public static func syntheticCatalog(rules ruleCount: Int, plays requestedPlays: Int? = nil, seed: UInt64 = 1) -> Catalog {
        let plays = requestedPlays ?? max(20, ruleCount / 500)
        var rng = SeededRandom(seed: seed)
        var products: [Product] = [Product(id: "CON", name: "Contract", kind: .contract,
                                           components: (0..<plays).map { PackageComponent(product: ProductID("PL\($0)"), min: 0, max: 1) })]
        var atomics: [ProductID] = []
        var functionals: [ProductID] = []
        for p in 0..<plays {
            products.append(Product(id: ProductID("PL\(p)"), name: "Play \(p)", kind: .play,
                                    components: (0..<4).map { PackageComponent(product: ProductID("OF\(p)_\($0)"), min: 0, max: 2) }))
            for o in 0..<4 {
                products.append(Product(id: ProductID("OF\(p)_\(o)"), name: "Offer \(p).\(o)", kind: .offer,
                                        components: (0..<5).map { PackageComponent(product: ProductID("AO\(p)_\(o)_\($0)"), min: 0, max: 3) }))
                for a in 0..<5 {
                    let id = ProductID("AO\(p)_\(o)_\(a)"), f = ProductID("FN\(p)_\(o)_\(a)")
                    atomics.append(id)
                    functionals.append(f)
                    products.append(Product(id: id, name: "Atomic \(p).\(o).\(a)", kind: .atomicOffer,
                                            attributes: [AttributeDefinition(name: "speed", type: .number, required: a == 0, defaultValue: "100")],
                                            sells: [f]))
                    products.append(Product(id: f, name: "Functional \(p).\(o).\(a)", kind: .functional))
                }
            }
        }
        // Rules a configuration built by `syntheticConfiguration` (offers 0–1, atomic offers 0–2 of
        // each offer) mostly satisfies, about 1 % of them broken, as in a real order being taken.
        var rules: [ConfigurationRule] = []
        func atomic(_ p: Int, _ o: Int, _ a: Int) -> ProductID { ProductID("AO\(p)_\(o)_\(a)") }
        func functional(_ p: Int, _ o: Int, _ a: Int) -> ProductID { ProductID("FN\(p)_\(o)_\(a)") }
        for r in 0..<ruleCount {
            let p = Int(rng.next() % UInt64(plays)), o = Int(rng.next() % 2)
            let broken = r % 100 == 0
            let kind: RuleKind = switch r % 5 {
            case 0: .commercialPrerequisite(required: atomic(p, o, broken ? 3 : 0), dependent: atomic(p, o, 1))
            case 1: .exclusion(first: atomic(p, o, 0), second: broken ? atomic(p, o, 2) : atomic(p, o, 4))
            case 2: .cardinality(product: atomic(p, o, Int(rng.next() % 5)), min: 0, max: broken ? 0 : 3)
            case 3: .reliesOn(source: functional(p, o, 1), target: functional(p, o, 0), scope: .contract)
            default: r % 2 == 0 ? .bringsOnCreation(source: atomic(p, o, 0), target: atomic(p, o, 3))
                                : .bringsAndRemoves(source: atomic(p, o, 0), target: atomic(p, o, 4))
            }
            rules.append(ConfigurationRule(id: "R\(r)", kind: kind, severity: r % 7 == 0 ? .warning : .error, message: "rule \(r)"))
        }
        return Catalog(header: CatalogHeader(version: "bench", effectiveFrom: Day(daysSinceEpoch: 0)), products: products, rules: rules)
    }

    /// A configuration of about `components` new instances: contracts of about 80 components
    /// each, spread over 20 customers, built as a document (so brings rules do not fire while
    /// building; relies-on links are made where the target is unambiguous).
    public static func syntheticConfiguration(components: Int, catalog: CatalogIndex, seed: UInt64 = 2) throws -> Configuration {
        var rng = SeededRandom(seed: seed)
        var contracts: [ConfigurationDocument.Contract] = []
        var count = 0
        var n = 0
        let plays = catalog.memberships[catalog.index["CON"]!].map(\.child)
        while count < components {
            var root = ConfigurationDocument.Component(id: "c\(n)", product: "CON", components: [])
            count += 1
            for _ in 0..<5 where count < components {
                let play = plays[Int(rng.next() % UInt64(plays.count))]
                guard !root.components!.contains(where: { $0.product == catalog.products[play].id }) else { continue }
                var playNode = ConfigurationDocument.Component(id: "c\(n)-\(count)", product: catalog.products[play].id, components: [])
                count += 1
                for offer in catalog.memberships[play].prefix(2).map(\.child) where count < components {
                    var offerNode = ConfigurationDocument.Component(id: "c\(n)-\(count)", product: catalog.products[offer].id, components: [])
                    count += 1
                    for atomic in catalog.memberships[offer].prefix(3).map(\.child) where count < components {
                        let f = catalog.sells[atomic][0]
                        offerNode.components!.append(.init(id: "c\(n)-\(count)", product: catalog.products[atomic].id,
                                                           components: [.init(id: "c\(n)-\(count)f", product: catalog.products[f].id)]))
                        count += 2
                    }
                    playNode.components!.append(offerNode)
                }
                root.components!.append(playNode)
            }
            contracts.append(.init(customer: "CUST-\(n % 20)", root: root))
            n += 1
        }
        return try Configuration(document: ConfigurationDocument(productSellingDate: Day(daysSinceEpoch: 20_000), contracts: contracts),
                                 catalog: catalog, today: Day(daysSinceEpoch: 20_000))
    }

    /// A configuration for a real catalog: each contract product in turn, filled by adding its
    /// addable components with the engine's own operations, until `components` instances.
    public static func configuration(components: Int, catalog: CatalogIndex, day: Day, seed: UInt64 = 3) throws -> Configuration {
        var rng = SeededRandom(seed: seed)
        var config = Configuration(catalog: catalog, productSellingDate: day)
        let contractProducts = catalog.products.indices.filter { catalog.products[$0].kind == .contract }
        var document = ConfigurationDocument(productSellingDate: day, contracts: [])
        var n = 0
        while config.instanceCount < components {
            let product = contractProducts[n % contractProducts.count]
            document.contracts.append(.init(customer: "CUST-\(n % 20)", root: .init(id: "c\(n)", product: catalog.products[product].id)))
            config = try Configuration(document: document, catalog: catalog, today: day)
            var descendants: [ProductID] = []
            var stack = [product]
            while let p = stack.popLast() {
                for m in catalog.memberships[p] {
                    descendants.append(catalog.products[m.child].id)
                    stack.append(m.child)
                }
            }
            for _ in 0..<(descendants.count * 2) where config.instanceCount < components && !descendants.isEmpty {
                let pick = descendants[Int(rng.next() % UInt64(descendants.count))]
                if case let .question(q) = (try? config.add(pick, toContract: "c\(n)")) ?? .applied(created: [], removed: []) {
                    _ = try? config.add(pick, toContract: "c\(n)", placements: [q.product: q.candidates[0].instance])
                }
            }
            document = config.document()
            n += 1
        }
        return config
    }

    public static func run(configuration: Configuration, iterations: Int) -> Result {
        var config = configuration
        let size = config.instanceCount
        var verify: [Double] = []
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            config.verifyAll()
            verify.append(milliseconds(ContinuousClock.now - start))
        }
        // Re-verification: add one component to a contract, then remove it; each timed on its own.
        var reverify: [Double] = []
        var rng = SeededRandom(seed: 9)
        let catalog = config.catalog
        let addable: [(contract: String, product: ProductID, parent: String)] = config.allInstances.compactMap { inst in
            guard inst.relation == .childOf, !inst.deleted,
                  let m = catalog.memberships[inst.product].first(where: { catalog.products[$0.child].kind.isCommercial }) else { return nil }
            return (config.instance(inst.contract)!.key, catalog.products[m.child].id, inst.key)
        }
        for _ in 0..<max(iterations * 10, 100) where !addable.isEmpty {
            let pick = addable[Int(rng.next() % UInt64(addable.count))]
            var start = ContinuousClock.now
            guard case let .applied(created, _)? = try? config.add(pick.product, toContract: pick.contract, under: pick.parent),
                  let first = created.first else { continue }
            reverify.append(milliseconds(ContinuousClock.now - start))
            start = ContinuousClock.now
            _ = try? config.remove(first)
            reverify.append(milliseconds(ContinuousClock.now - start))
        }
        return Result(components: size, rules: catalog.rules.count, contracts: config.contracts.count, iterations: iterations,
                      verify_median_ms: percentile(verify, 0.5), verify_p99_ms: percentile(verify, 0.99),
                      reverify_median_ms: percentile(reverify, 0.5), reverify_p99_ms: percentile(reverify, 0.99), status: config.status.rawValue)
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let value = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        return (value * 1000).rounded() / 1000
    }
}

