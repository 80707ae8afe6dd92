import FoundationEssentials
import Glibc
import RunbookBasics

/// The audit file on disk: created 0600 in a 0700 directory, appended under an exclusive `flock`.
///
/// Each record is one `write` of one line followed by `fsync` (records held by a plan or a
/// rehearsal: one `write` of their lines), so a crash leaves at most a torn last line, and
/// concurrent runs interleave whole records.
package final class AuditFile {
    package let path: String
    private let fd: Int32
    /// The head after this process's last append; reused while the file has not grown since.
    private var lastTail: AuditTail?

    /// A note for the chain that the next append writes first (the file's mode was repaired).
    private var pendingNote: [String: JSONValue]?

    /// Opens (or creates, 0600) `audit.jsonl` in `directory` without following a symbolic link,
    /// refuses a file that is not ours or not a regular file, and tightens a mode that lets
    /// others write or read it (recorded in the chain by the next append).
    package init(directory: String) throws {
        try AuditDirectory.prepare(directory)
        path = Path.join(directory, "audit.jsonl")
        let flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW
        var descriptor = open(path, flags)
        var created = false
        if descriptor < 0, errno == ENOENT {
            descriptor = open(path, flags | O_CREAT | O_EXCL, 0o600)
            created = descriptor >= 0
            if descriptor < 0, errno == EEXIST { descriptor = open(path, flags) }
        }
        guard descriptor >= 0 else {
            if errno == ELOOP {
                throw AuditError(
                    "\(path) is a symbolic link: refusing to follow it; remove it or choose another --audit-dir")
            }
            throw AuditError("cannot open the audit file \(path): \(String(cString: strerror(errno)))")
        }
        fd = descriptor
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw AuditError("\(path) is not a regular file")
        }
        guard info.st_nlink == 1 else {
            close(fd)
            throw AuditError(
                "\(path) has other hard links, which could point to any file: refusing to write through it")
        }
        guard info.st_uid == geteuid() else {
            close(fd)
            throw AuditError("\(path) belongs to another user (uid \(info.st_uid)), who could rewrite the trail")
        }
        if info.st_mode & 0o077 != 0 {
            let old = String(info.st_mode & 0o7777, radix: 8)
            guard fchmod(fd, 0o600) == 0 else {
                close(fd)
                throw AuditError("\(path) has mode \(old) and cannot be made 0600")
            }
            pendingNote = [
                "event": .string(AuditEvent.auditPermissions.rawValue), "run": .string("-"), "old_mode": .string(old),
            ]
        }
        // The new file's directory entry must survive a crash as well as its records.
        if created { Self.syncDirectory(of: path) }
    }

    private static func syncDirectory(of path: String) {
        let dir = open(Path.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { return }
        fsync(dir)
        close(dir)
    }

    deinit {
        // Records still held (a run that ended without its last sync) are written, not dropped.
        try? writeHeld()
        close(fd)
    }

    /// Cuts a torn last line, recording the repair in the chain; returns the bytes dropped (nil when intact).
    package func repair(key: String?) throws -> Int? {
        while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { throw AuditError("cannot lock \(path)") } }
        defer { flock(fd, LOCK_UN) }
        let head = try AuditTail.read(fd: fd)
        guard let torn = head.tornBytes else { return nil }
        lastTail = try cutTornLine(torn, after: head, key: key)
        return torn
    }

    /// Cuts `torn` bytes of half a line after `head` and says so in the chain, never silently.
    private func cutTornLine(_ torn: Int, after head: AuditTail, key: String?) throws -> AuditTail {
        guard ftruncate(fd, off_t(head.validLength)) == 0 else { throw AuditError("cannot repair \(path)") }
        let note: [String: JSONValue] = [
            "event": .string(AuditEvent.auditRepair.rawValue), "dropped_bytes": .int(torn), "run": .string("-"),
        ]
        return try write([Self.record(CanonicalObject(note), key: key)], after: head)
    }

    /// False for records that are not evidence of an effect (a dry-run's plan, a rehearsal): they
    /// are written at once and made durable together by `sync()` at the end, not one fsync each.
    /// When true, a record appended with `durable: true` is fsynced before `append` returns,
    /// together with every record written since the last fsync (group commit).
    package var syncEachRecord = true
    /// True when records were written since the last fsync.
    private var unsynced = false
    /// How many times the file was fsynced (for tests and benchmarks of durability's cost).
    package private(set) var fsyncs = 0
    /// The length of the file known to be on disk (as of this writer's last fsync).
    package private(set) var durableLength = 0

    /// True for a run that starts no process (a plan without probes, a rehearsal): its records
    /// are encoded at once but kept here and written together — one lock, one `write` — by
    /// `sync()` (at the run's end and before it waits for a person), or once `heldLimit` of them
    /// wait. Their `time` is when they were appended; their `seq` and `prev` are the chain's
    /// when they are written.
    package var holdsRecords = false
    private var held: [Record] = []
    /// Few enough that a long plan's records are chained and written as it goes (on the thread
    /// that builds them, `AuditLog.holdRecords`), leaving little for its end; enough that a lock
    /// and a `write` are shared by many records.
    static let heldLimit = 128

    /// The chain head after this writer's last record on disk.
    package var head: (seq: Int, hash: String)? { lastTail.map { ($0.seq, $0.hash) } }

    /// Writes any held records and makes every record written so far durable (one fsync for all).
    package func sync() throws {
        try writeHeld()
        guard unsynced else { return }
        guard fsync(fd) == 0 else { throw AuditError("cannot fsync \(path): \(String(cString: strerror(errno)))") }
        fsyncs += 1
        unsynced = false
        durableLength = lastTail?.validLength ?? durableLength
    }

    /// Appends one record: locks, reads the chain head, computes seq/prev/hash, writes, unlocks;
    /// returns the new head (nil while `holdsRecords` keeps the record for later).
    ///
    /// With `durable` (and `syncEachRecord`) the record and every one written before it are on
    /// disk when this returns; otherwise they are written now and fsynced by the next durable
    /// record or `sync()`.
    @discardableResult
    package func append(_ fields: [String: JSONValue], key: String?, durable: Bool = true) throws -> (
        seq: Int, hash: String
    )? {
        try append(CanonicalObject(fields, excluding: Self.chainKeys), key: key, durable: durable)
    }

    /// Appends one record whose members (but `time` and its place in the chain) are `object`'s.
    @discardableResult
    package func append(_ object: CanonicalObject, key: String?, durable: Bool = true) throws -> (
        seq: Int, hash: String
    )? {
        let record = Self.record(object, key: key)
        if holdsRecords {
            held.append(record)
            if held.count >= Self.heldLimit { try writeHeld() }
            return nil
        }
        try writeHeld()
        let (before, head) = try locked(key: key) { try write([record], after: $0) }
        if durable, syncEachRecord {
            do {
                try sync()
            } catch {
                // Not known to be on disk, so nothing may act on it: cut the record, as a failed write is.
                _ = ftruncate(fd, off_t(before.validLength))
                lastTail = before
                throw error
            }
        }
        return (head.seq, head.hash)
    }

    private func writeHeld() throws {
        guard !held.isEmpty else { return }
        let records = held
        held = []
        try locked(key: records[0].key) { try write(records, after: $0) }
    }

    /// A record's members but its time and place in the chain (`seq`, `prev`, `hash`, `hmac`),
    /// encoded; its time, when it was appended.
    private typealias Record = (object: CanonicalObject, time: String, key: String?)

    /// A record of `object`'s members, appended now.
    private static func record(_ object: CanonicalObject, key: String?) -> Record {
        (object, AuditChain.timestamp(Date()), key)
    }

    /// The members `write` sets: a record's own are dropped.
    private static let chainKeys = ["hash", "hmac", "seq", "prev"]

    /// Runs `body` under the lock with the chain's head, after mending a torn last line and
    /// writing a pending note; `body` returns the head after its records. Returns the head
    /// `body` started from and the one it ended with.
    @discardableResult
    private func locked(key: String?, _ body: (AuditTail) throws -> AuditTail) throws -> (
        before: AuditTail, after: AuditTail
    ) {
        while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { throw AuditError("cannot lock \(path)") } }
        defer { flock(fd, LOCK_UN) }
        var head = try currentTail()
        // A crash left half a line.
        if let torn = head.tornBytes { head = try cutTornLine(torn, after: head, key: key) }
        if let note = pendingNote {
            head = try write([Self.record(CanonicalObject(note), key: key)], after: head)
            pendingNote = nil
        }
        let after = try body(head)
        lastTail = after
        return (head, after)
    }

    /// Re-reads the tail only when another writer appended since our last record (checked under the lock).
    private func currentTail() throws -> AuditTail {
        var info = stat()
        if let cached = lastTail, fstat(fd, &info) == 0, Int(info.st_size) == cached.validLength { return cached }
        return try AuditTail.read(fd: fd)
    }

    /// Chains `records` after `head` and writes them with one `write`; on failure the file is
    /// cut back to `head`, so it keeps whole records only.
    private func write(_ records: [Record], after head: AuditTail) throws -> AuditTail {
        var lines: [UInt8] = []
        var tail = head
        /// The head after each record, in order.
        var tails: [AuditTail] = []
        tails.reserveCapacity(records.count)
        // Each record's members were encoded once; its place in the chain is merged in as it
        // is written (`seq` and `prev`, hashed with the rest, then `hash` and `hmac`).
        var chain = CanonicalObject()
        var body: [UInt8] = []
        for (object, time, key) in records {
            chain.removeAll()
            chain.add("time", .string(time))
            chain.add("seq", .int(tail.seq + 1))
            chain.add("prev", .string(tail.hash))
            body.removeAll(keepingCapacity: true)
            object.write(into: &body, merging: chain)
            let hash = AuditChain.hash(ofCanonical: body, prev: tail.hash)
            chain.add("hash", .string(hash))
            if let key { chain.add("hmac", .string(AuditChain.hmac(of: hash, key: key))) }
            let start = lines.count
            object.write(into: &lines, merging: chain)
            lines.append(UInt8(ascii: "\n"))
            tail = AuditTail(
                seq: tail.seq + 1, hash: hash, validLength: tail.validLength + lines.count - start, tornBytes: nil)
            tails.append(tail)
        }
        var written = 0
        while written < lines.count {
            let n = lines[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                // A full disk can take half a line: cut it, so the file keeps whole records only
                // (those of a batch that fitted stay, chained as written).
                let kept = tails.last { $0.validLength <= head.validLength + written }
                if written > 0 { _ = ftruncate(fd, off_t(kept?.validLength ?? head.validLength)) }
                if let kept {
                    lastTail = kept
                    unsynced = true
                }
                throw AuditError("cannot write \(path): \(reason)")
            }
            written += n
        }
        unsynced = true
        return tail
    }
}

