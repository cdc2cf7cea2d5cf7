import ConvergentCatalogFiles

/// The demo operator "Northwind Telecom": broadband, TV and mobile. Compiled into the
/// binary so that `convergent serve` needs nothing else; `convergent catalog export --demo`
/// writes these files out to be read or changed.
public enum DemoCatalog {
    public static let files: [CatalogFile] = [
        CatalogFile(name: "demo/catalog.yaml", text: header),
        CatalogFile(name: "demo/products.yaml", text: products),
        CatalogFile(name: "demo/rules.yaml", text: rules),
        CatalogFile(name: "demo/migrations.yaml", text: migrations),
        CatalogFile(name: "demo/subscriptions.yaml", text: subscriptions),
        CatalogFile(name: "demo/plans.yaml", text: plans),
    ]

    static let header = """
    catalog:
      version: "2026.1"
      effective: 2026-01-01
      name: Northwind Telecom
      description: Demo operator selling home broadband, TV, voice and mobile, to people and companies.
    """

    static let products = """
    products:
      # ---------------------------------------------------------------- contracts
      - id: HOME-CONTRACT
        name: Home Contract
        kind: contract
        description: Broadband with optional TV and voice at one address.
        sellingPeriod: {start: 2020-01-01}
        components:
          - {product: BB-PLAY, min: 1, max: 1}
          - {product: TV-PLAY, min: 0, max: 1}
          - {product: VOICE-PLAY, min: 0, max: 1}
        billing:
          accountSelectable: true
          splitBilling: true
          rows:
            - {sequence: 1, purpose: recurring charges, required: true, primary: true, allowedType: postpaid}
            - {sequence: 2, purpose: one-time charges, required: false, primary: false, allowedType: either}
      - id: MOBILE-CONTRACT
        name: Mobile Family Contract
        kind: contract
        description: Up to five mobile lines sharing family extras.
        components:
          - {product: MOBILE-PLAY, min: 1, max: 5}
          - {product: FAMILY-PLAY, min: 0, max: 1}
        billing:
          accountSelectable: true
          splitBilling: true
          rows:
            - {sequence: 1, purpose: line charges, required: true, primary: true, allowedType: postpaid}
            - {sequence: 2, purpose: usage, required: false, primary: false, allowedType: either}
      - id: BUSINESS-CONTRACT
        name: Business Connectivity Contract
        kind: contract
        components:
          - {product: BIZ-PLAY, min: 1, max: 1}
          - {product: SUPPORT-PLAY, min: 0, max: 1}
        billing:
          accountSelectable: true
          splitBilling: false
          rows:
            - {sequence: 1, purpose: all charges, required: true, primary: true, allowedType: postpaid}
      - id: PREPAID-CONTRACT
        name: Prepaid Mobile
        kind: contract
        description: Anonymous prepaid SIM.
        components:
          - {product: PREPAID-PLAY, min: 1, max: 1}
        billing:
          accountSelectable: true
          splitBilling: false
          rows:
            - {sequence: 1, purpose: wallet, required: true, primary: true, allowedType: prepaid}
      # ---------------------------------------------------------------- plays
      - id: BB-PLAY
        name: Broadband
        kind: play
        components:
          - {product: INTERNET-OFFER, min: 1, max: 1}
      - id: TV-PLAY
        name: Television
        kind: play
        components:
          - {product: TV-BASIC-OFFER, min: 1, max: 1}
          - {product: TV-FLEX-OFFER, min: 0, max: 1}
      - id: VOICE-PLAY
        name: Home Voice
        kind: play
        components:
          - {product: VOICE-OFFER, min: 1, max: 1}
      - id: MOBILE-PLAY
        name: Mobile Line
        kind: play
        components:
          - {product: MOBILE-LINE-OFFER, min: 1, max: 1}
          - {product: DATA-BOOST-OFFER, min: 0, max: 1}
      - id: FAMILY-PLAY
        name: Family Extras
        kind: play
        components:
          - {product: FAMILY-OFFER, min: 1, max: 1}
      - id: BIZ-PLAY
        name: Business Internet
        kind: play
        components:
          - {product: BIZ-INTERNET-OFFER, min: 1, max: 1}
      - id: SUPPORT-PLAY
        name: Support
        kind: play
        components:
          - {product: SUPPORT-OFFER, min: 1, max: 1}
      - id: PREPAID-PLAY
        name: Prepaid Line
        kind: play
        components:
          - {product: PREPAID-OFFER, min: 1, max: 1}
      # ---------------------------------------------------------------- offers
      - id: INTERNET-OFFER
        name: Home Internet
        kind: offer
        components:
          - {product: FIBER-200, min: 0, max: 1}
          - {product: FIBER-500, min: 0, max: 1}
          - {product: FIBER-1000, min: 0, max: 1, sellingPeriod: {start: 2027-01-01}}
          - {product: DSL-20, min: 0, max: 1, sellingPeriod: {start: 2015-01-01, end: 2025-12-31}}
          - {product: MODEM-RENTAL, min: 0, max: 1}
          - {product: STATIC-IP, min: 0, max: 1}
          - {product: ROUTER, min: 0, max: 1}
      - id: TV-BASIC-OFFER
        name: TV Essentials
        kind: offer
        components:
          - {product: TV-BASIC-PACK, min: 1, max: 1}
          - {product: STB-HD, min: 0, max: 3}
      - id: TV-FLEX-OFFER
        name: Flexible TV Bundle
        kind: offer
        description: Pick the channel packs you want; packs can be added and removed during the contract.
        components:
          - {product: SPORTS-PACK, min: 0, max: 1}
          - {product: MOVIES-PACK, min: 0, max: 1}
          - {product: KIDS-PACK, min: 0, max: 1}
          - {product: UHD-PACK, min: 0, max: 1, sellingPeriod: {start: 2027-03-01}}
      - id: VOICE-OFFER
        name: Home Phone
        kind: offer
        components:
          - {product: VOIP-LINE, min: 0, max: 1}
          - {product: COPPER-VOICE, min: 0, max: 1, obsolete: 2026-03-01}
      - id: MOBILE-LINE-OFFER
        name: Mobile Voice and Data
        kind: offer
        components:
          - {product: MOBILE-VOICE-DATA, min: 1, max: 1}
          - {product: DATA-SIM, min: 0, max: 1}
      - id: DATA-BOOST-OFFER
        name: Data Boost
        kind: offer
        components:
          - {product: DATA-10GB, min: 0, max: 1}
      - id: FAMILY-OFFER
        name: Family Sharing
        kind: offer
        components:
          - {product: FAMILY-SHARED-DATA, min: 0, max: 1}
      - id: BIZ-INTERNET-OFFER
        name: Business Fibre
        kind: offer
        components:
          - {product: BIZ-FIBER, min: 1, max: 1}
          - {product: STATIC-IP, min: 0, max: 1}
      - id: SUPPORT-OFFER
        name: Support Level
        kind: offer
        components:
          - {product: SUPPORT-8-5, min: 0, max: 1}
          - {product: SUPPORT-24-7, min: 0, max: 1}
      - id: PREPAID-OFFER
        name: Prepaid SIM
        kind: offer
        components:
          - {product: PREPAID-SIM, min: 1, max: 1}
      # ---------------------------------------------------------------- atomic offers
      - id: FIBER-200
        name: Fibre 200
        kind: atomicOffer
        description: The entry broadband plan, for residential customers.
        attributes:
          - {name: installation, type: enum, values: [self, technician], required: true, default: self}
          - {name: bandwidthMbps, type: number, default: "200"}
        sells: [NET-ACCESS]
        prices:
          - {type: recurring, amount: 29.9, currency: EUR}
        eligibleWhen: [EL-RESIDENTIAL]
      - id: FIBER-500
        name: Fibre 500
        kind: atomicOffer
        attributes:
          - {name: installation, type: enum, values: [self, technician], required: true, default: technician}
          - {name: bandwidthMbps, type: number, default: "500"}
        sells: [NET-ACCESS]
        prices:
          - {type: oneTime, amount: 49, currency: EUR}
          - {type: recurring, amount: 39.9, currency: EUR}
      - id: FIBER-1000
        name: Fibre 1000
        kind: atomicOffer
        attributes:
          - {name: installation, type: enum, values: [self, technician], required: true, default: technician}
          - {name: bandwidthMbps, type: number, default: "1000"}
        sells: [NET-ACCESS]
        prices:
          - {type: recurring, amount: 59.9, currency: EUR}
      - id: DSL-20
        name: DSL 20
        kind: atomicOffer
        sells: [NET-ACCESS]
        prices:
          - {type: recurring, amount: 24.9, currency: EUR}
      - id: MODEM-RENTAL
        name: Modem Rental
        kind: atomicOffer
        sells: [HOME-GATEWAY]
        prices:
          - {type: recurring, amount: 3, currency: EUR}
      - id: STATIC-IP
        name: Static IP Address
        kind: atomicOffer
        sells: [STATIC-IP-SERVICE]
        prices:
          - {type: recurring, amount: 5, currency: EUR}
      - id: TV-BASIC-PACK
        name: Essential Channels
        kind: atomicOffer
        attributes:
          - {name: parentalPin, type: text}
        sells: [TV-SERVICE]
        prices:
          - {type: recurring, amount: 15, currency: EUR}
      - id: SPORTS-PACK
        name: Sports Pack
        kind: atomicOffer
        sells: [TV-SERVICE]
        prices:
          - {type: recurring, amount: 12, currency: EUR}
      - id: MOVIES-PACK
        name: Movies Pack
        kind: atomicOffer
        sells: [TV-SERVICE]
        prices:
          - {type: recurring, amount: 10, currency: EUR}
      - id: KIDS-PACK
        name: Kids Pack
        kind: atomicOffer
        sells: [TV-SERVICE]
        prices:
          - {type: recurring, amount: 5, currency: EUR}
      - id: UHD-PACK
        name: Ultra HD Pack
        kind: atomicOffer
        sells: [TV-SERVICE]
        prices:
          - {type: recurring, amount: 7, currency: EUR}
      - id: VOIP-LINE
        name: VoIP Line
        kind: atomicOffer
        attributes:
          - {name: phoneNumber, type: text, required: true}
        sells: [VOIP-SERVICE]
        prices:
          - {type: recurring, amount: 9, currency: EUR}
      - id: COPPER-VOICE
        name: Copper Voice Line
        kind: atomicOffer
        sells: [VOIP-SERVICE]
        prices:
          - {type: recurring, amount: 14, currency: EUR}
      - id: MOBILE-VOICE-DATA
        name: Unlimited Calls + 20 GB
        kind: atomicOffer
        attributes:
          - {name: msisdn, type: text, required: true}
        sells: [MOBILE-LINE]
        prices:
          - {type: recurring, amount: 19.9, currency: EUR}
        billing:
          accountSelectable: true
          splitBilling: true
          rows:
            - {sequence: 1, purpose: monthly fee, required: true, primary: true, allowedType: postpaid}
            - {sequence: 2, purpose: usage, required: false, primary: false, allowedType: either}
      - id: DATA-SIM
        name: Data SIM
        kind: atomicOffer
        sells: [MOBILE-DATA]
        prices:
          - {type: recurring, amount: 5, currency: EUR}
      - id: DATA-10GB
        name: 10 GB Boost
        kind: atomicOffer
        sells: [MOBILE-DATA]
        prices:
          - {type: recurring, amount: 6, currency: EUR}
      - id: FAMILY-SHARED-DATA
        name: Family Shared 50 GB
        kind: atomicOffer
        sells: [SHARED-DATA-POOL]
        prices:
          - {type: recurring, amount: 15, currency: EUR}
      - id: BIZ-FIBER
        name: Business Fibre 1 Gbit/s
        kind: atomicOffer
        sells: [NET-ACCESS]
        prices:
          - {type: oneTime, amount: 199, currency: EUR}
          - {type: recurring, amount: 99, currency: EUR}
      - id: SUPPORT-8-5
        name: Support 8-5
        kind: atomicOffer
        prices:
          - {type: recurring, amount: 20, currency: EUR}
      - id: SUPPORT-24-7
        name: Support 24/7
        kind: atomicOffer
        prices:
          - {type: recurring, amount: 45, currency: EUR}
      - id: PREPAID-SIM
        name: Prepaid SIM
        kind: atomicOffer
        sells: [MOBILE-LINE]
        prices:
          - {type: oneTime, amount: 10, currency: EUR}
      # ---------------------------------------------------------------- devices
      - id: ROUTER
        name: Wi-Fi Router
        kind: device
        provisioningSystem: LOGISTICS
        prices:
          - {type: oneTime, amount: 89, currency: EUR}
      - id: STB-HD
        name: HD Set-Top Box
        kind: device
        provisioningSystem: LOGISTICS
        prices:
          - {type: oneTime, amount: 59, currency: EUR}
      # ---------------------------------------------------------------- functional components
      - id: NET-ACCESS
        name: Network Access
        kind: functional
        attributes:
          - {name: bandwidthMbps, type: number}
          - {name: installation, type: enum, values: [self, technician]}
        provisioningSystem: NETWORK
      - id: HOME-GATEWAY
        name: Home Gateway
        kind: functional
        provisioningSystem: NETWORK
      - id: STATIC-IP-SERVICE
        name: Static IP Service
        kind: functional
        provisioningSystem: NETWORK
      - id: TV-SERVICE
        name: TV Service
        kind: functional
        attributes:
          - {name: parentalPin, type: text}
        provisioningSystem: TV-PLATFORM
      - id: VOIP-SERVICE
        name: VoIP Service
        kind: functional
        attributes:
          - {name: phoneNumber, type: text}
        provisioningSystem: VOICE-SWITCH
      - id: MOBILE-LINE
        name: Mobile Line
        kind: functional
        attributes:
          - {name: msisdn, type: text}
        provisioningSystem: MOBILE-HLR
      - id: MOBILE-DATA
        name: Mobile Data
        kind: functional
        provisioningSystem: MOBILE-HLR
      - id: SHARED-DATA-POOL
        name: Shared Data Pool
        kind: functional
        provisioningSystem: MOBILE-HLR
      # ---------------------------------------------------------------- commitments
      - id: COMMIT-24M
        name: 24-Month Commitment
        kind: commitment
        commitment:
          duration: 24
          unit: months
          penalty: {rule: reducing, amount: 240, currency: EUR}
      - id: COMMIT-12M-MOBILE
        name: 12-Month Mobile Commitment
        kind: commitment
        commitment:
          duration: 12
          unit: months
          penalty: {amount: 120, currency: EUR}
      # ---------------------------------------------------------------- service agreements
      - id: CARE-PLUS
        name: Home Care Plus (next-day repair)
        kind: agreement
        agreement:
          type: maintenance
          covers: [FIBER-500, FIBER-1000, TV-BASIC-PACK, STB-HD]
        prices:
          - {type: recurring, amount: 4.9, currency: EUR}
    """

