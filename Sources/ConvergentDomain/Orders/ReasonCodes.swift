import Foundation

/// R-3.3: the reason codes an administrator allows per line action. An action with codes set up
/// takes only those; an action without any takes a free-text reason.
public struct ReasonCodes: Hashable, Sendable, Codable {
    /// Line action (its raw value: add, change, disconnect, suspend, suspendChange, resume) → codes.
    public var codes: [String: [String]]

    public init(codes: [String: [String]] = [:]) {
        self.codes = codes
    }

    /// The aggregate id of the setup record.
    public static let id = "reason-codes"

    public static let demo = ReasonCodes(codes: [
        "change": ["upgrade", "downgrade", "correction"],
        "disconnect": ["moving", "cost", "service-quality", "deceased"],
        "suspend": ["travel", "seasonal", "non-payment"],
        "suspendChange": ["travel", "seasonal"],
        "resume": ["back", "paid"],
    ])

    /// Known actions only, codes not empty and each once per action.
    public func validate() throws(SetupError) {
        for action in codes.keys.sorted() {
            guard LineAction(rawValue: action) != nil else {
                throw SetupError(.invalidReasonCodes, "'\(action)' is not a line action (\(LineAction.allCases.map(\.rawValue).joined(separator: ", ")))", field: "codes.\(action)")
            }
            let list = codes[action]!
            guard !list.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw SetupError(.invalidReasonCodes, "a reason code cannot be empty", field: "codes.\(action)")
            }
            guard Set(list).count == list.count else {
                throw SetupError(.invalidReasonCodes, "a reason code is listed twice for \(action)", field: "codes.\(action)")
            }
        }
    }

    /// A line's reason: any text for an action without codes, one of its codes otherwise.
    public func check(_ reason: String?, for action: LineAction) throws(OrderError) {
        guard let reason, let allowed = codes[action.rawValue], !allowed.isEmpty else { return }
        guard allowed.contains(reason) else {
            throw OrderError(.unknownReasonCode, "'\(reason)' is not a reason code for \(action.rawValue): use one of \(allowed.joined(separator: ", "))", field: "reason")
        }
    }
}

extension Order {
    /// R-3.2: adds a related customer to a convergent order, with its header information.
    public mutating func addRelatedCustomer(_ information: CustomerOrderInformation) throws(OrderError) {
        try requireEditable()
        guard captureType.allowsRelatedCustomers else {
            throw OrderError(.notAllowedForCaptureType, "only convergent orders have related customers", field: "customer")
        }
        guard !header.customers.contains(information.customer) else {
            throw OrderError(.duplicateCustomer, "\(information.customer) is already a customer of \(id)", field: "customer")
        }
        header.relatedCustomers.append(information.customer)
        try setInformation(information)
    }

    /// R-3.6: removing a related customer removes its lines, once the caller confirms it; the
    /// sold-to cannot be removed, nor a customer one of whose lines has a link going out (each
    /// line is removed by `removeLine`, whose refusals apply). Returns the lines removed.
    @discardableResult
    public mutating func removeRelatedCustomer(_ customer: String, confirmed: Bool) throws(OrderError) -> [Int] {
        try requireEditable()
        guard customer != header.soldTo else {
            throw OrderError(.soldToFixed, "\(customer) is the sold-to customer; replace it on a new order instead", field: "customer")
        }
        guard header.relatedCustomers.contains(customer) else {
            throw OrderError(.unknownCustomer, "\(customer) is not a related customer of \(id)", field: "customer")
        }
        let numbers = lines.filter { $0.customer == customer }.map(\.number)
        guard numbers.isEmpty || confirmed else {
            throw OrderError(.confirmationRequired, "removing \(customer) removes lines \(numbers.map(String.init).joined(separator: ", ")); confirm to go on", field: "confirm")
        }
        var copy = self
        for number in numbers { try copy.removeLine(number) }
        copy.header.relatedCustomers.removeAll { $0 == customer }
        copy.header.customerInformation = copy.header.customerInformation?.filter { $0.customer != customer }.nilIfEmpty
        self = copy
        return numbers
    }
}
