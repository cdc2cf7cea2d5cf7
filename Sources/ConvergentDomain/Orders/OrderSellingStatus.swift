/// the selling status of one new element of an order, on the order's reference date.
public struct OrderElementSelling: Hashable, Sendable, Codable {
    public var line: Int
    public var instance: String
    public var product: ProductID
    public var selling: SellingInfo
}

extension Order {
    /// Every new element of every line — a new line's product and the configured new components —
    /// with its selling status on `referenceDate` (the product selling date, else today).
    /// Installed products are serviced whatever their selling period and are not listed.
    public func sellingStatus(catalog: CatalogIndex, referenceDate: Day) -> [OrderElementSelling] {
        var found: [OrderElementSelling] = []
        for line in lines {
            guard let root = catalog.index[line.product] else { continue }
            if line.isNew {
                found.append(.init(line: line.number, instance: line.configuration?.root.id ?? "L\(line.number)", product: line.product,
                                   selling: catalog.sellingInfo(of: root, under: nil, on: referenceDate)))
            }
            func walk(_ component: ConfigurationDocument.Component, parent: Int) {
                guard let p = catalog.index[component.product] else { return }
                if component.installedStatus == nil {
                    found.append(.init(line: line.number, instance: component.id, product: component.product,
                                       selling: catalog.sellingInfo(of: p, under: parent, on: referenceDate)))
                }
                for child in component.components ?? [] { walk(child, parent: p) }
            }
            for child in line.configuration?.root.components ?? [] { walk(child, parent: root) }
        }
        return found
    }
}
