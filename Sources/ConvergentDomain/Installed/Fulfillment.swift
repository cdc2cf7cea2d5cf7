/// first part: what fulfilling an order line does to the installed base, in two steps —
/// pending (when fulfillment starts) and provisioned (when the provisioning systems answer; today
/// the embedded simulator answers at once). Provisioning messages, retries, jeopardy and the
/// synchronisation of child orders come with the rest of the fulfillment issue.
public enum Fulfillment {
    /// The installed contract a new line creates (`IC-<order>-<line>`).
    public static func contractID(order: String, line: Int) -> String { "IC-\(order)-\(line)" }

    /// Step 1: a new line creates its contract with every component Pending Activation (ids
    /// `<contract>.<n>` in tree order); a change adds the new components Pending Activation and
    /// marks removed ones (with what is below them) Pending Disconnection; suspend, resume and
    /// disconnect mark the whole contract; suspend/change does both. Nil for a line with nothing to install.
    public static func pending(line: OrderLine, order: String, existing: InstalledContract?, on day: Day) -> InstalledContract? {
        if line.isNew {
            guard let configuration = line.configuration else { return nil }
            let id = contractID(order: order, line: line.number)
            var next = 0
            func install(_ c: ConfigurationDocument.Component, isRoot: Bool) -> ConfigurationDocument.Component {
                var copy = c
                if isRoot { copy.id = id } else { next += 1; copy.id = "\(id).\(next)" }
                copy.installedStatus = .pendingActivation
                copy.broughtBy = nil
                copy.removed = nil
                copy.components = c.components?.map { install($0, isRoot: false) }
                return copy
            }
            return InstalledContract(id: id, customer: line.customer, status: .pendingActivation, installedOn: day,
                                     root: install(configuration.root, isRoot: true))
        }
        guard var contract = existing else { return nil }
        if [.change, .suspendChange].contains(line.action), let configuration = line.configuration {
            var next = (contract.root.allKeys.compactMap { $0.split(separator: ".").last.flatMap { Int($0) } }.max() ?? 0)
            func apply(_ c: ConfigurationDocument.Component, removing: Bool) -> ConfigurationDocument.Component {
                var copy = c
                let removedHere = removing || c.removed == true
                if c.installedStatus == nil {
                    next += 1
                    copy.id = "\(contract.id).\(next)"
                    copy.installedStatus = .pendingActivation
                } else if removedHere {
                    copy.installedStatus = .pendingDisconnection
                }
                copy.removed = nil
                copy.broughtBy = nil
                copy.components = c.components?.map { apply($0, removing: removedHere) }
                return copy
            }
            contract.root = apply(configuration.root, removing: false)
        }
        let whole: InstalledStatus? = switch line.action {
        case .suspend, .suspendChange: .pendingSuspension
        case .resume: .pendingResumption
        case .disconnect: .pendingDisconnection
        case .add, .change: nil
        }
        if let whole {
            func mark(_ c: ConfigurationDocument.Component) -> ConfigurationDocument.Component {
                var copy = c
                if c.installedStatus != .disconnected, c.installedStatus != .pendingDisconnection || whole == .pendingDisconnection {
                    copy.installedStatus = whole
                }
                copy.components = c.components?.map(mark)
                return copy
            }
            contract.root = mark(contract.root)
        }
        contract.status = contract.root.installedStatus ?? contract.status
        return contract
    }

    /// Step 2: the provisioning systems answered; every pending status becomes final.
    public static func provisioned(_ contract: InstalledContract) -> InstalledContract {
        func settle(_ c: ConfigurationDocument.Component) -> ConfigurationDocument.Component {
            var copy = c
            copy.installedStatus = switch c.installedStatus {
            case .pendingActivation, .pendingResumption: .active
            case .pendingSuspension: .suspended
            case .pendingDisconnection: .disconnected
            default: c.installedStatus
            }
            copy.components = c.components?.map(settle)
            return copy
        }
        var settled = contract
        settled.root = settle(contract.root)
        settled.status = settled.root.installedStatus ?? contract.status
        return settled
    }
}

extension Order {
    /// Fulfillment starts: the order and its submitted lines are in fulfillment.
    public mutating func startFulfillment() throws(OrderError) {
        try move(to: .inFulfillment)
        for i in lines.indices where lines[i].status == .submitted { lines[i].status = try lines[i].status.transition(to: .inFulfillment) }
    }

    /// One of this parent's children completed on `day`: the parent completes once every other
    /// child (`otherChildren`, their statuses) has too.
    public mutating func childCompleted(otherChildren: [OrderStatus], on day: Day) throws(OrderError) {
        if otherChildren.allSatisfy({ $0 == .completed }), status != .completed { try completeFulfillment(on: day) }
    }

    /// Fulfillment is complete on `day`: lines and order completed, the completion date
    /// recorded and, R-10.2, the trial period's end date set — for convergent, simple and
    /// service-management orders (the latter for change and suspend/change only), not for parents
    /// that generated children (their children have it).
    public mutating func completeFulfillment(on day: Day) throws(OrderError) {
        if status == .submitted { try move(to: .inFulfillment) }
        try move(to: .completed)
        for i in lines.indices where lines[i].status != .completed && lines[i].status != .cancelled {
            if lines[i].status == .submitted { lines[i].status = try lines[i].status.transition(to: .inFulfillment) }
            lines[i].status = try lines[i].status.transition(to: .completed)
        }
        completedOn = day
        let trialApplies = children.isEmpty && (captureType == .simple || captureType == .convergent
            || (captureType == .serviceManagement && lines.contains { $0.action == .change || $0.action == .suspendChange }))
        if trialApplies, let days = header.trialDays { trialEndsOn = day.adding(days: days) }
    }
}
