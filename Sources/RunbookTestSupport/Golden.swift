import Foundation

/// Golden files under `Tests/Fixtures/golden`; `RECORD_GOLDEN=1` rewrites them from the actual output.
package enum Golden {
    /// Nil when `actual` matches the golden file (or it was just recorded); otherwise a description of the mismatch.
    package static func mismatch(_ actual: String, _ name: String) -> String? {
        let path = Fixtures.path("golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "golden file \(name) is missing; record it with RECORD_GOLDEN=1 swift test"
        }
        guard expected != actual else { return nil }
        return "output differs from golden/\(name) (re-record with RECORD_GOLDEN=1 if intended):\n"
            + "--- expected\n\(expected)\n--- actual\n\(actual)"
    }
}
