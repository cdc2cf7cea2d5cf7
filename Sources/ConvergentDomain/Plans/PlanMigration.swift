import Foundation

/// R-13.3: a package plan migration (Emersion): a multi-step order moving one package
/// subscription — an installed instance of a plan's product — to another plan of the same service
/// type, saved at each step and resumable where it stopped.
public struct PlanMigration: Hashable, Sendable, Codable, Identifiable {
    /// The steps, in order. `chooseTarget` and `reviewFee` are the agent's; `fulfilling` is the
    /// order's; the last three end it.
    public enum Step: String, Hashable, Sendable, Codable, CaseIterable {
        case chooseTarget, reviewFee, fulfilling, completed, aborted, failed

        public var isOpen: Bool { self == .chooseTarget || self == .reviewFee || self == .fulfilling }
        /// The agent can still change or abort it (the order is not made yet).
        public var isTheAgents: Bool { self == .chooseTarget || self == .reviewFee }
    }

    /// R-13.1: a break-out fee waived by a user who may (`waive-fees`), and why.
    public struct Waiver: Hashable, Sendable, Codable {
        public var by: String
        public var reason: String
        public var on: Day
        public init(by: String, reason: String, on: Day) {
            self.by = by
            self.reason = reason
            self.on = on
        }
    }

    public var id: String
    public var customer: String
    public var contract: String
    /// The package subscription: the installed product of the plan's product.
    public var instance: String
    public var serviceType: String
    public var fromPlan: String
    public var toPlan: String?
    public var step: Step
    /// What the pool decides for the chosen target, shown before confirmation and recorded.
    public var decision: PoolDecision?
    public var waiver: Waiver?
    /// The change order that carries it through fulfillment.
    public var order: String?
    /// Who started it, and the agent attributed to the customer's sale: only users who may act for
    /// that agent work on it.
    public var startedBy: String
    public var actingFor: String?
    public var startedOn: Day
    public var history: [StatusChange<Step>]
    /// Why it failed or was aborted.
    public var outcome: String?

    public init(id: String, customer: String, contract: String, instance: String, serviceType: String, fromPlan: String, startedBy: String,
                actingFor: String? = nil, startedOn: Day) {
        self.id = id
        self.customer = customer
        self.contract = contract
        self.instance = instance
        self.serviceType = serviceType
        self.fromPlan = fromPlan
        step = .chooseTarget
        self.startedBy = startedBy
        self.actingFor = actingFor
        self.startedOn = startedOn
        history = [StatusChange(status: .chooseTarget, on: startedOn, reason: "started by \(startedBy)")]
    }

    public static func id(number: Int) -> String { String(format: "PM-%06d", number) }

    /// The fee charged once confirmed: the pool's, unless waived; none for a migration that ended
    /// without moving the package.
    public var feeCharged: PoolAmount? {
        guard waiver == nil, step != .aborted, step != .failed, let fee = decision?.fee, fee.amount > 0 else { return nil }
        return fee
    }

    /// R-13.1: the one-time charge its confirmation puts on the change order: the fee (unless
    /// waived), or the discount as a negative amount; the reason names the migration and the row.
    public var charge: (amount: Decimal, currency: String, reason: String)? {
        let row = decision?.rule.map { " (\($0))" } ?? ""
        if let fee = feeCharged { return (fee.amount, fee.currency, "break-out fee of plan migration \(id)\(row)") }
        if let discount = decision?.discount, discount.amount > 0 {
            return (-discount.amount, discount.currency, "discount of plan migration \(id)\(row)")
        }
        return nil
    }

    /// What it charges, in words: the fee, the discount, the fee waived, or no fee.
    public var moneyText: String {
        feeCharged.map { "break-out fee \($0.amount) \($0.currency)" } ?? decision?.discount.map { "discount \($0.amount) \($0.currency)" }
            ?? (waiver.map { "fee waived by \($0.by)" } ?? "no fee")
    }

    /// How long a confirmation may take before a draft order it left behind counts as cut short.
    public static let confirmationTimeout: TimeInterval = 300

    /// R-13.3: a confirmation cut short (the process stopped after naming its order, before
    /// submitting it): its order still a draft this long after the migration was last written.
    public func isCutShort(orderStatus: OrderStatus, lastWritten: Date, now: Date) -> Bool {
        step == .fulfilling && orderStatus == .draft && now.timeIntervalSince(lastWritten) > Self.confirmationTimeout
    }

    /// A confirmation that did not get its order submitted (refused on the way, or cut short),
    /// taken back to its review with why; the caller cancels the order.
    public mutating func takeBack(because why: String, on day: Day) {
        guard step == .fulfilling else { return }
        let cancelled = order
        order = nil
        outcome = why
        move(to: .reviewFee, on: day, because: why + (cancelled.map { "; order \($0) cancelled" } ?? ""))
    }

