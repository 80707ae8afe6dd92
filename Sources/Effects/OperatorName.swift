import Foundation
import Glibc

/// Who is running runbook, as recorded in `approved_by` and `run.start`.
package enum OperatorName {
    package static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()) { return String(cString: entry.pointee.pw_name) }
        return String(getuid())
    }
}
