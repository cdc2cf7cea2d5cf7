import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation

// Fulfillment on the wire.

extension Wire.JeopardyPage {
    init(_ page: (items: [Fulfiller.JeopardyEntry], nextCursor: String?)) {
        self.init(items: page.items.map(Wire.JeopardyOrder.init), nextCursor: page.nextCursor)
    }
}

extension Wire.JeopardyOrder {
    init(_ entry: Fulfiller.JeopardyEntry) {
        self.init(order: entry.order, captureType: entry.captureType.rawValue, customer: entry.customer, jeopardy: Wire.Jeopardy(entry.jeopardy),
                  version: entry.version)
    }
}

extension Wire.Jeopardy {
    init(_ jeopardy: Jeopardy) {
        self.init(since: jeopardy.since, messages: jeopardy.messages, reason: jeopardy.reason)
    }
}
