public typealias HoldError = Refusal<HoldErrorCode>

/// The codes of the holds context: overriding a hold.
public enum HoldErrorCode: String, RefusalCode {
    case unknownHold = "unknown-hold"
    case holdNotOverridable = "hold-not-overridable"
    case overrideReasonRequired = "override-reason-required"
}
