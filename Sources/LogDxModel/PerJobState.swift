/// State kept per job while lines stream in, indexed by job.
///
/// A state is moved out while a line is handled and moved back after. Copied out instead, the
/// container's reference would make the first write copy every buffer in the state, for every line.
///
/// Public and inlinable: it is called twice per line from other modules, and unspecialised each
/// call looked its generic metadata up in the runtime's cache (a tenth of the tokenizer's time).
/// With `package` access the compiler (Swift 6.3) did not specialise it across modules even when
/// inlinable; with `public` it does.
public struct PerJobState<State> {
    @usableFromInline var states: [State?] = []
    @usableFromInline let make: () -> State

    @inlinable public init(_ make: @escaping () -> State) {
        self.make = make
    }

    /// Moves the job's state out (a new one the first time); give it back with `put`.
    @inlinable public mutating func take(_ job: Int) -> State {
        if job >= states.count { states.append(contentsOf: repeatElement(nil, count: job - states.count + 1)) }
        // Moved out, leaving nil; `put` moves it back when the caller hands it over with
        // `consume` (see `Tokenizer.line`). A copy costs a retain of every buffer in the state
        // and a release when the original goes, twice per line.
        if let state = states[job].take() { return state }
        return make()
    }

    @inlinable public mutating func put(_ state: consuming State, for job: Int) {
        states[job] = consume state
    }

    /// Changes every job's state in place.
    @inlinable public mutating func updateEach(_ body: (inout State) -> Void) {
        for job in states.indices {
            guard var state = states[job] else { continue }
            states[job] = nil
            body(&state)
            states[job] = state
        }
    }

    @inlinable public subscript(job: Int) -> State? {
        job < states.count ? states[job] : nil
    }
}
