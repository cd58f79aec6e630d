/// Values a process about to exit never frees: the exit returns their memory at once, while
/// freeing a large pipeline's events, excerpt tails or diagnoses element by element takes a
/// tenth of a second of a core, which the process's last work (the report, the recording) needs.
/// Only for what a process holds last: anything kept here stays allocated until the exit.
package enum KeptUntilExit {
    package static func keep<Value>(_ value: consuming Value) {
        _ = Unmanaged.passRetained(Box(value))
    }

    private final class Box<Value> {
        let value: Value
        init(_ value: consuming Value) { self.value = value }
    }
}
