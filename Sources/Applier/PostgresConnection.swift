import CPQ
import Foundation

/// One libpq connection (https://www.postgresql.org/docs/15/libpq-connect.html), opened from
/// a connection URI (`postgres://...` or `host=... dbname=...`) that never leaves this value:
/// errors carry PostgreSQL's message, never the URI. Not thread-safe: one command, one
/// connection.
public final class PostgresConnection {
    private let handle: OpaquePointer

    /// A failed statement or connection: PostgreSQL's primary message, its SQLSTATE, the
    /// 1-based character position in the query text when the server reports one
    /// (`PG_DIAG_STATEMENT_POSITION`), and where in PL/pgSQL it happened (`PG_DIAG_CONTEXT`).
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// The server's (or libpq's) message, one line.
        public var message: String
        /// The five-character SQLSTATE (`42P01`); empty for a connection failure.
        public var sqlState: String
        /// The 1-based character offset into the query text, if reported.
        public var position: Int?
        /// The PL/pgSQL call stack, if any.
        public var context: String?
        /// The message.
        public var description: String { message }
    }

    /// Connects with `conninfo`; throws libpq's message (which never repeats a password).
    public init(_ conninfo: String) throws {
        guard let handle = PQconnectdb(conninfo) else {
            throw Failure(message: "libpq could not allocate a connection", sqlState: "", position: nil, context: nil)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw Failure(message: message, sqlState: "", position: nil, context: nil)
        }
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// Runs `sql` (one or more statements, the simple query protocol) and returns the last
    /// statement's rows, each column as text or nil for NULL. Throws at the first failing
    /// statement; statements after it are not run.
    @discardableResult
    public func execute(_ sql: String) throws -> [[String?]] {
        try rows(PQexec(handle, sql))
    }

    /// Runs one statement with `$1`... parameters sent apart from the text (never quoted into it).
    public func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
        var cStrings = parameters.map { strdup($0) }
        defer { for pointer in cStrings { free(pointer) } }
        let result = cStrings.withUnsafeMutableBufferPointer { buffer -> OpaquePointer? in
            var values = buffer.map { UnsafePointer<CChar>($0) }
            return PQexecParams(handle, sql, Int32(parameters.count), nil, &values, nil, nil, 0)
        }
        return try rows(result)
    }

    /// Whether the connection is inside a transaction block (aborted or not).
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    private func rows(_ result: OpaquePointer?) throws -> [[String?]] {
        guard let result else {
            throw Failure(
                message: String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines),
                sqlState: "", position: nil, context: nil)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            func field(_ code: Character) -> String? {
                guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else {
                    return nil
                }
                return String(cString: value)
            }
            throw Failure(
                message: field("M") ?? String(cString: PQresultErrorMessage(result)),
                sqlState: field("C") ?? "", position: field("P").flatMap { Int($0) }, context: field("W"))
        }
        var out: [[String?]] = []
        for row in 0..<PQntuples(result) {
            out.append(
                (0..<PQnfields(result)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return out
    }
}