/// The last complete record of the file (its seq and hash) and whether a torn line follows it.
struct AuditTail {
    var seq: Int
    var hash: String
    var validLength: Int
    var tornBytes: Int?

    /// Reads backwards from the end; only the last line or two are touched.
    static func read(fd: Int32) throws -> AuditTail {
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size > 0 else { return AuditTail(seq: 0, hash: AuditChain.genesis, validLength: 0, tornBytes: nil) }
        var chunk = 4096
        while true {
            let start = max(0, size - chunk)
            var buffer = [UInt8](repeating: 0, count: size - start)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard n == buffer.count else { throw AuditError("cannot read the audit file") }
            var end = buffer.count
            var torn: Int?
            if buffer.last != UInt8(ascii: "\n") {
                guard let nl = buffer.lastIndex(of: UInt8(ascii: "\n")) else {
                    if start > 0 { chunk *= 4; continue }
                    return AuditTail(seq: 0, hash: AuditChain.genesis, validLength: 0, tornBytes: size)
                }
                torn = buffer.count - (nl + 1)
                end = nl + 1
            }
            let body = buffer[..<(end - 1)]
            let lineStart = (body.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            if lineStart == 0 && start > 0 { chunk *= 4; continue }
            let line = String(decoding: body[lineStart...], as: UTF8.self)
            guard let record = JSONValue.parse(line), let seq = record["seq"]?.int, let hash = record["hash"]?.string
            else {
                throw AuditError("the last audit record is not valid; run 'runbook audit verify'")
            }
            return AuditTail(seq: seq, hash: hash, validLength: start + end, tornBytes: torn)
        }
    }
}

/// An audit-trail failure; the run stops rather than go on without its record.
package struct AuditError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