    static let rules = """
    rules:
      - id: BOC-FIBER-MODEM
        kind: bringsOnCreation
        severity: error
        source: FIBER-500
        target: MODEM-RENTAL
        message: Fibre 500 comes with a rented modem.
      - id: BOC-FAMILY-DATASIM
        kind: bringsOnCreation
        severity: error
        source: FAMILY-SHARED-DATA
        target: DATA-SIM
        message: Family sharing adds a data SIM to a line of the family.
      - id: BOC-SPORTS-HD-2025
        kind: bringsOnCreation
        severity: error
        source: SPORTS-PACK
        target: STB-HD
        message: Sports pack came with an HD box until the end of 2025.
        active: {start: 2025-01-01, end: 2025-12-31}
      - id: BAR-TV-STB
        kind: bringsAndRemoves
        severity: error
        source: TV-BASIC-PACK
        target: STB-HD
        message: Essential channels need an HD set-top box, which goes when they go.
      - id: PRQ-STATICIP-FIBER
        kind: commercialPrerequisite
        severity: error
        required: FIBER-500
        dependent: STATIC-IP
        message: A static IP address needs a Fibre 500 connection in the same contract.
        active: {end: 2026-12-31}
      - id: PRQ-UHD-SPORTS
        kind: commercialPrerequisite
        severity: warning
        required: SPORTS-PACK
        dependent: UHD-PACK
        message: Ultra HD is best with the sports pack.
        active: {start: 2027-03-01}
      - id: REL-TV-NET
        kind: reliesOn
        severity: error
        source: TV-SERVICE
        target: NET-ACCESS
        scope: customer
        message: TV service needs a network access of the same customer.
      - id: REL-VOIP-NET
        kind: reliesOn
        severity: error
        source: VOIP-SERVICE
        target: NET-ACCESS
        scope: contract
        message: VoIP needs a network access in the same contract.
      - id: REL-DATA-POOL
        kind: reliesOn
        severity: warning
        source: MOBILE-DATA
        target: SHARED-DATA-POOL
        scope: shared
        message: Extra mobile data draws from a shared data pool when there is one.
      - id: EXC-FIBER-DSL
        kind: exclusion
        severity: error
        first: FIBER-500
        second: DSL-20
        message: Fibre and DSL cannot be in the same contract.
      - id: EXC-COPPER-VOIP
        kind: exclusion
        severity: warning
        first: COPPER-VOICE
        second: VOIP-LINE
        message: A copper line and a VoIP line in one contract is unusual.
      - id: CARD-STB
        kind: cardinality
        severity: error
        product: STB-HD
        min: 0
        max: 2
        message: At most two HD set-top boxes per contract.
      - id: CARD-MOBILE-VOICE
        kind: cardinality
        severity: error
        product: MOBILE-VOICE-DATA
        min: 1
        max: 5
        message: A family contract has one to five voice lines.
      - id: TRG-COMMIT-FIBER
        kind: commitmentTrigger
        severity: error
        source: FIBER-500
        commitment: COMMIT-24M
        message: Fibre 500 comes with a 24-month commitment.
      - id: COV-COMMIT-24M
        kind: commitmentCoverage
        severity: error
        commitment: COMMIT-24M
        covers: [FIBER-500, FIBER-1000, TV-BASIC-PACK]
        message: The 24-month commitment covers fibre and TV.
      - id: TRG-COMMIT-MOBILE
        kind: commitmentTrigger
        severity: error
        source: MOBILE-VOICE-DATA
        commitment: COMMIT-12M-MOBILE
        message: Each voice line commits for 12 months.
      - id: COV-COMMIT-MOBILE
        kind: commitmentCoverage
        severity: error
        commitment: COMMIT-12M-MOBILE
        covers: [MOBILE-VOICE-DATA]
        message: The mobile commitment covers the voice line.
    """