    /// R-13.3: completed by its order: in `contract` as the order settled it, the package free
    /// again and the new plan's installed product (`newProduct`, under the package's parent)
    /// recording the migration with its fee or discount. Returns the contract to write.
    public mutating func complete(in contract: InstalledContract, newProduct: ProductID?, order: String, on day: Day) -> InstalledContract {
        guard step == .fulfilling else { return contract }
        let made = contract.product(instance)?.parent.flatMap { contract.product($0)?.component.components.first { c in
            c.product == newProduct && c.id != instance && c.status != .disconnected && c.status != .pendingDisconnection
        } }
        let record = PlanChangeRecord(self, on: day)
        var changed = contract.markingPlanMigration(instance, nil)
        changed.root = changed.root.map { product in
            var p = product
            if p.id == made?.id { p.planChange = record }
            return p
        }
        finish(completed: true, on: day, because: "order \(order) completed: \(made?.id ?? instance) on \(toPlan ?? "?"); \(moneyText)")
        return changed
    }

    mutating func move(to step: Step, on day: Day, because reason: String) {
        self.step = step
        history.append(StatusChange(status: step, on: day, reason: reason))
    }

    /// Step 1 → 2: the target chosen (again, while it is the agent's) with what the pool decides.
    public mutating func choose(_ plan: PackagePlan, decision: PoolDecision, on day: Day) throws(PlanMigrationError) {
        guard step.isTheAgents else { throw PlanMigrationError(.notAtStep, "\(id) is \(step.rawValue); the target is chosen before confirmation", field: "plan") }
        toPlan = plan.id
        self.decision = decision
        waiver = nil
        move(to: .reviewFee, on: day, because: "\(decision.migration.rawValue) to \(plan.id) (\(decision.state.rawValue))")
    }

    /// R-13.1: the fee waived (the caller checked the permission), with who and why.
    public mutating func waive(by user: String, reason: String, on day: Day) throws(PlanMigrationError) {
        guard step == .reviewFee else { throw PlanMigrationError(.notAtStep, "\(id) is \(step.rawValue); a fee is waived while it is reviewed", field: "reason") }
        guard let fee = decision?.fee, fee.amount > 0 else { throw PlanMigrationError(.noFee, "\(id) has no break-out fee to waive", field: "reason") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw PlanMigrationError(.invalid, "say why the fee is waived", field: "reason") }
        waiver = Waiver(by: user, reason: reason, on: day)
        history.append(StatusChange(status: step, on: day, reason: "fee of \(fee.amount) \(fee.currency) waived by \(user): \(reason)"))
    }

    /// Step 2 → 3: confirmed; its order is being fulfilled.
    public mutating func confirm(order: String, on day: Day) throws(PlanMigrationError) {
        guard step == .reviewFee else { throw PlanMigrationError(.notAtStep, "\(id) is \(step.rawValue); choose the target plan and review the fee first", field: "step") }
        self.order = order
        move(to: .fulfilling, on: day, because: "confirmed; order \(order)")
    }

    public mutating func abort(because reason: String, on day: Day) throws(PlanMigrationError) {
        guard step.isTheAgents else { throw PlanMigrationError(.notAtStep, "\(id) is \(step.rawValue); only a migration not yet confirmed can be aborted", field: "step") }
        outcome = reason
        move(to: .aborted, on: day, because: reason)
    }

    /// Its order completed (the subscription is on the new plan) or was cancelled.
    public mutating func finish(completed: Bool, on day: Day, because reason: String) {
        guard step == .fulfilling else { return }
        if !completed { outcome = reason }
        move(to: completed ? .completed : .failed, on: day, because: reason)
    }
}

extension InstalledContract {
    /// R-13.2: the contract with `instance` marked as in plan migration `id` (nil: free again) —
    /// written with the migration, so that one package is in one migration at a time.
    public func markingPlanMigration(_ instance: String, _ id: String?) -> InstalledContract {
        var marked = self
        marked.root = root.map { product in
            var p = product
            if p.id == instance { p.openPlanMigration = id }
            return p
        }
        return marked
    }
}

public enum PlanMigrationErrorCode: String, RefusalCode {
    case notAtStep = "plan-migration-not-at-step"
    case noFee = "no-fee-to-waive"
    case notAPackage = "not-a-package-subscription"
    case invalid = "invalid-plan-migration"
}

public typealias PlanMigrationError = Refusal<PlanMigrationErrorCode>

/// R-13.3: what one migration records on the package subscription it made: the plans, the
/// migration type, and the fee or discount (and whether the fee was waived).
public struct PlanChangeRecord: Hashable, Sendable, Codable {
    public var migration: String
    public var fromPlan: String
    public var toPlan: String
    public var type: PlanChange
    public var fee: PoolAmount?
    public var discount: PoolAmount?
    public var waivedBy: String?
    public var on: Day

    public init(_ m: PlanMigration, on day: Day) {
        migration = m.id
        fromPlan = m.fromPlan
        toPlan = m.toPlan ?? ""
        type = m.decision?.migration ?? .crossgrade
        fee = m.decision?.fee
        discount = m.decision?.discount
        waivedBy = m.waiver?.by
        on = day
    }
}
