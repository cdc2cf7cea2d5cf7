/// …: a configuration session over an order's contracts, kept between requests.
public struct ConfigurationSession: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable {
        case open, saved, submitted, cancelled
    }

    public var id: String
    public var orderID: String
    /// The order's version when the session opened: saving or submitting over a changed order is a conflict.
    public var orderVersion: Int
    public var status: Status
    /// Contract instance id → order line number.
    public var contractLines: [String: Int]
    public private(set) var document: ConfigurationDocument

    /// Opens a session over every line whose action takes part in sessions (add, change,
    /// suspend/change — ), grouped by customer, then line. A line not configured yet starts
    /// as its bare contract, with id `L<line>`.
    public static func open(id: String, order: Order, orderVersion: Int, productSellingDate: Day) throws(OrderError) -> ConfigurationSession {
        guard order.status.isEditable else {
            throw OrderError(.notEditable, "order \(order.id) is \(order.status.rawValue); sessions open on orders that can change", field: "status")
        }
        let lines = order.lines.filter { $0.action.takesPartInSessions && $0.isNew }
            .sorted { ($0.customer, $0.number) < ($1.customer, $1.number) }
        guard !lines.isEmpty else {
            throw OrderError(.nothingToConfigure, "order \(order.id) has no line to configure", field: "lines")
        }
        var contracts: [ConfigurationDocument.Contract] = []
        var map: [String: Int] = [:]
        for line in lines {
            let contract = line.configuration ?? .init(customer: line.customer, root: .init(id: "L\(line.number)", product: line.product))
            map[contract.root.id] = line.number
            contracts.append(contract)
        }
        return ConfigurationSession(id: id, orderID: order.id, orderVersion: orderVersion, status: .open, contractLines: map,
                                    document: ConfigurationDocument(productSellingDate: productSellingDate, contracts: contracts))
    }

    /// Keeps the configuration after operations (only while open).
    public mutating func update(_ configuration: Configuration) throws(OrderError) {
        try requireOpen()
        document = configuration.document()
    }

    /// save and submit: each line's tree with its status — Not Validated when saved,
    /// the verification's result when submitted.
    public func results(of configuration: Configuration, submitted: Bool) -> [(line: Int, contract: ConfigurationDocument.Contract, status: LineConfigurationStatus)] {
        let report = submitted ? configuration.report() : nil
        return configuration.document().contracts.compactMap { contract in
            guard let line = contractLines[contract.root.id] else { return nil }
            let status = report.map { LineConfigurationStatus($0.status(ofContract: contract.root.id)) } ?? .notValidated
            return (line, contract, status)
        }
    }

    public mutating func close(as status: Status) throws(OrderError) {
        try requireOpen()
        self.status = status
    }

    private func requireOpen() throws(OrderError) {
        guard status == .open else {
            throw OrderError(.sessionClosed, "session \(id) is \(status.rawValue)", field: "session")
        }
    }
}

extension VerificationReport {
    /// The status of one contract of the configuration: its own errors and warnings only.
    public func status(ofContract contract: String) -> ConfigurationStatus {
        let messages = elements.filter { $0.contract == contract }.flatMap { $0.errors + $0.warnings }
            + contractMessages.filter { $0.contract == contract }
        if messages.contains(where: { $0.severity == .error }) { return .invalid }
        return messages.isEmpty ? .valid : .validWithWarning
    }
}
