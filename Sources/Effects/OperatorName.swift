import FoundationEssentials
import Glibc
import RunbookBasics

/// Who is running runbook, as recorded in `approved_by` and `run.start`.
package enum OperatorName {
    package static func current(environment: [String: String] = ProcessEnvironment.current) -> String {
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()) { return String(cString: entry.pointee.pw_name) }
        return String(getuid())
    }
}