    /// migration actions — a support upgrade (transformation), moving a mobile line to
    /// another family contract, possibly another customer's (reparenting), and a TV upgrade whose
    /// script runs a private pack transformation.
    static let migrations = """
    migrations:
      - id: SUPPORT-UPGRADE
        name: 8-5 support to 24/7 support
        kind: transformation
        visibility: public
        source: SUPPORT-8-5
        target: SUPPORT-24-7
        active: {start: 2026-01-01}
        eligibility: {customerKinds: [company]}
      - id: MOBILE-LINE-MOVE
        name: Move a mobile line to another family contract
        kind: reparenting
        visibility: public
        source: MOBILE-PLAY
        target: MOBILE-PLAY
        eligibility: {roles: [administrator, agent]}
      - id: DSL-TO-FIBRE
        name: DSL 20 to Fibre 500
        kind: transformation
        visibility: public
        source: DSL-20
        target: FIBER-500
      - id: TV-TO-FLEX
        name: TV Essentials to the Flexible TV Bundle
        kind: transformation
        visibility: public
        source: TV-BASIC-OFFER
        target: TV-FLEX-OFFER
        script: [TV-PACK-TO-SPORTS]
      - id: TV-PACK-TO-SPORTS
        name: Essential channels to the sports pack (inside TV-TO-FLEX)
        kind: transformation
        visibility: private
        source: TV-BASIC-PACK
        target: SPORTS-PACK
    """

