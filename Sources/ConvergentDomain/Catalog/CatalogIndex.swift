/// A catalog compiled for the configuration engine: products by dense index, the bundle tree
/// both ways, and rules indexed by the products they concern, so that verifying touches only
/// what a product can affect. Immutable and shared between configurations.
public final class CatalogIndex: Sendable {
    public struct Membership: Sendable {
        public let child: Int
        public let min: Int
        public let max: Int
        /// The membership's own period intersected with the child product's period.
        public let period: Period?
        public let obsoleteDate: Day?
    }

    public let catalog: Catalog
    public let products: [Product]
    public let index: [ProductID: Int]
    public let memberships: [[Membership]]
    /// Parent products that contain a product.
    public let parents: [[Int]]
    public let sells: [[Int]]
    public let rules: [ConfigurationRule]
    /// What the verifier needs of each rule, compact (20 bytes) so that checking thousands of
    /// rules reads little memory; the full rule is read only to write a message.
    struct CompiledRule: Sendable {
        enum Kind: UInt8, Sendable { case prerequisite, exclusion, cardinality, other }
        let kind: Kind
        /// Product indexes (-1 when unknown): required/dependent, first/second, product/-.
        let first: Int32
        let second: Int32
        let min: Int32
        let max: Int32
    }

    let compiled: [CompiledRule]
    /// Rules judged per contract from product counts (prerequisite, exclusion, cardinality), by product.
    let contractRulesBySubject: [[Int]]
    /// Each contract rule once, under the product whose presence can break it (a prerequisite's
    /// dependent, an exclusion's first product, a cardinality rule's product): what a full
    /// verification walks, without checking a rule twice.
    let triggerRulesBySubject: [[Int]]
    /// Cardinality rules with a minimum, per contract product whose tree reaches their product.
    let minimumRulesByContract: [[Int]]
    let bringsBySource: [[Int]]
    let reliesBySource: [[Int]]
    /// the commitments configuring a product brings (triggering rules), by product.
    public let commitmentTriggers: [ProductID: [ProductID]]
    /// the products each commitment covers (covering rules), by commitment.
    public let commitmentCoverage: [ProductID: Set<ProductID>]

    /// Builds the index; the catalog should have passed `CatalogIntegrity` (unknown references are skipped).
    public init(_ catalog: Catalog) {
        self.catalog = catalog
        products = catalog.products
        var index: [ProductID: Int] = [:]
        for (i, p) in catalog.products.enumerated() where index[p.id] == nil { index[p.id] = i }
        self.index = index
        let n = products.count
        var memberships = [[Membership]](repeating: [], count: n)
        var parents = [[Int]](repeating: [], count: n)
        var sells = [[Int]](repeating: [], count: n)
        for (i, p) in products.enumerated() {
            for c in p.components {
                guard let ci = index[c.product] else { continue }
                let own = products[ci].sellingPeriod
                let period: Period? = switch (c.sellingPeriod, own) {
                case (nil, nil): nil
                case let (a?, nil): a
                case let (nil, b?): b
                case let (a?, b?): a.intersected(with: b)
                }
                memberships[i].append(Membership(child: ci, min: c.min, max: c.max, period: period, obsoleteDate: c.obsoleteDate))
                parents[ci].append(i)
            }
            sells[i] = p.sells.compactMap { index[$0] }
        }
        self.memberships = memberships
        self.parents = parents
        self.sells = sells
        rules = catalog.rules
        compiled = catalog.rules.map { rule in
            let named = rule.kind.namedProducts.map { Int32(index[$0.product] ?? -1) }
            let first = named.first ?? -1, second = named.count > 1 ? named[1] : -1
            switch rule.kind {
            case .commercialPrerequisite: return CompiledRule(kind: .prerequisite, first: first, second: second, min: 0, max: 0)
            case .exclusion: return CompiledRule(kind: .exclusion, first: first, second: second, min: 0, max: 0)
            case let .cardinality(_, min, max):
                return CompiledRule(kind: .cardinality, first: first, second: -1, min: Int32(clamping: min), max: Int32(clamping: max))
            default: return CompiledRule(kind: .other, first: first, second: second, min: 0, max: 0)
            }
        }

        var bySubject = [[Int]](repeating: [], count: n)
        var byTrigger = [[Int]](repeating: [], count: n)
        var brings = [[Int]](repeating: [], count: n)
        var triggers: [ProductID: [ProductID]] = [:]
        var coverage: [ProductID: Set<ProductID>] = [:]
        var relies = [[Int]](repeating: [], count: n)
        var minimums: [(rule: Int, product: Int)] = []
        for (r, rule) in rules.enumerated() {
            switch rule.kind {
            case let .commercialPrerequisite(a, b), let .exclusion(a, b):
                if let ai = index[a], let bi = index[b] {
                    bySubject[ai].append(r)
                    if bi != ai { bySubject[bi].append(r) }
                    if case .commercialPrerequisite = rule.kind { byTrigger[bi].append(r) } else { byTrigger[ai].append(r) }
                }
            case let .cardinality(p, min, _):
                if let pi = index[p] {
                    bySubject[pi].append(r)
                    byTrigger[pi].append(r)
                    if min > 0 { minimums.append((r, pi)) }
                }
            case let .bringsOnCreation(s, _), let .bringsAndRemoves(s, _):
                if let si = index[s] { brings[si].append(r) }
            case let .reliesOn(s, _, _):
                if let si = index[s] { relies[si].append(r) }
            case let .commitmentTrigger(source, commitment):
                if !(triggers[source]?.contains(commitment) ?? false) { triggers[source, default: []].append(commitment) }
            case let .commitmentCoverage(commitment, covers):
                coverage[commitment, default: []].formUnion(covers)
            }
        }
        commitmentTriggers = triggers
        commitmentCoverage = coverage
        contractRulesBySubject = bySubject
        triggerRulesBySubject = byTrigger
        bringsBySource = brings
        reliesBySource = relies

        var minimumRules = [[Int]](repeating: [], count: n)
        if !minimums.isEmpty {
            for (i, p) in products.enumerated() where p.kind == .contract {
                // Products reachable from this contract product through the tree and sells.
                var seen: Set<Int> = [i]
                var stack = [i]
                while let q = stack.popLast() {
                    for next in memberships[q].map(\.child) + sells[q] where seen.insert(next).inserted { stack.append(next) }
                }
                minimumRules[i] = minimums.filter { seen.contains($0.product) }.map(\.rule)
            }
        }
        minimumRulesByContract = minimumRules
    }

    public func product(_ id: ProductID) -> Product? { index[id].map { products[$0] } }

    public func membership(parent: Int, child: Int) -> Membership? {
        memberships[parent].first { $0.child == child }
    }

    /// Selling status of a product as a member of `parent` (or on its own when top level) on `day`.
    public func sellingInfo(of product: Int, under parent: Int?, on day: Day) -> SellingInfo {
        if let parent, let m = membership(parent: parent, child: product) {
            let obsolete = m.obsoleteDate.flatMap { day >= $0 ? $0 : nil }
            return SellingInfo(status: obsolete != nil ? .past : SellingStatus.of(m.period, on: day), period: m.period, obsoleteSince: obsolete)
        }
        let period = products[product].sellingPeriod
        return SellingInfo(status: SellingStatus.of(period, on: day), period: period)
    }
}
