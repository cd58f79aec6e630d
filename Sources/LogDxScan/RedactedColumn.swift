import GRDB
import LogDx

/// Log text goes into the database as `Redacted`, the type only the redactor makes, and comes
/// back as it: what was stored had been redacted.
extension Redacted: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { value.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Redacted? {
        String.fromDatabaseValue(dbValue).map { Redacted(alreadyRedacted: $0) }
    }
}