    /// package plans the Emersion way — three home broadband plans ranked 1 to 3
    /// (Fibre 200, 500, 1000) for residential customers in Belgium, and the 24-month pool of their
    /// contract: in contract, an upgrade earns a discount, a cross-grade costs a small fee and a
    /// downgrade the break-out fee; out of contract every change is free. Fibre 1000 goes on sale
    /// in 2027. Waiving a fee takes the `waive-fees` permission.
    static let plans = """
    eligibilityRules:
      - id: EL-RESIDENTIAL
        name: Residential customers
        segments: [residential]
        remedy: business customers take Business Fibre (BIZ-FIBER) on a business contract
      - id: EL-BELGIUM
        name: Served in Belgium
        countries: [BE]
        remedy: the home broadband network serves Belgian addresses only; check the customer's address
    plans:
      - {id: BB-FIBRE-200, name: Fibre 200, serviceType: HOME-BROADBAND, rank: 1, product: FIBER-200, pool: POOL-24M, eligibleWhen: [EL-RESIDENTIAL, EL-BELGIUM]}
      - {id: BB-FIBRE-500, name: Fibre 500, serviceType: HOME-BROADBAND, rank: 2, product: FIBER-500, pool: POOL-24M, eligibleWhen: [EL-RESIDENTIAL, EL-BELGIUM]}
      - {id: BB-FIBRE-1000, name: Fibre 1000, serviceType: HOME-BROADBAND, rank: 3, product: FIBER-1000, pool: POOL-24M, eligibleWhen: [EL-RESIDENTIAL, EL-BELGIUM]}
    pools:
      - id: POOL-24M
        name: 24-month home broadband contract
        termMonths: 24
        rows:
          - {migration: upgrade, state: inContract, discount: {amount: 20, currency: EUR}}
          - {migration: crossgrade, state: inContract, fee: {amount: 25, currency: EUR}}
          - {migration: downgrade, state: inContract, fee: {amount: 120, currency: EUR}}
          - {migration: upgrade, state: outOfContract}
          - {migration: crossgrade, state: outOfContract}
          - {migration: downgrade, state: outOfContract}
    """

