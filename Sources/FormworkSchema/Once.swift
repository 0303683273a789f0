import Synchronization

/// A value made when first asked for, by the first thread that asks, and kept: reading it
/// afterwards is one load, no lock (schema parts are read on every step of a lint's walks).
/// Two threads that race both make it; one is kept, the other dropped.
final class Once<Value>: @unchecked Sendable {
    private final class Holder {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let slot = Atomic<Unmanaged<Holder>?>(nil)

    init() {}

    deinit { slot.load(ordering: .acquiring)?.release() }

    func value(_ make: () -> Value) -> Value {
        // Read without a retain of the holder (this object keeps it).
        if let ready = slot.load(ordering: .acquiring) { return ready._withUnsafeGuaranteedRef { $0.value } }
        let fresh = Unmanaged.passRetained(Holder(make()))
        let (stored, current) = slot.compareExchange(expected: nil, desired: fresh, ordering: .acquiringAndReleasing)
        if stored { return fresh.takeUnretainedValue().value }
        fresh.release()
        return current!.takeUnretainedValue().value
    }
}
