import Foundation

/// Work that must run at the same time as the caller's, on a thread of its own: two halves that
/// wait for each other (a producer and its consumer). `concurrentPerform` cannot carry such
/// halves: on one core (a container limited to one CPU, `taskset -c 0`) it runs its iterations
/// one after the other on the calling thread, and the first to wait for the second waits forever.
package final class SideThread<Value: Sendable>: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `value` is written once by the side thread and read by
    // `join` after it, both with `done` locked.
    private let done = NSCondition()
    private var value: Value?

    /// Starts `body` on a new thread.
    package init(_ body: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let result = body()
            done.withLock {
                value = result
                done.broadcast()
            }
        }
        thread.start()
    }

    /// Waits for the body to return, and gives its value.
    package func join() -> Value {
        done.withLock {
            while true {
                if let value { return value }
                done.wait()
            }
        }
    }
}