    /// subscriptions the CRM.COM way — a home TV subscription type whose 2026
    /// definition wants an HD set-top box on the distributor that carries the Ultra HD pack, a
    /// broadband type, and a monthly billing term scheme that allows resting (at most 60 days,
    /// twice a year) and activates a subscription only with a box on each distributor and no
    /// bill unsettled for more than 30 days.
    static let subscriptions = """
    subscriptionTypes:
      - id: HOME-TV
        name: Home TV
        description: Channel packs on the TV platform, with set-top boxes.
        services: [TV-BASIC-OFFER, TV-FLEX-OFFER, TV-BASIC-PACK, SPORTS-PACK, MOVIES-PACK, KIDS-PACK, UHD-PACK]
        installedItems: [STB-HD]
        distributors: [TV-PLATFORM, LOGISTICS]
        billingTermSchemes: [HOME-MONTHLY]
      - id: HOME-BROADBAND
        name: Home broadband
        services: [INTERNET-OFFER, FIBER-200, FIBER-500, FIBER-1000, DSL-20, MODEM-RENTAL, STATIC-IP]
        installedItems: [ROUTER]
        distributors: [NETWORK, LOGISTICS]
        billingTermSchemes: [HOME-MONTHLY, HOME-ANNUAL]
    subscriptionDefinitions:
      - id: HOME-TV-2026
        name: Home TV rules 2026
        subscriptionType: HOME-TV
        active: {start: 2026-01-01}
        services: {min: 1, max: 8}
        installedItems: {max: 3}
        rules:
          - id: UHD-NEEDS-HD-BOX
            service: UHD-PACK
            perDistributor: true
            requires: [STB-HD]
            message: The Ultra HD pack needs an HD set-top box on the same distributor
          - id: PACKS-NEED-BASE
            service: SPORTS-PACK
            requires: [TV-BASIC-PACK]
            message: The sports pack comes on top of the essential channels
          - id: ONE-SPORTS-PACK
            service: SPORTS-PACK
            max: 1
            message: One sports pack per subscription
      - id: HOME-BROADBAND-2026
        name: Home broadband rules 2026
        subscriptionType: HOME-BROADBAND
        active: {start: 2026-01-01}
        services: {min: 1}
        rules:
          - id: ONE-ACCESS
            service: FIBER-500
            excludes: [FIBER-1000, DSL-20]
            message: One access line per subscription
          - id: ROUTER-NEEDS-ACCESS
            installedItem: ROUTER
            requires: [FIBER-200, FIBER-500, FIBER-1000, DSL-20]
            message: A router is installed with an access line
    billingTermSchemes:
      - id: HOME-MONTHLY
        name: Home, billed monthly
        frequencies: [monthly, quarterly]
        bindingPeriods: [0, 12, 24]
        pricePlans: [STANDARD-2026, LOYALTY-2026]
        services: [TV-BASIC-OFFER, TV-FLEX-OFFER, TV-BASIC-PACK, SPORTS-PACK, MOVIES-PACK, KIDS-PACK, UHD-PACK, INTERNET-OFFER, FIBER-200, FIBER-500, FIBER-1000, DSL-20, MODEM-RENTAL, STATIC-IP]
        restingExtendsBinding: true
        definitions:
          - id: HOME-MONTHLY-2026
            active: {start: 2026-01-01}
            resting: {maxDays: 60, maxTimesPerYear: 2}
            activation: {installedItemOnEachDistributor: true, maxUnsettledBillAgeDays: 30}
      - id: HOME-ANNUAL
        name: Home, billed yearly
        frequencies: [annual]
        bindingPeriods: [12]
        pricePlans: [STANDARD-2026]
        services: [INTERNET-OFFER, FIBER-200, FIBER-500, FIBER-1000, MODEM-RENTAL, STATIC-IP]
        definitions:
          - id: HOME-ANNUAL-2026
            active: {start: 2026-01-01}
            activation: {installedItemOnEachDistributor: false}
    """
}
