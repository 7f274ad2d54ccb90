public import CofferBase
public import CofferStorage

/// Invoices in either database. Their status is recomputed from their credited deposits in the
/// transaction that credits or reverses one, and the change is an event in the same transaction.
public enum InvoiceSQL {
    static let columns = """
        seq, id, scope, chain, wallet_id, account, address, asset, token, amount, memo, status, late, received, expires_at, created_at, paid_at
        """

    static func invoice(_ row: any SQLRow) throws -> Invoice {
        Invoice(
            seq: try row.int64(0), id: try row.text(1), scope: try row.text(2), chain: try row.text(3), walletID: try row.text(4),
            account: try row.text(5), address: try row.text(6), asset: try row.text(7), token: try row.text(8), amount: try row.amount(9, "amount"),
            memo: try row.optionalText(10), status: InvoiceStatus(rawValue: try row.text(11)) ?? .open, late: try row.int64(12) != 0,
            received: try row.amount(13, "received"), expiresAt: try row.int64(14), createdAt: try row.int64(15), paidAt: try row.optionalInt64(16))
    }

    /// Stores a new invoice with its watched address, in the caller's transaction (the one that
    /// hands the address out), and appends `invoice.created`.
    public static func insert(_ invoice: Invoice, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            INSERT INTO chain_invoices (id, scope, chain, wallet_id, account, address, asset, token, amount, memo, status, late, received, expires_at, created_at, paid_at)
            VALUES (\(invoice.id), \(invoice.scope), \(invoice.chain), \(invoice.walletID), \(invoice.account), \(invoice.address), \(invoice.asset),
                    \(invoice.token), \(invoice.amount), \(invoice.memo), \(invoice.status.rawValue), \(invoice.late), \(invoice.received),
                    \(invoice.expiresAt), \(invoice.createdAt), \(invoice.paidAt))
            """)
        try EventOutbox.append([(scope: invoice.scope, type: "invoice.created", subject: invoice.id, data: invoice.eventData)], at: invoice.createdAt, on: connection)
    }

    public static func invoice(id: String, on connection: any SQLConnection) throws -> Invoice? {
        try connection.queryOne("SELECT \(raw: columns) FROM chain_invoices WHERE id = \(id)", invoice)
    }

    /// A page of invoices of a scope (every scope for nil) in creation order. An open invoice past
    /// its expiry at `now` counts as expired, as its view shows it, before the syncer records it.
    public static func invoices(scope: String?, status: InvoiceStatus?, now: Int64, after: Int64, limit: Int, on connection: any SQLConnection) throws -> [Invoice] {
        var conditions: [SQL] = ["seq > \(after)"]
        if let scope { conditions.append("scope = \(scope)") }
        switch status {
        case nil: break
        case .open?: conditions.append("status = 'open' AND expires_at >= \(now)")
        case .expired?: conditions.append("(status = 'expired' OR (status = 'open' AND expires_at < \(now)))")
        case let other?: conditions.append("status = \(other.rawValue)")
        }
        return try connection.query(
            "SELECT \(raw: columns) FROM chain_invoices WHERE " + SQL.joined(conditions, separator: " AND ") + " ORDER BY seq LIMIT \(limit)", invoice)
    }

    /// Recomputes the invoices' received amounts and statuses from their credited deposits.
    static func refresh(invoices ids: Set<String>, now: Int64, on connection: any SQLConnection) throws {
        for id in ids.sorted() {
            guard let invoice = try invoice(id: id, on: connection) else { continue }
            let payments = try connection.query("""
                SELECT amount, seen_at FROM chain_deposits WHERE invoice_id = \(id) AND status = 'credited' AND token = \(invoice.token)
                """) { (try $0.amount(0, "amount"), try $0.int64(1)) }
            var onTime: UInt128 = 0
            var late: UInt128 = 0
            for (amount, seenAt) in payments {
                if seenAt <= invoice.expiresAt { onTime = onTime.addingReportingOverflow(amount).partialValue } else { late = late.addingReportingOverflow(amount).partialValue }
            }
            let received = onTime.addingReportingOverflow(late).partialValue
            let status = Invoice.status(amount: invoice.amount, onTime: onTime, lateAmount: late, expiresAt: invoice.expiresAt, now: now)
            guard status != invoice.status || received != invoice.received || (late > 0) != invoice.late else { continue }
            let paidAt: Int64? = received > 0 ? (invoice.paidAt ?? now) : nil
            try write(invoice, status: status, late: late > 0, received: received, paidAt: paidAt, now: now, on: connection)
        }
    }

    /// Open invoices of a chain past their expiry become `expired`.
    static func expire(chain: String, now: Int64, on connection: any SQLConnection) throws {
        let due = try connection.query("""
            SELECT \(raw: columns) FROM chain_invoices WHERE chain = \(chain) AND status = 'open' AND expires_at < \(now)
            """, invoice)
        for invoice in due {
            try write(invoice, status: .expired, late: invoice.late, received: invoice.received, paidAt: invoice.paidAt, now: now, on: connection)
        }
    }

    private static func write(_ invoice: Invoice, status: InvoiceStatus, late: Bool, received: UInt128, paidAt: Int64?, now: Int64, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            UPDATE chain_invoices SET status = \(status.rawValue), late = \(late), received = \(received), paid_at = \(paidAt) WHERE id = \(invoice.id)
            """)
        let updated = Invoice(
            seq: invoice.seq, id: invoice.id, scope: invoice.scope, chain: invoice.chain, walletID: invoice.walletID, account: invoice.account,
            address: invoice.address, asset: invoice.asset, token: invoice.token, amount: invoice.amount, memo: invoice.memo, status: status,
            late: late, received: received, expiresAt: invoice.expiresAt, createdAt: invoice.createdAt, paidAt: paidAt)
        try EventOutbox.append([(scope: invoice.scope, type: "invoice.\(status.rawValue)", subject: invoice.id, data: updated.eventData)], at: now, on: connection)
    }
}

extension Invoice {
    var eventData: JSONValue {
        .object([
            ("id", .string(id)), ("chain", .string(chain)), ("address", .string(address)), ("account", .string(account)),
            ("asset", .string(asset)), ("amount", .string(String(amount))), ("received", .string(String(received))),
            ("status", .string(status.rawValue)), ("late", .bool(late)), ("expires_at", .integer(expiresAt)),
        ])
    }
}
