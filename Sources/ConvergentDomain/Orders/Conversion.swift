/// conversions between capture types.
extension Order {
    /// A simple or service-management order becomes a convergent order before submission,
    /// keeping its id and lines.
    public mutating func convertToConvergent() throws(OrderError) {
        guard captureType == .simple || captureType == .serviceManagement else {
            throw OrderError(.notAllowedForCaptureType, "only simple and service-management orders convert to convergent orders", field: "captureType")
        }
        guard status == .draft || status == .held else {
            throw OrderError(.notEditable, "order \(id) is \(status.rawValue); it converts before submission only", field: "status")
        }
        captureType = .convergent
    }

    /// A new order from a quote: every line whatever its selling status, the product selling date,
    /// the trial duration and the source; the fulfill-by date recomputed from the future elements
    /// (blank if none). Validated lines come over Invalidated: they are verified again on the order.
    public static func converted(from quote: Order, id: String, captureType: CaptureType, orderDate: Day,
                                 catalog: CatalogIndex, today: Day) throws(OrderError) -> Order {
        guard quote.captureType == .quote else {
            throw OrderError(.notAllowedForCaptureType, "\(quote.id) is not a quote", field: "captureType")
        }
        guard captureType == .simple || captureType == .convergent else {
            throw OrderError(.notAllowedForCaptureType, "a quote converts to a simple or a convergent order", field: "captureType")
        }
        if let done = quote.convertedTo {
            throw OrderError(.alreadyConverted, "quote \(quote.id) was already converted to \(done)", field: "id")
        }
        var header = quote.header
        header.fulfillBy = nil
        var order = try Order(id: id, captureType: captureType, orderDate: orderDate, header: header)
        order.lines = quote.lines.map { line in
            var copy = line
            copy.configurationStatus = line.configurationStatus.invalidated
            copy.status = .open
            return copy
        }
        order.nextLineNumber = quote.nextLineNumber
        order.storedAdjustments = quote.storedAdjustments
        order.storedLinks = quote.storedLinks
        order.convertedFrom = quote.id
        order.header.fulfillBy = HoldContext(order: order, catalog: catalog, today: today).latestFutureStart()
        return order
    }

    /// Records the order a quote was converted to.
    public mutating func markConverted(to orderID: String) throws(OrderError) {
        if let done = convertedTo {
            throw OrderError(.alreadyConverted, "quote \(id) was already converted to \(done)", field: "id")
        }
        convertedTo = orderID
    }
}
